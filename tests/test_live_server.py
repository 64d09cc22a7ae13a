"""The real server (``python wsgi.py``) with real Socket.IO clients over WebSocket."""

from __future__ import annotations

import threading
import uuid

import pytest
import requests
from livekit import LiveServer, next_event


@pytest.fixture(params=["eventlet", "threading"])
def server(request, tmp_path):
    live = LiveServer(tmp_path, mode=request.param).prepare().start()
    yield live
    live.stop()


def test_a_workshop_on_the_real_server(server):
    token = server.token()
    headers = {"Authorization": f"Bearer {token}"}
    workshop = server.create_workshop(token)
    people = [server.join(workshop["code"], n) for n in ("Ana", "Ben")]
    board, board_inbox = server.client({"token": token, "workshop_id": workshop["id"]})
    ana, ana_inbox = server.client({"token": people[0]["token"]})
    ben, ben_inbox = server.client({"token": people[1]["token"]})
    try:
        assert next_event(ana_inbox, "snapshot")["workshop"]["phase"] == "lobby"
        assert board.call("set_phase", {"phase": "discover"}, timeout=5)["ok"]
        assert next_event(ben_inbox, "phase")["phase"] == "discover"
        ack = ana.call(
            "contribute",
            {"client_id": str(uuid.uuid4()), "kind": "story", "text": "Żółć, Šiška, Čáp"},
            timeout=5,
        )
        assert ack["ok"]
        story = next_event(ben_inbox, "contribution")
        assert story["id"] == ack["id"] and story["text"] == "Żółć, Šiška, Čáp"
        assert next_event(board_inbox, "contribution")["id"] == ack["id"]
        refused = ben.call("set_phase", {"phase": "closed"}, timeout=5)
        assert refused["ok"] is False and refused["error"] == "forbidden"
        # Heavy formats are laid out by a worker process; the answer is the same file.
        base = f"{server.base}/api/workshops/{workshop['id']}"
        pdf = requests.get(f"{base}/export.pdf", headers=headers, timeout=60)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        docx = requests.get(f"{base}/export.docx", headers=headers, timeout=60)
        assert docx.status_code == 200 and docx.content.startswith(b"PK")
    finally:
        # In parallel: werkzeug's WebSocket close handshake takes seconds each.
        closers = [threading.Thread(target=c.disconnect) for c in (board, ana, ben)]
        for closer in closers:
            closer.start()
        for closer in closers:
            closer.join(timeout=10)
