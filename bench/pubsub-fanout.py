#!/usr/bin/python3
"""Pub/Sub fan-out of our RESP port beside Debian's redis-server, started side by side.

bench/FanOut (built in Release here) publishes 64-byte messages as fast as the server answers
(16 PUBLISH per batch) to one channel with N = 1, 10, 100 and 1000 subscribers, and once to 100
subscribers of a pattern, against both servers in alternating order for several rounds. Prints,
ours beside Redis's: deliveries per second (and the median of the per-round ratios),
publish-to-receive latency p50/p99, messages per subscriber socket read, the server's CPU per
1,000 deliveries, and the generator's own CPU (percent of one core; near 100 means the
generator, not the server, may be the limit). Then redis-benchmark's PUBLISH (no subscribers)
with -P 1 and -P 16.

The machine has 2 cores: the generator and the server share them. Before each run the script
waits (up to --quiet-timeout s) for the machine to be quiet and reports the busiest background
it saw: figures from a busy machine are noise.

    bench/pubsub-fanout.py [--rounds 3] [--seconds 5] [--readers 1] [--engine epoll|async]
"""
import argparse
import csv
import io
import signal
import subprocess
import sys

import benchlib

FANOUT = benchlib.ROOT / "bench/FanOut"
FANOUT_DLL = FANOUT / "bin/Release/net10.0/Platform.FanOut.dll"
CASES = [("1", 1, 0), ("10", 10, 0), ("100", 100, 0), ("1000", 1000, 0), ("100 patterns", 0, 100)]


def build():
    subprocess.run(["dotnet", "build", str(FANOUT), "-c", "Release", "-v", "q", "-nologo"], check=True,
                   stdout=subprocess.DEVNULL)


def run_fanout(server, subscribers, patterns, args):
    """One generator run; the server's CPU time is sampled at the generator's window marks."""
    command = ["dotnet", str(FANOUT_DLL), "--port", str(server.port), "--subscribers", str(subscribers),
               "--patterns", str(patterns), "--size", "64", "--seconds", str(args.seconds),
               "--warmup", str(args.warmup), "--readers", str(args.readers), "--engine", args.engine]
    cpu_from = cpu_to = None
    result = None
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        for line in process.stdout:
            line = line.strip()
            if line == "measuring":
                cpu_from = server.cpu_seconds()
            elif line == "measured":
                cpu_to = server.cpu_seconds()
            elif "delivered_per_sec=" in line:
                result = dict(field.split("=", 1) for field in line.split())
        process.wait(timeout=120)
    if result is None or process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed with {process.returncode}")
    delivered = float(result["delivered_per_sec"])
    window_deliveries = delivered * args.seconds
    result["server_cpu_us_per_1k"] = (cpu_to - cpu_from) * 1e9 / window_deliveries if window_deliveries else float("nan")
    expected_receivers = subscribers + patterns
    if int(result["receivers"]) != expected_receivers or int(result["closed"]) != 0:
        print(f"  warning: {server.name} N={expected_receivers}: receivers={result['receivers']} closed={result['closed']}")
    return result


def run_benchmark(server, pipeline, requests, clients):
    before = server.cpu_seconds()
    out = subprocess.run(
        ["redis-benchmark", "-p", str(server.port), "-c", str(clients), "-n", str(requests), "-P", str(pipeline),
         "--csv", "PUBLISH", "bench-channel", "hello"],
        capture_output=True, text=True, check=True).stdout
    cpu = server.cpu_seconds() - before
    row = next(csv.DictReader(io.StringIO(out)))
    return float(row["rps"]), cpu * 1e6 / requests


def main():
    # A SIGTERM ends the run through the with blocks, so no server is left running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--readers", type=int, default=1, help="generator reader threads (epoll engine)")
    parser.add_argument("--engine", default="epoll", choices=["epoll", "async"],
                        help="generator readers: epoll threads, or the former async receive per subscriber")
    parser.add_argument("--requests", type=int, default=1_000_000, help="redis-benchmark requests at -P 16 (a fifth at -P 1)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--skip-benchmark", action="store_true", help="fan-out only")
    parser.add_argument("--cases", default=",".join(name for name, _, _ in CASES),
                        help="comma-separated fan-out cases to run (default: all): " + ", ".join(name for name, _, _ in CASES))
    parser.add_argument("--quiet-timeout", type=float, default=10, help="seconds to wait for a quiet machine before each run")
    args = parser.parse_args()

    cases = [c for c in CASES if c[0] in args.cases.split(",")]
    build()
    fanout = {name: {"redis": [], "platform": []} for name, _, _ in cases}
    publish = {p: {"redis": [], "platform": []} for p in (1, 16)}
    busiest = 0.0
    with benchlib.redis() as redis, benchlib.platform() as ours:
        # Warm-up: the JIT compiles the hot paths before anything is measured.
        run_fanout(ours, 100, 0, argparse.Namespace(**{**vars(args), "seconds": 2, "warmup": 1}))
        for round_number in range(args.rounds):
            order = [redis, ours] if round_number % 2 == 0 else [ours, redis]
            for name, subscribers, patterns in cases:
                for server in order:
                    busiest = max(busiest, benchlib.wait_for_quiet(timeout=args.quiet_timeout))
                    fanout[name][server.name].append(run_fanout(server, subscribers, patterns, args))
                    r = fanout[name][server.name][-1]
                    print(f"round {round_number + 1} N={name:>12} {server.name:>8}: {r['delivered_per_sec']:>9}/s "
                          f"p50 {r['p50_us']} p99 {r['p99_us']} us, {r['messages_per_read']} msgs/read, "
                          f"server {r['server_cpu_us_per_1k']:.0f} us/1k, generator {r['cpu_pct']}%", flush=True)
            if not args.skip_benchmark:
                for pipeline in (1, 16):
                    requests = args.requests if pipeline > 1 else args.requests // 5
                    for server in order:
                        busiest = max(busiest, benchlib.wait_for_quiet(timeout=args.quiet_timeout))
                        publish[pipeline][server.name].append(run_benchmark(server, pipeline, requests, args.clients))

    def med(runs, key):
        return benchlib.median([float(r[key]) for r in runs])

    rows = []
    for name, _, _ in cases:
        theirs, mine = fanout[name]["redis"], fanout[name]["platform"]
        ratios = [benchlib.ratio(float(o["delivered_per_sec"]), float(t["delivered_per_sec"])) for o, t in zip(mine, theirs)]
        rows.append([
            name,
            f"{med(theirs, 'delivered_per_sec'):,.0f}", f"{med(mine, 'delivered_per_sec'):,.0f}",
            f"{benchlib.median(ratios):.2f}",
            f"{med(theirs, 'p50_us'):.0f}/{med(theirs, 'p99_us'):.0f}", f"{med(mine, 'p50_us'):.0f}/{med(mine, 'p99_us'):.0f}",
            f"{med(theirs, 'messages_per_read'):.1f}", f"{med(mine, 'messages_per_read'):.1f}",
            f"{med(theirs, 'server_cpu_us_per_1k'):.0f}", f"{med(mine, 'server_cpu_us_per_1k'):.0f}",
            f"{med(theirs, 'cpu_pct'):.0f}/{med(mine, 'cpu_pct'):.0f}",
        ])
    benchlib.print_table(
        f"Pub/Sub fan-out, 64-byte messages, median of {args.rounds} rounds of {args.seconds} s (ratio > 1: ours delivers more)",
        ["N", "redis deliv/s", "ours deliv/s", "ratio", "redis p50/p99 us", "ours p50/p99 us",
         "redis msg/read", "ours msg/read", "redis cpu us/1k", "ours cpu us/1k", "generator cpu % (r/o)"],
        rows)

    if not args.skip_benchmark:
        rows = []
        for pipeline, by_server in publish.items():
            theirs, mine = by_server["redis"], by_server["platform"]
            rows.append([
                pipeline,
                f"{benchlib.median([t[0] for t in theirs]):,.0f}", f"{benchlib.median([o[0] for o in mine]):,.0f}",
                f"{benchlib.median([benchlib.ratio(o[0], t[0]) for o, t in zip(mine, theirs)]):.2f}",
                f"{benchlib.median([t[1] for t in theirs]):.2f}", f"{benchlib.median([o[1] for o in mine]):.2f}",
                f"{benchlib.median([benchlib.ratio(t[1], o[1]) for o, t in zip(mine, theirs)]):.2f}",
            ])
        benchlib.print_table(
            f"redis-benchmark PUBLISH bench-channel hello (no subscribers), {args.clients} connections",
            ["-P", "redis rps", "ours rps", "rps ratio", "redis cpu us/op", "ours cpu us/op", "cpu ratio"],
            rows)
    print(f"\nbusiest background seen before a run: {busiest:.0%} of the machine")


if __name__ == "__main__":
    main()
