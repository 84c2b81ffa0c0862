#!/usr/bin/python3
"""SSE fan-out: the cost of delivering Pub/Sub over HTTP, beside the same run over RESP.

bench/SseFanOut (built in Release here) publishes 64-byte messages over RESP as fast as the
server answers (16 PUBLISH per batch) to one channel with N = 10, 100 and 1,000 subscribers, who
receive them over server-sent events (GET /channels/subscribe) from ours, or over RESP
(SUBSCRIBE) from ours and from Debian's redis-server, all started side by side and run in
rotating order for several rounds. Prints, for each N: delivered messages per second and
publish-to-receive latency p99 of each, the median of the per-round ratios SSE / RESP (ours),
and the generator's own CPU.

The machine has 2 cores: the generator and the server share them. Before each run the script
waits (up to --quiet-timeout s) for the machine to be quiet and reports the busiest background
it saw: figures from a busy machine are noise.

    bench/sse-fanout.py [--rounds 3] [--seconds 5] [--warmup 2] [--subscribers 10,100,1000]
"""
import argparse
import os
import signal
import subprocess
import sys

import benchlib

GENERATOR = benchlib.ROOT / "bench/SseFanOut"
GENERATOR_DLL = GENERATOR / "bin/Release/net10.0/Platform.SseFanOut.dll"
TARGETS = ["ours SSE", "ours RESP", "redis RESP"]


def build():
    subprocess.run(["dotnet", "build", str(GENERATOR), "-c", "Release", "-v", "q", "-nologo"], check=True,
                   stdout=subprocess.DEVNULL)


def run(target, server, subscribers, args):
    mode = "sse" if target.endswith("SSE") else "resp"
    command = ["dotnet", str(GENERATOR_DLL), "--mode", mode, "--resp-port", str(server.port),
               "--http-port", str(getattr(server, "http_port", 0)), "--subscribers", str(subscribers),
               "--seconds", str(args.seconds), "--warmup", str(args.warmup), "--size", "64"]
    # The generator's socket completions run inline, as the server's do: its reads cost less.
    env = {**os.environ, "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    line = next((l for l in done.stdout.splitlines() if "delivered_per_sec=" in l), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"{' '.join(command)} failed with {done.returncode}: {done.stdout}{done.stderr}")
    result = dict(field.split("=", 1) for field in line.split())
    if int(result["receivers"]) != subscribers or int(result["closed"]) != 0:
        print(f"  warning: {target} N={subscribers}: receivers={result['receivers']} closed={result['closed']}")
    return result


def main():
    # A SIGTERM ends the run through the with blocks, so no server is left running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--subscribers", default="10,100,1000", help="comma-separated N")
    parser.add_argument("--quiet-timeout", type=float, default=10, help="seconds to wait for a quiet machine before each run")
    args = parser.parse_args()

    counts = [int(n) for n in args.subscribers.split(",")]
    build()
    results = {(n, t): [] for n in counts for t in TARGETS}
    busiest = 0.0
    with benchlib.redis() as redis, benchlib.platform_http() as ours:
        servers = {"ours SSE": ours, "ours RESP": ours, "redis RESP": redis}
        # Warm-up: the JIT compiles the hot paths of both of ours before anything is measured.
        for target in ("ours SSE", "ours RESP"):
            run(target, ours, 100, argparse.Namespace(**{**vars(args), "seconds": 2, "warmup": 1}))
        for round_number in range(args.rounds):
            order = TARGETS[round_number % 3:] + TARGETS[:round_number % 3]
            for n in counts:
                for target in order:
                    busiest = max(busiest, benchlib.wait_for_quiet(timeout=args.quiet_timeout))
                    r = run(target, servers[target], n, args)
                    results[(n, target)].append(r)
                    print(f"round {round_number + 1} N={n:>5} {target:>10}: {int(r['delivered_per_sec']):>9,}/s "
                          f"p50 {r['p50_us']} p99 {r['p99_us']} us, generator {r['cpu_pct']}%", flush=True)

    def med(runs, key):
        return benchlib.median([float(r[key]) for r in runs])

    rows = []
    for n in counts:
        sse, resp, red = (results[(n, t)] for t in TARGETS)
        ratios = [benchlib.ratio(float(s["delivered_per_sec"]), float(r["delivered_per_sec"])) for s, r in zip(sse, resp)]
        rows.append([
            f"{n:,}",
            f"{med(sse, 'delivered_per_sec'):,.0f}", f"{med(sse, 'p99_us') / 1000:.1f}",
            f"{med(resp, 'delivered_per_sec'):,.0f}", f"{med(resp, 'p99_us') / 1000:.1f}",
            f"{med(red, 'delivered_per_sec'):,.0f}", f"{med(red, 'p99_us') / 1000:.1f}",
            f"{benchlib.median(ratios):.2f}",
            "/".join(f"{med(results[(n, t)], 'cpu_pct'):.0f}" for t in TARGETS),
        ])
    benchlib.print_table(
        f"SSE fan-out, 64-byte messages, 1 RESP publisher, median of {args.rounds} rounds of {args.seconds} s",
        ["N", "ours SSE msg/s", "p99 ms", "ours RESP msg/s", "p99 ms", "redis RESP msg/s", "p99 ms", "SSE/RESP (ours)",
         "generator cpu % (s/r/redis)"],
        rows)
    print(f"\nbusiest background seen before a run: {busiest:.0%} of the machine")


if __name__ == "__main__":
    main()
