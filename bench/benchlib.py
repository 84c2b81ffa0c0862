"""Shared pieces of the benchmarks: start our server and Debian's redis-server side by side on
free loopback ports, measure a process's CPU time, and print ours beside Redis's as a ratio."""
import os
import pathlib
import random
import shlex
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


def machine_busy(seconds=0.5):
    """The fraction of all CPUs busy over the next `seconds` (from /proc/stat): with the servers
    idle, what other processes on the machine are using, which makes a run noisy."""
    def sample():
        fields = [int(x) for x in pathlib.Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields), idle
    total0, idle0 = sample()
    time.sleep(seconds)
    total1, idle1 = sample()
    return 1 - (idle1 - idle0) / max(1, total1 - total0)


def wait_for_quiet(threshold=0.15, timeout=30, seconds=0.5):
    """Waits (at most `timeout` s) until the machine is less than `threshold` busy; returns the
    last fraction seen, so a caller can report a run made on a busy machine."""
    deadline = time.time() + timeout
    busy = machine_busy(seconds)
    while busy > threshold and time.time() < deadline:
        busy = machine_busy(seconds)
    return busy


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


def postgres_bin():
    """The newest Debian PostgreSQL's bin directory (/usr/lib/postgresql/N/bin)."""
    root = pathlib.Path("/usr/lib/postgresql")
    bins = [d / "bin" for d in root.iterdir() if (d / "bin/pg_ctl").exists()] if root.is_dir() else []
    if not bins:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql")
    return max(bins, key=lambda b: int(b.parent.name) if b.parent.name.isdigit() else 0)


class Postgres:
    """A PostgreSQL instance of our own, as shared/PACKAGES.md starts one: initdb in a temporary
    directory, 127.0.0.1 on a free port, its socket in that directory, password logins over TCP;
    as root, run as the postgres user. Durable (fsync on) as a production server is. Stopped and
    removed on exit from the with block."""

    def __init__(self, role="platform", password="platform"):
        self.bin = postgres_bin()
        self.role, self.password = role, password
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="bench-pg-")
        self.data = os.path.join(self.dir, "pg")
        self.as_postgres = os.geteuid() == 0
        self.started = False
        try:
            if self.as_postgres:
                os.chmod(self.dir, 0o755)
                subprocess.run(["install", "-d", "-o", "postgres", "-m", "700", self.data], check=True)
            self._run("initdb", "-D", self.data, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
                      "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync")
            self._run("pg_ctl", "-D", self.data, "-l", os.path.join(self.data, "server.log"), "-w", "-t", "60",
                      "-o", f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data}", "start")
            self.started = True
            self.sql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
        except BaseException:
            self.__exit__()
            raise

    def sql(self, statement, database="postgres"):
        self._run("psql", "-h", self.data, "-p", str(self.port), "-U", "postgres", "-d", database, "-q",
                  "-v", "ON_ERROR_STOP=1", "-c", statement)

    def create_database(self, name):
        """Creates an empty database owned by the role; returns its Npgsql connection string."""
        self.sql(f"CREATE DATABASE {name} OWNER {self.role}")
        return (f"Host=127.0.0.1;Port={self.port};Username={self.role};Password={self.password};"
                f"Database={name}")

    def _run(self, program, *args):
        argv = [str(self.bin / program), *args]
        if self.as_postgres:
            argv = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(argv)]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{program} exited with {done.returncode}: {done.stdout}{done.stderr}")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.started:
            self.started = False
            self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def platform_http(extra=(), configuration="Release"):
    """Our server with its HTTP port known (`server.http_port`): a second --urls after the one
    platform() gives wins."""
    http_port = free_port()
    server = platform(("--urls", f"http://127.0.0.1:{http_port}", *extra), configuration)
    server.http_port = http_port
    return server
