"""Presence is announced once per moment, not once per join, on the real server."""

from __future__ import annotations

import time

from livekit import LiveServer


def test_a_wave_of_joins_shares_presence_broadcasts(tmp_path):
    server = LiveServer(tmp_path, extra_env={"PRESENCE_COALESCE_SECONDS": "0.5"}).prepare().start()
    clients = []
    try:
        token = server.token()
        workshop = server.create_workshop(token)
        watcher, inbox = server.client({"token": token, "workshop_id": workshop["id"]})
        clients.append(watcher)
        for n in range(20):
            clients.append(
                server.client({"token": server.join(workshop["code"], f"P{n}")["token"]})[0]
            )
        time.sleep(1.5)
        announcements = []
        while not inbox.empty():
            event, data = inbox.get()
            if event == "presence":
                announcements.append(data)
        assert announcements[-1]["online"] == 20 and announcements[-1]["joined"] == 20
        assert len(announcements) < 20  # twenty joins, fewer broadcasts
    finally:
        for client in clients:
            client.disconnect()
        server.stop()
