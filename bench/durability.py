#!/usr/bin/python3
"""XADD throughput and p99 latency under each durability mode, ours beside Debian's redis-server.

Rows, all measured in one run on this machine:
  ours, SQLite (the embedded default)      --appendfsync always / everysec / no
  ours, PostgreSQL (an instance the script starts, fsync on)   the same three modes
  redis-server 7.0: --appendonly yes --appendfsync always / everysec, and no persistence
Each row gets a fresh server (and, for PostgreSQL, a fresh database) on 127.0.0.1 in a temporary
directory of its own, stopped at the end. The load is redis-benchmark's
    XADD bench:__rand_int__ * f v     (-r 1000: a thousand streams)
from 50 connections, with -P 1 and with -P 16. A short run first warms the server (and our JIT)
and sizes the measured run to about --seconds. The table gives requests per second and the p99
latency that redis-benchmark reports, and their ratios to the Redis row of the same mode
(always to AOF always, everysec to AOF everysec, no to no persistence; pipeline for pipeline).
With --rounds N (3 unless told), every row is measured N times, the rows taking turns, and the
table gives the medians: of each row's rps and p99, and of the per-round ratios. A single run of
a row moved by up to 0.2 (as a ratio) from one run to the next.

The machine has 2 cores: redis-benchmark and the server share them. Before each run the script
waits (up to --quiet-timeout s) for the machine to be quiet and reports the busiest background it
saw: figures from a busy machine are noise.

    bench/durability.py            # the full run (three rounds: 20-25 minutes)
    bench/durability.py --rounds 1 # one round (7-8 minutes)
    bench/durability.py --quick    # a smoke run (one round of short runs: a few minutes, 18 server starts)
"""
import argparse
import csv
import io
import signal
import subprocess
import sys

import benchlib

MODES = ["always", "everysec", "no"]
REDIS_MODES = {
    "always": ["--appendonly", "yes", "--appendfsync", "always"],
    "everysec": ["--appendonly", "yes", "--appendfsync", "everysec"],
    "no": ["--save", "", "--appendonly", "no"],
}
REDIS_NAMES = {"always": "redis AOF always", "everysec": "redis AOF everysec", "no": "redis no persistence"}
COMMAND = ["XADD", "bench:__rand_int__", "*", "f", "v"]


def build():
    subprocess.run(["dotnet", "build", str(benchlib.ROOT / "src/Api"), "-c", "Release", "-v", "q", "-nologo"],
                   check=True, stdout=subprocess.DEVNULL)


def redis_benchmark(server, clients, pipeline, requests, keys):
    """One redis-benchmark run; returns (rps, p99 ms)."""
    done = subprocess.run(
        ["redis-benchmark", "-h", "127.0.0.1", "-p", str(server.port), "-c", str(clients), "-n", str(requests),
         "-P", str(pipeline), "-r", str(keys), "--csv", *COMMAND],
        capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"redis-benchmark exited with {done.returncode}: {done.stderr.strip()}")
    # Skip anything redis-benchmark says before its CSV (a warning that CONFIG GET was refused).
    text = done.stdout[done.stdout.index('"test"'):]
    row = next(csv.DictReader(io.StringIO(text)))
    if server.process.poll() is not None:
        raise RuntimeError(f"{server.name} exited with {server.process.returncode} during the run")
    return float(row["rps"]), float(row["p99_latency_ms"])


def measure(start_server, pipeline, args):
    """Warm-up, then the measured run, on a fresh server; returns (rps, p99 ms, busy, requests).

    The warm-up's rate (cold JIT, first activations) sizes the measured run only roughly: a run
    that took less than half of --seconds is made again at the rate it showed, since a run
    shorter than a second would miss everysec's commits altogether."""
    warmup = args.warmup_requests * (8 if pipeline > 1 else 1)
    with start_server() as server:
        rps, _ = redis_benchmark(server, args.clients, pipeline, warmup, args.keys)
        requests = max(warmup, min(args.max_requests, int(rps * args.seconds)))
        while True:
            busy = benchlib.wait_for_quiet(timeout=args.quiet_timeout)
            rps, p99 = redis_benchmark(server, args.clients, pipeline, requests, args.keys)
            if requests / rps >= args.seconds / 2 or requests >= args.max_requests:
                return rps, p99, busy, requests
            requests = min(args.max_requests, int(rps * args.seconds))


def main():
    # A SIGTERM ends the run through the with blocks, so no server is left running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smoke run: short runs, small warm-up")
    parser.add_argument("--seconds", type=float, default=10, help="target length of each measured run")
    parser.add_argument("--rounds", type=int, default=3, help="how many times each row is measured (medians are given)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--pipelines", default="1,16", help="comma-separated -P values")
    parser.add_argument("--keys", type=int, default=1000, help="redis-benchmark -r: how many streams")
    parser.add_argument("--warmup-requests", type=int, default=50_000,
                        help="warm-up requests at -P 1 (8x at -P > 1); with 5,000 our JIT was still warming in the measured run (-15%%)")
    parser.add_argument("--max-requests", type=int, default=3_000_000)
    parser.add_argument("--quiet-timeout", type=float, default=20,
                        help="seconds to wait for a quiet machine before each run")
    parser.add_argument("--no-build", action="store_true", help="use the Release build as it is")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.warmup_requests, args.quiet_timeout, args.rounds = 1.5, 1000, 3, 1
    pipelines = [int(p) for p in args.pipelines.split(",")]

    if not args.no_build:
        build()

    results = {}  # (config, mode, pipeline) -> [(rps, p99, busy, requests) per round]
    with benchlib.Postgres() as postgres:
        databases = 0

        def ours_postgres(mode):
            nonlocal databases
            databases += 1
            connection = postgres.create_database(f"bench{databases}")
            return benchlib.platform(["--storage", "postgresql", "--postgres", connection, "--appendfsync", mode])

        for round_number in range(1, args.rounds + 1):
            for mode in MODES:
                configs = [
                    ("redis", lambda m=mode: benchlib.redis(REDIS_MODES[m])),
                    ("ours sqlite", lambda m=mode: benchlib.platform(["--appendfsync", m])),
                    ("ours postgresql", lambda m=mode: ours_postgres(m)),
                ]
                for pipeline in pipelines:
                    for config, start in configs:
                        result = measure(start, pipeline, args)
                        results.setdefault((config, mode, pipeline), []).append(result)
                        print(f"  round {round_number}  {config:16} {mode:9} -P {pipeline:<3} {result[0]:>10,.0f} rps"
                              f"  p99 {result[1]:7.3f} ms  ({result[3]:,} requests; background {result[2]:.0%})", flush=True)

    rows = []
    for mode in MODES:
        for config in ("ours sqlite", "ours postgresql", "redis"):
            for pipeline in pipelines:
                runs = results[(config, mode, pipeline)]
                redis_runs = results[("redis", mode, pipeline)]
                name = REDIS_NAMES[mode] if config == "redis" else f"{config} appendfsync {mode}"
                rows.append([
                    name, pipeline,
                    f"{benchlib.median([r[0] for r in runs]):,.0f}",
                    f"{benchlib.median([r[1] for r in runs]):.3f}",
                    f"{benchlib.median([benchlib.ratio(o[0], r[0]) for o, r in zip(runs, redis_runs)]):.2f}",
                    f"{benchlib.median([benchlib.ratio(o[1], r[1]) for o, r in zip(runs, redis_runs)]):.2f}",
                    " ".join(f"{benchlib.ratio(o[0], r[0]):.2f}" for o, r in zip(runs, redis_runs)),
                ])
    benchlib.print_table(
        f"XADD bench:__rand_int__ * f v (-r {args.keys}), {args.clients} connections; medians of {args.rounds} "
        "round(s), ratios to the Redis row of the same mode, -P and round",
        ["config", "-P", "rps", "p99 ms", "rps/redis", "p99/redis", "rps/redis by round"], rows)
    busiest = max(r[2] for runs in results.values() for r in runs)
    print(f"\nbusiest background seen before a run: {busiest:.0%} of the machine")


if __name__ == "__main__":
    main()
