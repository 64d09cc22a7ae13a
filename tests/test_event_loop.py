"""A slow database call does not stall other clients (eventlet; PostgreSQL and SQLite).

A transaction from outside holds a lock, so a contribution to workshop A
waits inside the database. Meanwhile workshop B's room must keep working.
On PostgreSQL the lock is A's row and B goes on writing; SQLite has one
writer for the whole file, so there B's phones go on connecting, reading
their snapshot and hearing each other's presence.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid

import psycopg
import redis
from livekit import LiveServer, next_event, postgres_database, redis_url


class ContributionInFlight:
    """A contribution sent and not yet acknowledged; it waits as long as the server does."""

    def __init__(self, phone) -> None:
        self.ack: dict | None = None
        self.acked_at = 0.0
        self._done = threading.Event()
        payload = {"client_id": str(uuid.uuid4()), "kind": "story", "text": "Waits"}
        phone.emit("contribute", payload, callback=self._acked)

    def _acked(self, ack: dict) -> None:
        self.ack = ack
        self.acked_at = time.monotonic()
        self._done.set()

    def wait(self) -> dict:
        assert self._done.wait(30), "the waiting contribution was never acknowledged"
        return self.ack


def waiting_for_a_lock(database: psycopg.Connection, timeout: float = 10) -> None:
    """Return once PostgreSQL reports a session of this database waiting for a lock."""
    query = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while database.execute(query).fetchone()[0] == 0:
        assert time.monotonic() < deadline, "no session ever waited for the lock"
        pause.wait(0.02)  # the database's own report is polled, not a guess of how long


def past_the_lock(limits: redis.Redis, participant_id: int, timeout: float = 10) -> None:
    """Return once the server has taken up the participant's contribution sent before.

    The server counts a new contribution against its rate limit (kept in
    Redis here) and then, without yielding, writes it: SQLite runs inline
    under eventlet, and its first wait for the write lock is the handler's
    first pause. So once the count is in Redis, the contribution is at the
    lock. (Each socket's events are handled in turn, so asking the same socket
    something else would only be answered after the contribution.)
    """
    # limits' key: LIMITER/<key>/<amount>/<multiples>/<granularity>; votes and
    # contributions count per second, nothing else counts this participant so.
    pattern = f"*/participant:{participant_id}/*/*/second"
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not limits.keys(pattern):
        assert time.monotonic() < deadline, "the contribution was never taken up"
        pause.wait(0.01)  # the server's own count is polled, not a guess of how long


def two_collecting_rooms(server: LiveServer) -> tuple[dict, dict]:
    """Two workshops of one facilitator, both collecting stories."""
    token = server.token()
    rooms = server.create_workshop(token), server.create_workshop(token)
    for workshop in rooms:
        server.set_phase(token, workshop["id"], "discover")
    return rooms


def test_a_blocked_query_does_not_delay_other_rooms(tmp_path):
    url, drop = postgres_database()
    server = LiveServer(tmp_path, mode="eventlet", database_url=url).prepare().start()
    try:
        first, second = two_collecting_rooms(server)
        waiting = server.client({"token": server.join(first["code"], "Ana")["token"]})[0]
        writer = server.client({"token": server.join(second["code"], "Ben")["token"]})[0]
        reader, inbox = server.client({"token": server.join(second["code"], "Cleo")["token"]})

        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain) as blocker:
            blocker.execute("SELECT id FROM workshops WHERE id = %s FOR UPDATE", (first["id"],))
            slow = ContributionInFlight(waiting)
            with psycopg.connect(plain, autocommit=True) as observer:
                waiting_for_a_lock(observer)  # room A's contribution waits for the row
            started = time.monotonic()
            ack = writer.call(
                "contribute",
                {"client_id": str(uuid.uuid4()), "kind": "story", "text": "Flows"},
                timeout=10,
            )
            assert ack["ok"]
            assert next_event(inbox, "contribution")["text"] == "Flows"
            elapsed = time.monotonic() - started
            assert elapsed < 1.0, f"room B waited {elapsed:.2f}s behind room A's lock"
            assert slow.ack is None  # room A is still waiting
            released = time.monotonic()
            blocker.rollback()
        assert slow.wait()["ok"] and slow.acked_at >= released
        for client in (waiting, writer, reader):
            client.disconnect()
    finally:
        server.stop()
        drop()


def test_a_locked_sqlite_file_does_not_stall_the_server(tmp_path):
    limits_url = redis_url()
    server = (
        LiveServer(
            tmp_path,
            mode="eventlet",
            extra_env={"PRESENCE_COALESCE_SECONDS": "0", "RATELIMIT_STORAGE_URI": limits_url},
        )
        .prepare()
        .start()
    )
    limits = redis.Redis.from_url(limits_url)
    try:
        first, second = two_collecting_rooms(server)
        ana = server.join(first["code"], "Ana")
        waiting = server.client({"token": ana["token"]})[0]
        reader, inbox = server.client({"token": server.join(second["code"], "Ben")["token"]})
        late_token = server.join(second["code"], "Cleo")["token"]
        next_event(inbox, "presence")

        blocker = sqlite3.connect(tmp_path / "live.sqlite3", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # the file's write lock, as a long import would hold
        try:
            slow = ContributionInFlight(waiting)
            past_the_lock(limits, ana["participant_id"])  # it waits for the file's write lock
            started = time.monotonic()
            late, late_inbox = server.client({"token": late_token})
            snapshot = next_event(late_inbox, "snapshot")
            presence = next_event(inbox, "presence")
            elapsed = time.monotonic() - started
            assert snapshot["me"]["name"] == "Cleo"
            assert presence["online"] == 2
            assert elapsed < 1.0, f"room B waited {elapsed:.2f}s behind the locked file"
            assert slow.ack is None  # room A is still waiting for the lock
        finally:
            released = time.monotonic()
            blocker.execute("ROLLBACK")
            blocker.close()
        assert slow.wait()["ok"] and slow.acked_at >= released
        for client in (waiting, reader, late):
            client.disconnect()
    finally:
        server.stop()
