"""A slow database call does not stall other clients (eventlet, PostgreSQL).

A transaction from outside holds workshop A's row lock, so a contribution to
A waits inside the database. Meanwhile workshop B's room must keep working.
"""

from __future__ import annotations

import threading
import time
import uuid

import psycopg
from livekit import LiveServer, next_event, postgres_database


def test_a_blocked_query_does_not_delay_other_rooms(tmp_path):
    url, drop = postgres_database()
    server = LiveServer(tmp_path, mode="eventlet", database_url=url).prepare().start()
    try:
        token = server.token()
        first, second = server.create_workshop(token), server.create_workshop(token)
        for workshop in (first, second):
            server.set_phase(token, workshop["id"], "discover")
        waiting = server.client({"token": server.join(first["code"], "Ana")["token"]})[0]
        writer = server.client({"token": server.join(second["code"], "Ben")["token"]})[0]
        reader, inbox = server.client({"token": server.join(second["code"], "Cleo")["token"]})

        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain) as blocker:
            blocker.execute("SELECT id FROM workshops WHERE id = %s FOR UPDATE", (first["id"],))
            slow: dict = {}

            def contribute_to_locked_room() -> None:
                slow["ack"] = waiting.call(
                    "contribute",
                    {"client_id": str(uuid.uuid4()), "kind": "story", "text": "Waits"},
                    timeout=30,
                )
                slow["at"] = time.monotonic()

            thread = threading.Thread(target=contribute_to_locked_room)
            thread.start()
            time.sleep(0.5)  # the server is now waiting on the lock
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
            assert "ack" not in slow  # room A is still waiting
            released = time.monotonic()
            blocker.rollback()
        thread.join(timeout=30)
        assert slow["ack"]["ok"] and slow["at"] >= released
        for client in (waiting, writer, reader):
            client.disconnect()
    finally:
        server.stop()
        drop()
