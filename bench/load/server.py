"""Servers under test: the app (``python wsgi.py``, one or more workers) or the bare server.

Each is started here on a free port of 127.0.0.1, with its database (a
temporary SQLite file or a fresh PostgreSQL database) and, for several
workers, a private Redis; or it is already running (``--url``) and only
measured. Everything started here is stopped, and dropped, by its owner.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import ROOT
from bench.load.api import Api
from bench.load.stats import sample

EMAIL = "bench@example.org"
PASSWORD = "bench password 42"
POSTGRES_ADMIN = os.environ.get("POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")


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
    """What is measured: the app (one or more workers) or the bare server, started here or not.

    ``prepare()`` once per database (migrations, the facilitator), then
    ``start()`` and ``stop()`` around each scenario; ``sample()`` between.
    """

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
            health = Api(port)
            while not health.healthy():
                if process.poll() is not None or time.time() > deadline:
                    self.stop()
                    raise RuntimeError(f"server did not start:\n{log.read_text()[-3000:]}")
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

    def api(self) -> Api:
        """The first server's API, signed in as the facilitator."""
        client = Api(self.ports[0])
        client.login(self.email, self.password)
        return client

    @property
    def pids(self) -> list[int]:
        """Processes whose CPU and memory are measured."""
        return [p.pid for p in self.processes] or self.server_pids

    def sample(self) -> dict[str, Any]:
        """CPU seconds and memory of the server processes, and the machine's ticks, now."""
        return sample(self.pids)
