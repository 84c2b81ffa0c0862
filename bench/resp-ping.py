#!/usr/bin/python3
"""PING throughput of our RESP port beside Debian's redis-server, started side by side.

redis-benchmark -t ping_inline,ping_mbulk with -P 1 and -P 16 and 50 connections, against both
servers in alternating order, for several rounds. Prints requests per second and server CPU
microseconds per request (the steadier figure: redis-benchmark itself saturates a core at -P 1),
ours beside Redis's, and the median of the per-round ratios.

    bench/resp-ping.py [--rounds 3] [--requests 1000000]
"""
import argparse
import csv
import io
import subprocess

import benchlib


def run_benchmark(server, test, pipeline, requests, clients):
    before = server.cpu_seconds()
    out = subprocess.run(
        ["redis-benchmark", "-p", str(server.port), "-t", test, "-P", str(pipeline), "-c", str(clients),
         "-n", str(requests), "--csv"],
        capture_output=True, text=True, check=True).stdout
    cpu = server.cpu_seconds() - before
    row = next(r for r in csv.DictReader(io.StringIO(out)) if r["test"].lower() == test)
    rps = float(row["rps"])
    return rps, cpu * 1e6 / requests, float(row["p99_latency_ms"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()

    cases = [(t, p) for t in ("ping_inline", "ping_mbulk") for p in (1, 16)]
    results = {case: {"redis": [], "platform": []} for case in cases}
    with benchlib.redis() as redis, benchlib.platform() as ours:
        # Warm-up: the JIT compiles the hot path before anything is measured.
        run_benchmark(ours, "ping_mbulk", 16, 500_000, args.clients)
        for round_number in range(args.rounds):
            for test, pipeline in cases:
                requests = args.requests if pipeline > 1 else args.requests // 5
                order = [redis, ours] if round_number % 2 == 0 else [ours, redis]
                for server in order:
                    results[(test, pipeline)][server.name].append(
                        run_benchmark(server, test, pipeline, requests, args.clients))

    rows = []
    for (test, pipeline), by_server in results.items():
        theirs, ours = by_server["redis"], by_server["platform"]
        rps_ratios = [benchlib.ratio(o[0], t[0]) for o, t in zip(ours, theirs)]
        cpu_ratios = [benchlib.ratio(t[1], o[1]) for o, t in zip(ours, theirs)]
        rows.append([
            test, pipeline,
            f"{benchlib.median([t[0] for t in theirs]):,.0f}", f"{benchlib.median([o[0] for o in ours]):,.0f}",
            f"{benchlib.median(rps_ratios):.2f}",
            f"{benchlib.median([t[1] for t in theirs]):.2f}", f"{benchlib.median([o[1] for o in ours]):.2f}",
            f"{benchlib.median(cpu_ratios):.2f}",
            f"{benchlib.median([t[2] for t in theirs]):.3f}", f"{benchlib.median([o[2] for o in ours]):.3f}",
        ])
    benchlib.print_table(
        f"PING, {args.clients} connections, median of {args.rounds} rounds (ratio > 1: ours better)",
        ["test", "-P", "redis rps", "ours rps", "rps ratio", "redis cpu us/op", "ours cpu us/op", "cpu ratio",
         "redis p99 ms", "ours p99 ms"],
        rows)


if __name__ == "__main__":
    main()
