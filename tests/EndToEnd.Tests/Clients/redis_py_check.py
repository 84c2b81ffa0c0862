"""Drives a server with redis-py (Debian's python3-redis). Run by tests/EndToEnd.Tests with
/usr/bin/python3: `redis_py_check.py <port>`. Prints one JSON object of results; values that
differ between servers (ids, addresses, times) are reduced to their type."""
import inspect
import json
import sys

import redis


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def main():
    port = int(sys.argv[1])
    result = {"redis_py_version": redis.__version__}
    r = redis.Redis(host="127.0.0.1", port=port, socket_timeout=10)
    result["ping"] = r.ping()
    result["echo"] = r.echo("h\u00e9llo \r\n world").decode("utf-8")
    result["echo_binary"] = r.echo(b"\x00\xff\r\n").hex()
    result["client_setname"] = r.client_setname("redis-py-check")
    result["client_getname"] = text(r.client_getname())
    client_id = r.client_id()
    result["client_id_type"] = type(client_id).__name__
    mine = [c for c in r.client_list() if int(c["id"]) == client_id]
    result["client_list_mine"] = {k: mine[0][k] for k in ("name", "db", "cmd", "resp", "flags")} if mine else None
    info = r.info()
    result["info_has"] = {k: k in info for k in ("redis_version", "redis_mode", "connected_clients", "used_memory", "loading", "role")}
    result["info_server_role"] = r.info("replication").get("role")
    result["config_get"] = r.config_get("maxclients")
    result["config_set"] = r.config_set("timeout", 0)
    result["config_get_after"] = r.config_get("timeout")
    result["select"] = r.select(1) if hasattr(r, "select") else r.execute_command("SELECT", 1)
    result["client_list_db"] = [c["db"] for c in r.client_list() if int(c["id"]) == client_id]
    # redis-py 4.3.4 speaks RESP2 only: it cannot parse the map HELLO 3 answers with, so the
    # outcome (an InvalidResponse naming the map's header) is recorded, on a connection of its own.
    hello_client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=10)
    try:
        hello = hello_client.execute_command("HELLO", 3)
        if isinstance(hello, dict):
            hello = {text(k): v for k, v in hello.items()}
            result["hello3"] = {k: (type(v).__name__ if k == "id" else text(v)) for k, v in hello.items()}
        else:
            result["hello3"] = [type(x).__name__ for x in hello]
    except redis.exceptions.InvalidResponse as e:
        result["hello3"] = "InvalidResponse: " + str(e)
    hello_client.close()
    hello2 = r.execute_command("HELLO", 2)
    result["hello2_keys"] = [text(k) for k in hello2[0::2]]
    result["hello2_proto"] = hello2[5]
    try:
        r.execute_command("NOSUCH", "x")
        result["unknown"] = "no error"
    except redis.ResponseError as e:
        result["unknown"] = str(e)

    r2 = redis.Redis(host="127.0.0.1", port=port, socket_timeout=10)
    pipe = r2.pipeline(transaction=False)
    for _ in range(100):
        pipe.ping()
    replies = pipe.execute()
    result["pipeline"] = {"count": len(replies), "all_true": all(x is True for x in replies)}

    # MONITOR: redis-py parses each line of the feed (time, database, client, quoted arguments).
    with r2.monitor() as monitor:
        watched = redis.Redis(host="127.0.0.1", port=port, db=3, socket_timeout=10)
        watched.echo('say "hi"')
        seen = [monitor.next_command() for _ in range(2)]
        watched.close()
    result["monitor"] = [{"db": c["db"], "command": c["command"], "client_type": c["client_type"],
                          "client_address": c["client_address"], "time": type(c["time"]).__name__} for c in seen]

    supports_protocol = "protocol" in inspect.signature(redis.Redis.__init__).parameters
    result["protocol3_supported"] = supports_protocol
    if supports_protocol:
        r3 = redis.Redis(host="127.0.0.1", port=port, protocol=3, socket_timeout=10)
        result["protocol3"] = {"ping": r3.ping(), "getname": r3.client_getname(), "echo": r3.echo("x").decode()}
    print(json.dumps(result, sort_keys=True))


main()
