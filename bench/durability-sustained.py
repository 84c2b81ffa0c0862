#!/usr/bin/python3
"""XADD under appendfsync always for long enough that streams take snapshots, ours beside Redis.

bench/durability.py measures runs of a few seconds: a stream there never grows past its first
snapshot (64 KB of records). This run keeps going: -P 16 from 50 connections to a thousand streams
(-r 1000), --requests in all (12,000,000 by default: 12,000 entries a stream, past several rounds of
snapshots, when every stream's old journal rows die at about the same time). It reports the
overall rate, and the slowest and median rates of the one-second windows
redis-benchmark reports as it goes: a store whose upkeep stalls the writer shows there.

Rows: ours on SQLite (--appendfsync always), and, with --postgresql, ours on PostgreSQL (an
instance the script starts); redis-server 7.0 with --appendonly yes --appendfsync always.

    bench/durability-sustained.py [--requests 12000000] [--postgresql]
"""
import argparse
import re
import signal
import statistics
import subprocess
import sys

import benchlib

COMMAND = ["XADD", "bench:__rand_int__", "*", "f", "v"]

# redis-benchmark's progress line, rewritten in place about every 250 ms.
PROGRESS = re.compile(r"rps=([0-9.]+) \(overall")
FINAL = re.compile(r"([0-9.]+) requests per second, p50=[0-9.]+ msec")


def run(server, requests):
    """One long run; returns (overall rps, slowest one-second rps, median one-second rps)."""
    done = subprocess.run(
        ["redis-benchmark", "-h", "127.0.0.1", "-p", str(server.port), "-c", "50", "-n", str(requests),
         "-P", "16", "-r", "1000", "-q", *COMMAND],
        capture_output=True, text=True, timeout=1800)
    if done.returncode != 0 or server.process.poll() is not None:
        raise RuntimeError(f"the run on {server.name} failed: {done.stderr.strip()}")
    windows = [float(m) for m in PROGRESS.findall(done.stdout)]
    overall = float(FINAL.search(done.stdout).group(1))
    # Every fourth progress line covers about a second; the first second is the ramp-up.
    seconds = [statistics.mean(windows[i:i + 4]) for i in range(4, len(windows) - 3, 4)]
    return overall, min(seconds), statistics.median(seconds)


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=12_000_000)
    parser.add_argument("--postgresql", action="store_true", help="also ours on PostgreSQL")
    args = parser.parse_args()

    rows = []
    with benchlib.redis(["--appendonly", "yes", "--appendfsync", "always"]) as redis:
        rows.append(("redis AOF always", *run(redis, args.requests)))
    with benchlib.platform(["--appendfsync", "always"]) as ours:
        rows.append(("ours, SQLite, always", *run(ours, args.requests)))
    if args.postgresql:
        with benchlib.Postgres() as postgres:
            connection = postgres.create_database("sustained")
            with benchlib.platform(["--appendfsync", "always", "--storage", "postgresql", "--postgres", connection]) as ours:
                rows.append(("ours, PostgreSQL, always", *run(ours, args.requests)))

    redis_overall = rows[0][1]
    print(f"\nXADD -P 16, 50 connections, 1,000 streams, {args.requests:,} requests (appendfsync always)")
    print(f"{'':>26} {'overall rps':>12} {'slowest 1 s':>12} {'median 1 s':>12} {'overall/redis':>14}")
    for name, overall, slowest, median in rows:
        print(f"{name:>26} {overall:>12,.0f} {slowest:>12,.0f} {median:>12,.0f} {overall / redis_overall:>14.2f}")


if __name__ == "__main__":
    main()
