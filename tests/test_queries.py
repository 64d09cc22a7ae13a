"""No N+1 queries: the statements of a contribute, a vote and a snapshot do not grow with the room."""

from __future__ import annotations

import contextlib

from conftest import named, new_client_id
from sqlalchemy import event

from workshop.extensions import db


@contextlib.contextmanager
def counting(app):
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _measure(api, app, people: int, items: int) -> dict[str, int]:
    token = api.facilitator(f"f{people}@example.org")
    workshop = api.create_workshop(token)
    joined = [api.join(workshop["code"], f"P{n}") for n in range(people)]
    phones = [api.socket({"token": p["token"]}) for p in joined[:10]]
    api.set_phase(token, workshop["id"], "dream")
    for n in range(items):
        phones[n % len(phones)].emit(
            "contribute",
            {"client_id": new_client_id(), "kind": "dream", "text": f"D{n}"},
            callback=True,
        )
    counts = {}
    with counting(app) as statements:
        ack = phones[0].emit(
            "contribute",
            {"client_id": new_client_id(), "kind": "dream", "text": "New"},
            callback=True,
        )
    counts["contribute"] = len(statements)
    with counting(app) as statements:
        phones[1].emit("vote", {"contribution_id": ack["id"]}, callback=True)
    counts["vote"] = len(statements)
    with counting(app) as statements:
        late = api.socket({"token": joined[-1]["token"]})
    counts["snapshot"] = len(statements)
    assert len(named(late.get_received(), "snapshot")[0]["contributions"]) == items + 1
    return counts


def test_statement_counts_do_not_grow_with_the_room(api, app):
    small = _measure(api, app, people=3, items=3)
    large = _measure(api, app, people=60, items=90)
    assert large == small, (small, large)
    assert small["contribute"] <= 12 and small["vote"] <= 12 and small["snapshot"] <= 12, small
