"""Two workers sharing rooms through Redis, on one PostgreSQL database (the machine's own services)."""

from __future__ import annotations

import time
import uuid

import pytest
from livekit import LiveServer, Phone, next_event, postgres_database, redis_url


@pytest.fixture
def workers(tmp_path):
    database, drop = postgres_database()
    queue = redis_url()
    env = {
        "SOCKETIO_MESSAGE_QUEUE": queue,
        "RATELIMIT_STORAGE_URI": queue,
        "SOCKETIO_CHANNEL": f"test-{uuid.uuid4().hex[:8]}",
        "PRESENCE_TTL_SECONDS": "2",
    }
    first = LiveServer(tmp_path, database_url=database, extra_env=env).prepare().start()
    second = LiveServer(tmp_path, database_url=database, extra_env=env).start()
    yield first, second
    first.stop()
    second.stop()
    drop()


def _until(condition, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():
        time.sleep(0.05)
    return condition()


def _online(board) -> dict[str, bool]:
    ack = board.call("roster", {}, timeout=10)
    return {person["name"]: person["online"] for person in ack["participants"]}


def test_presence_and_removal_span_workers(workers):
    a, b = workers
    token = a.token()
    workshop = a.create_workshop(token)
    board, board_inbox = a.client({"token": token, "workshop_id": workshop["id"]})
    board_b = b.client({"token": token, "workshop_id": workshop["id"]})[0]
    ana = a.client({"token": a.join(workshop["code"], "Ana")["token"]})[0]
    ben = b.client({"token": b.join(workshop["code"], "Ben")["token"]})[0]
    cleo_token = b.join(workshop["code"], "Cleo")["token"]
    cleo, cleo_inbox = b.client({"token": cleo_token})
    cleo_again = b.client({"token": cleo_token})[0]  # a second tab
    try:
        # The board on worker A counts the phones on worker B.
        next_event(board_inbox, "presence", where=lambda data: data["online"] == 3)
        assert _online(board) == {"Ana": True, "Ben": True, "Cleo": True}
        assert next_event(cleo_inbox, "snapshot")["presence"]["online"] == 3

        # Removed on worker A, Cleo loses both sockets on worker B.
        cleo_id = next(
            p["id"] for p in board.call("roster", {})["participants"] if p["name"] == "Cleo"
        )
        assert board.call("participant_remove", {"participant_id": cleo_id}, timeout=10)["ok"]
        assert _until(lambda: not cleo.connected and not cleo_again.connected, 10)
        next_event(board_inbox, "presence", where=lambda data: data["online"] == 2)

        # A killed worker's phones leave "online now" when its entries expire.
        a.kill()
        assert _until(lambda: _online(board_b) == {"Ana": False, "Ben": True}, 15)
    finally:
        for client in (board, board_b, ana, ben, cleo, cleo_again):
            if client.connected:
                client.disconnect()


def test_rooms_span_workers_and_survive_a_worker_crash(workers):
    a, b = workers
    token = a.token()
    workshop = a.create_workshop(token)
    wid = workshop["id"]
    board, board_inbox = a.client({"token": token, "workshop_id": wid})
    ana = Phone(a, a.join(workshop["code"], "Ana")["token"], "Ana")
    ben_token = b.join(workshop["code"], "Ben")["token"]
    ben = Phone(b, ben_token, "Ben")
    ana.connect()
    ben.connect()
    ben_tab, ben_events = b.client({"token": ben_token})
    try:
        # A phase change made on worker B reaches phones on worker A, and the reverse.
        b.set_phase(token, wid, "discover")
        assert next_event(board_inbox, "phase")["phase"] == "discover"
        assert next_event(ben_events, "phase")["phase"] == "discover"
        assert board.call("timer_start", {"seconds": 300}, timeout=10)["ok"]
        assert next_event(ben_events, "timer")["state"] == "running"

        # Contributions cross workers live and in order.
        sent = [ben.say(f"Ben {n}") for n in range(5)] + [ana.say(f"Ana {n}") for n in range(5)]
        for phone in (ana, ben):
            assert phone.wait_for(lambda view: set(sent) <= set(view), 15), phone.name
        assert ana.seqs == sorted(ana.seqs) and ben.seqs == sorted(ben.seqs)

        # Worker A dies; Ben keeps contributing on B; A comes back and Ana resyncs.
        a.kill()
        while_down = [ben.say(f"While A is down {n}") for n in range(3)]
        a.start()
        ana.connect()  # as her phone does once A answers again, with `since`
        database = {c["id"] for c in b.snapshot(token, wid)["contributions"]}
        assert database == set(sent) | set(while_down)
        assert ana.shows(database) and ben.shows(database)
        assert not ana.problems and not ben.problems
    finally:
        board.disconnect()
        ben_tab.disconnect()
        for phone in (ana, ben):
            phone.close()
