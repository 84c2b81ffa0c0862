#!/usr/bin/python3
"""PUBLISH and XADD throughput of the .NET SDK (one PlatformClient, one connection) with 1 and 64
concurrent callers, against our server (--appendfsync no, memory only like the Redis beside it:
bench/durability.py measures storage) and Debian's redis-server started side by side, beside
redis-benchmark's figure for the same command on one connection (-c 1) with -P 1 and -P 16.

Prints operations per second, the median over rounds, and ratios:
  ours/redis  the SDK against ours over the SDK against Redis (> 1: ours faster)
  sdk/rb      the SDK against a server over redis-benchmark against the same server
              (1 caller vs -P 1, 64 callers vs -P 16: how close the SDK gets to a C client)

    bench/client.py [--rounds 3] [--operations 200000]
"""
import argparse
import csv
import io
import subprocess

import benchlib

SDK = benchlib.ROOT / "bench/Client/bin/Release/net10.0/Platform.ClientBench.dll"
COMMANDS = {"publish": ["PUBLISH", "c", "m"], "xadd": ["XADD", "s", "*", "f", "v"]}


def build():
    subprocess.run(["dotnet", "build", str(benchlib.ROOT / "bench/Client/ClientBench.csproj"), "-c", "Release",
                    "-v", "q", "-nologo"], check=True)


def run_sdk(server, op, callers, operations):
    out = subprocess.run(
        ["dotnet", str(SDK), "--endpoint", f"127.0.0.1:{server.port}", "--op", op, "--callers", str(callers),
         "--operations", str(operations)],
        capture_output=True, text=True)
    line = next((l for l in out.stdout.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        reason = (out.stderr or out.stdout).strip().splitlines()
        return None, reason[0][:80] if reason else f"exit {out.returncode}"
    return float(line.split()[5]), None


def run_redis_benchmark(server, op, pipeline, requests):
    out = subprocess.run(
        ["redis-benchmark", "-p", str(server.port), "-c", "1", "-P", str(pipeline), "-n", str(requests), "--csv",
         *COMMANDS[op]],
        capture_output=True, text=True)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    if out.returncode != 0 or not rows:
        return None
    return float(rows[0]["rps"])


def fmt(value):
    return "n/a" if value is None else f"{value:,.0f}"


def ratio(a, b):
    return "n/a" if a is None or b is None else f"{benchlib.ratio(a, b):.2f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--operations", type=int, default=200_000)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--platform-configuration", default="Release", help="which build of src/Api to run")
    args = parser.parse_args()
    if not args.no_build or not SDK.exists():
        build()

    cases = [(op, callers) for op in ("publish", "xadd") for callers in (1, 64)]
    sdk = {(case, name): [] for case in cases for name in ("redis", "platform")}
    rb = {(op, p, name): [] for op in COMMANDS for p in (1, 16) for name in ("redis", "platform")}
    errors = {}
    with benchlib.redis() as redis, benchlib.platform(["--appendfsync", "no"], configuration=args.platform_configuration) as ours:
        for round_number in range(args.rounds):
            order = [redis, ours] if round_number % 2 == 0 else [ours, redis]
            for op, callers in cases:
                # One caller waits for every reply: fewer operations keep the round short.
                operations = args.operations if callers > 1 else args.operations // 4
                for server in order:
                    value, error = run_sdk(server, op, callers, operations)
                    if value is not None:
                        sdk[((op, callers), server.name)].append(value)
                    else:
                        errors[(op, server.name)] = error
            for op in COMMANDS:
                for pipeline in (1, 16):
                    requests = args.operations if pipeline > 1 else args.operations // 4
                    for server in order:
                        value = run_redis_benchmark(server, op, pipeline, requests)
                        if value is not None:
                            rb[(op, pipeline, server.name)].append(value)

    def med(values):
        return benchlib.median(values) if values else None

    rows = []
    for op, callers in cases:
        pipeline = 1 if callers == 1 else 16
        theirs, ours_ = med(sdk[((op, callers), "redis")]), med(sdk[((op, callers), "platform")])
        rb_theirs, rb_ours = med(rb[(op, pipeline, "redis")]), med(rb[(op, pipeline, "platform")])
        rows.append([op.upper(), callers, fmt(theirs), fmt(ours_), ratio(ours_, theirs),
                     f"-P {pipeline}", fmt(rb_theirs), fmt(rb_ours), ratio(theirs, rb_theirs), ratio(ours_, rb_ours)])
    benchlib.print_table(
        f"SDK throughput, one connection, ops/s, median of {args.rounds} rounds "
        "(redis-benchmark: -c 1; ratio > 1: ours faster / the SDK faster)",
        ["command", "callers", "sdk→redis", "sdk→ours", "ours/redis", "rb", "rb→redis", "rb→ours",
         "sdk/rb redis", "sdk/rb ours"],
        rows)
    for (op, name), error in sorted(errors.items()):
        print(f"  {op} against {name}: {error}")


if __name__ == "__main__":
    main()
