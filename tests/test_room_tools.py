"""Nothing stranded, pre-moderation, self-votes, timers across phases, and the facilitator's pages."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PASSWORD, bearer, named, new_client_id, say


def drain(room):
    for sio in [room["board"], *room["phones"]]:
        sio.get_received()


def _story(sio, text="Written offline in Discover.", **fields):
    return sio.emit(
        "contribute",
        {"client_id": new_client_id(), "kind": "story", "text": text, **fields},
        callback=True,
    )


# ----- nothing stranded -----


def test_a_story_written_in_discover_arrives_late_and_is_stored(api, room):
    wid, token = room["workshop"]["id"], room["token"]
    api.set_phase(token, wid, "discover")
    written = dt.datetime.now(dt.UTC).isoformat()  # offline, while Discover was open
    api.set_phase(token, wid, "dream")
    drain(room)
    ack = _story(room["phones"][0], written_at=written)
    assert ack["ok"], ack
    stored = named(room["board"].get_received(), "contribution")[0]
    assert stored["late"] is True and stored["kind"] == "story"
    assert stored["written_at"] == dt.datetime.fromisoformat(written).isoformat()
    # The room sees it too (the wall of stories keeps growing).
    assert named(room["phones"][1].get_received(), "contribution")[0]["id"] == ack["id"]
    # Back in the lobby a late story is still stored; in the current phase it is not late.
    api.set_phase(token, wid, "lobby")
    assert _story(room["phones"][1], "From the lobby.")["ok"]
    api.set_phase(token, wid, "discover")
    on_time = _story(room["phones"][2], "On time.")
    snapshot = api.http.get(f"/api/workshops/{wid}", headers=bearer(token)).json
    late = {c["text"]: c["late"] for c in snapshot["contributions"]}
    assert late == {
        "Written offline in Discover.": True,
        "From the lobby.": True,
        "On time.": False,
    }
    assert on_time["ok"]


@pytest.mark.parametrize(
    ("phases", "kind", "error"),
    [
        (["discover", "closed"], "story", "workshop_closed"),  # closed: nothing more is added
        (["discover"], "dream", "wrong_kind"),  # Dream was never reached
        ([], "story", "not_collecting"),  # the lobby, before any phase
    ],
)
def test_only_what_truly_cannot_be_stored_is_refused(api, room, phases, kind, error):
    wid, token = room["workshop"]["id"], room["token"]
    for phase in phases:
        api.set_phase(token, wid, phase)
    ack = room["phones"][0].emit(
        "contribute", {"client_id": new_client_id(), "kind": kind, "text": "x"}, callback=True
    )
    assert ack["ok"] is False and ack["error"] == error, ack
    snapshot = api.http.get(f"/api/workshops/{wid}", headers=bearer(token)).json
    assert snapshot["contributions"] == []


@pytest.mark.parametrize("written_at", ["yesterday", "2026-13-01T00:00:00", 12, "9" * 50])
def test_a_bad_written_at_is_refused(api, room, written_at):
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    ack = _story(room["phones"][0], written_at=written_at)
    assert ack["ok"] is False and ack["error"] == "invalid_field"


def test_written_at_stays_within_the_workshops_lifetime(api, room):
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).isoformat()
    assert _story(room["phones"][0], written_at=future)["error"] == "invalid_field"
    long_ago = "2001-01-01T00:00:00+00:00"
    ack = _story(room["phones"][0], written_at=long_ago)
    stored = named(room["board"].get_received(), "contribution")[-1]
    assert ack["ok"] and stored["written_at"] > long_ago


# ----- pre-moderation -----


def test_pre_moderation_keeps_contributions_off_the_room_until_approved(api, room):
    board, (ana, ben, _cleo) = room["board"], room["phones"]
    wid, token = room["workshop"]["id"], room["token"]
    assert board.emit("settings", {"premoderation": True}, callback=True)["ok"]
    api.set_phase(token, wid, "dream")
    drain(room)
    ack = ana.emit(
        "contribute",
        {"client_id": new_client_id(), "kind": "dream", "text": "A hall for makers."},
        callback=True,
    )
    assert ack["ok"]
    # The author sees it at once, waiting; the facilitator too; nobody else.
    mine = named(ana.get_received(), "contribution")
    assert mine[0]["approved"] is False and mine[0]["mine"] is True
    assert named(board.get_received(), "contribution")[0]["approved"] is False
    assert named(ben.get_received(), "contribution") == []
    screen = api.socket({"token": token, "workshop_id": wid, "view": "screen"})
    assert named(screen.get_received(), "snapshot")[0]["contributions"] == []
    # A phone that reconnects: its own waiting item is there, others' are not.
    again = api.socket({"token": room["people"][0]["token"]})
    assert [c["id"] for c in named(again.get_received(), "snapshot")[0]["contributions"]] == [
        ack["id"]
    ]
    other = api.socket({"token": room["people"][1]["token"]})
    assert named(other.get_received(), "snapshot")[0]["contributions"] == []
    # Not votable, not exported while waiting.
    refused = ben.emit("vote", {"contribution_id": ack["id"]}, callback=True)
    assert refused["error"] == "unknown_contribution"
    export = api.http.get(f"/api/workshops/{wid}/export.md", headers=bearer(token))
    assert "A hall for makers." not in export.get_data(as_text=True)
    # Approved: everyone receives it.
    assert board.emit("approve", {"contribution_id": ack["id"]}, callback=True) == {"ok": True}
    arrived = named(ben.get_received(), "contribution")
    assert arrived[0]["id"] == ack["id"] and arrived[0]["approved"] is True
    assert named(screen.get_received(), "contribution")[0]["id"] == ack["id"]
    assert ben.emit("vote", {"contribution_id": ack["id"]}, callback=True)["ok"]


def test_approve_all_lets_every_waiting_contribution_through(api, room):
    board, (ana, ben, cleo) = room["board"], room["phones"]
    assert board.emit("settings", {"premoderation": True}, callback=True)["ok"]
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    ids = [say(sio, "story", f"Story {n}") for n, sio in enumerate((ana, ben))]
    drain(room)
    assert board.emit("approve_all", {}, callback=True) == {"ok": True}
    assert sorted(c["id"] for c in named(cleo.get_received(), "contribution")) == sorted(ids)
    # Turned off, contributions reach the room at once again.
    assert board.emit("settings", {"premoderation": False}, callback=True)["ok"]
    drain(room)
    say(ana, "story", "Straight to the wall.")
    assert named(cleo.get_received(), "contribution")[0]["approved"] is True


# ----- votes for one's own -----


def test_voting_for_ones_own_dream_is_a_setting(api, room):
    board, (ana, ben, _cleo) = room["board"], room["phones"]
    api.set_phase(room["token"], room["workshop"]["id"], "dream")
    mine = say(ana, "dream", "Mine.")
    refused = ana.emit("vote", {"contribution_id": mine}, callback=True)
    assert refused["ok"] is False and refused["error"] == "own_contribution"
    assert ben.emit("vote", {"contribution_id": mine}, callback=True)["ok"]
    assert board.emit("settings", {"self_votes": True}, callback=True)["ok"]
    assert ana.emit("vote", {"contribution_id": mine}, callback=True)["ok"]
    # Turned off again: a given vote can still be withdrawn.
    assert board.emit("settings", {"self_votes": False}, callback=True)["ok"]
    assert ana.emit("unvote", {"contribution_id": mine}, callback=True)["ok"]


# ----- the timer across phases -----


def test_a_phase_change_stops_the_timer_unless_kept(api, room):
    board, ana = room["board"], room["phones"][0]
    assert board.emit("timer_start", {"seconds": 300}, callback=True)["ok"]
    drain(room)
    board.emit("set_phase", {"phase": "discover"}, callback=True)
    received = ana.get_received()
    assert [m["name"] for m in received if m["name"] in ("phase", "timer")] == ["phase", "timer"]
    assert named(received, "timer")[0]["state"] == "stopped"
    assert board.emit("settings", {"keep_timer": True}, callback=True)["ok"]
    assert board.emit("timer_start", {"seconds": 300}, callback=True)["ok"]
    drain(room)
    board.emit("set_phase", {"phase": "dream"}, callback=True)
    assert named(ana.get_received(), "timer") == []
    snapshot = api.socket({"token": room["people"][1]["token"]}).get_received()
    assert named(snapshot, "snapshot")[0]["timer"]["state"] == "running"


# ----- the facilitator's pages: details, partner links, reveal -----


@pytest.fixture
def lea(api, app):
    token = api.facilitator("lea@example.org")
    page = app.test_client()
    page.post("/login", data={"email": "lea@example.org", "password": PASSWORD})
    return token, page


def test_the_create_form_records_place_date_facilitator_and_organisation(api, lea):
    token, page = lea
    response = page.post(
        "/dashboard",
        data={
            "title": "Kranj focus group",
            "language": "sl",
            "votes_per_participant": "3",
            "place": "Kranj, Layer House",
            "held_on": "2027-03-18",
            "facilitator_name": "Lea Novak",
            "organisation": "BSC Kranj",
            "prompt_discover": "",
            "prompt_dream": "",
            "prompt_design": "",
            "prompt_deliver": "",
        },
    )
    assert response.status_code == 302
    workshop = api.http.get("/api/workshops", headers=bearer(token)).json["workshops"][0]
    assert (
        workshop["place"],
        workshop["held_on"],
        workshop["facilitator_name"],
        workshop["organisation"],
    ) == ("Kranj, Layer House", "2027-03-18", "Lea Novak", "BSC Kranj")
    edit = page.get(f"/workshops/{workshop['id']}/edit").get_data(as_text=True)
    assert 'value="Lea Novak"' in edit and 'value="2027-03-18"' in edit


def test_share_links_from_the_board(api, lea):
    token, page = lea
    workshop = api.create_workshop(token)
    base = f"/workshops/{workshop['id']}/shares"
    json_headers = {"Accept": "application/json"}
    assert page.get(base, headers=json_headers).json == {"shares": []}
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    created = page.post(base, json={"expires_on": tomorrow}, headers=json_headers)
    assert created.status_code == 201
    link = created.json
    assert link["url"].endswith(f"/s/{link['token']}") and link["expires_at"].startswith(tomorrow)
    assert page.get(f"/s/{link['token']}").status_code == 200
    qr = page.get(f"{base}/{link['token']}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    # Listed later by id and first characters: only the link's digest is kept.
    listed = page.get(base).json["shares"]
    assert [(s["id"], s["hint"]) for s in listed] == [(link["id"], link["token"][:8])]
    assert "token" not in listed[0] and "url" not in listed[0]
    past = page.post(base, json={"expires_on": "2001-01-01"}, headers=json_headers)
    assert past.status_code == 400 and past.json["error"] == "invalid_date"
    assert page.delete(f"{base}/{link['id']}").status_code == 204
    assert page.get(f"/s/{link['token']}").status_code == 410
    assert page.get(base).json == {"shares": []}
    gone = page.get(f"{base}/{link['token']}/qr.svg", headers=json_headers)
    assert gone.status_code == 404 and gone.json["error"] == "not_found"


def test_reveal_from_the_projector(api, lea, room):
    token, page = lea
    workshop = api.create_workshop(token, hide_vote_counts=True)
    api.set_phase(token, workshop["id"], "dream")
    screen = api.socket({"token": token, "workshop_id": workshop["id"], "view": "screen"})
    screen.get_received()
    assert page.post(f"/workshops/{workshop['id']}/votes/reveal").status_code == 204
    revealed = named(screen.get_received(), "workshop")
    assert revealed[0]["votes_revealed"] is True
