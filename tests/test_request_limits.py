"""Finding 3: one large request or message must not stall everyone (the laptop mode, no nginx).

The real server (``python wsgi.py``, eventlet, as ``HOST=0.0.0.0 make run``
serves it) is attacked as the report did: a 40 MB join, Socket.IO messages
just under the size limit sent without pause, a message split into
continuation frames, and malformed packets. Meanwhile another room's phone
must get its acks within a second, and ``/healthz`` must answer.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid

import pytest
import requests
import websocket
from livekit import LiveServer

from config import Config

LIMIT = Config.SOCKETIO_MAX_MESSAGE_BYTES


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("limits")).prepare().start()
    yield live
    live.stop()


@pytest.fixture
def rooms(server):
    """Two workshops collecting stories: the attacker's and the one that must not notice."""
    token = server.token()
    attacked, quiet = server.create_workshop(token), server.create_workshop(token)
    for workshop in (attacked, quiet):
        server.set_phase(token, workshop["id"], "discover")
    return attacked, quiet


class RawSocket:
    """A Socket.IO client made of WebSocket frames, to send what real clients never would."""

    def __init__(self, server: LiveServer, auth: dict) -> None:
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket", timeout=10
        )
        assert self.ws.recv().startswith("0")  # Engine.IO open
        self.ws.send("40" + json.dumps(auth))
        while not self.ws.recv().startswith("40"):
            pass

    def send_frames(self, data: bytes, frame: int) -> None:
        """One text message split into continuation frames of ``frame`` bytes."""
        parts = [data[i : i + frame] for i in range(0, len(data), frame)]
        for n, part in enumerate(parts):
            opcode = websocket.ABNF.OPCODE_TEXT if n == 0 else websocket.ABNF.OPCODE_CONT
            self.ws.send_frame(websocket.ABNF.create_frame(part, opcode, fin=n == len(parts) - 1))

    def closed_by_server(self, timeout: float = 10) -> bool:
        """Whether the server closes the connection within ``timeout`` (pings are answered)."""
        self.ws.settimeout(timeout)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                message = self.ws.recv()
                if message == "2":
                    self.ws.send("3")
                elif not message:
                    return True
        except (websocket.WebSocketConnectionClosedException, ConnectionError, OSError):
            return True
        except websocket.WebSocketTimeoutException:
            return False
        return False


@pytest.fixture
def raw_socket(server):
    """Opens ``RawSocket``s, closed at the end of the test."""
    opened: list[RawSocket] = []

    def open_socket(auth: dict) -> RawSocket:
        opened.append(RawSocket(server, auth))
        return opened[-1]

    yield open_socket
    for raw in opened:
        raw.ws.shutdown()


def story(text: str = "A high point") -> dict:
    return {"client_id": str(uuid.uuid4()), "kind": "story", "text": text}


def test_a_40_mb_join_is_refused_unread_and_health_answers_meanwhile(server, rooms):
    attacked, _ = rooms
    body = json.dumps({"code": attacked["code"], "name": "x" * 40_000_000}).encode()
    answer: dict = {}

    def attack() -> None:
        started = time.monotonic()
        try:
            response = requests.post(
                f"{server.base}/api/join",
                data=body,
                headers={"Content-Type": "application/json"},
                timeout=30,
            )
            answer["status"] = response.status_code
        except requests.ConnectionError:
            answer["status"] = "closed"  # refused before the upload finished
        answer["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=attack)
    thread.start()
    started = time.monotonic()
    assert requests.get(f"{server.base}/healthz", timeout=5).status_code == 200
    assert time.monotonic() - started < 1.0
    thread.join(30)
    assert answer["status"] in (413, "closed"), answer
    assert answer["seconds"] < 5, answer


def test_a_large_name_is_refused_before_it_is_cleaned(server, rooms):
    attacked, _ = rooms
    started = time.monotonic()
    response = requests.post(
        f"{server.base}/api/join",
        json={"code": attacked["code"], "name": "x" * 200_000},
        timeout=10,
    )
    assert response.status_code == 400 and response.json()["error"] == "text_too_long"
    assert time.monotonic() - started < 1.0


def test_a_body_without_length_is_bounded_too(server, rooms):
    """Chunked uploads have no Content-Length for the server to check first."""
    attacked, _ = rooms

    def chunks():
        yield b'{"code": "' + attacked["code"].encode() + b'", "name": "'
        for _ in range(400):
            yield b"x" * 100_000
        yield b'"}'

    # Closed before the upload finished is a refusal too.
    with contextlib.suppress(requests.ConnectionError):
        response = requests.post(
            f"{server.base}/api/join",
            data=chunks(),
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
        assert response.status_code in (400, 411, 413), response.status_code
    assert requests.get(f"{server.base}/healthz", timeout=5).status_code == 200


def test_a_flood_of_large_messages_does_not_delay_another_rooms_acks(server, rooms):
    attacked, quiet = rooms
    attackers = [
        server.client({"token": server.join(attacked["code"], f"Flood {n}")["token"]})[0]
        for n in range(3)
    ]
    phone = server.client({"token": server.join(quiet["code"], "Ana")["token"]})[0]
    large = story("x" * (LIMIT - 2_000))  # just under the limit once framed
    stop = threading.Event()

    def flood(client) -> None:
        while not stop.is_set():
            client.emit("contribute", large)

    threads = [threading.Thread(target=flood, args=(a,), daemon=True) for a in attackers]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.5)  # the flood is under way
        waits = []
        for _ in range(10):
            started = time.monotonic()
            ack = phone.call("contribute", story(), timeout=10)
            waits.append(time.monotonic() - started)
            assert ack["ok"], ack
        assert max(waits) < 1.0, f"acks waited up to {max(waits):.2f}s behind the flood"
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)
        for client in (*attackers, phone):
            client.disconnect()


def test_a_message_above_the_limit_closes_only_its_socket(server, rooms, raw_socket):
    attacked, quiet = rooms
    raw = raw_socket({"token": server.join(attacked["code"], "Big")["token"]})
    phone = server.client({"token": server.join(quiet["code"], "Ana")["token"]})[0]
    payload = json.dumps(["contribute", story("x" * (LIMIT + 10))])
    raw.ws.send("42" + payload)
    assert raw.closed_by_server()
    assert phone.call("contribute", story(), timeout=5)["ok"]
    phone.disconnect()


def test_a_message_split_into_frames_is_bounded_as_a_whole(server, rooms, raw_socket):
    attacked, quiet = rooms
    raw = raw_socket({"token": server.join(attacked["code"], "Frames")["token"]})
    phone = server.client({"token": server.join(quiet["code"], "Ana")["token"]})[0]
    message = ("42" + json.dumps(["contribute", story("x" * (4 * LIMIT))])).encode()
    # The server may close it while the frames are still going out.
    with contextlib.suppress(OSError, websocket.WebSocketConnectionClosedException):
        raw.send_frames(message, frame=LIMIT // 4)
    assert raw.closed_by_server()
    assert phone.call("contribute", story(), timeout=5)["ok"]
    phone.disconnect()


@pytest.mark.parametrize(
    "message",
    [
        '42["vote",' + "[" * 100_000 + "]" * 100_000 + "]",
        '451-["contribute",{"_placeholder":true,"num":0}]',
        "42[" + "{" * 5000,
    ],
    ids=["nested", "binary", "broken"],
)
def test_a_malformed_packet_closes_its_socket_and_nothing_else(server, rooms, raw_socket, message):
    attacked, quiet = rooms
    raw = raw_socket({"token": server.join(attacked["code"], "Odd")["token"]})
    phone = server.client({"token": server.join(quiet["code"], "Ana")["token"]})[0]
    raw.ws.send(message)
    assert raw.closed_by_server()
    assert phone.call("contribute", story(), timeout=5)["ok"]
    phone.disconnect()
    log = server.log_path.read_text()
    assert "Traceback" not in log, log[-3000:]


def test_bodies_over_the_limit_are_refused_before_they_are_read(client):
    body = b'{"code": "ABCDEF", "name": "' + b"x" * (300 * 1024) + b'"}'
    response = client.post("/api/join", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json["error"] == "request_entity_too_large"
    page = client.post("/join", data={"code": "ABCDEF", "name": "x" * (300 * 1024)})
    assert page.status_code == 413


def test_a_route_may_take_a_larger_body_of_its_own(app):
    """An import upload declares its bound (``@body_limit``); every other route keeps the cap."""
    from flask import request

    from workshop.http import body_limit

    @body_limit("IMPORT_MAX_BYTES")
    def upload():
        return {"bytes": len(request.get_data())}

    app.add_url_rule("/test-upload", view_func=upload, methods=["POST"])
    app.config["IMPORT_MAX_BYTES"] = 1024 * 1024
    client = app.test_client()
    assert client.post("/test-upload", data=b"x" * 600_000).json == {"bytes": 600_000}
    assert client.post("/test-upload", data=b"x" * (1024 * 1024 + 1)).status_code == 413
    json_body = {"Content-Type": "application/json"}
    assert client.post("/api/join", data=b"x" * 600_000, headers=json_body).status_code == 413
