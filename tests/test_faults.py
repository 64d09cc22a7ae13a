"""Faults on the real server: cut connections, SIGKILL and restart; nothing lost, nothing doubled.

Phones (python-socketio clients) keep contributing while connections are
cut at random and the server is killed and started again twice. At the end,
every acknowledged contribution is stored exactly once, every contribution
a phone kept pending is stored after it reconnects, and every phone's view
equals the database. Once on SQLite (``make faults``) and once on PostgreSQL
(``make faults-postgres``); the figures go to artifacts/reliability-<db>.json.

Each phone (``livekit.Phone``) is driven from the test's thread only, one
connection at a time: a dropped or killed connection is closed in full
(socket included) before the phone opens a new one with ``since``, as
socket.io-client does after a drop. The phone keeps its view by the rule
every client follows (static/js/ordering.js).
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from livekit import ROOT, SYNC_TIMEOUT_S, LiveServer, Phone, postgres_database

PHONES = 12
ROUNDS = 3
PER_ROUND = 4


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
                for phone in phones:
                    assert phone.wait_offline(), f"{phone.name} never noticed the server died"
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

        # The facilitator sees no client_id (they stay with their phone): every
        # story's text is unique, so a text stored twice is a duplicate.
        snap = server.snapshot(token, workshop["id"])
        texts = [c["text"] for c in snap["contributions"]]
        stored = {c["id"] for c in snap["contributions"]}
        acked = {cid: item_id for p in phones for cid, item_id in p.acked.items()}
        duplicates = len(texts) - len(set(texts))
        lost = [cid for cid, item_id in acked.items() if item_id not in stored]
        assert duplicates == 0 and lost == []
        assert len(stored) == len(acked) == PHONES * ROUNDS * PER_ROUND + 4 * (ROUNDS - 1)
        assert stored == set(acked.values())
        database_ids = stored
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
