"""Shared pieces of the benchmarks: start our server and Debian's redis-server side by side on
free loopback ports, measure a process's CPU time, and print ours beside Redis's as a ratio."""
import os
import pathlib
import random
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    # Below the ephemeral range, so no client's outgoing connection can hold it.
    while True:
        port = random.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue


def wait_for_ping(port, process, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not answer PING")


class Server:
    """A server process on a free port; stopped on exit from the with block."""

    def __init__(self, name, argv_for_port, env=None):
        self.name = name
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix=f"bench-{name}-")
        self.log = open(os.path.join(self.dir, "server.log"), "w")
        self.process = subprocess.Popen(
            argv_for_port(self.port, self.dir), stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=self.dir)
        wait_for_ping(self.port, self.process)

    def cpu_seconds(self):
        fields = pathlib.Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.kill()
        self.process.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def redis(extra=()):
    return Server("redis", lambda port, d: [
        "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", d, *extra])


def platform(extra=(), configuration="Release"):
    dll = ROOT / "src/Api/bin" / configuration / "net10.0/Platform.Api.dll"
    if not dll.exists():
        subprocess.run(["dotnet", "build", str(ROOT / "src/Api"), "-c", configuration, "-v", "q", "-nologo"], check=True)
    return Server("platform", lambda port, d: [
        "dotnet", str(dll), "--port", str(port), "--urls", f"http://127.0.0.1:{free_port()}", "--dir", d,
        "--Logging:LogLevel:Default=Warning", *extra])


def ratio(ours, theirs):
    return ours / theirs if theirs else float("nan")


def median(values):
    return statistics.median(values) if values else float("nan")


def print_table(title, headers, rows):
    print(f"\n{title}")
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(str(h).rjust(w) for h, w in zip(headers, widths)))
    for row in rows:
        print("  ".join(str(c).rjust(w) for c, w in zip(row, widths)))
