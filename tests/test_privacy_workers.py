"""Withdrawals and deletions across two workers sharing rooms through Redis (PostgreSQL, Redis)."""

from __future__ import annotations

import uuid

import requests
from livekit import next_event
from test_scale_out import _until, workers  # noqa: F401  (the two-worker fixture)


def test_a_withdrawal_and_a_deletion_reach_every_worker(workers):  # noqa: F811
    a, b = workers
    token = a.token()
    workshop = a.create_workshop(token)
    wid, code = workshop["id"], workshop["code"]
    board, board_inbox = b.client({"token": token, "workshop_id": wid})
    ana, _ana_inbox = a.client({"token": a.join(code, "Ana")["token"]})
    ben, ben_inbox = b.client({"token": b.join(code, "Ben")["token"]})
    try:
        a.set_phase(token, wid, "discover")
        payload = {"client_id": str(uuid.uuid4()), "kind": "story", "text": "Mine to take back"}
        story = ana.call("contribute", payload, timeout=10)["id"]
        next_event(ben_inbox, "contribution", where=lambda data: data["id"] == story)

        # Withdrawn on worker A: the board and Ben's phone on worker B drop it.
        assert ana.call("withdraw", {"contribution_id": story}, timeout=10) == {"ok": True}
        for inbox in (board_inbox, ben_inbox):
            hidden = next_event(inbox, "contribution_hidden")
            assert hidden["id"] == story and hidden["deleted"] is True
        assert b.snapshot(token, wid)["contributions"] == []

        # Deleted through worker A: the room on worker B hears it, the phones on
        # both workers are disconnected, and nobody gets back in.
        response = requests.delete(
            f"{a.base}/api/workshops/{wid}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert response.status_code == 204
        assert next_event(board_inbox, "workshop_deleted") == {"id": wid}
        assert next_event(ben_inbox, "workshop_deleted") == {"id": wid}
        assert _until(lambda: not ana.connected and not ben.connected, 10)
        refused = board.call("roster", {}, timeout=10)
        assert refused["ok"] is False and refused["error"] == "unauthorized"
    finally:
        for client in (board, ana, ben):
            if client.connected:
                client.disconnect()
