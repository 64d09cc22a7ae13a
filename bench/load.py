"""Scale benchmark: many phones in live workshops, against the real server (issue #7).

    .venv/bin/python bench/load.py                      # app and bare ceiling, eventlet, SQLite
    .venv/bin/python bench/load.py --no-compare         # the app alone
    .venv/bin/python bench/load.py --quick              # 100 clients, for development
    .venv/bin/python bench/load.py --mode gevent --database postgres --json out.json
    .venv/bin/python bench/load.py --workers 2 --database postgres   # two workers against one
    .venv/bin/python bench/load.py --url http://127.0.0.1:5000 --email E --password P

Three scenarios, each against a freshly started server (so CPU time and peak
RSS are the scenario's own):

- ``join``: N participants join (``POST /api/join``) and connect over
  WebSocket; then a few probe contributions check that all N receive them.
- ``burst``: a room of R connected participants; C of them contribute, spread
  evenly over S seconds; fan-out latency from ``contribute`` sent to
  ``contribution`` received at every other client.
- ``snapshot``: a workshop filled with 5,000 contributions through the
  protocol, then late joiners time their snapshot (and the facilitator's
  ``GET /api/workshops/<id>``).

The clients are light: raw Engine.IO v4 / Socket.IO v5 text frames over the
``websockets`` library, asyncio, several worker processes. The send time
travels inside the contribution text (``@@<epoch>|<sender>|<n>@@``), so a
receiver finds it with a string search instead of decoding JSON; a
``contribution`` event carrying a list of contributions is read the same way.
The generator's own CPU time is reported next to the server's.

Only 127.0.0.1 is ever targeted, and every loop is bounded in count and time.
See bench/README.md and docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import multiprocessing
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EMAIL = "bench@example.org"
PASSWORD = "bench password 42"
POSTGRES_ADMIN = os.environ.get("POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
#: The rate limit on ``contribute`` is 20 per 10 s per participant: seeders stay under it.
SEED_INTERVAL = 0.55
CLK_TCK = os.sysconf("SC_CLK_TCK")

# -- figures ---------------------------------------------------------------------------------


def summarize(values: Iterable[float]) -> dict[str, float | int | None]:
    """Count, mean, p50, p95, p99 and max of ``values`` (nearest-rank percentiles)."""
    data = sorted(values)
    if not data:
        return {"count": 0, "mean": None, "p50": None, "p95": None, "p99": None, "max": None}

    def rank(p: float) -> float:
        return data[min(len(data) - 1, max(0, math.ceil(p / 100 * len(data)) - 1))]

    return {
        "count": len(data),
        "mean": round(statistics.fmean(data), 2),
        "p50": round(rank(50), 2),
        "p95": round(rank(95), 2),
        "p99": round(rank(99), 2),
        "max": round(data[-1], 2),
    }


def self_cpu() -> float:
    """CPU seconds (user + system) this process has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system, all threads) of process ``pid``."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_memory(pid: int) -> dict[str, float]:
    """Resident set now (VmRSS) and its peak (VmHWM) of process ``pid``, in MB."""
    found = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                found[line[:5]] = int(line.split()[1]) / 1024
    return {"rss_mb": found.get("VmRSS", 0.0), "hwm_mb": found.get("VmHWM", 0.0)}


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


def app_version() -> dict[str, Any]:
    """The commit measured, and whether the app's files differ from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "subject": git("log", "-1", "--format=%s"),
        "app_files_changed": bool(
            git("status", "--porcelain", "--", "workshop", "wsgi.py", "config.py")
        ),
    }


def loadavg() -> float:
    """The 1-minute load average."""
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def machine() -> dict[str, Any]:
    """What this machine is, for the report."""
    model = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        model = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    mem_kb = 0
    with contextlib.suppress(OSError), open("/proc/meminfo") as f:
        mem_kb = int(next(ln for ln in f if ln.startswith("MemTotal")).split()[1])
    versions = {}
    from importlib import metadata

    for name in ("python-socketio", "python-engineio", "flask-socketio", "eventlet", "gevent"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    with contextlib.suppress(metadata.PackageNotFoundError):
        versions["websockets (generator)"] = metadata.version("websockets")
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": sys.version.split()[0],
        "packages": versions,
    }


# -- HTTP, as an outside client (stdlib only) ----------------------------------------------------


def _split_response(raw: bytes) -> tuple[int, bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        out, rest = b"", body
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0] or b"0", 16)
            if size == 0:
                break
            out, rest = out + rest[:size], rest[size + 2 :]
        body = out
    return status, body


def _request_bytes(
    method: str, host: str, port: int, path: str, body: Any, token: str | None
) -> bytes:
    data = json.dumps(body).encode() if body is not None else b""
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "Connection: close",
        "Accept: application/json",
        f"Content-Length: {len(data)}",
    ]
    if body is not None:
        lines.append("Content-Type: application/json")
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


async def http_async(
    host: str, port: int, method: str, path: str, body: Any = None, token: str | None = None
) -> tuple[int, bytes]:
    """One HTTP/1.1 request on its own connection; (status, body)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 30)
    try:
        writer.write(_request_bytes(method, host, port, path, body, token))
        raw = await asyncio.wait_for(reader.read(), 60)
    finally:
        writer.close()
    return _split_response(raw)


def http_sync(
    host: str, port: int, method: str, path: str, body: Any = None, token: str | None = None
) -> tuple[int, bytes]:
    """The same request, blocking (the orchestrating process)."""
    with socket.create_connection((host, port), timeout=60) as sock:
        sock.sendall(_request_bytes(method, host, port, path, body, token))
        chunks = []
        while chunk := sock.recv(1 << 16):
            chunks.append(chunk)
    return _split_response(b"".join(chunks))


def api(host: str, port: int, method: str, path: str, body: Any = None, token: str | None = None):
    """A JSON API call that must succeed."""
    status, raw = http_sync(host, port, method, path, body, token)
    if status >= 300:
        raise RuntimeError(f"{method} {path}: {status} {raw[:300]!r}")
    return json.loads(raw)


# -- the load generator's worker processes ----------------------------------------------------


class Client:
    """One simulated phone: a WebSocket speaking Engine.IO v4 / Socket.IO v5 text frames."""

    def __init__(self, worker: Worker, idx: int, port: int, token: str) -> None:
        self.worker = worker
        self.idx = idx
        self.port = port
        self.token = token
        self.ws: Any = None
        self.task: asyncio.Task | None = None
        self.ready: asyncio.Future = asyncio.get_running_loop().create_future()
        self.snapshot_at = 0.0
        self.snapshot_bytes = 0
        self.snapshot_items = 0
        self.got_snapshot = False
        self.got_connect = False
        self.seen: set[int] = set()
        self.last_presence = ""
        self.closed = False

    async def open(self) -> float:
        """Open the socket and join the namespace; returns when the snapshot is in (send time)."""
        from websockets.asyncio.client import connect

        self.ws = await connect(
            f"ws://127.0.0.1:{self.port}/socket.io/?EIO=4&transport=websocket",
            compression=None,
            max_size=None,
            max_queue=None,
            ping_interval=None,
            open_timeout=60,
            close_timeout=2,
            user_agent_header=None,
        )
        opening = await asyncio.wait_for(self.ws.recv(), 30)
        if not opening.startswith("0"):
            raise RuntimeError(f"unexpected Engine.IO open packet {opening[:80]!r}")
        sent = time.time()
        await self.ws.send("40" + json.dumps({"token": self.token}))
        self.task = asyncio.create_task(self.read_loop())
        await asyncio.wait_for(self.ready, 120)
        return sent

    async def read_loop(self) -> None:
        """Read every frame; decode only what is measured."""
        worker = self.worker
        try:
            async for message in self.ws:
                if message == "2":  # Engine.IO ping; not counted as traffic (settle)
                    await self.ws.send("3")
                    continue
                now = time.time()
                worker.last_rx = now
                if message.startswith('42["contribution"'):
                    worker.on_contribution(self, message, now)
                elif message.startswith('42["presence"'):
                    worker.presence += 1
                    self.last_presence = message
                elif message.startswith("43"):
                    worker.on_ack(message, now)
                elif message.startswith('42["snapshot"'):
                    self.snapshot_at = now
                    self.snapshot_bytes = len(message)
                    self.snapshot_items = message.count("@@") // 2
                    self.got_snapshot = True
                    self._check_ready()
                elif message.startswith("40"):
                    self.got_connect = True
                    self._check_ready()
                elif message.startswith("44"):
                    if not self.ready.done():
                        self.ready.set_exception(RuntimeError(f"connect_error {message[:200]}"))
                elif message.startswith("41"):
                    worker.other["disconnect"] += 1
                else:
                    worker.other[message[: message.find(",")][:40]] += 1
        except Exception as error:  # a closed or broken socket ends the loop
            worker.other[f"closed: {type(error).__name__}"] += 1
        finally:
            self.closed = True
            if not self.ready.done():
                self.ready.set_exception(RuntimeError("socket closed before the snapshot"))

    def _check_ready(self) -> None:
        if self.got_snapshot and self.got_connect and not self.ready.done():
            self.ready.set_result(None)

    async def contribute(self, number: int, padding: str) -> asyncio.Future:
        """Send one story carrying its send time; the future resolves with the ack."""
        worker = self.worker
        ack_id = worker.next_ack
        worker.next_ack += 1
        sent = time.time()
        text = f"Story @@{sent:.6f}|{self.idx}|{number}@@ {padding}"
        payload = {"client_id": uuid.uuid4().hex, "kind": "story", "text": text}
        future = asyncio.get_running_loop().create_future()
        worker.pending[ack_id] = (sent, future)
        await self.ws.send(f"42{ack_id}" + json.dumps(["contribute", payload]))
        worker.sent += 1
        return future

    async def close(self) -> None:
        """Close the socket and stop reading."""
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(BaseException):
                await self.task


@dataclass
class Worker:
    """One generator process: many clients on one asyncio loop, driven by commands."""

    number: int
    clients: list[Client] = field(default_factory=list)
    last_rx: float = 0.0
    presence: int = 0
    received: int = 0
    duplicates: int = 0
    own: int = 0
    sent: int = 0
    latencies: list[float] = field(default_factory=list)
    acks: list[float] = field(default_factory=list)
    refusals: Counter = field(default_factory=Counter)
    other: Counter = field(default_factory=Counter)
    pending: dict[int, tuple[float, asyncio.Future]] = field(default_factory=dict)
    next_ack: int = 1

    def on_contribution(self, client: Client, message: str, now: float) -> None:
        """Count each contribution in the event (one object or a list) once, and time it."""
        position = 0
        while (start := message.find("@@", position)) >= 0:
            end = message.find("@@", start + 2)
            if end < 0:
                break
            position = end + 2
            sent, sender, number = message[start + 2 : end].split("|")
            key = int(sender) * 1_000_000 + int(number)
            if key in client.seen:
                self.duplicates += 1
                continue
            client.seen.add(key)
            self.received += 1
            if int(sender) == client.idx:
                self.own += 1
            else:
                self.latencies.append((now - float(sent)) * 1000)

    def on_ack(self, message: str, now: float) -> None:
        """Resolve the ack's future; keep its latency and any refusal code."""
        bracket = message.find("[")
        entry = self.pending.pop(int(message[2:bracket]), None)
        if entry is None:
            return
        sent, future = entry
        self.acks.append((now - sent) * 1000)
        ok = '"ok":true' in message or '"ok": true' in message
        if not ok:
            try:
                self.refusals[json.loads(message[bracket:])[0].get("error", "?")] += 1
            except (ValueError, IndexError, AttributeError):
                self.refusals["unreadable"] += 1
        if not future.done():
            future.set_result(ok)

    def reset(self) -> None:
        """Start a new measured phase."""
        self.received = self.duplicates = self.own = self.sent = self.presence = 0
        self.latencies, self.acks = [], []
        self.refusals, self.other = Counter(), Counter()
        for client in self.clients:
            client.seen.clear()

    # -- commands --

    async def join(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Join and connect the given participants, ``concurrency`` at a time."""
        gate = asyncio.Semaphore(spec["concurrency"])
        joins: list[float] = []
        connects: list[float] = []
        done: list[float] = []
        failures: Counter = Counter()
        ports = spec["ports"]

        async def one(idx: int) -> None:
            port = ports[idx % len(ports)]
            async with gate:
                try:
                    start = time.time()
                    status, raw = await http_async(
                        "127.0.0.1",
                        port,
                        "POST",
                        "/api/join",
                        {"code": spec["code"], "name": f"Bench {idx}", "organisation": "Bench"},
                    )
                    if status != 201:
                        failures[f"join {status}"] += 1
                        return
                    joined = time.time()
                    joins.append((joined - start) * 1000)
                    client = Client(self, idx, port, json.loads(raw)["token"])
                    self.clients.append(client)
                    sent = await client.open()
                    connects.append((client.snapshot_at - sent) * 1000)
                    done.append(client.snapshot_at)
                except Exception as error:
                    failures[f"{type(error).__name__}: {str(error)[:80]}"] += 1

        await asyncio.gather(*(one(idx) for idx in spec["indices"]))
        return {
            "joins_ms": joins,
            "connects_ms": connects,
            "done": done,
            "failures": dict(failures),
            "snapshot_bytes": [c.snapshot_bytes for c in self.clients if c.got_snapshot],
            "snapshot_items": [c.snapshot_items for c in self.clients if c.got_snapshot],
        }

    async def status(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Seconds since the last frame, and how many clients saw the expected presence."""
        expected = f'"online":{spec.get("online")},'
        return {
            "quiet": time.time() - self.last_rx if self.last_rx else 1e9,
            "presence_ok": sum(expected in c.last_presence for c in self.clients),
            "open": sum(not c.closed for c in self.clients),
            "presence_frames": self.presence,
        }

    async def burst(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Send the scheduled contributions, then wait until every client has them all."""
        self.reset()
        padding = spec["padding"]
        by_idx = {c.idx: c for c in self.clients}
        for idx, when, number in spec["schedule"]:
            delay = when - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                await by_idx[idx].contribute(number, padding)
            except Exception as error:  # a socket the server closed: counted, not fatal
                self.refusals[f"send failed: {type(error).__name__}"] += 1
        expected = spec["total"] * len(self.clients)
        deadline = time.time() + spec["grace"]
        while self.received < expected and time.time() < deadline:
            await asyncio.sleep(0.05)
        return self._phase_result(expected)

    async def seed(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Each seeder sends its share one after another, awaiting each ack, under the rate limit."""
        self.reset()
        padding = spec["padding"]
        by_idx = {c.idx: c for c in self.clients}
        deadline = time.time() + spec["timeout"]

        async def seeder(client: Client, count: int) -> None:
            for number in range(count):
                start = time.time()
                if start > deadline:
                    return
                try:
                    future = await client.contribute(number, padding)
                except Exception as error:  # a socket the server closed: counted, not fatal
                    self.refusals[f"send failed: {type(error).__name__}"] += 1
                    return
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(future, max(deadline - time.time(), 0.1))
                await asyncio.sleep(max(0.0, start + SEED_INTERVAL - time.time()))

        await asyncio.gather(*(seeder(by_idx[i], n) for i, n in spec["shares"]))
        expected = spec["total"] * len(self.clients)
        end = time.time() + spec["grace"]
        while self.received < expected and time.time() < end:
            await asyncio.sleep(0.05)
        return self._phase_result(expected)

    def _phase_result(self, expected: int) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "received": self.received,
            "expected": expected,
            "duplicates": self.duplicates,
            "own": self.own,
            "latencies": self.latencies,
            "acks": self.acks,
            "unacked": len(self.pending),
            "refusals": dict(self.refusals),
            "other": dict(self.other),
            "last_rx": self.last_rx,
        }

    async def close(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Close every client."""
        clients, self.clients = self.clients, []
        await asyncio.gather(*(c.close() for c in clients))
        self.pending.clear()
        return {"closed": len(clients), "other": dict(self.other)}


def _worker_main(number: int, conn: Any) -> None:
    """Entry point of a generator process: run commands from the pipe until ``exit``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the orchestrator stops us

    async def run() -> None:
        worker = Worker(number)
        loop = asyncio.get_running_loop()
        while True:
            name, spec = await loop.run_in_executor(None, conn.recv)
            if name == "exit":
                conn.send({"cpu": self_cpu()})
                return
            before = self_cpu()
            try:
                result = await getattr(worker, name)(spec)
            except Exception as error:
                result = {"error": f"{type(error).__name__}: {error}"}
            result["cpu"] = self_cpu() - before
            conn.send(result)

    asyncio.run(run())


class Generator:
    """The worker processes, and commands to all of them at once."""

    def __init__(self, procs: int) -> None:
        context = multiprocessing.get_context("fork")
        self.pipes = []
        self.processes = []
        for number in range(procs):
            parent, child = context.Pipe()
            process = context.Process(target=_worker_main, args=(number, child), daemon=True)
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)

    def all(self, name: str, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send one command to every worker (its own spec each), wait for every answer."""
        for pipe, spec in zip(self.pipes, specs, strict=True):
            pipe.send((name, spec))
        results = [pipe.recv() for pipe in self.pipes]
        for result in results:
            if "error" in result:
                raise RuntimeError(f"generator worker failed in {name}: {result['error']}")
        return results

    def same(self, name: str, spec: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Send the same command to every worker."""
        return self.all(name, [spec or {}] * len(self.pipes))

    def stop(self) -> None:
        """Stop the workers."""
        for pipe in self.pipes:
            with contextlib.suppress(Exception):
                pipe.send(("exit", None))
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()


# -- servers under test ---------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Database:
    """A temporary SQLite file or a fresh PostgreSQL database, dropped at the end."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind = kind
        self.drop_name: str | None = None
        if kind == "sqlite":
            self.url = f"sqlite:///{folder / 'bench.sqlite3'}"
        elif kind == "postgres":
            import psycopg

            name = f"pc_bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=5) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            self.drop_name = name
            base = POSTGRES_ADMIN.rsplit("/", 1)[0].replace(
                "postgresql://", "postgresql+psycopg://"
            )
            self.url = f"{base}/{name}"
        else:
            self.url = kind  # any SQLAlchemy URL, used as it is

    def drop(self) -> None:
        """Drop the PostgreSQL database this run created."""
        if self.drop_name:
            import psycopg

            with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=5) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.drop_name}" WITH (FORCE)')
            self.drop_name = None


class PrivateRedis:
    """A throw-away redis-server for the message queue.

    Redis pub/sub channels are global to a server, whatever the database
    number, and the app publishes on Flask-SocketIO's fixed channel: a private
    server keeps the benchmark's broadcasts away from anyone else's.
    """

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(folder)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"redis://127.0.0.1:{self.port}/0"
        deadline = time.time() + 10
        while time.time() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """Stop it."""
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)


@dataclass
class Target:
    """What is measured: the app (one or more workers) or the bare server, started here or not."""

    kind: str  # "app" or "bare"
    mode: str
    workers: int = 1
    database_url: str = ""
    message_queue: str = ""
    urls: list[str] = field(default_factory=list)  # given with --url: not started here
    server_pids: list[int] = field(default_factory=list)
    folder: Path = Path(".")
    processes: list[subprocess.Popen] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)
    email: str = EMAIL
    password: str = PASSWORD
    presence: str = "coalesce"  # the bare server's --presence

    @property
    def label(self) -> str:
        """Short name for tables."""
        if self.urls:
            return f"{self.kind} (url)"
        workers = f", {self.workers} workers" if self.workers > 1 else ""
        presence = (
            " (presence per connect)" if self.kind == "bare" and self.presence == "every" else ""
        )
        return f"{self.kind}{workers}{presence}"

    def _env(self, port: int) -> dict[str, str]:
        return {
            **os.environ,
            "SOCKETIO_ASYNC_MODE": self.mode,
            "DATABASE_URL": self.database_url,
            "SOCKETIO_MESSAGE_QUEUE": self.message_queue,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "FLASK_CONFIG": "development",
            "PYTHONUNBUFFERED": "1",
        }

    def prepare(self) -> None:
        """Migrate the database and create the facilitator (the app only, once per run)."""
        if self.urls or self.kind != "app":
            return
        env = self._env(0)
        flask = [sys.executable, "-m", "flask", "--app", "workshop"]
        subprocess.run(
            [*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True
        )
        # Not checked: targets sharing one database find the account already there.
        subprocess.run(
            [*flask, "facilitator", "create", self.email, "--password", self.password],
            env=env,
            cwd=ROOT,
            check=False,
            capture_output=True,
        )

    def start(self) -> None:
        """Start the server process(es) and wait for /healthz."""
        if self.urls:
            self.ports = [urllib.parse.urlsplit(u).port or 80 for u in self.urls]
            return
        self.ports, self.processes, self.logs = [], [], []
        for _ in range(self.workers):
            port = free_port()
            if self.kind == "app":
                command = [sys.executable, "wsgi.py"]
            else:
                command = [sys.executable, "bench/bare_server.py", "--mode", self.mode]
                command += ["--port", str(port), "--presence", self.presence]
            log = self.folder / f"{self.kind}-{port}.log"
            with log.open("w") as out:
                process = subprocess.Popen(
                    command, env=self._env(port), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
                )
            self.ports.append(port)
            self.processes.append(process)
            self.logs.append(log)
        for port, process, log in zip(self.ports, self.processes, self.logs, strict=True):
            deadline = time.time() + 60
            while True:
                if process.poll() is not None or time.time() > deadline:
                    self.stop()
                    raise RuntimeError(f"server did not start:\n{log.read_text()[-3000:]}")
                with contextlib.suppress(OSError, IndexError, ValueError):
                    if http_sync("127.0.0.1", port, "GET", "/healthz")[0] == 200:
                        break
                time.sleep(0.1)

    def stop(self) -> None:
        """Stop the server process(es) started here."""
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self.processes = []

    @property
    def pids(self) -> list[int]:
        """Processes whose CPU and memory are measured."""
        return [p.pid for p in self.processes] or self.server_pids

    def sample(self) -> dict[str, Any]:
        """CPU seconds and memory of the server processes, and the machine's ticks, now."""
        busy, total = machine_ticks()
        sample: dict[str, Any] = {"time": time.time(), "busy": busy, "total": total}
        if self.pids:
            memory = [proc_memory(pid) for pid in self.pids]
            sample["cpu"] = sum(proc_cpu(pid) for pid in self.pids)
            sample["rss_mb"] = sum(m["rss_mb"] for m in memory)
            sample["hwm_mb"] = sum(m["hwm_mb"] for m in memory)
        return sample


def _cost(before: dict[str, Any], after: dict[str, Any], gen_cpu: float) -> dict[str, Any]:
    """Server and generator CPU between two samples, and the machine's busy cores."""
    wall = after["time"] - before["time"]
    ticks = max(after["total"] - before["total"], 1)
    cores = os.cpu_count() or 1
    out: dict[str, Any] = {
        "wall_s": round(wall, 2),
        "generator_cpu_s": round(gen_cpu, 2),
        "generator_cores": round(gen_cpu / wall, 2) if wall else None,
        "machine_busy_cores": round((after["busy"] - before["busy"]) / ticks * cores, 2),
    }
    if "cpu" in after:
        cpu = after["cpu"] - before["cpu"]
        out["server_cpu_s"] = round(cpu, 2)
        out["server_cores"] = round(cpu / wall, 2) if wall else None
        if wall:
            # Everything else on the machine: PostgreSQL, Redis, and anyone else's work.
            others = out["machine_busy_cores"] - (cpu + gen_cpu) / wall
            out["other_processes_cores"] = round(max(others, 0.0), 2)
    return out


# -- scenarios --------------------------------------------------------------------------------


@dataclass
class Session:
    """A started target, the generator, and the facilitator's token."""

    target: Target
    generator: Generator
    procs: int
    token: str = ""

    @property
    def port(self) -> int:
        """The port for setup calls."""
        return self.target.ports[0]

    def login(self) -> None:
        """POST /api/auth/token."""
        body = {"email": self.target.email, "password": self.target.password}
        self.token = api("127.0.0.1", self.port, "POST", "/api/auth/token", body)["token"]

    def workshop(self, title: str) -> dict[str, Any]:
        """A new workshop, moved to Discover (stories)."""
        created = api(
            "127.0.0.1", self.port, "POST", "/api/workshops", {"title": title}, self.token
        )
        path = f"/api/workshops/{created['id']}/phase"
        api("127.0.0.1", self.port, "POST", path, {"phase": "discover"}, self.token)
        return created

    def join(self, code: str, count: int, concurrency: int, first: int = 0) -> dict[str, Any]:
        """Join and connect ``count`` participants spread over the generator's processes."""
        specs = [
            {
                "code": code,
                "ports": self.target.ports,
                "concurrency": max(1, concurrency // self.procs),
                "indices": list(range(first + p, first + count, self.procs)),
            }
            for p in range(self.procs)
        ]
        start = time.time()
        results = self.generator.all("join", specs)
        done = [t for r in results for t in r["done"]]
        failures: Counter = Counter()
        for r in results:
            failures.update(r["failures"])
        connected = len(done)
        seconds = (max(done) - start) if done else None
        return {
            "participants": count,
            "connected": connected,
            "seconds_to_all_connected": round(seconds, 2) if seconds else None,
            "participants_per_s": round(connected / seconds, 1) if seconds else None,
            "join_http_ms": summarize(t for r in results for t in r["joins_ms"]),
            "connect_to_snapshot_ms": summarize(t for r in results for t in r["connects_ms"]),
            "failures": dict(failures),
            "generator_cpu_s": sum(r["cpu"] for r in results),
            "snapshot_bytes": summarize(b for r in results for b in r["snapshot_bytes"]),
        }

    def settle(self, online: int | None, limit: float = 300.0) -> dict[str, Any]:
        """Wait until no frame but pings has arrived for 1.5 s (presence storms are over)."""
        start = time.time()
        while True:
            states = self.generator.same("status", {"online": online})
            if min(s["quiet"] for s in states) >= 1.5 or time.time() - start > limit:
                break
            time.sleep(0.5)
        return {
            "settle_s": round(time.time() - start, 2),
            "timed_out": time.time() - start > limit,
            "presence_ok": sum(s["presence_ok"] for s in states),
            "open": sum(s["open"] for s in states),
            "presence_frames": sum(s["presence_frames"] for s in states),
        }

    def burst(
        self, senders: list[int], seconds: float, text_bytes: int, grace: float
    ) -> dict[str, Any]:
        """Each sender contributes once, spread evenly over ``seconds``; every client must get all."""
        padding = "x" * max(0, text_bytes - 40)
        step = seconds / max(len(senders), 1)
        start = time.time() + 0.5
        schedules: list[list[tuple[int, float, int]]] = [[] for _ in range(self.procs)]
        for k, idx in enumerate(senders):
            schedules[idx % self.procs].append((idx, start + k * step, k))
        specs = [
            {"schedule": s, "padding": padding, "total": len(senders), "grace": seconds + grace}
            for s in schedules
        ]
        results = self.generator.all("burst", specs)
        return self._deliveries(results, start, len(senders))

    def seed(self, seeders: list[int], total: int, text_bytes: int, timeout: float) -> dict:
        """``total`` contributions from ``seeders``, each under the rate limit."""
        padding = "x" * max(0, text_bytes - 40)
        shares: list[list[tuple[int, int]]] = [[] for _ in range(self.procs)]
        for k, idx in enumerate(seeders):
            count = total // len(seeders) + (1 if k < total % len(seeders) else 0)
            shares[idx % self.procs].append((idx, count))
        spec = {"padding": padding, "total": total, "timeout": timeout, "grace": 30}
        start = time.time()
        results = self.generator.all("seed", [{**spec, "shares": s} for s in shares])
        return self._deliveries(results, start, total)

    @staticmethod
    def _deliveries(results: list[dict], start: float, total: int) -> dict[str, Any]:
        received = sum(r["received"] for r in results)
        sent = sum(r["sent"] for r in results)
        # Every client expects each contribution actually sent (a seeding stopped by its
        # deadline sends fewer than planned: that is not a lost delivery).
        clients = sum(r["expected"] for r in results) // max(total, 1)
        expected = sent * clients
        refusals: Counter = Counter()
        other: Counter = Counter()
        for r in results:
            refusals.update(r["refusals"])
            other.update(r["other"])
        last = max((r["last_rx"] for r in results), default=start)
        span = max(last - start, 1e-6)
        return {
            "contributions": total,
            "sent": sum(r["sent"] for r in results),
            "acked": sum(len(r["acks"]) for r in results),
            "received": received,
            "expected": expected,
            "delivery_pct": round(100 * received / expected, 3) if expected else None,
            "duplicates": sum(r["duplicates"] for r in results),
            "deliveries_per_s": round(received / span),
            "contributions_per_s": round(total / span, 1),
            "fanout_ms": summarize(v for r in results for v in r["latencies"]),
            "ack_ms": summarize(v for r in results for v in r["acks"]),
            "refusals": dict(refusals),
            "other_events": dict(other),
            "generator_cpu_s": sum(r["cpu"] for r in results),
        }

    def close(self) -> dict[str, Any]:
        """Disconnect every client."""
        results = self.generator.same("close")
        return {"closed": sum(r["closed"] for r in results)}


def scenario_join(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    """N participants join and connect; then probe contributions reach all of them."""
    target = session.target
    workshop = session.workshop("Join benchmark")
    idle = target.sample()
    main_cpu = self_cpu()
    began = time.time()
    joined = session.join(workshop["code"], args.participants, args.concurrency)
    after = target.sample()
    say(f"  {joined['connected']} connected in {joined['seconds_to_all_connected']} s")
    result: dict[str, Any] = {
        **joined,
        "cost": _cost(idle, after, joined["generator_cpu_s"] + self_cpu() - main_cpu),
    }
    result["settle"] = session.settle(joined["connected"])
    # The last frame (a queued presence) arrived 1.5 s before the settle ended.
    result["seconds_to_settled"] = round(time.time() - began - 1.5, 1)
    steady = target.sample()
    probes = list(range(0, joined["connected"], max(1, joined["connected"] // args.probes)))
    probe_before = target.sample()
    result["probe"] = session.burst(probes[: args.probes], args.probes * 0.5, args.text_bytes, 30)
    result["probe"]["cost"] = _cost(
        probe_before, target.sample(), result["probe"]["generator_cpu_s"]
    )
    if "rss_mb" in idle:
        connected = max(joined["connected"], 1)
        result["memory"] = {
            "idle_rss_mb": round(idle["rss_mb"], 1),
            "connected_rss_mb": round(steady["rss_mb"], 1),
            "peak_rss_mb": round(target.sample()["hwm_mb"], 1),
            "kb_per_participant": round((steady["rss_mb"] - idle["rss_mb"]) * 1024 / connected, 1),
        }
        result["cost"]["server_cpu_ms_per_participant"] = round(
            result["cost"]["server_cpu_s"] * 1000 / connected, 2
        )
    session.close()
    return result


def burst_prepare(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    """Fill the burst room and let its presence storm drain."""
    target = session.target
    workshop = session.workshop("Burst benchmark")
    idle = target.sample()
    began = time.time()
    joined = session.join(workshop["code"], args.room, args.concurrency)
    say(f"  room: {joined['connected']} connected in {joined['seconds_to_all_connected']} s")
    state: dict[str, Any] = {"room": joined, "settle": session.settle(joined["connected"])}
    state["room"]["seconds_to_settled"] = round(time.time() - began - 1.5, 1)
    step = max(1, joined["connected"] // max(args.contributors, 1))
    state["senders"] = list(range(0, joined["connected"], step))[: args.contributors]
    state["idle"] = idle
    state["rounds"] = []
    return state


def burst_round(session: Session, state: dict[str, Any], args: argparse.Namespace) -> None:
    """One burst in the prepared room: the senders contribute, every client must get all."""
    target = session.target
    say(f"  {target.label}: burst of {args.contributors} over {args.burst_seconds} s")
    before = target.sample()
    main_cpu = self_cpu()
    burst = session.burst(state["senders"], args.burst_seconds, args.text_bytes, args.grace)
    after = target.sample()
    burst["cost"] = _cost(before, after, burst["generator_cpu_s"] + self_cpu() - main_cpu)
    if "cpu" in after and burst["received"]:
        burst["cost"]["server_cpu_us_per_delivery"] = round(
            burst["cost"]["server_cpu_s"] * 1e6 / burst["received"], 1
        )
    state["rounds"].append(burst)
    state["last_sample"] = after
    say(f"  delivery {burst['delivery_pct']} %, fan-out p95 {burst['fanout_ms']['p95']} ms")


def burst_finish(session: Session, state: dict[str, Any]) -> dict[str, Any]:
    """The round with the median p95 stands for the target; every round is kept."""
    rounds = state["rounds"]
    ranked = sorted(rounds, key=lambda r: r["fanout_ms"]["p95"] or float("inf"))
    result: dict[str, Any] = {
        "room": state["room"],
        "settle": state["settle"],
        "burst": ranked[(len(ranked) - 1) // 2],
        "rounds": [
            {
                "delivery_pct": r["delivery_pct"],
                "fanout_ms": r["fanout_ms"],
                "ack_ms": r["ack_ms"],
                "cost": r["cost"],
            }
            for r in rounds
        ],
        "rounds_p95_ms": [r["fanout_ms"]["p95"] for r in rounds],
        "all_rounds_delivery_pct": round(
            100 * sum(r["received"] for r in rounds) / max(sum(r["expected"] for r in rounds), 1),
            3,
        ),
    }
    idle, after = state["idle"], state.get("last_sample", {})
    if "rss_mb" in idle and "hwm_mb" in after:
        result["memory"] = {
            "idle_rss_mb": round(idle["rss_mb"], 1),
            "peak_rss_mb": round(after["hwm_mb"], 1),
        }
    session.close()
    return result


def scenario_burst(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    """A full room; C participants contribute within S seconds, ``--rounds`` times."""
    state = burst_prepare(session, args)
    for _ in range(args.rounds):
        burst_round(session, state, args)
    return burst_finish(session, state)


def burst_interleaved(plan: list[Target], args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Every target's room at once; rounds take turns (A B A B ...), so drifting load hits all."""
    sessions: list[Session] = []
    states: list[dict[str, Any]] = []
    out: dict[str, dict[str, Any]] = {}
    try:
        for target in plan:
            say(f"burst: {target.label} (rounds interleaved)")
            target.start()
            session = Session(target, Generator(args.procs), args.procs)
            sessions.append(session)
            session.login()
            states.append(burst_prepare(session, args))
        for _ in range(args.rounds):
            for session, state in zip(sessions, states, strict=True):
                burst_round(session, state, args)
        for session, state in zip(sessions, states, strict=True):
            out[session.target.label] = burst_finish(session, state)
    finally:
        for session in sessions:
            session.generator.stop()
        for target in plan:
            target.stop()
    return out


def scenario_snapshot(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    """Fill a workshop with contributions, then time late joiners' snapshots."""
    target = session.target
    workshop = session.workshop("Snapshot benchmark")
    seeders = session.join(workshop["code"], args.seeders, args.concurrency)
    session.settle(seeders["connected"])
    say(f"  seeding {args.contributions} contributions from {seeders['connected']} participants")
    before = target.sample()
    seeded = session.seed(
        list(range(seeders["connected"])), args.contributions, args.text_bytes, args.seed_timeout
    )
    seeded["cost"] = _cost(before, target.sample(), seeded["generator_cpu_s"])
    result: dict[str, Any] = {"seeding": seeded}
    say(f"  seeded {seeded['acked']} in {seeded['cost']['wall_s']} s; late joiners")
    late = []
    for k in range(args.late_joiners):
        late.append(session.join(workshop["code"], 1, 1, first=100_000 + k * session.procs))
    result["late_joiner"] = {
        "count": len(late),
        "connected": sum(j["connected"] for j in late),
        "connect_to_snapshot_ms": summarize(
            j["connect_to_snapshot_ms"]["max"] for j in late if j["connected"]
        ),
        "join_http_ms": summarize(j["join_http_ms"]["max"] for j in late if j["connected"]),
        "snapshot_bytes": max((j["snapshot_bytes"]["max"] or 0) for j in late),
    }
    times, size = [], 0
    for _ in range(args.late_joiners):
        start = time.perf_counter()
        status, body = http_sync(
            "127.0.0.1",
            session.port,
            "GET",
            f"/api/workshops/{workshop['id']}",
            None,
            session.token,
        )
        times.append((time.perf_counter() - start) * 1000)
        size = len(body)
        items = body.count(b"@@") // 2
    result["facilitator_get"] = {"status": status, "ms": summarize(times), "bytes": size}
    result["facilitator_get"]["contributions"] = items
    result["snapshot_contributions"] = items
    after = target.sample()
    if "hwm_mb" in after:
        result["memory"] = {"peak_rss_mb": round(after["hwm_mb"], 1)}
    session.close()
    return result


SCENARIOS = {"join": scenario_join, "burst": scenario_burst, "snapshot": scenario_snapshot}


def say(message: str) -> None:
    """Progress on stdout, timestamped."""
    print(f"  {time.strftime('%H:%M:%S')} {message}", flush=True)


def run_all(plan: list[Target], args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Every scenario against every target, in turn, each on a freshly started server.

    Targets take turns within each scenario, so compared figures are measured
    minutes apart; the bursts of several targets even take turns round by
    round, their rooms connected side by side.
    """
    runs: dict[str, dict[str, Any]] = {target.label: {} for target in plan}
    for target in plan:
        target.prepare()
    for name in args.scenarios:
        if name == "burst" and len(plan) > 1 and not args.url:
            for label, figures in burst_interleaved(plan, args).items():
                runs[label][name] = figures
            continue
        for target in plan:
            say(f"{name}: {target.label}")
            target.start()
            generator = Generator(args.procs)
            try:
                session = Session(target, generator, args.procs)
                session.login()
                runs[target.label][name] = SCENARIOS[name](session, args)
            finally:
                generator.stop()
                target.stop()
    return runs


# -- report -----------------------------------------------------------------------------------


def _get(data: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


#: scenario -> rows: (label, path in the scenario's figures, compared as a ratio)
ROWS: dict[str, list[tuple[str, str, bool]]] = {
    "join": [
        ("participants connected", "connected", False),
        ("time until all connected (s)", "seconds_to_all_connected", True),
        ("join throughput (participants/s)", "participants_per_s", True),
        ("POST /api/join p50 / p95 (ms)", "join_http_ms.p50|join_http_ms.p95", False),
        (
            "connect→snapshot p50 / p95 (ms)",
            "connect_to_snapshot_ms.p50|connect_to_snapshot_ms.p95",
            False,
        ),
        ("probe delivery (%)", "probe.delivery_pct", False),
        ("probe fan-out p95 (ms)", "probe.fanout_ms.p95", True),
        ("clients with exact presence", "settle.presence_ok", False),
        ("presence backlog drained after (s)", "settle.settle_s", True),
        ("time until connected and quiet (s)", "seconds_to_settled", True),
        ("presence frames received", "settle.presence_frames", True),
        ("server CPU while joining (s)", "cost.server_cpu_s", True),
        ("server CPU per participant (ms)", "cost.server_cpu_ms_per_participant", True),
        ("server RSS idle → connected (MB)", "memory.idle_rss_mb|memory.connected_rss_mb", False),
        ("server peak RSS (MB)", "memory.peak_rss_mb", True),
        ("RSS per connected participant (KB)", "memory.kb_per_participant", True),
        ("generator CPU while joining (s)", "cost.generator_cpu_s", False),
        ("machine busy cores while joining", "cost.machine_busy_cores", False),
        ("other processes' cores while joining", "cost.other_processes_cores", False),
    ],
    "burst": [
        ("room: time until all connected (s)", "room.seconds_to_all_connected", True),
        ("room: presence backlog drained after (s)", "settle.settle_s", True),
        ("room: time until connected and quiet (s)", "room.seconds_to_settled", True),
        ("contributions sent / acked", "burst.sent|burst.acked", False),
        ("deliveries received / expected", "burst.received|burst.expected", False),
        ("delivery (%)", "burst.delivery_pct", False),
        ("duplicates", "burst.duplicates", False),
        ("deliveries/s", "burst.deliveries_per_s", True),
        ("fan-out p50 (ms)", "burst.fanout_ms.p50", True),
        ("fan-out p95 (ms)", "burst.fanout_ms.p95", True),
        ("fan-out p99 (ms)", "burst.fanout_ms.p99", True),
        ("fan-out max (ms)", "burst.fanout_ms.max", True),
        ("fan-out p95 of each round (ms)", "rounds_p95_ms", False),
        ("delivery over all rounds (%)", "all_rounds_delivery_pct", False),
        ("ack p50 / p95 (ms)", "burst.ack_ms.p50|burst.ack_ms.p95", False),
        ("refusals", "burst.refusals", False),
        ("server CPU during burst (s)", "burst.cost.server_cpu_s", True),
        ("server CPU per delivery (µs)", "burst.cost.server_cpu_us_per_delivery", True),
        ("server peak RSS (MB)", "memory.peak_rss_mb", True),
        ("generator CPU during burst (s)", "burst.cost.generator_cpu_s", False),
        ("generator cores during burst", "burst.cost.generator_cores", False),
        ("machine busy cores during burst", "burst.cost.machine_busy_cores", False),
        ("other processes' cores during burst", "burst.cost.other_processes_cores", False),
    ],
    "snapshot": [
        ("contributions seeded (acked)", "seeding.acked", False),
        ("seeding throughput (contributions/s)", "seeding.contributions_per_s", True),
        ("seeding delivery (%)", "seeding.delivery_pct", False),
        ("seeding ack p50 / p95 (ms)", "seeding.ack_ms.p50|seeding.ack_ms.p95", True),
        ("contributions in the snapshot", "snapshot_contributions", False),
        ("late joiner snapshot (bytes)", "late_joiner.snapshot_bytes", True),
        ("late joiner connect→snapshot p50 (ms)", "late_joiner.connect_to_snapshot_ms.p50", True),
        ("late joiner connect→snapshot max (ms)", "late_joiner.connect_to_snapshot_ms.max", True),
        ("late joiner POST /api/join max (ms)", "late_joiner.join_http_ms.max", False),
        ("facilitator GET snapshot p50 (ms)", "facilitator_get.ms.p50", True),
        ("facilitator GET snapshot (bytes)", "facilitator_get.bytes", False),
        ("server CPU while seeding (s)", "seeding.cost.server_cpu_s", True),
        ("server peak RSS (MB)", "memory.peak_rss_mb", True),
        ("generator CPU while seeding (s)", "seeding.cost.generator_cpu_s", False),
    ],
}


def _cell(figures: dict[str, Any], path: str) -> str:
    values = [_get(figures, p) for p in path.split("|")]
    shown = []
    for value in values:
        if value is None:
            shown.append("–")
        elif isinstance(value, dict):
            shown.append(", ".join(f"{k}: {v}" for k, v in value.items()) or "none")
        elif isinstance(value, list):
            shown.append(", ".join("–" if v is None else f"{v:,.0f}" for v in value))
        elif isinstance(value, float):
            shown.append(f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}")
        elif isinstance(value, int):
            shown.append(f"{value:,}")
        else:
            shown.append(str(value))
    return " / ".join(shown)


def _ratio(a: Any, b: Any) -> str:
    if not isinstance(a, int | float) or not isinstance(b, int | float) or not b:
        return "–"
    return f"{a / b:.2f}×"


def ratios(runs: dict[str, dict[str, Any]], base: str, other: str) -> dict[str, dict[str, float]]:
    """``other`` / ``base`` for each compared figure of each scenario both ran."""
    out: dict[str, dict[str, float]] = {}
    for scenario, rows in ROWS.items():
        a, b = runs.get(other, {}).get(scenario), runs.get(base, {}).get(scenario)
        if not a or not b:
            continue
        for label, path, compared in rows:
            first = path.split("|")[0]
            x, y = _get(a, first), _get(b, first)
            if compared and isinstance(x, int | float) and isinstance(y, int | float) and y:
                out.setdefault(scenario, {})[label] = round(x / y, 2)
    return out


def _ratio_pairs(labels: list[str]) -> list[tuple[str, str]]:
    """Each target against the first; several app workers also against one worker."""
    pairs = [(labels[0], other) for other in labels[1:]]
    apps = [label for label in labels if label.startswith("app")]
    if len(apps) > 1 and apps[0] != labels[0]:
        pairs += [(apps[0], other) for other in apps[1:]]
    return pairs


def table(runs: dict[str, dict[str, Any]], markdown: bool) -> str:
    """Each scenario as a table: a column per target, ratio columns against the first."""
    labels = list(runs)
    lines: list[str] = []
    for scenario, rows in ROWS.items():
        present = [label for label in labels if scenario in runs[label]]
        if not present:
            continue
        ratio_cols = _ratio_pairs(present)
        header = ["figure", *present] + [f"{o} / {b}" for b, o in ratio_cols]
        body = []
        for label, path, compared in rows:
            row = [label] + [_cell(runs[t][scenario], path) for t in present]
            for base, other in ratio_cols:
                first = path.split("|")[0]
                row.append(
                    _ratio(_get(runs[other][scenario], first), _get(runs[base][scenario], first))
                    if compared
                    else ""
                )
            body.append(row)
        lines.append("")
        lines.append(f"### {scenario}" if markdown else f"== {scenario} ==")
        if markdown:
            lines.append("")
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "|".join("---" for _ in header) + "|")
            lines.extend("| " + " | ".join(row) + " |" for row in body)
        else:
            widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
            for row in [header, *body]:
                lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


def targets(runs: dict[str, dict[str, Any]], args: argparse.Namespace) -> list[dict[str, Any]]:
    """The issue's targets, checked against the app's figures (the first app run)."""
    app = next((label for label in runs if label.startswith("app")), None)
    bare = next((label for label in runs if label.startswith("bare")), None)
    if app is None:
        return []
    figures = runs[app]
    checks: list[dict[str, Any]] = []

    def check(name: str, value: Any, ok: bool | None) -> None:
        checks.append({"target": name, "value": value, "met": ok})

    if join := figures.get("join"):
        seconds = join["seconds_to_all_connected"]
        check(
            f"{args.participants} participants joined and connected within 60 s",
            seconds,
            join["connected"] == args.participants and seconds is not None and seconds <= 60,
        )
        check(
            "join: 100 % delivery (probes)",
            join["probe"]["delivery_pct"],
            join["probe"]["delivery_pct"] == 100,
        )
        peak = _get(join, "memory.peak_rss_mb")
        check("join: server peak RSS under 400 MB", peak, None if peak is None else peak < 400)
    if burst := figures.get("burst"):
        pct = burst.get("all_rounds_delivery_pct", burst["burst"]["delivery_pct"])
        p95 = burst["burst"]["fanout_ms"]["p95"]
        check("burst: 100 % delivery (every round)", pct, pct == 100)
        check("burst: fan-out p95 under 1 s", p95, p95 is not None and p95 < 1000)
        if bare and (base := _get(runs[bare], "burst.burst.fanout_ms.p95")):
            check(
                "burst: p95 within 1.5× of the bare server's",
                round(p95 / base, 2) if p95 else None,
                p95 is not None and p95 <= 1.5 * base,
            )
    if snap := figures.get("snapshot"):
        worst = _get(snap, "late_joiner.connect_to_snapshot_ms.max")
        check(
            f"late joiner in a workshop of {snap['snapshot_contributions']} contributions: snapshot under 500 ms (worst of {args.late_joiners})",
            worst,
            worst is not None
            and worst < 500
            and snap["snapshot_contributions"] >= args.contributions,
        )
    return checks


# -- main -----------------------------------------------------------------------------------------


def _check_url(url: str) -> str:
    host = urllib.parse.urlsplit(url).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to load {url}: benchmarks only target 127.0.0.1")
    return url.rstrip("/")


def _wait_idle(limit: float) -> float:
    """Sleep (up to ``limit`` seconds) until the 1-minute load average is under 1.0."""
    deadline = time.time() + limit
    while loadavg() >= 1.0 and time.time() < deadline:
        print(f"  load average {loadavg():.2f}: waiting for the machine to calm down", flush=True)
        time.sleep(min(30, max(deadline - time.time(), 0)))
    return loadavg()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(
        description="Positive Core scale benchmark (docs/performance.md).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--target", choices=("app", "bare"), default="app", help="what to measure")
    p.add_argument(
        "--compare",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure the bare server in the same run (ratios app / bare)",
    )
    p.add_argument(
        "--mode",
        default=os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet"),
        choices=("eventlet", "gevent", "threading"),
    )
    p.add_argument(
        "--database",
        default="sqlite",
        help="sqlite (temporary file), postgres (fresh database) or a SQLAlchemy URL",
    )
    p.add_argument(
        "--bare-presence",
        default="coalesce",
        help="bare server's presence: coalesce (1/s, as the app), every (per connect), or both",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="app processes sharing rooms through Redis; >1 also measures one worker",
    )
    p.add_argument(
        "--message-queue",
        default="",
        help="Redis URL for --workers (default: a private redis-server)",
    )
    p.add_argument(
        "--url",
        action="append",
        default=[],
        help="a running server (127.0.0.1 only; repeat for workers)",
    )
    p.add_argument(
        "--server-pid",
        type=int,
        action="append",
        default=[],
        help="pid(s) of --url servers, for CPU and RSS",
    )
    p.add_argument("--email", default=EMAIL, help="facilitator for --url")
    p.add_argument("--password", default=PASSWORD, help="facilitator password for --url")
    p.add_argument(
        "--scenarios", default="join,burst,snapshot", help="comma-separated: join, burst, snapshot"
    )
    p.add_argument("--procs", type=int, default=2, help="generator processes")
    p.add_argument("--concurrency", type=int, default=50, help="joins in flight (all processes)")
    p.add_argument("--participants", type=int, default=2000, help="join: participants")
    p.add_argument("--probes", type=int, default=5, help="join: probe contributions afterwards")
    p.add_argument("--room", type=int, default=1000, help="burst: participants in the room")
    p.add_argument(
        "--contributors", type=int, default=200, help="burst: contributions (one per contributor)"
    )
    p.add_argument("--rounds", type=int, default=3, help="burst: rounds (targets take turns)")
    p.add_argument("--burst-seconds", type=float, default=20.0, help="burst: spread over this long")
    p.add_argument(
        "--grace", type=float, default=60.0, help="burst: wait this long after the last send"
    )
    p.add_argument("--text-bytes", type=int, default=280, help="length of each story's text")
    p.add_argument(
        "--contributions", type=int, default=5000, help="snapshot: contributions in the workshop"
    )
    p.add_argument("--seeders", type=int, default=100, help="snapshot: participants who fill it")
    p.add_argument(
        "--seed-timeout", type=float, default=180.0, help="snapshot: stop seeding after this long"
    )
    p.add_argument(
        "--late-joiners", type=int, default=5, help="snapshot: late joiners timed one by one"
    )
    p.add_argument("--quick", action="store_true", help="small sizes for development (100 clients)")
    p.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        help="first wait up to this many seconds for load < 1.0",
    )
    p.add_argument("--json", help="write every figure here")
    p.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    args = p.parse_args(argv)
    if args.quick:
        args.participants, args.room, args.contributors = 100, 100, 20
        args.burst_seconds, args.contributions, args.seeders = 5.0, 500, 20
        args.late_joiners, args.grace, args.rounds = 3, 20.0, 2
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    args.bare_presence = [s.strip() for s in args.bare_presence.split(",") if s.strip()]
    if set(args.bare_presence) - {"every", "coalesce"}:
        p.error("--bare-presence takes every, coalesce or both")
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        p.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    args.url = [_check_url(u) for u in args.url]
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the tables, write the JSON; exit 1 when a target is missed."""
    args = parse_args(argv)
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    load_before = _wait_idle(args.wait_idle) if args.wait_idle else loadavg()
    started = time.time()
    version = app_version()
    folder = Path(tempfile.mkdtemp(prefix="pc-bench-"))
    database: Database | None = None
    redis: PrivateRedis | None = None
    runs: dict[str, dict[str, Any]] = {}
    try:
        plan: list[Target] = []
        if args.url:
            plan.append(
                Target(
                    args.target,
                    args.mode,
                    urls=args.url,
                    server_pids=args.server_pid,
                    email=args.email,
                    password=args.password,
                )
            )
        else:
            if (args.compare and args.target == "app") or args.target == "bare":
                for presence in args.bare_presence:
                    plan.append(Target("bare", args.mode, folder=folder, presence=presence))
            if args.target == "app":
                database = Database(args.database, folder)
                queue = args.message_queue
                if args.workers > 1 and not queue:
                    redis = PrivateRedis(folder)
                    queue = redis.url
                counts = [1, args.workers] if args.workers > 1 else [1]
                for workers in counts:
                    plan.append(
                        Target(
                            "app",
                            args.mode,
                            workers=workers,
                            database_url=database.url,
                            message_queue=queue,
                            folder=folder,
                        )
                    )
        print(
            f"Positive Core scale benchmark: mode {args.mode}, database {args.database}, "
            f"{args.procs} generator processes, load average {load_before:.2f}, "
            f"app at {version['commit']}{' (modified)' if version['app_files_changed'] else ''}",
            flush=True,
        )
        runs = run_all(plan, args)
    finally:
        if redis is not None:
            redis.stop()
        if database is not None:
            database.drop()
        shutil.rmtree(folder, ignore_errors=True)
    checks = targets(runs, args)
    report: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "seconds": round(time.time() - started, 1),
        "machine": machine(),
        "app_version": version,
        "load_average": {"before": load_before, "after": loadavg()},
        "options": {k: v for k, v in vars(args).items() if k not in ("password",)},
        "runs": runs,
        "ratios": {},
        "targets": checks,
    }
    for base, other in _ratio_pairs(list(runs)):
        report["ratios"][f"{other} / {base}"] = ratios(runs, base, other)
    print(table(runs, args.markdown))
    print()
    for check in checks:
        mark = {True: "met", False: "MISSED", None: "n/a"}[check["met"]]
        print(f"  [{mark}] {check['target']}: {check['value']}")
    print(f"  load average before {load_before:.2f}, after {loadavg():.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str) + "\n")
        print(f"  figures written to {args.json}")
    return 0 if all(c["met"] is not False for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
