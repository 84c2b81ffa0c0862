"""redis-py (python3-redis 4.3.4) against a server: a stream order pipeline and transactions.

    streams_py_orders.py PORT

A producer XADDs orders; two workers join group "workers" (xgroup_create with mkstream, the second
gets BUSYGROUP), read with xreadgroup(block=1000) and xack. Worker b "crashes" after reading a
batch, leaving it pending; when the producer is done, worker a claims what is left with xautoclaim
and processes it. Prints one JSON object: who processed what, duplicates, what is still pending,
and the results of redis-py pipeline() transactions (MULTI/EXEC) and WATCH.
"""
import json
import sys
import threading
import time

import redis

PORT = int(sys.argv[1])
ORDERS = 300
STREAM = "orders"
GROUP = "workers"


def client():
    return redis.Redis(host="127.0.0.1", port=PORT, decode_responses=True, socket_timeout=20)


def join_group(r):
    try:
        r.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
        return "created"
    except redis.ResponseError as e:
        return str(e)


def main():
    setup = client()
    setup.flushall()
    result = {"errors": []}
    processed = {"a": [], "b": [], "a-claimed": []}
    lock = threading.Lock()
    producer_done = threading.Event()
    b_crashed = threading.Event()
    b_about_to_crash = threading.Event()

    result["join_a"] = join_group(client())
    result["join_b"] = join_group(client())

    def producer():
        r = client()
        for i in range(ORDERS):
            r.xadd(STREAM, {"order": str(i), "amount": str(i * 3 % 97), "sent": str(time.time())})
            if i % 50 == 0:
                time.sleep(0.01)
        producer_done.set()

    def worker(name, crash_after_batches):
        r = client()
        batches = 0
        idle_rounds = 0
        while True:
            if crash_after_batches is None and b_about_to_crash.is_set() and not b_crashed.is_set():
                # Let the crashing worker take a batch of several entries.
                b_crashed.wait(timeout=10)
            if crash_after_batches is not None and batches == crash_after_batches:
                b_about_to_crash.set()
                time.sleep(0.3)
            reply = r.xreadgroup(GROUP, name, {STREAM: ">"}, count=10, block=1000)
            if not reply:
                if crash_after_batches is not None and batches >= crash_after_batches:
                    b_crashed.set()
                    return
                idle_rounds += 1
                if producer_done.is_set() and idle_rounds >= 2:
                    return
                continue
            idle_rounds = 0
            entries = reply[0][1]
            batches += 1
            if crash_after_batches is not None and batches > crash_after_batches:
                # Crash: this batch was delivered but is never processed nor acknowledged.
                with lock:
                    result["b_lost_batch"] = len(entries)
                b_crashed.set()
                r.close()
                return
            for entry_id, fields in entries:
                with lock:
                    processed[name].append(fields["order"])
                r.xack(STREAM, GROUP, entry_id)

    threads = [threading.Thread(target=producer), threading.Thread(target=worker, args=("a", None)),
               threading.Thread(target=worker, args=("b", 3))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    r = client()
    result["pending_before_claim"] = r.xpending(STREAM, GROUP)["pending"]
    result["pending_of_b"] = len(r.xpending_range(STREAM, GROUP, "-", "+", 1000, consumername="b"))
    time.sleep(0.2)
    cursor = "0-0"
    rounds = 0
    while True:
        reply = r.xautoclaim(STREAM, GROUP, "a", min_idle_time=100, start_id=cursor, count=1)
        cursor, claimed = reply[0], reply[1]
        for entry_id, fields in claimed:
            processed["a-claimed"].append(fields["order"])
            r.xack(STREAM, GROUP, entry_id)
        rounds += 1
        if cursor == "0-0" or rounds > 1000:
            break
    result["claim_rounds_ok"] = rounds > 1
    all_orders = processed["a"] + processed["b"] + processed["a-claimed"]
    result["processed"] = len(all_orders)
    result["distinct"] = len(set(all_orders))
    result["exactly_once"] = sorted(all_orders, key=int) == [str(i) for i in range(ORDERS)]
    result["b_processed_some"] = len(processed["b"]) > 0
    result["claimed"] = len(processed["a-claimed"])
    result["pending_after"] = r.xpending(STREAM, GROUP)["pending"]
    groups = r.xinfo_groups(STREAM)
    result["group"] = {k: groups[0][k] for k in ("name", "pending", "last-delivered-id") if k in groups[0]}
    result["group"]["last-delivered-is-last"] = groups[0]["last-delivered-id"] == r.xinfo_stream(STREAM)["last-generated-id"]
    del result["group"]["last-delivered-id"]
    consumers = sorted((c["name"], c["pending"]) for c in r.xinfo_consumers(STREAM, GROUP))
    result["consumers"] = consumers

    # Transactions: pipeline() is MULTI ... EXEC by default.
    r.delete("tx")
    p = r.pipeline()
    p.xadd("tx", {"a": "1"}, id="1-1")
    p.xadd("tx", {"b": "2"}, id="1-2")
    p.xlen("tx")
    p.xrange("tx")
    result["pipeline"] = p.execute()
    p = r.pipeline()
    p.xadd("tx", {"a": "1"}, id="1-1")
    p.xlen("tx")
    result["pipeline_runtime_error"] = [repr(x) if isinstance(x, Exception) else x for x in p.execute(raise_on_error=False)]
    try:
        p = r.pipeline()
        p.xadd("tx", {"a": "1"}, id="1-9")
        p.execute_command("XLEN")
        p.execute()
        result["pipeline_queue_error"] = "no error"
    except redis.ResponseError as e:
        result["pipeline_queue_error"] = str(e)
    result["after_queue_error"] = r.xlen("tx")

    with r.pipeline() as p:
        p.watch("tx")
        before = p.xlen("tx")
        p.multi()
        p.xadd("tx", {"c": "3"}, id="2-1")
        result["watch_unchanged"] = [before, p.execute()]
    other = client()
    with r.pipeline() as p:
        p.watch("tx")
        other.xadd("tx", {"d": "4"}, id="3-1")
        p.multi()
        p.xadd("tx", {"e": "5"}, id="4-1")
        try:
            p.execute()
            result["watch_changed"] = "executed"
        except redis.WatchError as e:
            result["watch_changed"] = "WatchError: " + str(e)
    result["tx_final"] = r.xrange("tx")
    non_tx = r.pipeline(transaction=False)
    for i in range(50):
        non_tx.xadd("plain", {"i": str(i)})
    result["plain_pipeline"] = len(non_tx.execute())
    print(json.dumps(result, sort_keys=True))


main()
