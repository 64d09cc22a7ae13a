"""Helpers to run the real server (``python wsgi.py``) and drive it like outside clients.

Used by the live-server, concurrency, scale-out and fault tests. ``Phone`` is
a participant's phone that keeps its view by the rule every client follows
(static/js/ordering.js). PostgreSQL and Redis are
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
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


#: How long a phone waits for an ack, and for its snapshot or resync after connecting.
ACK_TIMEOUT_S = 10
SYNC_TIMEOUT_S = 15


class Phone:
    """A participant's phone: one connection at a time, a view of the room, a queue of stories.

    Its view follows the rule every client follows (static/js/ordering.js):
    a connection's events are held until its ``snapshot`` or ``resynced``;
    then only events with a higher ``seq`` than that base apply, item by
    item (a hidden story leaves a tombstone); each new connection asks for
    ``since`` = the base. Events of a connection already replaced are ignored.
    """

    def __init__(self, server: LiveServer, token: str, name: str) -> None:
        self.server = server
        self.token = token
        self.name = name
        self.lock = threading.Lock()
        #: Notified whenever the view changes.
        self.changed = threading.Condition(self.lock)
        self.client: socketio.Client | None = None
        #: The room's stories as this phone shows them, by id.
        self.view: dict[int, dict[str, Any]] = {}
        #: seq of the last event applied per story id (a hidden story keeps its entry).
        self.versions: dict[int, int] = {}
        #: seq of the last snapshot or resync: the view holds every change up to it.
        self.base: int | None = None
        #: The current connection's events, held until its snapshot or resync.
        self.held: list[tuple[str, dict[str, Any]]] | None = None
        self.synced = threading.Event()
        #: Set once the current connection is gone (the phone shows "Offline").
        self.offline = threading.Event()
        self.pending: dict[str, str] = {}  # client_id -> text, until acknowledged
        self.acked: dict[str, int] = {}
        #: Unexpected answers and errors, asserted empty by the test.
        self.problems: list[str] = []
        #: Expected trouble (an ack not received in time), for the report.
        self.last_problem: str | None = None
        self.timeouts = 0
        #: seq of every contribution event received live, in arrival order.
        self.seqs: list[int] = []

    # ----- the connection -----

    def connect(self) -> None:
        """Open a new connection that asks for what followed ``base``; wait until it is in sync."""
        self.close()
        client = socketio.Client(reconnection=False)
        for name in ("contribution", "contribution_hidden"):
            client.on(name, self._receiver(client, name))
        client.on("snapshot", lambda data: self._on_snapshot(client, data))
        client.on("resynced", lambda data: self._on_resynced(client, data))
        client.on("disconnect", lambda *_reason: self._on_disconnect(client))
        with self.lock:
            self.client = client
            self.held = []
            self.synced.clear()
            self.offline.clear()
            auth = {"token": self.token}
            if self.base:
                auth["since"] = self.base
        client.connect(
            self.server.base, auth=auth, transports=["websocket"], wait_timeout=SYNC_TIMEOUT_S
        )
        if not self.synced.wait(SYNC_TIMEOUT_S):
            raise AssertionError(f"{self.name}: no snapshot or resync within {SYNC_TIMEOUT_S} s")

    def close(self) -> None:
        """Close the connection in full: its threads end and its socket is closed."""
        with self.lock:
            client, self.client = self.client, None
        if client is None:
            return
        client.disconnect()  # a clean close when still open; waits for its reader
        reader = client.eio.read_loop_task
        if reader is not None:
            reader.join(timeout=SYNC_TIMEOUT_S)
            if reader.is_alive():
                self.problems.append("a closed connection's reader did not end")
        # After a server crash the library leaves the WebSocket's socket open.
        ws = getattr(client.eio, "ws", None)
        if ws is not None:
            ws.close()

    def _on_disconnect(self, client: socketio.Client) -> None:
        with self.lock:
            if client is self.client:
                self.offline.set()

    def wait_offline(self, timeout: float = SYNC_TIMEOUT_S) -> bool:
        """Wait until the phone notices its connection is gone (e.g. the server was killed)."""
        return self.offline.wait(timeout)

    @property
    def connected(self) -> bool:
        client = self.client
        return client is not None and client.connected

    # ----- the view, by the ordering rule -----

    def _receiver(self, client: socketio.Client, name: str) -> Any:
        def receive(data: dict[str, Any]) -> None:
            with self.lock:
                if client is not self.client:
                    return  # a late event of a connection already replaced
                if name == "contribution":
                    self.seqs.append(data["seq"])
                if self.held is not None:
                    self.held.append((name, data))
                else:
                    self._apply(name, data)
                    self.changed.notify_all()

        return receive

    def _on_snapshot(self, client: socketio.Client, data: dict[str, Any]) -> None:
        with self.lock:
            if client is not self.client:
                return
            self.view = {c["id"]: c for c in data["contributions"]}
            self.versions = {}
            self.base = data["seq"]
            self._release()
            self.changed.notify_all()

    def _on_resynced(self, client: socketio.Client, data: dict[str, Any]) -> None:
        with self.lock:
            if client is not self.client or self.held is None:
                return
            self._release()
            self.base = max(self.base or 0, data["seq"])
            self.changed.notify_all()

    def _release(self) -> None:
        held, self.held = self.held or [], None
        for name, data in sorted(held, key=lambda event: event[1]["seq"]):
            self._apply(name, data)
        self.synced.set()

    def _apply(self, name: str, data: dict[str, Any]) -> None:
        seq, item_id = data["seq"], data["id"]
        if seq <= max(self.base or 0, self.versions.get(item_id, 0)):
            return  # already in the view, or older than what it shows
        self.versions[item_id] = seq
        if name == "contribution" and not data.get("hidden"):
            self.view[item_id] = data
        else:
            self.view.pop(item_id, None)

    def shows(self, ids: set[int], timeout: float = SYNC_TIMEOUT_S) -> bool:
        """Wait until the view holds exactly ``ids`` (woken by each change); False on timeout."""
        return self.wait_for(lambda view: set(view) == ids, timeout)

    def wait_for(self, condition: Callable[[dict[int, Any]], bool], timeout: float) -> bool:
        """Wait until ``condition(view)`` holds, checked at each change; False on timeout."""
        with self.changed:
            return self.changed.wait_for(lambda: condition(self.view), timeout)

    def say(self, text: str) -> int:
        """Contribute a story now and return its id (the phone must be connected)."""
        client_id = str(uuid.uuid4())
        self.pending[client_id] = text
        self.flush()
        assert client_id in self.acked, (self.name, self.problems, self.last_problem)
        return self.acked[client_id]

    # ----- writing -----

    def write(self, text: str) -> None:
        """Type a story: it waits on the phone until the server acknowledges it."""
        self.pending[str(uuid.uuid4())] = text
        self.flush()

    def flush(self) -> None:
        """Send what is pending while connected; what is not acknowledged stays pending."""
        for client_id, text in list(self.pending.items()):
            client = self.client
            if client is None or not client.connected:
                return
            payload = {"client_id": client_id, "kind": "story", "text": text}
            try:
                ack = client.call("contribute", payload, timeout=ACK_TIMEOUT_S)
            except socketio.exceptions.TimeoutError:
                # Stored or not, it stays pending and goes again (client_id makes it once).
                self.timeouts += 1
                self.last_problem = f"no ack for {client_id} within {ACK_TIMEOUT_S} s"
                return
            except socketio.exceptions.BadNamespaceError:
                return  # the connection dropped meanwhile: sent again after reconnecting
            if isinstance(ack, dict) and ack.get("ok"):
                self.acked[client_id] = ack["id"]
                del self.pending[client_id]
            else:
                self.problems.append(f"{client_id} refused: {ack!r}")
                return
