#!/usr/bin/python3
"""Streams on our RESP port beside Debian's redis-server, started side by side.

- XADD to one key and to many keys (redis-benchmark ... XADD s:__rand_int__ * f v -r 100000) at
  -P 1 and -P 16 with 50 clients: requests per second and server CPU microseconds per request,
  and redis-benchmark's own CPU per request and share of a core: at -P 1 it uses a whole core
  against either server, and the rate is its own, not the server's.
- XRANGE of 100 entries (prefill 100, XRANGE s - + COUNT 100).
- A consumer group (bench/StreamLoad): P producers XADD (batches of 16), K consumers XREADGROUP GROUP g cK COUNT 100
  BLOCK 100 STREAMS s > and XACK; acked entries per second and add-to-delivery p99.
- Memory: 1,000,000 entries of 5 fields of about 20 bytes (about 100 bytes per entry): our RSS
  (VmRSS) growth per entry beside Redis's used_memory and RSS growth per entry.

Ours runs with --appendfsync no (memory only, as the Redis beside it: --save "" --appendonly no)
unless --durable, which runs ours with its default (appendfsync always) and Redis with
--appendonly yes --appendfsync always. Each figure is the median of --rounds rounds, the two
servers measured in alternating order; the ratio is ours / Redis (for CPU and memory, lower is
better for ours).

    bench/streams.py [--rounds 3] [--requests 200000] [--entries 1000000] [--durable] [--skip-memory]
"""
import argparse
import csv
import io
import pathlib
import re
import resource
import socket
import subprocess
import sys
import time

import benchlib


def progress(text):
    print(text, file=sys.stderr, flush=True)

BENCHMARK_TIMEOUT = 90
LOAD = benchlib.ROOT / "bench/StreamLoad/bin/Release/net10.0/Platform.StreamLoad.dll"


def call(port, *args):
    """One command on a fresh connection; returns the raw reply (enough for INFO and XLEN)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        payload = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in (str(x).encode() for x in args))
        s.sendall(payload)
        data = b""
        while True:
            chunk = s.recv(1 << 20)
            data += chunk
            if not chunk or reply_complete(data):
                return data


def reply_complete(data):
    if data[:1] == b"$":
        header, _, rest = data.partition(b"\r\n")
        return len(rest) >= int(header[1:]) + 2 if int(header[1:]) >= 0 else True
    return data.endswith(b"\r\n")


def rss_bytes(pid):
    text = pathlib.Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", text).group(1)) * 1024


def redis_info(port, field):
    text = call(port, "INFO", "memory").decode()
    return int(re.search(rf"^{field}:(\d+)", text, re.M).group(1))


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def benchmark(server, args, pipeline, requests, clients, randomize=False):
    """One redis-benchmark run: requests/s, the server's CPU per request, p99, and redis-benchmark's
    own CPU per request and share of a core (near 1, the client set the rate, not the server)."""
    before = server.cpu_seconds()
    client_before = children_cpu_seconds()
    started = time.perf_counter()
    argv = ["redis-benchmark", "-p", str(server.port), "-P", str(pipeline), "-c", str(clients), "-n", str(requests), "--csv"]
    if randomize:
        argv += ["-r", "100000"]
    try:
        out = subprocess.run(argv + list(args), capture_output=True, text=True, check=True, timeout=BENCHMARK_TIMEOUT).stdout
    except subprocess.TimeoutExpired:
        # A run this slow is a stall (replies held back), not a figure: shown as such.
        progress(f"  {server.name}: {' '.join(args)} -P {pipeline}: no result in {BENCHMARK_TIMEOUT} s")
        return {"rps": float("nan"), "cpu_us": float("nan"), "p99_ms": float("nan"), "client_us": float("nan"), "client_core": float("nan")}
    cpu = server.cpu_seconds() - before
    client = children_cpu_seconds() - client_before
    elapsed = time.perf_counter() - started
    row = next(csv.DictReader(io.StringIO(out)))
    progress(f"  {server.name}: {' '.join(args)} -P {pipeline}: {float(row['rps']):,.0f} req/s, {cpu * 1e6 / requests:.2f} µs CPU/req"
             f" (redis-benchmark {client * 1e6 / requests:.2f} µs/req, {client / elapsed:.0%} of a core)")
    return {"rps": float(row["rps"]), "cpu_us": cpu * 1e6 / requests, "p99_ms": float(row["p99_latency_ms"]),
            "client_us": client * 1e6 / requests, "client_core": client / elapsed}


def consumer_group(server, producers, consumers, seconds, key):
    before = server.cpu_seconds()
    try:
        run = subprocess.run(
            ["dotnet", str(LOAD), "--port", str(server.port), "--producers", str(producers), "--consumers", str(consumers),
             "--pipeline", "16", "--seconds", str(seconds), "--warmup", "1", "--key", key],
            capture_output=True, text=True, timeout=seconds + 60)
        out = run.stdout
    except subprocess.TimeoutExpired:
        return {"acked_per_s": float("nan"), "p99_us": float("nan"), "cpu_us": float("nan"), "stalled": True}
    cpu = server.cpu_seconds() - before
    progress(f"  {server.name}: consumer group: {out.strip()}")
    if "acked_per_s=" not in out:
        progress(f"  {server.name}: the load generator failed (exit {run.returncode}): {run.stderr.strip()[-2000:]}")
        return {"acked_per_s": float("nan"), "p99_us": float("nan"), "cpu_us": float("nan"), "stalled": True}
    fields = dict(kv.split("=") for kv in out.split())
    acked = float(fields["acked_per_s"])
    return {"acked_per_s": acked, "p99_us": float(fields["p99_us"]), "p50_us": float(fields["p50_us"]),
            "cpu_us": cpu * 1e6 / max(1.0, acked * (seconds + 1)), "stalled": False}


def prefill(server):
    """The stream XRANGE reads: 100 entries."""
    subprocess.run(["redis-benchmark", "-p", str(server.port), "-n", "100", "-c", "1", "-q", "XADD", "r", "*", "f", "v", "n", "12345"],
                   capture_output=True, check=True, timeout=60)
    assert call(server.port, "XLEN", "r") == b":100\r\n"


def memory(server, entries, key):
    fields = []
    for i in range(1, 6):
        fields += [f"field{i}", f"value-{i}-" + "x" * 10]  # 6 + 18 bytes: about 100 bytes per entry
    call(server.port, "DEL", key)
    time.sleep(1)
    rss_before = rss_bytes(server.process.pid)
    used_before = redis_info(server.port, "used_memory") if server.name == "redis" else 0
    # One connection pipelining 64: the load itself is not what is measured here.
    subprocess.run(["redis-benchmark", "-p", str(server.port), "-P", "64", "-c", "1", "-n", str(entries), "-q",
                    "XADD", key, "*", *fields], capture_output=True, text=True, check=True, timeout=1200)
    length = int(call(server.port, "XLEN", key)[1:-2])
    time.sleep(2)
    rss_after = rss_bytes(server.process.pid)
    progress(f"  {server.name}: memory: {length} entries, RSS {rss_before / 2**20:.0f} → {rss_after / 2**20:.0f} MiB")
    result = {"entries": length, "rss_per_entry": (rss_after - rss_before) / length, "rss_mb": rss_after / 2**20}
    if server.name == "redis":
        result["used_per_entry"] = (redis_info(server.port, "used_memory") - used_before) / length
    call(server.port, "DEL", key)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--producers", type=int, default=4)
    parser.add_argument("--consumers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--durable", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()

    subprocess.run(["dotnet", "build", str(benchlib.ROOT / "bench/StreamLoad"), "-c", "Release", "-v", "q", "-nologo"],
                   check=True, capture_output=True)
    ours_extra = [] if args.durable else ["--appendfsync", "no"]
    redis_extra = ["--appendonly", "yes", "--appendfsync", "always"] if args.durable else []

    xadd_cases = [
        ("XADD one key", ["XADD", "s", "*", "f", "v"], False),
        ("XADD many keys", ["XADD", "s:__rand_int__", "*", "f", "v"], True),
    ]
    rows = []
    with benchlib.redis(redis_extra) as redis, benchlib.platform(ours_extra) as ours:
        servers = [redis, ours]
        # Warm-up: the JIT compiles the hot paths before anything is measured.
        benchmark(ours, ["XADD", "warm", "*", "f", "v"], 16, 100_000, args.clients)
        benchmark(ours, ["XRANGE", "warm", "-", "+", "COUNT", "100"], 16, 20_000, args.clients)
        for s in servers:
            call(s.port, "FLUSHDB")
            prefill(s)

        results = {}
        stalled = set()
        for round_number in range(args.rounds):
            order = servers if round_number % 2 == 0 else servers[::-1]
            for name, command, randomize in xadd_cases:
                for pipeline in (1, 16):
                    requests = args.requests if pipeline > 1 else args.requests // 4
                    for s in order:
                        if (name, pipeline, s.name) in stalled:
                            figure = {"rps": float("nan"), "cpu_us": float("nan"), "p99_ms": float("nan"),
                                      "client_us": float("nan"), "client_core": float("nan")}
                        else:
                            figure = benchmark(s, command, pipeline, requests, args.clients, randomize)
                        if figure["rps"] != figure["rps"]:
                            stalled.add((name, pipeline, s.name))
                        results.setdefault((name, pipeline), {}).setdefault(s.name, []).append(figure)
            for pipeline in (1, 16):
                # 50,000 either way: at -P 1 a tenth of that took half a second, which the
                # connections' start and the scheduler's moods decided more than either server.
                requests = args.requests // 4
                for s in order:
                    results.setdefault(("XRANGE 100", pipeline), {}).setdefault(s.name, []).append(
                        benchmark(s, ["XRANGE", "r", "-", "+", "COUNT", "100"], pipeline, requests, args.clients))
            for s in order:
                results.setdefault(("consumer group", 0), {}).setdefault(s.name, []).append(
                    consumer_group(s, args.producers, args.consumers, args.seconds, f"cg{round_number}"))
            for s in servers:
                call(s.port, "FLUSHDB")
                prefill(s)

        for (name, pipeline), by_server in results.items():
            if name == "consumer group":
                ours_acked = benchlib.median([r["acked_per_s"] for r in by_server["platform"]])
                redis_acked = benchlib.median([r["acked_per_s"] for r in by_server["redis"]])
                ours_p99 = benchlib.median([r["p99_us"] for r in by_server["platform"]])
                redis_p99 = benchlib.median([r["p99_us"] for r in by_server["redis"]])
                stalled = sum(r["stalled"] for r in by_server["platform"])
                label = f"consumer group {args.producers}P/{args.consumers}C" + (f" ({stalled} stalled)" if stalled else "")
                rows.append((label, "acked/s", f"{ours_acked:,.0f}", f"{redis_acked:,.0f}", f"{benchlib.ratio(ours_acked, redis_acked):.2f}"))
                rows.append((label, "add→delivery p99 µs", f"{ours_p99:,.0f}", f"{redis_p99:,.0f}", f"{benchlib.ratio(ours_p99, redis_p99):.2f}"))
                continue
            label = f"{name} -P {pipeline}"
            for metric, title, fmt in (("rps", "requests/s", "{:,.0f}"), ("cpu_us", "server CPU µs/req", "{:.2f}"),
                                       ("client_us", "redis-benchmark CPU µs/req", "{:.2f}"),
                                       ("client_core", "redis-benchmark share of a core", "{:.2f}")):
                o = benchlib.median([r[metric] for r in by_server["platform"]])
                r_ = benchlib.median([r[metric] for r in by_server["redis"]])
                rows.append((label, title, "stalled" if o != o else fmt.format(o), fmt.format(r_), f"{benchlib.ratio(o, r_):.2f}"))

    if not args.skip_memory:
        # On servers of their own: what the runs above allocated would hide the growth.
        with benchlib.redis(redis_extra) as redis, benchlib.platform(ours_extra) as ours:
            mem_ours = memory(ours, args.entries, "mem")
            mem_redis = memory(redis, args.entries, "mem")
            rows.append((f"memory {mem_ours['entries']:,} entries", "RSS growth bytes/entry", f"{mem_ours['rss_per_entry']:.1f}",
                         f"{mem_redis['rss_per_entry']:.1f}", f"{benchlib.ratio(mem_ours['rss_per_entry'], mem_redis['rss_per_entry']):.2f}"))
            rows.append((f"memory {mem_ours['entries']:,} entries", "vs Redis used_memory bytes/entry", f"{mem_ours['rss_per_entry']:.1f}",
                         f"{mem_redis['used_per_entry']:.1f}", f"{benchlib.ratio(mem_ours['rss_per_entry'], mem_redis['used_per_entry']):.2f}"))
            rows.append((f"memory {mem_ours['entries']:,} entries", "RSS after, MiB", f"{mem_ours['rss_mb']:.0f}", f"{mem_redis['rss_mb']:.0f}",
                         f"{benchlib.ratio(mem_ours['rss_mb'], mem_redis['rss_mb']):.2f}"))

    mode = "ours appendfsync always, Redis appendonly yes + appendfsync always" if args.durable else "ours appendfsync no, Redis without persistence"
    benchlib.print_table(
        f"Streams, ours vs Redis ({mode}; median of {args.rounds} rounds, {args.clients} clients)",
        ["case", "figure", "ours", "redis", "ours/redis"], rows)


if __name__ == "__main__":
    main()
