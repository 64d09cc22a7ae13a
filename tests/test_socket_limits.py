"""Finding 6: sockets are bounded, and reconnects asking for a snapshot rate-limited.

Sockets are bounded per participant and per address, and reconnects that
ask for a whole snapshot are rate-limited, without ever costing a phone its
state.

The attack held 150 sockets with one participant token, and 8 clients
reconnecting in a loop to a workshop with a 1 MB snapshot pushed another
phone's acks to nearly a second.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid

import pytest
import socketio as python_socketio
from conftest import from_address, named
from livekit import LiveServer

from workshop.extensions import socketio


def phone_socket(app, auth, address="127.0.0.1"):
    return socketio.test_client(app, auth=auth, flask_test_client=from_address(app, address))


@pytest.fixture
def workshop(api):
    token = api.facilitator()
    created = api.create_workshop(token)
    api.set_phase(token, created["id"], "discover")
    return {"token": token, **created}


def test_one_token_holds_a_few_sockets_and_the_newest_always_gets_in(api, app, workshop):
    person = api.join(workshop["code"], "Ana")
    cap = app.config["MAX_SOCKETS_PER_PARTICIPANT"]
    # Saying what they have seen (since), they need no snapshot: only the cap applies.
    auth = {"token": person["token"], "since": 1}
    opened = [phone_socket(app, auth) for _ in range(cap + 10)]
    connected = [sio.is_connected() for sio in opened]
    # The oldest were closed to make room: the newest (a phone back from sleep) is in.
    assert connected == [False] * 10 + [True] * cap
    ack = opened[-1].emit(
        "contribute", {"client_id": str(uuid.uuid4()), "kind": "story", "text": "Hi"}, callback=True
    )
    assert ack["ok"]
    board = phone_socket(app, {"token": workshop["token"], "workshop_id": workshop["id"]})
    assert [p["online"] for p in board.emit("roster", {}, callback=True)["participants"]] == [True]


def test_an_address_holds_at_most_its_cap(api, app, workshop):
    app.config["MAX_SOCKETS_PER_ADDRESS"] = 3
    people = [api.join(workshop["code"], f"P{n}") for n in range(5)]
    venue = [phone_socket(app, {"token": p["token"]}, "192.0.2.10") for p in people]
    assert [sio.is_connected() for sio in venue] == [True, True, True, False, False]
    # Another address is not affected, and a closed socket frees a place.
    assert phone_socket(app, {"token": people[3]["token"]}, "192.0.2.11").is_connected()
    venue[0].disconnect()
    assert phone_socket(app, {"token": people[4]["token"]}, "192.0.2.10").is_connected()


def test_snapshots_are_rate_limited_but_replays_are_not(api, app, workshop):
    person = api.join(workshop["code"], "Ana")
    seen = 0
    for _ in range(12):
        sio = phone_socket(app, {"token": person["token"]})
        assert sio.is_connected()
        seen = named(sio.get_received(), "snapshot")[0]["seq"]
        sio.disconnect()
    assert not phone_socket(app, {"token": person["token"]}).is_connected()
    # A phone back from sleep that says what it has seen gets the missed events instead.
    other = api.join(workshop["code"], "Ben")
    writer = phone_socket(app, {"token": other["token"]})
    writer.emit(
        "contribute", {"client_id": str(uuid.uuid4()), "kind": "story", "text": "x"}, callback=True
    )
    back = phone_socket(app, {"token": person["token"], "since": seen})
    assert back.is_connected()
    received = back.get_received()
    assert [m["name"] for m in received if m["name"] != "presence"][-1] == "resynced"
    assert named(received, "contribution")[0]["text"] == "x"
    # Another participant, and the board, have budgets of their own.
    assert phone_socket(app, {"token": api.join(workshop["code"], "Cleo")["token"]}).is_connected()
    assert phone_socket(
        app, {"token": workshop["token"], "workshop_id": workshop["id"]}
    ).is_connected()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("sockets")).prepare().start()
    yield live
    live.stop()


def test_a_refused_reconnect_says_when_to_come_back(server):
    token = server.token()
    workshop = server.create_workshop(token)
    person = server.join(workshop["code"], "Ana")
    for _ in range(12):
        client, _ = server.client({"token": person["token"]})
        client.disconnect()
    refused = python_socketio.Client(reconnection=False)
    errors = []
    refused.on("connect_error", errors.append)
    with pytest.raises(python_socketio.exceptions.ConnectionError):
        refused.connect(server.base, auth={"token": person["token"]}, transports=["websocket"])
    assert errors[0]["message"] == "rate_limited"
    assert 0 < errors[0]["data"]["retry_after"] <= 60


def _fill(database, workshop_id, participant_id, count):
    """A workshop with ``count`` stories of 200 characters: a snapshot of about 1 MB."""
    with sqlite3.connect(database) as db:
        db.executemany(
            "INSERT INTO contributions (workshop_id, participant_id, client_id, kind, title, text,"
            " consent, language, factors, owner, owner_organisation, hidden, edited, vote_count,"
            " created_at) VALUES (?, ?, ?, 'story', '', ?, 'anonymous', 'en', '', '', '', 0, 0,"
            " 0, '2026-11-25 10:00:00')",
            [(workshop_id, participant_id, uuid.uuid4().hex, "s" * 200) for _ in range(count)],
        )


def test_reconnects_in_a_loop_do_not_delay_another_room(server):
    token = server.token()
    big, quiet = server.create_workshop(token), server.create_workshop(token)
    server.set_phase(token, quiet["id"], "discover")
    loopers = [server.join(big["code"], f"Loop {n}") for n in range(8)]
    _fill(server.folder / "live.sqlite3", big["id"], loopers[0]["participant_id"], 3000)
    phone = server.client({"token": server.join(quiet["code"], "Ana")["token"]})[0]
    stop = threading.Event()

    def loop(person) -> None:
        while not stop.is_set():
            client = python_socketio.Client(reconnection=False)
            try:
                client.connect(
                    server.base, auth={"token": person["token"]}, transports=["websocket"]
                )
                client.disconnect()
            except python_socketio.exceptions.ConnectionError:
                time.sleep(0.05)  # refused: straight back, as the attack did

    threads = [threading.Thread(target=loop, args=(p,), daemon=True) for p in loopers]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        waits = []
        for _ in range(20):
            started = time.monotonic()
            ack = phone.call(
                "contribute",
                {"client_id": str(uuid.uuid4()), "kind": "story", "text": "Hi"},
                timeout=10,
            )
            waits.append(time.monotonic() - started)
            assert ack["ok"], ack
        waits.sort()
        median, p95 = waits[len(waits) // 2], waits[18]
        assert median < 0.5 and p95 < 1.0, f"acks behind the reconnects: {waits}"
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)
        phone.disconnect()
