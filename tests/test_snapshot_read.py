"""A snapshot is one committed moment, on SQLite (a file, WAL) and PostgreSQL.

A change committed while a snapshot is read is in neither its ``seq`` nor its contents.

A second connection commits a new story right after the snapshot's first
query. Read as separate statements (PostgreSQL's READ COMMITTED, SQLite's
statements outside a transaction), the snapshot would show the story while
its ``seq`` says the change came later, and the client would apply the
story's event on top; contents older than ``seq`` would lose it instead.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from livekit import postgres_database
from sqlalchemy import event, select

import config
from workshop import create_app
from workshop.extensions import db
from workshop.models import Participant, Workshop
from workshop.services import accounts, contributions, participants, ratelimit, workshops
from workshop.services.snapshot import snapshot


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path, monkeypatch) -> Iterator[Flask]:
    drop = None
    if request.param == "postgresql":
        url, drop = postgres_database()
    else:
        url = f"sqlite:///{tmp_path / 'snapshot.sqlite3'}"
    monkeypatch.setattr(config.TestingConfig, "SQLALCHEMY_DATABASE_URI", url)
    app = create_app("testing")
    with app.app_context():
        db.create_all()
        ratelimit.reset()  # ids start again at 1: earlier tests' counts must not apply
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    if drop:
        drop()


def _write_from_another_connection(app: Flask, participant_id: int, text: str) -> int:
    """Commit a story in a session of its own (another thread, another connection)."""
    stored: list[int] = []

    def write() -> None:
        with app.app_context():
            author = db.session.get(Participant, participant_id)
            item, _events = contributions.contribute(
                author, {"client_id": str(uuid.uuid4()), "kind": "story", "text": text}
            )
            stored.append(item.id)
            db.session.remove()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(timeout=30)
    assert stored, "the concurrent story was not stored"
    return stored[0]


@pytest.mark.parametrize("viewer", ["facilitator", "participant"])
def test_a_change_committed_during_the_read_is_not_half_in_the_snapshot(app, viewer):
    with app.test_request_context():  # the snapshot's join link needs a request
        owner = accounts.create_facilitator("lea@example.org", "a long password")
        workshop = workshops.create_workshop(owner, {"title": "Moment"})
        workshops.set_phase(workshop, {"phase": "discover"})
        writer, _token = participants.join({"code": workshop.code, "name": "Ana"}, "127.0.0.1")
        reader, _token = participants.join({"code": workshop.code, "name": "Ben"}, "127.0.0.1")
        first = _write_from_another_connection(app, writer.id, "Before the snapshot")
        workshop = db.session.get(Workshop, workshop.id)
        reader = db.session.get(Participant, reader.id)

        during: list[int] = []
        reading = threading.current_thread()

        def after_first_query(_conn, _cursor, statement: str, *_args: object) -> None:
            # Right after the snapshot's first read, once: another story commits.
            if threading.current_thread() is not reading or during:
                return
            if statement.lstrip().upper().startswith("SELECT"):
                during.append(0)  # taken: the write's own statements come back here
                during[0] = _write_from_another_connection(app, writer.id, "During it")

        event.listen(db.engine, "after_cursor_execute", after_first_query)
        try:
            data = snapshot(workshop, reader if viewer == "participant" else None)
        finally:
            event.remove(db.engine, "after_cursor_execute", after_first_query)

        ids = {c["id"] for c in data["contributions"]}
        assert during, "the concurrent write did not happen"
        assert first in ids
        assert during[0] not in ids  # not in the contents...
        stored_seq = db.session.scalar(select(Workshop.seq).where(Workshop.id == workshop.id))
        assert data["seq"] == stored_seq - 1  # ...and its seq is before that change
