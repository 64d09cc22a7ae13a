"""Finding 4: no one can tell who wrote an anonymous or private item, the facilitator included.

The attack read every contribution's ``client_id`` from a snapshot, then
replayed it with ``told_by: N``: ``contribute`` answered ``ok`` only when N
had written it. With ``roster`` a facilitator turned N into a name. Here:
nothing but its sender's phone ever receives a ``client_id``; a replayed
one finds nothing of anyone else's, whatever ``told_by`` says; and no other
field of a contribution points to a person (docs/security.md says what
anonymity guarantees).
"""

from __future__ import annotations

import pytest
from conftest import bearer, named, new_client_id

#: Every field a contribution carries for anyone but its sender's phone. None of them
#: names or numbers a person except author/organisation/region, null unless ``named``.
PAYLOAD_FIELDS = {
    "id",
    "kind",
    "title",
    "text",
    "consent",
    "language",
    "author",
    "organisation",
    "region",
    "theme_id",
    "proposition_id",
    "factors",
    "owner",
    "owner_organisation",
    "due",
    "votes",
    "hidden",
    "edited",
    "interview",
    "created_at",
    # Pre-moderation and late arrival: the item's state, and when its text was
    # written (a time, as created_at is; never who wrote it).
    "approved",
    "late",
    "written_at",
}
#: What a participant's own snapshot adds to each item.
PARTICIPANT_FIELDS = PAYLOAD_FIELDS | {"mine", "voted"}


def send(sio, text, consent="anonymous", client_id=None, **fields):
    payload = {"client_id": client_id or new_client_id(), "kind": "story", "text": text}
    ack = sio.emit("contribute", {**payload, "consent": consent, **fields}, callback=True)
    return payload["client_id"], ack


@pytest.fixture
def stories(api, room):
    """Ana tells an anonymous story, Ben a private one, Cleo a named one."""
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    ana, ben, cleo = room["phones"]
    sent = {}
    for name, sio, consent in (("ana", ana, "anonymous"), ("ben", ben, "private")):
        client_id, ack = send(sio, f"{name}'s story", consent)
        assert ack["ok"]
        sent[name] = (client_id, ack["id"])
    client_id, ack = send(cleo, "Cleo's story", "named")
    sent["cleo"] = (client_id, ack["id"])
    return {**room, "sent": sent}


def _all_client_ids(stories):
    return {client_id for client_id, _ in stories["sent"].values()}


def test_no_client_id_reaches_anyone_but_its_sender(api, stories):
    everything = _all_client_ids(stories)
    wid = stories["workshop"]["id"]
    board, phones = stories["board"], stories["phones"]
    # Live events, to the board and to every phone (the senders' included).
    received = [m for sio in (board, *phones) for m in sio.get_received()]
    for message in received:
        assert not everything & set(str(message).split("'")), message["name"]
    for message in received:
        if message["name"] == "contribution":
            assert set(message["args"][0]) - {"seq"} <= PAYLOAD_FIELDS | {"mine"}
    # The facilitator's snapshot (API and socket) and the projector's.
    facilitator = api.http.get(f"/api/workshops/{wid}", headers=bearer(stories["token"])).json
    screen = named(
        api.socket(
            {"token": stories["token"], "workshop_id": wid, "view": "screen"}
        ).get_received(),
        "snapshot",
    )[0]
    board_again = named(
        api.socket({"token": stories["token"], "workshop_id": wid}).get_received(), "snapshot"
    )[0]
    for snap in (facilitator, screen, board_again):
        for item in snap["contributions"]:
            assert set(item) == PAYLOAD_FIELDS, item
    # Each phone's snapshot: its own client_id on its own item, nobody else's.
    for person, name in zip(stories["people"], ("ana", "ben", "cleo"), strict=True):
        snap = named(api.socket({"token": person["token"]}).get_received(), "snapshot")[0]
        own_id, own_item = stories["sent"][name]
        for item in snap["contributions"]:
            if item["id"] == own_item:
                assert item["client_id"] == own_id and item["mine"] is True
            else:
                assert set(item) == PARTICIPANT_FIELDS, item


def test_a_replayed_client_id_never_says_who_wrote_an_item(api, stories):
    """Probing with another's client_id answers the same whoever ``told_by`` names."""
    ana_id, ben_id, cleo_id = (p["participant_id"] for p in stories["people"])
    prober = stories["phones"][2]  # Cleo, probing Ana's and Ben's stories
    answers = {}
    for target in ("ana", "ben"):
        client_id, item_id = stories["sent"][target]
        for told_by in (ana_id, ben_id, cleo_id + 1000):
            _, ack = send(prober, "probe", client_id=client_id, told_by=told_by)
            answers[(target, told_by)] = (ack.get("ok"), ack.get("error"))
            assert ack.get("id") != item_id, (target, told_by, ack)
    # The same answer for the author and for anyone else: nothing to tell them apart.
    assert len(set(answers.values())) == 1, answers
    assert next(iter(answers.values())) == (False, "not_interviewing")
    # Without told_by, another's client_id is simply a new item of the prober's own.
    client_id, item_id = stories["sent"]["ana"]
    _, ack = send(prober, "my own story", client_id=client_id)
    assert ack["ok"] and ack["id"] != item_id


def test_a_phone_still_recognises_its_own_repeats(api, stories):
    ana = stories["phones"][0]
    client_id, item_id = stories["sent"]["ana"]
    _, again = send(ana, "ana's story", client_id=client_id)
    assert again == {"ok": True, "id": item_id}


def test_an_interviewer_repeats_a_recorded_story_after_the_turn_moved_on(api, stories):
    board, phones = stories["board"], stories["phones"]
    assert board.emit("pairing_start", {}, callback=True)["ok"]
    cards = {
        p["participant_id"]: (named(sio.get_received(), "pair")[0], sio)
        for p, sio in zip(stories["people"], phones, strict=True)
    }
    interviewer = next(sio for card, sio in cards.values() if card["role"] == "interviewer")
    storyteller_id = next(card["storyteller_id"] for card, _ in cards.values())
    client_id, ack = send(interviewer, "Told by my partner.", told_by=storyteller_id)
    assert ack["ok"]
    assert board.emit("pairing_swap", {}, callback=True)["ok"]
    # The phone lost the ack and sends again: the same story, though it no longer interviews.
    _, again = send(interviewer, "Told by my partner.", client_id=client_id, told_by=storyteller_id)
    assert again == {"ok": True, "id": ack["id"]}
    # The storyteller's phone never learns the interviewer's client_id.
    storyteller_phone = cards[storyteller_id][1]
    token = next(p["token"] for p in stories["people"] if p["participant_id"] == storyteller_id)
    snap = named(api.socket({"token": token}).get_received(), "snapshot")[0]
    told = next(c for c in snap["contributions"] if c["id"] == ack["id"])
    assert told["mine"] is True and "client_id" not in told
    assert client_id not in str(storyteller_phone.get_received())


def test_the_roster_and_the_facilitators_view_hold_nothing_to_match(api, stories):
    """Roster ids and names appear on no anonymous or private item the facilitator sees."""
    board, wid = stories["board"], stories["workshop"]["id"]
    roster = board.emit("roster", {}, callback=True)["participants"]
    snap = api.http.get(f"/api/workshops/{wid}", headers=bearer(stories["token"])).json
    people = {p["name"] for p in roster} | {p["organisation"] for p in roster} - {""}
    for item in snap["contributions"]:
        if item["consent"] == "named":
            continue
        assert item["author"] is None and item["organisation"] is None and item["region"] is None
        assert not people & {str(v) for v in item.values()}, item
        assert set(item) == PAYLOAD_FIELDS


def test_private_items_leave_the_room_when_the_workshop_closes(api, stories):
    token, wid = stories["token"], stories["workshop"]["id"]
    _, private_id = stories["sent"]["ben"]
    for sio in (stories["board"], *stories["phones"]):
        sio.get_received()
    api.set_phase(token, wid, "closed")
    # The room's list is replaced without it; the facilitator keeps it.
    replaced = named(stories["phones"][0].get_received(), "contributions")
    assert replaced and private_id not in [c["id"] for c in replaced[-1]["items"]]
    assert named(stories["board"].get_received(), "contributions") == []
    for person in stories["people"]:
        snap = named(api.socket({"token": person["token"]}).get_received(), "snapshot")[0]
        assert private_id not in [c["id"] for c in snap["contributions"]]
    projector = api.socket({"token": token, "workshop_id": wid, "view": "screen"})
    screen = named(projector.get_received(), "snapshot")[0]
    assert private_id not in [c["id"] for c in screen["contributions"]]
    facilitator = api.http.get(f"/api/workshops/{wid}", headers=bearer(token)).json
    assert private_id in [c["id"] for c in facilitator["contributions"]]
    # Reopened, the session shows it again.
    api.set_phase(token, wid, "deliver")
    replaced = named(stories["phones"][0].get_received(), "contributions")
    assert private_id in [c["id"] for c in replaced[-1]["items"]]
