"""Drives Pub/Sub with redis-py (Debian's python3-redis 4.3.4). Run by tests/EndToEnd.Tests
(PubSub/PubSubClientTests) with /usr/bin/python3: `pubsub_py_check.py <port>`. Prints one JSON
object of what the client saw; nothing in it differs between two correct servers."""
import json
import sys
import threading
import time

import redis


def text(value):
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, dict):
        return {text(k): text(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [text(v) for v in value]
    return value


def next_message(p, timeout=5.0):
    """The next message (subscribe confirmations included), or None after the timeout."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        message = p.get_message(timeout=max(0.0, deadline - time.time()))
        if message is not None:
            return text(message)
    return None


def main():
    port = int(sys.argv[1])
    result = {"redis_py_version": redis.__version__}
    r = redis.Redis(host="127.0.0.1", port=port, socket_timeout=10)

    # subscribe / psubscribe: confirmations through get_message
    p = r.pubsub()
    p.subscribe("news", "alerts")
    p.psubscribe("n*")
    result["confirmations"] = [next_message(p) for _ in range(3)]

    # PUBSUB introspection through redis-py's own commands
    result["numsub"] = text(r.pubsub_numsub("news", "alerts", "nothing"))
    result["numpat"] = r.pubsub_numpat()
    result["channels"] = sorted(text(r.pubsub_channels()))
    result["channels_pattern"] = sorted(text(r.pubsub_channels("ale*")))

    # publish returns receiver counts: channel + matching patterns
    result["publish_news"] = r.publish("news", "hello")
    result["publish_alerts"] = r.publish("alerts", "fire")
    result["publish_nobody"] = r.publish("zilch", "x")
    result["publish_pattern_only"] = r.publish("nope", "y")
    result["messages"] = [next_message(p) for _ in range(4)]
    result["no_more"] = next_message(p, timeout=0.3)

    # binary payloads come back as bytes
    result["publish_binary"] = r.publish("news", b"\x00\xff\r\n")
    binary = [p.get_message(timeout=5) for _ in range(2)]
    result["binary"] = [m["data"].hex() if m else None for m in binary]

    # PING while subscribed: redis-py parses Redis's ["pong", message] reply
    try:
        p.ping()
        result["ping"] = next_message(p)
    except Exception as e:  # noqa: BLE001 - what the client makes of the reply is the result
        result["ping"] = f"{type(e).__name__}: {e}"

    # listen() in a thread while another client publishes 100 numbered messages
    p2 = r.pubsub(ignore_subscribe_messages=True)
    p2.subscribe("digits")
    received = []

    def listen():
        for message in p2.listen():
            data = message["data"].decode()
            if data == "stop":
                break
            received.append(data)

    next_message(p2, timeout=1)  # the confirmation, ignored, lets the subscription settle
    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    publisher = redis.Redis(host="127.0.0.1", port=port, socket_timeout=10)
    counts = [publisher.publish("digits", str(i)) for i in range(100)]
    publisher.publish("digits", "stop")
    listener.join(10)
    result["listen"] = {"in_order": received == [str(i) for i in range(100)], "count": len(received),
                        "publish_counts": sorted(set(counts))}

    # handlers: run_in_thread
    handled = []
    done = threading.Event()

    def handler(message):
        handled.append(text(message["data"]))
        if len(handled) == 3:
            done.set()

    p3 = r.pubsub(ignore_subscribe_messages=True)
    p3.subscribe(**{"handled": handler})
    p3.psubscribe(**{"hand*": handler})
    worker = p3.run_in_thread(sleep_time=0.01, daemon=True)
    time.sleep(0.2)
    result["publish_handled"] = publisher.publish("handled", "h1")
    result["publish_hand_pattern"] = publisher.publish("handy", "h2")
    done.wait(5)
    worker.stop()
    worker.join(5)
    result["handled"] = sorted(handled)

    # unsubscribe / punsubscribe
    p.unsubscribe("news")
    p.punsubscribe()
    result["unsubscribed"] = [next_message(p) for _ in range(2)]
    result["publish_after_unsubscribe"] = r.publish("news", "gone")
    result["publish_alerts_still"] = r.publish("alerts", "still")
    result["still"] = next_message(p)
    p.unsubscribe()
    result["unsubscribe_all"] = next_message(p)
    p.close()
    p2.close()
    p3.close()

    # closing the pubsub connection removes its subscriptions
    deadline = time.time() + 5
    while time.time() < deadline and any(n for _, n in r.pubsub_numsub("alerts", "digits", "handled")):
        time.sleep(0.05)
    result["numsub_after_close"] = text(r.pubsub_numsub("alerts", "digits", "handled"))
    deadline = time.time() + 5
    while time.time() < deadline and r.pubsub_numpat() != 0:
        time.sleep(0.05)
    result["numpat_after_close"] = r.pubsub_numpat()
    print(json.dumps(result, sort_keys=True, separators=(",", ":")))


main()
