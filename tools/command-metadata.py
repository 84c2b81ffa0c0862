#!/usr/bin/python3
"""Adds commands' metadata (COMMAND INFO and COMMAND DOCS) to the server's command table data.

The RESP port answers COMMAND, COMMAND INFO and COMMAND DOCS byte for byte as Redis does, so the
metadata of each command we implement is read from the reference redis-server (Debian's 7.0) rather
than typed by hand:

    tools/command-metadata.py --port 6399 add ping echo client:id,setname,list

`name:sub1,sub2` keeps only the subcommands we implement. Entries for commands newer than the
reference (CLIENT SETINFO, 7.2) are written by hand in the same file and left alone here.
"""
import argparse
import json
import pathlib
import socket
import sys

DATA = pathlib.Path(__file__).resolve().parent.parent / "src/Api/Resp/Commands/Metadata/commands.json"


class Resp3:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""
        self.call("HELLO", "3")

    def call(self, *args):
        frame = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a.encode()) for a in args)
        self.sock.sendall(frame)
        return self.read()

    def line(self):
        while b"\r\n" not in self.buf:
            self.buf += self.sock.recv(1 << 16)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode()

    def exact(self, n):
        while len(self.buf) < n + 2:
            self.buf += self.sock.recv(1 << 16)
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data.decode()

    def read(self):
        line = self.line()
        kind, rest = line[0], line[1:]
        if kind in "+":
            return ("simple", rest)
        if kind == "-":
            raise RuntimeError(rest)
        if kind == ":":
            return int(rest)
        if kind == "$":
            return self.exact(int(rest))
        if kind == "_":
            return None
        if kind in "*~":
            items = [self.read() for _ in range(int(rest))]
            return ("set", items) if kind == "~" else items
        if kind == "%":
            pairs = [(self.read(), self.read()) for _ in range(int(rest))]
            return dict(pairs)
        raise RuntimeError("unexpected reply " + line)


def plain(value):
    """Drops the RESP3 type tags: the C# encoder knows each field's RESP type by its name."""
    if isinstance(value, tuple):
        return [plain(v) for v in value[1]] if value[0] == "set" else value[1]
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def info_entry(info, keep):
    name, arity, flags, first, last, step, acl, tips, specs, subs = info
    entry = {
        "arity": arity,
        "flags": plain(flags),
        "first_key": first,
        "last_key": last,
        "step": step,
        "acl_categories": plain(acl),
        "tips": plain(tips),
        "key_specs": plain(specs),
    }
    if isinstance(subs, tuple):
        subs = subs[1]
    subs = [s for s in subs if s[0].split("|")[1] in keep]
    if subs:
        entry["subcommands"] = {s[0]: info_entry(s, keep) for s in subs}
    return entry


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=6379)
    parser.add_argument("action", choices=["add"])
    parser.add_argument("commands", nargs="+")
    args = parser.parse_args()

    conn = Resp3(args.port)
    table = json.loads(DATA.read_text()) if DATA.exists() else {}
    for spec in args.commands:
        name, _, subs = spec.partition(":")
        keep = set(subs.split(",")) if subs else set()
        info = conn.call("COMMAND", "INFO", name)[0]
        if info is None:
            sys.exit(f"the reference server does not know {name}")
        docs = plain(conn.call("COMMAND", "DOCS", name))[name]
        if "subcommands" in docs:
            docs["subcommands"] = {k: v for k, v in docs["subcommands"].items() if k.split("|")[1] in keep}
            if not docs["subcommands"]:
                del docs["subcommands"]
        previous = table.get(name, {})
        entry = info_entry(info, keep)
        entry["docs"] = docs
        # Hand-written subcommands (newer than the reference) survive a refresh.
        for sub, value in previous.get("subcommands", {}).items():
            entry.setdefault("subcommands", {}).setdefault(sub, value)
        for sub, value in previous.get("docs", {}).get("subcommands", {}).items():
            entry["docs"].setdefault("subcommands", {}).setdefault(sub, value)
        table[name] = entry
    DATA.parent.mkdir(parents=True, exist_ok=True)
    DATA.write_text(json.dumps(dict(sorted(table.items())), indent=1) + "\n")


if __name__ == "__main__":
    main()
