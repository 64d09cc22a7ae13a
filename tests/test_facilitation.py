"""Facilitation: timers, vote secrecy, names, paired interviews, moderation, notes, themes."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import bearer, named, new_client_id, say

from workshop.services.pairing import unlikely_pairs


def drain(room):
    for sio in [room["board"], *room["phones"]]:
        sio.get_received()


def test_timer_start_pause_resume_extend_stop(api, room):
    board, ana = room["board"], room["phones"][0]
    assert board.emit("timer_start", {"seconds": 300}, callback=True)["ok"]
    timer = named(ana.get_received(), "timer")[0]
    assert timer["state"] == "running" and timer["duration"] == 300
    ends = dt.datetime.fromisoformat(timer["ends_at"])
    now = dt.datetime.fromisoformat(timer["server_time"])
    assert 299 <= (ends - now).total_seconds() <= 300

    assert board.emit("timer_pause", {}, callback=True)["ok"]
    paused = named(ana.get_received(), "timer")[0]
    assert paused["state"] == "paused" and 290 < paused["remaining"] <= 300
    # A phone that reconnects sees the same timer.
    late = api.socket({"token": room["people"][1]["token"]})
    assert named(late.get_received(), "snapshot")[0]["timer"]["state"] == "paused"

    assert board.emit("timer_extend", {"seconds": 60}, callback=True)["ok"]
    assert named(ana.get_received(), "timer")[0]["remaining"] > 350
    assert board.emit("timer_resume", {}, callback=True)["ok"]
    running = named(ana.get_received(), "timer")[0]
    assert running["state"] == "running" and running["duration"] == 360
    assert board.emit("timer_stop", {}, callback=True)["ok"]
    assert named(ana.get_received(), "timer")[0]["state"] == "stopped"


@pytest.mark.parametrize(
    ("event", "payload", "error"),
    [
        ("timer_start", {"seconds": 5}, "invalid_field"),
        ("timer_start", {"seconds": 7201}, "invalid_field"),
        ("timer_start", {}, "missing_field"),
        ("timer_pause", {}, "timer_not_running"),
        ("timer_resume", {}, "timer_not_paused"),
        ("timer_extend", {"seconds": 60}, "timer_not_running"),
    ],
)
def test_timer_refusals(room, event, payload, error):
    ack = room["board"].emit(event, payload, callback=True)
    assert ack["ok"] is False and ack["error"] == error


def test_timer_is_facilitator_only(room):
    ack = room["phones"][0].emit("timer_start", {"seconds": 60}, callback=True)
    assert ack["ok"] is False and ack["error"] == "forbidden"


def test_hidden_vote_counts_until_revealed(api, room):
    board, (ana, ben, cleo) = room["board"], room["phones"]
    assert board.emit("settings", {"hide_vote_counts": True}, callback=True)["ok"]
    api.set_phase(room["token"], room["workshop"]["id"], "dream")
    dream = say(ana, "dream", "A creative campus.")
    drain(room)
    ack = ben.emit("vote", {"contribution_id": dream}, callback=True)
    assert ack == {"ok": True, "votes": None, "votes_left": 2}
    assert named(cleo.get_received(), "tally") == []
    assert named(board.get_received(), "tally")[0]["votes"] == 1
    late = api.socket({"token": room["people"][2]["token"]})
    snap = named(late.get_received(), "snapshot")[0]
    assert [c["votes"] for c in snap["contributions"]] == [None]

    assert board.emit("settings", {"votes_revealed": True}, callback=True)["ok"]
    received = cleo.get_received()
    assert named(received, "workshop")[0]["votes_revealed"] is True
    assert [c["votes"] for c in named(received, "contributions")[0]["items"]] == [1]
    # Once revealed, tallies are live for everyone.
    cleo.emit("vote", {"contribution_id": dream}, callback=True)
    assert named(ana.get_received(), "tally")[-1]["votes"] == 2
    # The next voting round starts secret again; the dreams' counts stay visible.
    api.set_phase(room["token"], room["workshop"]["id"], "design")
    items = named(ana.get_received(), "contributions")[0]["items"]
    assert [c["votes"] for c in items] == [2]


def test_names_can_be_hidden_from_the_room(api, room):
    board, (ana, ben, _cleo) = room["board"], room["phones"]
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    say(ana, "story", "Named story.", consent="named")
    drain(room)
    board.emit("settings", {"show_names": False}, callback=True)
    items = named(ben.get_received(), "contributions")[0]["items"]
    assert items[0]["author"] is None
    say(ana, "story", "Another named story.", consent="named")
    assert named(ben.get_received(), "contribution")[0]["author"] is None
    assert named(board.get_received(), "contribution")[0]["author"] == "Ana"


def test_settings_refusals(room):
    ack = room["board"].emit("settings", {"show_names": "no"}, callback=True)
    assert ack["ok"] is False and ack["error"] == "invalid_field"
    ack = room["board"].emit("settings", {"votes_per_participant": 99}, callback=True)
    assert ack["ok"] is False and ack["error"] == "invalid_field"


def test_unlikely_pairs_cross_regions_and_make_a_trio():
    class P:
        def __init__(self, pid, region, organisation):
            self.id, self.region, self.organisation = pid, region, organisation

    people = [
        P(1, "Saxony", "A"),
        P(2, "Saxony", "A"),
        P(3, "Veneto", "B"),
        P(4, "Veneto", "B"),
        P(5, "Limburg", "C"),
    ]
    groups = unlikely_pairs(people)
    assert sorted(len(g) for g in groups) == [2, 3]
    assert sorted(pid for g in groups for pid in g) == [1, 2, 3, 4, 5]
    region = {p.id: p.region for p in people}
    for group in groups:
        if len(group) == 2:
            assert region[group[0]] != region[group[1]]


def test_paired_interview_round(api, room):
    board, phones = room["board"], room["phones"]
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    drain(room)
    ack = board.emit("pairing_start", {}, callback=True)
    assert ack["ok"] and len(ack["pairs"]) == 1  # three people: one trio
    cards = {}
    for person, sio in zip(room["people"], phones, strict=True):
        card = named(sio.get_received(), "pair")[0]
        cards[person["participant_id"]] = (card, sio)
        assert {m["name"] for m in card["members"]} == {"Ana", "Ben", "Cleo"}
    interviewer_id = next(pid for pid, (c, _) in cards.items() if c["role"] == "interviewer")
    card, interviewer = cards[interviewer_id]
    storyteller_id = card["storyteller_id"]
    assert cards[storyteller_id][0]["role"] == "storyteller"

    # The interviewer records the partner's story, with the partner's consent.
    story = say(
        interviewer, "story", "Told by my partner.", told_by=storyteller_id, consent="named"
    )
    storyteller_name = next(
        m["name"] for m in card["members"] if m["participant_id"] == storyteller_id
    )
    broadcast = named(board.get_received(), "contribution")[0]
    assert broadcast["author"] == storyteller_name and broadcast["interview"] is True
    # Only the interviewer may record, and only for their storyteller.
    observer = next(sio for pid, (c, sio) in cards.items() if c["role"] == "observer")
    refused = observer.emit(
        "contribute",
        {"client_id": new_client_id(), "kind": "story", "text": "x", "told_by": storyteller_id},
        callback=True,
    )
    assert refused["ok"] is False and refused["error"] == "not_interviewing"
    # The storyteller sees the story as theirs after a reconnect.
    again = api.socket(
        {"token": next(p["token"] for p in room["people"] if p["participant_id"] == storyteller_id)}
    )
    snap = named(again.get_received(), "snapshot")[0]
    assert [c["mine"] for c in snap["contributions"] if c["id"] == story] == [True]
    assert snap["me"]["pair"]["role"] == "storyteller"

    # Swap: the storyteller becomes the interviewer.
    assert board.emit("pairing_swap", {}, callback=True)["ok"]
    new_card = named(cards[storyteller_id][1].get_received(), "pair")[0]
    assert new_card["role"] == "interviewer" and new_card["stage"] == 1
    assert board.emit("pairing_end", {}, callback=True)["ok"]
    assert named(cards[storyteller_id][1].get_received(), "pair")[-1]["pair_id"] is None


def test_pairing_needs_two_people_online(api):
    token = api.facilitator()
    workshop = api.create_workshop(token)
    board = api.socket({"token": token, "workshop_id": workshop["id"]})
    api.socket({"token": api.join(workshop["code"], "Solo")["token"]})
    ack = board.emit("pairing_start", {}, callback=True)
    assert ack["ok"] is False and ack["error"] == "not_enough_participants"


def test_edit_a_typo_reaches_the_author(api, room):
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    story = say(room["phones"][0], "story", "Teh mill.")
    drain(room)
    assert room["board"].emit(
        "edit", {"contribution_id": story, "text": "The mill."}, callback=True
    )["ok"]
    edited = named(room["phones"][0].get_received(), "contribution")[0]
    assert edited["text"] == "The mill." and edited["edited"] is True
    bad = room["board"].emit("edit", {"contribution_id": story, "text": ""}, callback=True)
    assert bad["ok"] is False and bad["error"] == "empty_text"


def test_removed_participant_loses_access(api, room):
    board, (ana, ben, _cleo) = room["board"], room["phones"]
    ana_id = room["people"][0]["participant_id"]
    people = board.emit("roster", {}, callback=True)["participants"]
    assert {p["name"] for p in people} == {"Ana", "Ben", "Cleo"} and all(
        p["online"] for p in people
    )
    assert board.emit("participant_remove", {"participant_id": ana_id}, callback=True)["ok"]
    assert not ana.is_connected()
    again = api.socket({"token": room["people"][0]["token"]})
    assert not again.is_connected()
    assert named(ben.get_received(), "presence")[-1]["joined"] == 2
    ack = board.emit("participant_remove", {"participant_id": ana_id}, callback=True)
    assert ack["ok"] is False and ack["error"] == "unknown_participant"


def test_notes_stay_with_the_facilitator(api, room):
    board = room["board"]
    assert board.emit(
        "notes_set", {"phase": "dream", "text": "Ask the mayor first."}, callback=True
    )["ok"]
    assert named(board.get_received(), "notes")[0]["notes"]["dream"] == "Ask the mayor first."
    for sio in room["phones"]:
        assert named(sio.get_received(), "notes") == []
    snap = api.http.get(
        f"/api/workshops/{room['workshop']['id']}", headers=bearer(room["token"])
    ).json
    assert snap["notes"] == {"dream": "Ask the mayor first."}
    late = api.socket({"token": room["people"][0]["token"]})
    assert "notes" not in named(late.get_received(), "snapshot")[0]


def test_delete_and_merge_themes(api, room):
    board, ana = room["board"], room["phones"][0]
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    stories = [say(ana, "story", f"Story {i}") for i in range(3)]
    first = board.emit("theme_create", {"name": "Makers"}, callback=True)["id"]
    second = board.emit("theme_create", {"name": "Spaces"}, callback=True)["id"]
    board.emit("theme_assign", {"theme_id": first, "contribution_id": stories[0]}, callback=True)
    board.emit("theme_assign", {"theme_id": second, "contribution_id": stories[1]}, callback=True)
    drain(room)
    assert board.emit("theme_merge", {"theme_id": first, "into_id": second}, callback=True)["ok"]
    assert named(ana.get_received(), "theme_deleted")[0] == {
        "id": first,
        "merged_into": second,
        "seq": named(board.get_received(), "theme_deleted")[0]["seq"],
    }
    snap = api.http.get(
        f"/api/workshops/{room['workshop']['id']}", headers=bearer(room["token"])
    ).json
    assert [t["id"] for t in snap["themes"]] == [second]
    assert {c["id"]: c["theme_id"] for c in snap["contributions"]} == {
        stories[0]: second,
        stories[1]: second,
        stories[2]: None,
    }
    assert board.emit("theme_delete", {"theme_id": second}, callback=True)["ok"]
    snap = api.http.get(
        f"/api/workshops/{room['workshop']['id']}", headers=bearer(room["token"])
    ).json
    assert snap["themes"] == [] and all(c["theme_id"] is None for c in snap["contributions"])
    ack = board.emit("theme_merge", {"theme_id": 1, "into_id": 1}, callback=True)
    assert ack["ok"] is False


def test_projector_sees_the_room_view_and_sends_nothing(api, room):
    screen = api.socket(
        {"token": room["token"], "workshop_id": room["workshop"]["id"], "view": "screen"}
    )
    snap = named(screen.get_received(), "snapshot")[0]
    assert snap["role"] == "screen" and "notes" not in snap and "me" not in snap
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    assert named(screen.get_received(), "phase")[0]["phase"] == "discover"
    ack = screen.emit("set_phase", {"phase": "dream"}, callback=True)
    assert ack["ok"] is False and ack["error"] == "forbidden"
    room["board"].emit("notes_set", {"phase": "dream", "text": "secret"}, callback=True)
    assert named(screen.get_received(), "notes") == []
