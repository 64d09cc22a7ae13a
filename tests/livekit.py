"""Helpers to run the real server (``python wsgi.py``) and drive it like outside clients.

Used by the live-server, concurrency and fault tests. PostgreSQL and Redis are
the machine's own services (127.0.0.1); with ``CI=true`` a missing service
fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "live password"
EMAIL = "live@example.org"
POSTGRES_ADMIN = os.environ.get("POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service_missing(what: str, error: Exception) -> None:
    """Fail under CI, skip elsewhere."""
    message = f"{what} is not reachable: {error}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def postgres_database() -> tuple[str, callable]:
    """A fresh PostgreSQL database: (SQLAlchemy URL, drop function)."""
    try:
        import psycopg

        admin = psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3)
    except Exception as error:
        service_missing("PostgreSQL", error)
    name = f"pc_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")

    def drop() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return f"{base}/{name}", drop


def redis_url() -> str:
    """The Redis test database, flushed."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
        client.flushdb()
    except Exception as error:
        service_missing("Redis", error)
    return REDIS_URL


class LiveServer:
    """One ``python wsgi.py`` process on a free port, restartable on the same database."""

    def __init__(
        self,
        folder: Path,
        mode: str = "eventlet",
        database_url: str | None = None,
        extra_env: dict[str, str] | None = None,
        port: int | None = None,
    ) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "SOCKETIO_ASYNC_MODE": mode,
            "DATABASE_URL": database_url or f"sqlite:///{folder / 'live.sqlite3'}",
            "PORT": str(self.port),
            "FLASK_CONFIG": "development",
            # Each server its own export cache (not the project's instance/ folder), and
            # downloads that wait for their file however busy the machine is.
            "EXPORT_CACHE_DIR": str(folder / "exports"),
            "EXPORT_WAIT_SECONDS": "600",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen | None = None
        self.log_path = folder / f"server-{self.port}.log"

    def prepare(self) -> LiveServer:
        """Migrate the database and create the facilitator account."""
        flask = [sys.executable, "-m", "flask", "--app", "workshop"]
        subprocess.run(
            [*flask, "db", "upgrade"], env=self.env, cwd=ROOT, check=True, capture_output=True
        )
        subprocess.run(
            [*flask, "facilitator", "create", EMAIL, "--password", PASSWORD],
            env=self.env,
            cwd=ROOT,
            check=False,
            capture_output=True,
        )
        return self

    def start(self) -> LiveServer:
        self._starts = getattr(self, "_starts", 0) + 1
        with self.log_path.open("a") as log:  # the child keeps its own copy of the handle
            log.write(f"\n----- start {self._starts} -----\n")
            log.flush()
            self.process = subprocess.Popen(
                [sys.executable, "wsgi.py"], env=self.env, cwd=ROOT, stdout=log, stderr=log
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if requests.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                time.sleep(0.05)
        self.stop()
        pytest.fail("server did not start: " + self.log_path.read_text())

    def kill(self) -> None:
        """SIGKILL, as a crash or a pulled plug."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    # -- the API, as an outside client uses it --
    def token(self) -> str:
        response = requests.post(
            f"{self.base}/api/auth/token", json={"email": EMAIL, "password": PASSWORD}, timeout=10
        )
        return response.json()["token"]

    def create_workshop(self, token: str, **fields) -> dict:
        response = requests.post(
            f"{self.base}/api/workshops",
            json={"title": "Live", **fields},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert response.status_code == 201, response.text
        return response.json()

    def join(self, code: str, name: str, **fields) -> dict:
        response = requests.post(
            f"{self.base}/api/join", json={"code": code, "name": name, **fields}, timeout=10
        )
        assert response.status_code == 201, response.text
        return response.json()

    def set_phase(self, token: str, workshop_id: int, phase: str) -> dict:
        response = requests.post(
            f"{self.base}/api/workshops/{workshop_id}/phase",
            json={"phase": phase},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def snapshot(self, token: str, workshop_id: int) -> dict:
        return requests.get(
            f"{self.base}/api/workshops/{workshop_id}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()

    def client(self, auth: dict, reconnection: bool = False) -> tuple[socketio.Client, queue.Queue]:
        inbox: queue.Queue = queue.Queue()
        client = socketio.Client(reconnection=reconnection)
        client.on("*", lambda event, data: inbox.put((event, data)))
        client.connect(self.base, auth=auth, transports=["websocket"], wait_timeout=10)
        return client, inbox


def next_event(
    inbox: queue.Queue, name: str, timeout: float = 10, where: Callable[[dict], bool] | None = None
) -> dict:
    """The next ``name`` event (that ``where`` accepts) within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            event, data = inbox.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            break
        if event == name and (where is None or where(data)):
            return data
    raise AssertionError(f"no {name} event")
