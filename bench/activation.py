#!/usr/bin/python3
"""Restart and activation: how long a server takes to serve again after a restart, and what the
first read of each stream costs, ours beside Debian's redis-server.

Each config gets a fresh server on a data directory (or database) of its own, on 127.0.0.1, and
the load
    redis-benchmark -P 16 -c 50 -r 1000 -n N XADD bench:__rand_int__ * f v     (a thousand streams)
Then the server is stopped (SIGTERM for ours, SHUTDOWN for Redis: both write out what they hold)
and started again on the same data. Measured: the time from the start to the first PONG, then an
XLEN of each of the thousand keys, one after another on one connection. Redis replays its whole
AOF before its first PONG; we read the index at start and each stream at its first read (its
snapshot and the journal after it), so 'restart + every key' is the figure to compare. The XLENs
must add up to N: every entry written is back.

Configs: ours on SQLite and on PostgreSQL (an instance the script starts, fsync on), under
appendfsync always; Redis with appendonly yes, appendfsync always. --rounds N (3 unless told)
measures each config N times, the configs taking turns, and gives medians.

    bench/activation.py                 # about 2 minutes
    bench/activation.py --requests 300000 --rounds 1
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import benchlib

KEYS = 1000


def build():
    subprocess.run(["dotnet", "build", str(benchlib.ROOT / "src/Api"), "-c", "Release", "-v", "q", "-nologo"],
                   check=True, stdout=subprocess.DEVNULL)


class Restartable:
    """A server on a data directory that outlives it: started, stopped and started again."""

    def __init__(self, name, argv_for):
        self.name = name
        self.argv_for = argv_for
        self.dir = tempfile.mkdtemp(prefix=f"bench-activation-{name.replace(' ', '-')}-")
        self.port = benchlib.free_port()
        self.process = None

    def start(self):
        """Starts the server; returns the seconds until it answered PING."""
        started = time.perf_counter()
        self.process = subprocess.Popen(self.argv_for(self.port, self.dir), cwd=self.dir,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        benchlib.wait_for_ping(self.port, self.process, timeout=300)
        return time.perf_counter() - started

    def stop(self):
        if self.name == "redis":
            subprocess.run(["redis-cli", "-p", str(self.port), "SHUTDOWN"], capture_output=True)
        else:
            self.process.send_signal(signal.SIGTERM)
        if self.process.wait(timeout=120) not in (0, -signal.SIGTERM):
            raise RuntimeError(f"{self.name} exited with {self.process.returncode} when stopped")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def call(connection, *args):
    """One command on a raw socket; returns the reply line (an integer reply here)."""
    connection.sendall(b"".join([b"*%d\r\n" % len(args)] + [b"$%d\r\n%s\r\n" % (len(a), a) for a in args]))
    reply = b""
    while not reply.endswith(b"\r\n"):
        chunk = connection.recv(4096)
        if not chunk:
            raise RuntimeError("the server closed the connection")
        reply += chunk
    return reply


def measure(server, requests, clients):
    """Load, restart, read every key once; returns (restart s, per-key first-read ms, entries)."""
    server.start()
    subprocess.run(["redis-benchmark", "-h", "127.0.0.1", "-p", str(server.port), "-c", str(clients), "-n", str(requests),
                    "-P", "16", "-r", str(KEYS), "-q", "XADD", "bench:__rand_int__", "*", "f", "v"],
                   check=True, capture_output=True, timeout=600)
    server.stop()
    benchlib.wait_for_quiet()
    restart = server.start()
    reads = []
    entries = 0
    with socket.create_connection(("127.0.0.1", server.port)) as connection:
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for key in range(KEYS):
            started = time.perf_counter()
            reply = call(connection, b"XLEN", b"bench:%012d" % key)
            reads.append((time.perf_counter() - started) * 1000)
            if not reply.startswith(b":"):
                raise RuntimeError(f"{server.name}: XLEN answered {reply!r}")
            entries += int(reply[1:])
    server.stop()
    return restart, reads, entries


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1_000_000, help="XADDs before the restart")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-build", action="store_true", help="use the Release build as it is")
    args = parser.parse_args()
    if not args.no_build:
        build()

    dll = str(benchlib.ROOT / "src/Api/bin/Release/net10.0/Platform.Api.dll")

    def ours(extra):
        return lambda port, d: ["dotnet", dll, "--port", str(port), "--urls", f"http://127.0.0.1:{benchlib.free_port()}",
                                "--dir", d, "--appendfsync", "always", "--Logging:LogLevel:Default=Warning", *extra]

    results = {}
    with benchlib.Postgres() as postgres:
        for round_number in range(1, args.rounds + 1):
            configs = [
                ("redis", lambda port, d: ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                           "--appendonly", "yes", "--appendfsync", "always", "--dir", d]),
                ("ours sqlite", ours([])),
                ("ours postgresql", ours(["--storage", "postgresql", "--postgres",
                                          postgres.create_database(f"activation{round_number}")])),
            ]
            for name, argv_for in configs:
                with Restartable(name, argv_for) as server:
                    restart, reads, entries = measure(server, args.requests, args.clients)
                if entries != args.requests:
                    raise RuntimeError(f"{name}: {entries:,} entries came back of {args.requests:,}")
                results.setdefault(name, []).append((restart, reads))
                print(f"  round {round_number}  {name:16} restart {restart:6.2f} s  first XLEN median "
                      f"{percentile(reads, 0.5):7.3f} ms  max {max(reads):7.2f} ms  all keys {sum(reads) / 1000:6.2f} s",
                      flush=True)

    def total(run):
        return run[0] + sum(run[1]) / 1000

    rows = []
    for name in ("ours sqlite", "ours postgresql", "redis"):
        runs = results[name]
        rows.append([
            name,
            f"{benchlib.median([r[0] for r in runs]):.2f}",
            f"{benchlib.median([percentile(r[1], 0.5) for r in runs]):.3f}",
            f"{benchlib.median([percentile(r[1], 0.99) for r in runs]):.2f}",
            f"{benchlib.median([sum(r[1]) / 1000 for r in runs]):.2f}",
            f"{benchlib.median([total(r) for r in runs]):.2f}",
            f"{benchlib.median([benchlib.ratio(total(o), total(r)) for o, r in zip(runs, results['redis'])]):.2f}",
        ])
    benchlib.print_table(
        f"Restart after {args.requests:,} XADDs to {KEYS} streams (-P 16), then XLEN of each key once; "
        f"medians of {args.rounds} round(s); appendfsync always",
        ["config", "restart s", "first XLEN p50 ms", "p99 ms", "all keys s", "restart + every key s", "ratio to redis"],
        rows)


if __name__ == "__main__":
    main()
