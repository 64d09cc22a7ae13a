"""Bad input and wrong roles: a clear refusal, nothing stored, nothing broadcast."""

from __future__ import annotations

import pytest
from conftest import bearer, named, new_client_id


def _state(api, room):
    snap = api.http.get(
        f"/api/workshops/{room['workshop']['id']}", headers=bearer(room["token"])
    ).json
    return snap["seq"], len(snap["contributions"]), len(snap["themes"])


def _assert_refused(ack, error, api, room, before):
    assert ack["ok"] is False
    assert ack["error"] == error
    assert isinstance(ack["message"], str) and ack["message"]
    assert _state(api, room) == before
    for sio in [room["board"], *room["phones"]]:
        assert [m["name"] for m in sio.get_received() if m["name"] != "presence"] == []


@pytest.fixture
def discovering(api, room):
    room["board"].emit("set_phase", {"phase": "discover"}, callback=True)
    for sio in [room["board"], *room["phones"]]:
        sio.get_received()
    return room


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ("just text", "invalid_payload"),
        (["a", "list"], "invalid_payload"),
        (None, "invalid_payload"),
        ({"kind": "story", "text": "no client id"}, "missing_field"),
        ({"client_id": "c1", "text": "no kind"}, "missing_field"),
        ({"client_id": "c1", "kind": "story"}, "missing_field"),
        ({"client_id": "c1", "kind": "story", "text": "   "}, "empty_text"),
        ({"client_id": "c1", "kind": "story", "text": "x" * 2001}, "text_too_long"),
        ({"client_id": "c1", "kind": "story", "text": "ok", "title": "t" * 201}, "text_too_long"),
        ({"client_id": "c1", "kind": "story", "text": "ok", "colour": "red"}, "unknown_field"),
        ({"client_id": "c1", "kind": "poem", "text": "ok"}, "invalid_choice"),
        ({"client_id": "c1", "kind": "story", "text": "ok", "consent": "public"}, "invalid_choice"),
        ({"client_id": "c1", "kind": "story", "text": 42}, "invalid_field"),
        ({"client_id": 7, "kind": "story", "text": "ok"}, "invalid_client_id"),
        ({"client_id": "c1", "kind": "dream", "text": "not now"}, "wrong_kind"),
        ({"client_id": "c1", "kind": "story", "text": "ok", "owner": "me"}, "field_not_allowed"),
    ],
)
def test_bad_contributions_are_refused(api, discovering, payload, error):
    before = _state(api, discovering)
    ack = discovering["phones"][0].emit("contribute", payload, callback=True)
    _assert_refused(ack, error, api, discovering, before)


def test_text_of_exactly_2000_characters_is_accepted(discovering):
    ack = discovering["phones"][0].emit(
        "contribute",
        {"client_id": new_client_id(), "kind": "story", "text": "é" * 2000},
        callback=True,
    )
    assert ack["ok"] is True


def test_no_contributions_in_the_lobby(api, room):
    before = _state(api, room)
    ack = room["phones"][0].emit(
        "contribute",
        {"client_id": new_client_id(), "kind": "story", "text": "early"},
        callback=True,
    )
    _assert_refused(ack, "not_collecting", api, room, before)


def test_unknown_references_are_refused(api, room):
    api.set_phase(room["token"], room["workshop"]["id"], "design")
    room["board"].get_received()
    for sio in room["phones"]:
        sio.get_received()
    before = _state(api, room)
    ack = room["phones"][0].emit(
        "contribute",
        {"client_id": new_client_id(), "kind": "proposition", "text": "ok", "theme_id": 999},
        callback=True,
    )
    _assert_refused(ack, "unknown_theme", api, room, before)
    ack = room["phones"][0].emit("vote", {"contribution_id": 999}, callback=True)
    _assert_refused(ack, "unknown_contribution", api, room, before)


def test_idempotent_contribute(api, discovering):
    ana = discovering["phones"][0]
    payload = {"client_id": new_client_id(), "kind": "story", "text": "Once only."}
    first = ana.emit("contribute", payload, callback=True)
    ben = discovering["phones"][1]
    assert len(named(ben.get_received(), "contribution")) == 1
    before = _state(api, discovering)
    again = ana.emit("contribute", payload, callback=True)
    assert again == first == {"ok": True, "id": first["id"]}
    assert _state(api, discovering) == before
    assert named(ben.get_received(), "contribution") == []


def test_client_ids_belong_to_their_participant(discovering):
    ana, ben = discovering["phones"][:2]
    client_id = new_client_id()
    first = ana.emit(
        "contribute", {"client_id": client_id, "kind": "story", "text": "A"}, callback=True
    )
    second = ben.emit(
        "contribute", {"client_id": client_id, "kind": "story", "text": "B"}, callback=True
    )
    assert first["ok"] and second["ok"] and first["id"] != second["id"]


def test_vote_budget_one_vote_per_item_and_withdrawal(api, room):
    api.set_phase(room["token"], room["workshop"]["id"], "dream")
    ana, ben = room["phones"][:2]
    dreams = [
        ana.emit(
            "contribute",
            {"client_id": new_client_id(), "kind": "dream", "text": f"D{i}"},
            callback=True,
        )["id"]
        for i in range(4)
    ]
    for sio in [room["board"], *room["phones"]]:
        sio.get_received()
    assert ben.emit("vote", {"contribution_id": dreams[0]}, callback=True)["ok"]
    for sio in [room["board"], *room["phones"]]:
        sio.get_received()
    before = _state(api, room)
    _assert_refused(
        ben.emit("vote", {"contribution_id": dreams[0]}, callback=True),
        "already_voted",
        api,
        room,
        before,
    )
    assert ben.emit("vote", {"contribution_id": dreams[1]}, callback=True)["votes_left"] == 1
    assert ben.emit("vote", {"contribution_id": dreams[2]}, callback=True)["votes_left"] == 0
    for sio in [room["board"], *room["phones"]]:
        sio.get_received()
    before = _state(api, room)
    _assert_refused(
        ben.emit("vote", {"contribution_id": dreams[3]}, callback=True),
        "no_votes_left",
        api,
        room,
        before,
    )
    _assert_refused(
        ben.emit("unvote", {"contribution_id": dreams[3]}, callback=True),
        "not_voted",
        api,
        room,
        before,
    )
    assert ben.emit("unvote", {"contribution_id": dreams[2]}, callback=True)["votes_left"] == 1
    assert ben.emit("vote", {"contribution_id": dreams[3]}, callback=True)["ok"]


def test_votes_per_participant_is_set_per_workshop(api):
    token = api.facilitator()
    # Ana votes for her own dreams: a setting the facilitator turns on.
    workshop = api.create_workshop(token, votes_per_participant=1, self_votes=True)
    person = api.join(workshop["code"], "Ana")
    api.set_phase(token, workshop["id"], "dream")
    phone = api.socket({"token": person["token"]})
    ids = [
        phone.emit(
            "contribute", {"client_id": new_client_id(), "kind": "dream", "text": t}, callback=True
        )["id"]
        for t in ("a", "b")
    ]
    assert phone.emit("vote", {"contribution_id": ids[0]}, callback=True)["votes_left"] == 0
    assert (
        phone.emit("vote", {"contribution_id": ids[1]}, callback=True)["error"] == "no_votes_left"
    )


def test_stories_take_no_votes(api, discovering):
    ana = discovering["phones"][0]
    story = ana.emit(
        "contribute", {"client_id": new_client_id(), "kind": "story", "text": "s"}, callback=True
    )["id"]
    ack = discovering["phones"][1].emit("vote", {"contribution_id": story}, callback=True)
    assert ack["ok"] is False and ack["error"] == "not_votable"


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("set_phase", {"phase": "dream"}),
        ("hide", {"contribution_id": 1}),
        ("unhide", {"contribution_id": 1}),
        ("theme_create", {"name": "Mine now"}),
        ("theme_rename", {"theme_id": 1, "name": "x"}),
        ("theme_assign", {"theme_id": None, "contribution_id": 1}),
    ],
)
def test_participants_cannot_send_facilitator_events(api, discovering, event, payload):
    ana = discovering["phones"][0]
    ana.emit(
        "contribute", {"client_id": new_client_id(), "kind": "story", "text": "s"}, callback=True
    )
    discovering["board"].emit("theme_create", {"name": "Existing"}, callback=True)
    for sio in [discovering["board"], *discovering["phones"]]:
        sio.get_received()
    before = _state(api, discovering)
    ack = ana.emit(event, payload, callback=True)
    _assert_refused(ack, "forbidden", api, discovering, before)


def test_facilitators_do_not_contribute_or_vote(api, discovering):
    before = _state(api, discovering)
    ack = discovering["board"].emit(
        "contribute", {"client_id": new_client_id(), "kind": "story", "text": "s"}, callback=True
    )
    _assert_refused(ack, "forbidden", api, discovering, before)


@pytest.mark.parametrize(
    ("event", "payload", "error"),
    [
        ("set_phase", {"phase": "brainstorm"}, "invalid_choice"),
        ("set_phase", {}, "missing_field"),
        ("set_phase", "dream", "invalid_payload"),
        ("theme_create", {"name": ""}, "empty_text"),
        ("theme_create", {"name": "n" * 121}, "text_too_long"),
        ("theme_rename", {"theme_id": 999, "name": "x"}, "unknown_theme"),
        ("theme_assign", {"theme_id": 999, "contribution_id": 1}, "unknown_theme"),
        ("theme_assign", {"theme_id": None, "contribution_id": 999}, "unknown_contribution"),
        ("hide", {"contribution_id": "1"}, "invalid_field"),
        ("hide", {"contribution_id": 999}, "unknown_contribution"),
    ],
)
def test_bad_facilitator_events_are_refused(api, discovering, event, payload, error):
    discovering["phones"][0].emit(
        "contribute", {"client_id": new_client_id(), "kind": "story", "text": "s"}, callback=True
    )
    for sio in [discovering["board"], *discovering["phones"]]:
        sio.get_received()
    before = _state(api, discovering)
    _assert_refused(
        discovering["board"].emit(event, payload, callback=True), error, api, discovering, before
    )


def test_duplicate_theme_names_are_refused(api, discovering):
    board = discovering["board"]
    assert board.emit("theme_create", {"name": "Makers"}, callback=True)["ok"]
    ack = board.emit("theme_create", {"name": "makers"}, callback=True)
    assert ack["ok"] is False and ack["error"] == "theme_exists"


@pytest.mark.parametrize(
    "auth",
    [None, {}, {"token": "nonsense"}, {"token": "pcp_forged"}, {"workshop_id": 1}, "a string"],
)
def test_connections_without_a_valid_token_are_refused(api, room, auth):
    sio = api.socket(auth)
    assert not sio.is_connected()


def test_facilitator_token_needs_its_own_workshop(api, room):
    other = api.facilitator("other@example.org")
    sio = api.socket({"token": other, "workshop_id": room["workshop"]["id"]})
    assert not sio.is_connected()
    sio = api.socket({"token": room["token"]})
    assert not sio.is_connected()
