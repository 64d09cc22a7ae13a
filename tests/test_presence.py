"""Presence: announced once per moment, not once per join; counts carry a growing version."""

from __future__ import annotations

import uuid

from conftest import events
from livekit import LiveServer, next_event, redis_url

from workshop.realtime.presence import LocalPresence, SharedPresence


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
        announcements = []

        def everyone_counted(data: dict) -> bool:
            announcements.append(data)
            return data["online"] == 20 and data["joined"] == 20

        next_event(inbox, "presence", where=everyone_counted)
        assert len(announcements) < 20  # twenty joins, fewer broadcasts
        versions = [a["version"] for a in announcements]
        assert versions == sorted(set(versions))  # each read of the count is newer
    finally:
        for client in clients:
            client.disconnect()
        server.stop()


def test_a_snapshots_count_is_older_than_the_announcements_after_it(api, room):
    tab = api.socket({"token": room["people"][1]["token"]})  # a second tab of Ben's
    snapshot = events(tab, "snapshot")[0]
    api.socket({"token": room["people"][2]["token"]}).disconnect()  # Cleo comes and goes
    announced = events(tab, "presence")
    assert len(announced) == 2
    assert all(a["version"] > snapshot["presence"]["version"] for a in announced)
    assert announced[0]["version"] < announced[1]["version"]


def test_every_read_of_a_count_gets_a_higher_version():
    store = LocalPresence()
    first = store.counted(7)
    store.connected(7, 1, "sid-1")
    second = store.counted(7)
    store.disconnected(7, 1, "sid-1")
    third = store.counted(7)
    assert (first.count, second.count, third.count) == (0, 1, 0)
    assert first.version < second.version < third.version


def test_shared_versions_grow_across_workers_and_survive_a_lost_key():
    url = redis_url()
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    one, two = SharedPresence(url, prefix, 30), SharedPresence(url, prefix, 30)
    versions = [one.counted(7).version, two.counted(7).version, one.counted(7).version]
    assert versions == sorted(set(versions))
    one._redis.delete(f"{prefix}:presence:7:version")  # expired, or Redis restarted
    assert two.counted(7).version > versions[-1]
