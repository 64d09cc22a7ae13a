"""Racing clients on the real server: counts stay right (database constraints, not only Python)."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from livekit import LiveServer, next_event, postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request, tmp_path):
    drop = None
    url = None
    if request.param == "postgresql":
        url, drop = postgres_database()
    live = LiveServer(tmp_path, mode="eventlet", database_url=url).prepare().start()
    yield live
    live.stop()
    if drop:
        drop()


def _together(calls):
    """Run the calls at the same moment, from separate threads."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_races_keep_counts_right(server):
    token = server.token()
    # Everyone votes for phone 0's dream, phone 0 too.
    workshop = server.create_workshop(token, votes_per_participant=3, self_votes=True)
    wid = workshop["id"]
    people = [server.join(workshop["code"], f"P{n}") for n in range(8)]
    sockets = [server.client({"token": p["token"]})[0] for p in people]
    twin = server.client({"token": people[0]["token"]})[0]  # a second tab of the same phone
    board = server.client({"token": token, "workshop_id": wid})[0]
    try:
        server.set_phase(token, wid, "dream")
        # The same client_id from two sockets at once: one contribution.
        client_id = str(uuid.uuid4())
        payload = {"client_id": client_id, "kind": "dream", "text": "One dream, sent twice"}
        acks = _together(
            [lambda s=s: s.call("contribute", payload, timeout=10) for s in (sockets[0], twin)]
        )
        assert acks[0]["ok"] and acks[1]["ok"] and acks[0]["id"] == acks[1]["id"]
        dream = acks[0]["id"]
        others = [
            sockets[1].call(
                "contribute",
                {"client_id": str(uuid.uuid4()), "kind": "dream", "text": f"D{n}"},
                timeout=10,
            )["id"]
            for n in range(4)
        ]
        # Everyone votes for the same dream at once.
        acks = _together(
            [lambda s=s: s.call("vote", {"contribution_id": dream}, timeout=10) for s in sockets]
        )
        assert all(a["ok"] for a in acks)
        # Phone 2 (two votes left after the dream) fires four votes at once;
        # phone 0's second tab votes too. Budgets hold: 2 + 1 succeed.
        calls = [
            lambda i=i: sockets[2].call("vote", {"contribution_id": others[i]}, timeout=10)
            for i in range(3)
        ]
        calls += [lambda: twin.call("vote", {"contribution_id": others[3]}, timeout=10)]
        calls += [lambda: sockets[2].call("vote", {"contribution_id": others[3]}, timeout=10)]
        acks = _together(calls)
        assert sum(a["ok"] for a in acks[:3] + acks[4:]) == 2 and acks[3]["ok"]
        targets = [others[0], others[1], others[2], others[3], others[3]]
        spent = [t for t, a in zip(targets, acks, strict=True) if a["ok"]]
        # Votes while the facilitator moves on: each either counts or is refused.
        late = [
            lambda s=s: s.call("vote", {"contribution_id": others[0]}, timeout=10)
            for s in sockets[3:]
        ]
        results = _together(
            [*late, lambda: board.call("set_phase", {"phase": "design"}, timeout=10)]
        )
        accepted = sum(1 for a in results[:-1] if a["ok"])
        assert all(a["ok"] or a["error"] == "voting_closed" for a in results[:-1])

        snap = server.snapshot(token, wid)
        counts = {c["id"]: c["votes"] for c in snap["contributions"]}
        # Sent twice at once, stored once (client_ids stay with their phone).
        assert [c["text"] for c in snap["contributions"]].count(payload["text"]) == 1
        assert counts[dream] == 8
        assert counts[others[0]] == spent.count(others[0]) + accepted
        assert sum(counts.values()) == 8 + len(spent) + accepted
    finally:
        for s in [*sockets, twin, board]:
            s.disconnect()


def test_the_same_export_and_the_same_invitation_at_once(server):
    """Four uploads of one export make one workshop; four people on one invitation make one member."""
    import requests

    token = server.token()
    headers = {"Authorization": f"Bearer {token}"}
    base = server.base
    pid = requests.post(
        f"{base}/api/programmes", json={"title": "Race"}, headers=headers, timeout=10
    ).json()["id"]
    workshop = server.create_workshop(token, title="Exported")
    export = requests.get(
        f"{base}/api/workshops/{workshop['id']}/export.json", headers=headers, timeout=10
    ).json()
    answers = _together(
        [
            lambda: requests.post(
                f"{base}/api/programmes/{pid}/imports", json=export, headers=headers, timeout=30
            )
            for _ in range(4)
        ]
    )
    assert sorted(a.status_code for a in answers) == [200, 200, 200, 201], [a.text for a in answers]
    assert len({a.json()["workshop_id"] for a in answers}) == 1
    cards = requests.get(f"{base}/api/programmes/{pid}", headers=headers, timeout=10).json()[
        "workshops"
    ]
    assert len(cards) == 1

    invitation = requests.post(
        f"{base}/api/programmes/{pid}/invitations", json={}, headers=headers, timeout=10
    ).json()["token"]
    emails = [f"racer{n}-{uuid.uuid4().hex[:6]}@example.org" for n in range(4)]
    answers = _together(
        [
            lambda email=email: requests.post(
                f"{base}/api/invitations/{invitation}/accept",
                json={"name": "Racer", "email": email, "password": "racing password"},
                timeout=30,
            )
            for email in emails
        ]
    )
    assert sorted(a.status_code for a in answers) == [201, 410, 410, 410], [a.text for a in answers]
    members = requests.get(f"{base}/api/programmes/{pid}", headers=headers, timeout=10).json()[
        "members"
    ]
    assert len(members) == 2
    # The people who lost the race have no account either: nothing half-made.
    for email, answer in zip(emails, answers, strict=True):
        login = requests.post(
            f"{base}/api/auth/token",
            json={"email": email, "password": "racing password"},
            timeout=10,
        )
        assert login.status_code == (200 if answer.status_code == 201 else 401)


def test_coordinators_shaping_one_synthesis_at_once(server):
    """The same common theme named twice at once is one theme; every change gets its own seq."""
    import requests

    token = server.token()
    headers = {"Authorization": f"Bearer {token}"}
    base = server.base
    pid = requests.post(
        f"{base}/api/programmes", json={"title": "Synthesis race"}, headers=headers, timeout=10
    ).json()["id"]
    workshop = server.create_workshop(token, title="Regional", programme_id=pid)
    board = server.client({"token": token, "workshop_id": workshop["id"]})[0]
    room, inbox = server.client({"token": token, "programme_id": pid, "view": "synthesis"})
    try:
        regional = [
            board.call("theme_create", {"name": f"Regional {n}"}, timeout=10)["id"]
            for n in range(4)
        ]
        answers = _together(
            [
                lambda: requests.post(
                    f"{base}/api/programmes/{pid}/themes",
                    json={"name": "Spaces for making"},
                    headers=headers,
                    timeout=30,
                )
                for _ in range(4)
            ]
        )
        assert sorted(a.status_code for a in answers) == [201, 409, 409, 409], [
            a.text for a in answers
        ]
        common = next(a.json()["id"] for a in answers if a.status_code == 201)
        # Four regional themes mapped at once, from the API and from a board's socket.
        calls = [
            lambda theme=theme: requests.post(
                f"{base}/api/programmes/{pid}/mapping",
                json={"theme_id": theme, "programme_theme_id": common},
                headers=headers,
                timeout=30,
            ).json()
            for theme in regional[:2]
        ]
        calls += [
            lambda theme=theme: room.call(
                "synthesis_map", {"theme_id": theme, "programme_theme_id": common}, timeout=30
            )
            for theme in regional[2:]
        ]
        results = _together(calls)
        seqs = [r["seq"] for r in results]
        assert len(set(seqs)) == 4, results
        synthesis = requests.get(
            f"{base}/api/programmes/{pid}/synthesis", headers=headers, timeout=10
        ).json()
        assert [t["name"] for t in synthesis["programme_themes"]] == ["Spaces for making"]
        mapped = [t["id"] for t in synthesis["programme_themes"][0]["regional_themes"]]
        assert sorted(mapped) == sorted(regional)
        assert synthesis["seq"] >= max(seqs)
        # The board heard each change once, with its own seq.
        heard = set()
        while len(heard) < 5:
            event = next_event(inbox, "synthesis", where=lambda e: e["change"] != "contents")
            heard.add(event["seq"])
        assert set(seqs) <= heard
    finally:
        board.disconnect()
        room.disconnect()


def test_deleting_a_programme_while_workshops_enter_it(server):
    """Workshops created, moved and imported into a programme as it is deleted.

    Each lands before the deletion (and is then outside any programme) or is
    refused with 400; none is left in a programme that is gone, and nothing
    answers 500.
    """
    import requests

    token = server.token()
    headers = {"Authorization": f"Bearer {token}"}
    base = server.base
    movable = [server.create_workshop(token, title=f"Movable {n}")["id"] for n in range(3)]
    export = requests.get(
        f"{base}/api/workshops/{movable[0]}/export.json", headers=headers, timeout=10
    ).json()
    for round_ in range(4):
        pid = requests.post(
            f"{base}/api/programmes",
            json={"title": f"Doomed {round_}"},
            headers=headers,
            timeout=10,
        ).json()["id"]
        calls = [
            lambda pid=pid: requests.delete(
                f"{base}/api/programmes/{pid}", headers=headers, timeout=30
            ),
            *(
                lambda n=n, pid=pid, round_=round_: requests.post(
                    f"{base}/api/workshops",
                    json={"title": f"New {round_}.{n}", "programme_id": pid},
                    headers=headers,
                    timeout=30,
                )
                for n in range(3)
            ),
            *(
                lambda wid=wid, pid=pid: requests.patch(
                    f"{base}/api/workshops/{wid}",
                    json={"programme_id": pid},
                    headers=headers,
                    timeout=30,
                )
                for wid in movable
            ),
            lambda pid=pid: requests.post(
                f"{base}/api/programmes/{pid}/imports", json=export, headers=headers, timeout=30
            ),
        ]
        answers = _together(calls)
        assert answers[0].status_code == 204, answers[0].text
        for answer in answers[1:]:
            # 404: the programme was gone before the import's route found it.
            assert answer.status_code in (200, 201, 400, 404), answer.text
            if answer.status_code == 400:
                assert answer.json()["error"] == "invalid_field", answer.text
        assert (
            requests.get(f"{base}/api/programmes/{pid}", headers=headers, timeout=10).status_code
            == 404
        )
        mine = requests.get(f"{base}/api/workshops", headers=headers, timeout=10).json()[
            "workshops"
        ]
        assert all(w["programme_id"] is None for w in mine), [
            (w["id"], w["programme_id"]) for w in mine if w["programme_id"] is not None
        ]
