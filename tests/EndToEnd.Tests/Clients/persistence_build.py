"""Builds streams with redis-py (Debian's python3-redis) for the restart tests: groups, pending
entries, acknowledgements, claims, deletions, trims, binary keys and values, an expiry. Run by
tests/EndToEnd.Tests with /usr/bin/python3: `persistence_build.py <port> <round>`; round 1 builds,
round 2 changes what round 1 built (after a restart). IDs are explicit, so the same run on
redis-server gives the same state. Prints "ok"."""
import sys

import redis


def build(r):
    for i in range(1, 301):
        fields = {"n": str(i), "payload": "x" * (i % 50)}
        if i % 7 == 0:
            fields["extra"] = b"\x00\xff\r\n"
        r.xadd("py:orders", fields, id=f"{1000 + i}-{i % 3}")
    r.xgroup_create("py:orders", "billing", id="0")
    r.xgroup_create("py:orders", "shipping", id="1100-0")
    r.xreadgroup("billing", "alice", {"py:orders": ">"}, count=40)
    r.xreadgroup("billing", "bob", {"py:orders": ">"}, count=25)
    r.xreadgroup("shipping", "carol", {"py:orders": ">"}, count=10, noack=True)
    r.xreadgroup("shipping", "dave", {"py:orders": ">"}, count=5)
    r.xack("py:orders", "billing", "1001-1", "1002-2", "1005-2", "1999-0")
    r.xclaim("py:orders", "billing", "bob", 0, ["1003-0", "1004-1"], retrycount=7)
    r.xautoclaim("py:orders", "billing", "erin", 0, start_id="1010-0", count=5)
    r.xreadgroup("billing", "alice", {"py:orders": "0"}, count=3)
    r.xdel("py:orders", "1020-2", "1021-0", "1050-2")
    r.xtrim("py:orders", maxlen=250, approximate=False)
    r.xgroup_createconsumer("py:orders", "billing", "idle-one")
    r.xgroup_delconsumer("py:orders", "shipping", "carol")
    r.xadd(b"py:\x00binary\xff", {b"\xfe": b"\x00"}, id="5-5")
    r.xgroup_create(b"py:\x00binary\xff", b"g\xff", id="0")
    r.xreadgroup(b"g\xff", b"c\x00", {b"py:\x00binary\xff": ">"})
    for i in range(1, 2001):
        r.xadd("py:big", {"i": str(i)}, id=f"1-{i}", maxlen=1500, approximate=True)
    r.xadd("py:expiring", {"a": "1"}, id="1-1")
    r.expireat("py:expiring", 4102444800)


def change(r):
    r.xadd("py:orders", {"after": "restart"}, id="5000-0")
    r.xack("py:orders", "billing", "1003-0")
    r.xreadgroup("billing", "alice", {"py:orders": ">"}, count=5)
    r.xclaim("py:orders", "billing", "alice", 0, ["1004-1"], justid=True)
    r.xgroup_destroy("py:orders", "shipping")
    r.delete("py:expiring")
    r.xtrim("py:big", minid="1-1800")


def main():
    port, round_ = int(sys.argv[1]), int(sys.argv[2])
    r = redis.Redis(host="127.0.0.1", port=port, socket_timeout=30)
    if round_ == 1:
        build(r)
    else:
        change(r)
    print("ok")


if __name__ == "__main__":
    main()
