"""A whole workshop, facilitator and three phones, through every phase of the 4-D cycle."""

from __future__ import annotations

from conftest import bearer, named, new_client_id


def contribute(sio, **payload):
    payload.setdefault("client_id", new_client_id())
    return sio.emit("contribute", payload, callback=True)


def test_whole_workshop_end_to_end(api, room):
    board, (ana, ben, cleo) = room["board"], room["phones"]
    wid, token = room["workshop"]["id"], room["token"]

    # Discover: stories from every phone reach everyone, the board included.
    ack = board.emit("set_phase", {"phase": "discover"}, callback=True)
    assert ack["ok"] and ack["phase"] == "discover"
    for sio in (ana, ben, cleo):
        phase = named(sio.get_received(), "phase")
        assert phase[0]["phase"] == "discover"
        assert len(phase[0]["prompts"]) == 4  # the four appreciative-interview questions
    board.get_received()

    stories = {}
    for sio, text, consent in (
        (ana, "Our makerspace in an old textile mill trained 40 young designers.", "named"),
        (ben, "The Tabakfabrik opened its doors to start-ups.", "anonymous"),
        (cleo, "A private note about a funding gap.", "private"),
    ):
        ack = contribute(sio, kind="story", title="High point", text=text, consent=consent)
        assert ack["ok"] is True and isinstance(ack["id"], int)
        stories[text] = ack["id"]
        for other in (board, ana, ben, cleo):
            got = named(other.get_received(), "contribution")
            assert [c["id"] for c in got] == [ack["id"]]
            assert got[0]["text"] == text and got[0]["kind"] == "story"
            assert got[0]["author"] == ("Ana" if consent == "named" else None)

    # The facilitator groups the positive core.
    ack = board.emit("theme_create", {"name": "Spaces for makers"}, callback=True)
    assert ack["ok"]
    theme_id = ack["id"]
    assert named(ana.get_received(), "theme") == [
        {
            "id": theme_id,
            "name": "Spaces for makers",
            "seq": named(board.get_received(), "theme")[0]["seq"],
        }
    ]
    mill = stories["Our makerspace in an old textile mill trained 40 young designers."]
    assert board.emit(
        "theme_assign", {"theme_id": theme_id, "contribution_id": mill}, callback=True
    )["ok"]
    regrouped = named(ben.get_received(), "contribution")
    assert regrouped[0]["id"] == mill and regrouped[0]["theme_id"] == theme_id
    assert board.emit(
        "theme_rename", {"theme_id": theme_id, "name": "Makers' spaces"}, callback=True
    )["ok"]
    assert named(cleo.get_received(), "theme")[-1]["name"] == "Makers' spaces"
    for sio in (board, ana, ben, cleo):
        sio.get_received()

    # Dream: dreams are dot-voted, votes withdrawn and recounted live.
    api.set_phase(token, wid, "dream")
    assert named(ana.get_received(), "phase")[0]["phase"] == "dream"
    dream_a = contribute(ana, kind="dream", text="Every mill is a creative campus.")["id"]
    dream_b = contribute(ben, kind="dream", text="Young talent stays in the region.")["id"]
    for sio in (board, ana, ben, cleo):
        sio.get_received()
    ack = cleo.emit("vote", {"contribution_id": dream_a}, callback=True)
    assert ack == {"ok": True, "votes": 1, "votes_left": 2}
    ack = ben.emit("vote", {"contribution_id": dream_a}, callback=True)
    assert ack == {"ok": True, "votes": 2, "votes_left": 2}
    tallies = named(ana.get_received(), "tally")
    assert [(t["contribution_id"], t["votes"]) for t in tallies] == [(dream_a, 1), (dream_a, 2)]
    ack = ben.emit("unvote", {"contribution_id": dream_a}, callback=True)
    assert ack == {"ok": True, "votes": 1, "votes_left": 3}
    # Nobody votes for their own dream (unless the facilitator allows it).
    own = ben.emit("vote", {"contribution_id": dream_b}, callback=True)
    assert own["ok"] is False and own["error"] == "own_contribution"
    assert ana.emit("vote", {"contribution_id": dream_b}, callback=True)["votes"] == 1
    assert named(board.get_received(), "tally")[-1] == {
        "contribution_id": dream_b,
        "votes": 1,
        "seq": named(cleo.get_received(), "tally")[-1]["seq"],
    }

    # Design: propositions grounded in a theme, voted.
    api.set_phase(token, wid, "design")
    proposition = contribute(
        ana,
        kind="proposition",
        text="Every partner region hosts a peer visit each year.",
        theme_id=theme_id,
    )["id"]
    assert cleo.emit("vote", {"contribution_id": proposition}, callback=True)["votes"] == 1
    # Dream votes are closed while designing.
    refused = cleo.emit("vote", {"contribution_id": dream_b}, callback=True)
    assert refused["ok"] is False and refused["error"] == "voting_closed"

    # Deliver: commitments linked to the proposition.
    api.set_phase(token, wid, "deliver")
    for sio in (board, ana, ben, cleo):
        sio.get_received()
    ack = contribute(
        ben,
        kind="commitment",
        text="Host the first peer visit in Linz.",
        owner="Ben, Tabakfabrik",
        due="2027-05-15",
        proposition_id=proposition,
        consent="named",
    )
    assert ack["ok"]
    commitment = named(cleo.get_received(), "contribution")[0]
    assert commitment["owner"] == "Ben, Tabakfabrik"
    assert commitment["due"] == "2027-05-15" and commitment["proposition_id"] == proposition

    # Close: the room hears it; the export carries the whole SOAR draft.
    api.set_phase(token, wid, "closed")
    assert named(ana.get_received(), "phase")[0]["phase"] == "closed"
    md = api.http.get(f"/api/workshops/{wid}/export.md", headers=bearer(token)).get_data(
        as_text=True
    )
    assert "Makers' spaces" in md and "textile mill" in md and "Tabakfabrik opened" in md
    assert "A private note" not in md
    assert md.index("Every mill is a creative campus") < md.index("Young talent stays")
    assert "Host the first peer visit in Linz." in md and "Ben, Tabakfabrik" in md

    # The whole run left a consistent snapshot with strictly increasing seq.
    snapshot = api.http.get(f"/api/workshops/{wid}", headers=bearer(token)).json
    assert snapshot["workshop"]["phase"] == "closed"
    assert len(snapshot["contributions"]) == 7
    assert snapshot["seq"] > 10


def test_every_broadcast_carries_an_increasing_seq(api, room):
    board, (ana, ben, _cleo) = room["board"], room["phones"]
    board.emit("set_phase", {"phase": "discover"}, callback=True)
    contribute(ana, kind="story", text="One")
    contribute(ben, kind="story", text="Two")
    board.emit("theme_create", {"name": "T"}, callback=True)
    received = [m for m in ana.get_received() if m["name"] != "presence"]
    seqs = [m["args"][0]["seq"] for m in received]
    assert [m["name"] for m in received] == ["phase", "contribution", "contribution", "theme"]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_snapshot_on_reconnect_keeps_the_participant(api, room):
    board, (ana, *_rest) = room["board"], room["phones"]
    board.emit("set_phase", {"phase": "discover"}, callback=True)
    story = contribute(ana, kind="story", text="A high point.")["id"]
    ana.disconnect()

    again = api.socket({"token": room["people"][0]["token"]})
    snapshot = named(again.get_received(), "snapshot")[0]
    assert snapshot["role"] == "participant"
    assert snapshot["workshop"]["phase"] == "discover"
    assert snapshot["me"]["participant_id"] == room["people"][0]["participant_id"]
    mine = [c for c in snapshot["contributions"] if c["id"] == story]
    assert mine and mine[0]["mine"] is True
    assert snapshot["seq"] >= 2
    # The same client_id after the reconnect stores nothing new.
    first = snapshot["contributions"][0]["client_id"]
    ack = again.emit(
        "contribute", {"client_id": first, "kind": "story", "text": "A high point."}, callback=True
    )
    assert ack == {"ok": True, "id": story}


def test_reconnect_with_since_replays_only_what_was_missed(api, room):
    board, (ana, ben, _cleo) = room["board"], room["phones"]
    board.emit("set_phase", {"phase": "discover"}, callback=True)
    contribute(ana, kind="story", text="Seen before the drop.")
    seen = named(ben.get_received(), "contribution")[-1]["seq"]
    ben.disconnect()
    missed = contribute(ana, kind="story", text="Told while Ben was away.")["id"]
    board.emit("theme_create", {"name": "Makers"}, callback=True)

    again = api.socket({"token": room["people"][1]["token"], "since": seen})
    received = [m for m in again.get_received() if m["name"] != "presence"]
    assert [m["name"] for m in received] == ["contribution", "theme", "resynced"]
    assert received[0]["args"][0]["id"] == missed
    assert received[-1]["args"][0] == {"seq": received[1]["args"][0]["seq"], "replayed": 2}


def test_reconnect_gets_a_snapshot_when_the_gap_is_unknown(api, room):
    board, ana = room["board"], room["phones"][0]
    board.emit("set_phase", {"phase": "discover"}, callback=True)
    contribute(ana, kind="story", text="Something.")
    for since in (0, 10**6, "3", True):
        again = api.socket({"token": room["people"][1]["token"], "since": since})
        names = [m["name"] for m in again.get_received()]
        assert "snapshot" in names and "resynced" not in names
        again.disconnect()


def test_presence_counts_connected_participants(api, room):
    board, phones = room["board"], room["phones"]
    phones[0].disconnect()
    presence = named(board.get_received(), "presence")
    assert presence[-1]["online"] == 2 and presence[-1]["joined"] == 3


def test_participants_in_other_workshops_hear_nothing(api, room):
    other = api.create_workshop(room["token"], title="Another room")
    stranger = api.join(other["code"], "Dora")
    outsider = api.socket({"token": stranger["token"]})
    outsider.get_received()
    room["board"].emit("set_phase", {"phase": "discover"}, callback=True)
    contribute(room["phones"][0], kind="story", text="Only for this room.")
    assert [m["name"] for m in outsider.get_received()] == []
