"""Faults on the real server: cut connections, SIGKILL and restart; nothing lost, nothing doubled.

Phones (python-socketio clients) keep contributing while connections are
cut at random and the server is killed and started again twice. At the end,
every acknowledged contribution is stored exactly once, every contribution
a phone kept pending is stored after it reconnects, and every phone's view
equals the database. Once on SQLite (``make faults``) and once on PostgreSQL
(``make faults-postgres``); the figures go to artifacts/reliability-<db>.json.

Each phone is driven from the test's thread only, one connection at a time:
a dropped or killed connection is closed in full (socket included) before
the phone opens a new one with ``since``, as socket.io-client does after a
drop. The phone keeps its view by the rule every client follows
(static/js/ordering.js): a connection's events wait for its ``snapshot`` or
``resynced``, then only events newer than that apply, item by item.
"""

from __future__ import annotations

import json
import random
import threading
import uuid
from typing import Any

import pytest
import socketio
from livekit import ROOT, LiveServer, postgres_database

PHONES = 12
ROUNDS = 3
PER_ROUND = 4
#: How long a phone waits for an ack, and for its snapshot or resync after connecting.
ACK_TIMEOUT_S = 10
SYNC_TIMEOUT_S = 15


class Phone:
    """A participant's phone: one connection at a time, a view of the room, a queue of stories."""

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
        self.pending: dict[str, str] = {}  # client_id -> text, until acknowledged
        self.acked: dict[str, int] = {}
        #: Unexpected answers and errors, asserted empty by the test.
        self.problems: list[str] = []
        #: Expected trouble (an ack not received in time), for the report.
        self.last_problem: str | None = None
        self.timeouts = 0

    # ----- the connection -----

    def connect(self) -> None:
        """Open a new connection that asks for what followed ``base``; wait until it is in sync."""
        self.close()
        client = socketio.Client(reconnection=False)
        for name in ("contribution", "contribution_hidden"):
            client.on(name, self._receiver(client, name))
        client.on("snapshot", lambda data: self._on_snapshot(client, data))
        client.on("resynced", lambda data: self._on_resynced(client, data))
        with self.lock:
            self.client = client
            self.held = []
            self.synced.clear()
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

    def shows(self, ids: set[int], timeout: float) -> bool:
        """Wait until the view holds exactly ``ids`` (woken by each change); False on timeout."""
        with self.changed:
            return self.changed.wait_for(lambda: set(self.view) == ids, timeout)

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


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Any) -> Any:
    """The server's database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield request.param, f"sqlite:///{tmp_path / 'faults.sqlite3'}"
        return
    url, drop = postgres_database()
    try:
        yield request.param, url
    finally:
        drop()


@pytest.mark.faults
def test_nothing_is_lost_through_disconnects_and_restarts(tmp_path, database):
    name, url = database
    server = LiveServer(tmp_path, mode="eventlet", database_url=url).prepare().start()
    rng = random.Random(4)
    disconnects = restarts = 0
    phones: list[Phone] = []
    try:
        token = server.token()
        workshop = server.create_workshop(token)
        server.set_phase(token, workshop["id"], "discover")
        for n in range(PHONES):
            phones.append(Phone(server, server.join(workshop["code"], f"P{n}")["token"], f"P{n}"))
        for phone in phones:
            phone.connect()
        for round_ in range(ROUNDS):
            for n in range(PER_ROUND):
                for phone in phones:
                    phone.write(f"{phone.name} round {round_} story {n}")
                for phone in rng.sample(phones, 3):  # venue Wi-Fi drops a few phones
                    # The connection drops; the phone comes back asking for what followed its base.
                    phone.close()
                    phone.connect()
                    phone.flush()
                    disconnects += 1
            if round_ < ROUNDS - 1:
                # Every connection dies with the server; stories typed meanwhile stay pending.
                server.kill()
                for phone in rng.sample(phones, 4):
                    phone.write(f"{phone.name} offline during restart {round_}")
                server.start()
                restarts += 1
                for phone in phones:
                    phone.connect()
                    phone.flush()

        for phone in phones:
            phone.flush()  # what timed out under load goes again, as a phone retries
        problems = {p.name: p.problems for p in phones if p.problems}
        assert not problems, problems
        assert not any(p.pending for p in phones), [
            (p.name, p.connected, p.pending, p.last_problem) for p in phones if p.pending
        ]

        snap = server.snapshot(token, workshop["id"])
        stored = [c["client_id"] for c in snap["contributions"]]
        acked = {cid: item_id for p in phones for cid, item_id in p.acked.items()}
        duplicates = len(stored) - len(set(stored))
        lost = [cid for cid in acked if cid not in stored]
        assert duplicates == 0 and lost == []
        assert len(stored) == len(acked) == PHONES * ROUNDS * PER_ROUND + 4 * (ROUNDS - 1)
        assert all(c["id"] == acked[c["client_id"]] for c in snap["contributions"])
        database_ids = {c["id"] for c in snap["contributions"]}
        # Every phone is connected and in sync; the last stories may still be on their way.
        mismatches = {
            p.name: (sorted(database_ids - set(p.view)), sorted(set(p.view) - database_ids))
            for p in phones
            if not p.shows(database_ids, SYNC_TIMEOUT_S)
        }
        assert not mismatches, mismatches
        figures = {
            "database": name,
            "phones": PHONES,
            "contributions_acknowledged": len(acked),
            "disconnects_survived": disconnects,
            "restarts_survived": restarts,
            "acks_timed_out_and_resent": sum(p.timeouts for p in phones),
            "contributions_lost": len(lost),
            "duplicates": duplicates,
            "views_matching_database": PHONES - len(mismatches),
        }
        out = ROOT / "artifacts"
        out.mkdir(exist_ok=True)
        (out / f"reliability-{name}.json").write_text(json.dumps(figures, indent=2))
        print(figures)
    finally:
        for phone in phones:
            phone.close()
        server.stop()
