#!/usr/bin/python3
"""Memory per subscribed connection: ours beside Debian's redis-server.

For each server (a fresh process per scenario), opens 10,000 connections and, by scenario,
leaves them idle, has each SUBSCRIBE to one shared channel, or has each SUBSCRIBE to a channel of
its own; then reads the server's RSS (VmRSS in /proc/<pid>/status) before and after, and prints
the difference per connection. Before the baseline, 1,000 connections subscribe and leave, so
that what a server allocates once (code, pools, tables) is not counted per connection.
For Redis also INFO's used_memory; for ours INFO's used_memory (the managed heap), gc_heap_size
and gc_committed, which split our bytes into managed heap and the rest (native: stacks,
sockets, the runtime).

Each scenario runs --rounds times, each time on fresh servers, and the table gives each
figure's median: either server's RSS per connection moves by a quarter between runs (where the
allocator or the GC happened to be).

Raises its own open-file limit (the servers inherit it) and starts both servers with
maxclients 20000.

    bench/pubsub-memory.py [--connections 10000] [--rounds 3]
"""
import argparse
import resource
import statistics
import signal
import socket
import sys
import time

import benchlib

SCENARIOS = ["idle", "one channel", "own channel"]

# Long enough for Redis's clientsCron to shrink every idle client's query buffer (it does so
# once a client has been idle 2 s), so both servers are measured at rest.
SETTLE_SECONDS = 5


def rss_bytes(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def command(*args):
    out = b"*%d\r\n" % len(args)
    for arg in args:
        arg = arg.encode() if isinstance(arg, str) else arg
        out += b"$%d\r\n%s\r\n" % (len(arg), arg)
    return out


def info(port, section):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(command("INFO", section))
        data = b""
        while True:
            data += s.recv(65536)
            header, _, rest = data.partition(b"\r\n")
            if header.startswith(b"$") and len(rest) >= int(header[1:]) + 2:
                break
        fields = {}
        for line in rest.decode().split("\r\n"):
            if ":" in line and not line.startswith("#"):
                key, value = line.split(":", 1)
                fields[key] = value
        return fields


def open_connections(port, count, scenario):
    """Opens `count` connections; by scenario each subscribes; returns them once every
    confirmation has arrived (idle ones: once each answered PING)."""
    sockets = []
    for i in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        if scenario == "idle":
            s.sendall(b"PING\r\n")
        elif scenario == "one channel":
            s.sendall(command("SUBSCRIBE", "memory-channel"))
        else:
            s.sendall(command("SUBSCRIBE", f"memory-channel-{i}"))
        sockets.append(s)
    for s in sockets:
        s.settimeout(30)
        data = b""
        while not data.endswith(b"\r\n") or (scenario != "idle" and data.count(b"\r\n") < 6):
            chunk = s.recv(4096)
            if not chunk:
                raise RuntimeError("a connection was closed by the server: " + repr(data))
            data += chunk
    return sockets


def close_all(sockets):
    for s in sockets:
        s.close()


def measure(server, scenario, connections):
    """The server's memory before and after `connections` connections of the scenario."""
    # Warm-up: what is allocated once (code, pools, channel tables) is not per connection.
    close_all(open_connections(server.port, 1000, scenario))
    time.sleep(SETTLE_SECONDS)
    before_rss = rss_bytes(server.process.pid)
    before_info = info(server.port, "memory")
    sockets = open_connections(server.port, connections, scenario)
    time.sleep(SETTLE_SECONDS)
    after_rss = rss_bytes(server.process.pid)
    after_info = info(server.port, "memory")
    clients = info(server.port, "clients")["connected_clients"]
    close_all(sockets)
    result = {"rss": (after_rss - before_rss) / connections, "clients": clients,
              "rss_before": before_rss, "rss_after": after_rss}
    for key in ("used_memory", "gc_heap_size", "gc_committed"):
        if key in after_info:
            result[key] = (int(after_info[key]) - int(before_info[key])) / connections
    return result


def main():
    # A SIGTERM ends the run through the with blocks, so no server is left running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = args.connections * 2 + 2000
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(wanted, soft)) if hard != resource.RLIM_INFINITY else wanted, hard))

    runs = {}
    for round_number in range(1, args.rounds + 1):
        for scenario in SCENARIOS:
            for make in (lambda: benchlib.redis(["--maxclients", "20000"]), lambda: benchlib.platform(["--maxclients", "20000"])):
                with make() as server:
                    r = measure(server, scenario, args.connections)
                    runs.setdefault((scenario, server.name), []).append(r)
                    print(f"round {round_number} {scenario:>12} {server.name:>8}: {r['rss']:,.0f} B RSS per connection "
                          f"(RSS {r['rss_before'] / 2**20:.1f} -> {r['rss_after'] / 2**20:.1f} MiB, {r['clients']} clients)"
                          + "".join(f", {k} {r[k]:,.0f} B" for k in ("used_memory", "gc_heap_size", "gc_committed") if k in r),
                          flush=True)
    results = {key: {field: statistics.median(r[field] for r in rs) for field in rs[0] if isinstance(rs[0][field], (int, float))}
               for key, rs in runs.items()}

    rows = []
    for scenario in SCENARIOS:
        theirs, ours = results[(scenario, "redis")], results[(scenario, "platform")]
        rows.append([
            scenario,
            f"{theirs['rss']:,.0f}", f"{theirs.get('used_memory', float('nan')):,.0f}",
            f"{ours['rss']:,.0f}", f"{ours.get('used_memory', float('nan')):,.0f}",
            f"{ours.get('gc_committed', float('nan')):,.0f}",
            f"{ours['rss'] - ours.get('gc_committed', 0):,.0f}",
            f"{benchlib.ratio(ours['rss'], theirs['rss']):.2f}",
        ])
    benchlib.print_table(
        f"Bytes per connection, {args.connections:,} connections, median of {args.rounds} rounds (ratio < 1: ours smaller)",
        ["connections", "redis RSS", "redis used_memory", "ours RSS", "ours managed heap", "ours gc committed",
         "ours RSS - committed", "RSS ratio"],
        rows)


if __name__ == "__main__":
    main()
