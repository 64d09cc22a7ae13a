"""The real server (``python wsgi.py``) with real Socket.IO clients over WebSocket."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(params=["eventlet", "threading"])
def server(request, tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "SOCKETIO_ASYNC_MODE": request.param,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
        "PORT": str(port),
        "FLASK_CONFIG": "development",
    }
    flask = [sys.executable, "-m", "flask", "--app", "workshop"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run(
        [*flask, "facilitator", "create", "live@example.org", "--password", "live password"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "wsgi.py"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("server did not start: " + (tmp_path / "server.log").read_text())
    yield base
    process.terminate()
    process.wait(timeout=10)
    log.close()


def _client(base: str, auth: dict) -> tuple[socketio.Client, queue.Queue]:
    inbox: queue.Queue = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("*", lambda event, data: inbox.put((event, data)))
    client.connect(base, auth=auth, transports=["websocket"], wait_timeout=10)
    return client, inbox


def _next(inbox: queue.Queue, name: str) -> dict:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        event, data = inbox.get(timeout=max(deadline - time.monotonic(), 0.01))
        if event == name:
            return data
    raise AssertionError(f"no {name} event")


def test_a_workshop_on_the_real_server(server):
    token = requests.post(
        f"{server}/api/auth/token",
        json={"email": "live@example.org", "password": "live password"},
        timeout=5,
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    workshop = requests.post(
        f"{server}/api/workshops", json={"title": "Live"}, headers=headers, timeout=5
    ).json()
    people = [
        requests.post(
            f"{server}/api/join", json={"code": workshop["code"], "name": n}, timeout=5
        ).json()
        for n in ("Ana", "Ben")
    ]
    board, board_inbox = _client(server, {"token": token, "workshop_id": workshop["id"]})
    ana, ana_inbox = _client(server, {"token": people[0]["token"]})
    ben, ben_inbox = _client(server, {"token": people[1]["token"]})
    try:
        assert _next(ana_inbox, "snapshot")["workshop"]["phase"] == "lobby"
        assert board.call("set_phase", {"phase": "discover"}, timeout=5)["ok"]
        assert _next(ben_inbox, "phase")["phase"] == "discover"
        ack = ana.call(
            "contribute",
            {"client_id": str(uuid.uuid4()), "kind": "story", "text": "Żółć, Šiška, Čáp"},
            timeout=5,
        )
        assert ack["ok"]
        story = _next(ben_inbox, "contribution")
        assert story["id"] == ack["id"] and story["text"] == "Żółć, Šiška, Čáp"
        assert _next(board_inbox, "contribution")["id"] == ack["id"]
        refused = ben.call("set_phase", {"phase": "closed"}, timeout=5)
        assert refused["ok"] is False and refused["error"] == "forbidden"
        # Heavy formats are laid out by a worker process; the answer is the same file.
        pdf = requests.get(
            f"{server}/api/workshops/{workshop['id']}/export.pdf", headers=headers, timeout=60
        )
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        docx = requests.get(
            f"{server}/api/workshops/{workshop['id']}/export.docx", headers=headers, timeout=60
        )
        assert docx.status_code == 200 and docx.content.startswith(b"PK")
    finally:
        # In parallel: werkzeug's WebSocket close handshake takes seconds each.
        closers = [threading.Thread(target=c.disconnect) for c in (board, ana, ben)]
        for closer in closers:
            closer.start()
        for closer in closers:
            closer.join(timeout=10)
