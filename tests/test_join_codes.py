"""Finding 1: a join code is never revealed to someone who does not have it, nor guessed.

The attack counted workshop ids: ``/w/<id>`` without a cookie redirected to
``/join/<CODE>``, so every open workshop's code (and, after joining, its
private items) was one request away. ``GET /join/<code>`` answered any
number of wrong guesses.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from conftest import bearer, from_address, say

from workshop.services import ratelimit


@pytest.fixture
def open_workshops(api):
    token = api.facilitator()
    workshops = [api.create_workshop(token, title=f"Region {n}") for n in range(3)]
    return token, workshops


def _codes(workshops) -> list[str]:
    return [w["code"] for w in workshops]


def test_counting_ids_reveals_no_code(api, open_workshops):
    _, workshops = open_workshops
    stranger = api.app.test_client()
    largest = max(w["id"] for w in workshops)
    for wid in range(1, largest + 3):  # existing ids and ids beyond them
        for path in (f"/w/{wid}", f"/w/{wid}/summary"):
            response = stranger.get(path)
            location = response.headers.get("Location", "")
            assert response.status_code == 302, path
            # The join page with no code in it: the same answer whether the workshop exists.
            assert urlsplit(location).path == "/join", (path, location)
            page = stranger.get(location).get_data(as_text=True)
            for code in _codes(workshops):
                assert code not in location and code not in page, (path, code)


def test_participant_urls_are_not_counted_ids(api, open_workshops):
    _, workshops = open_workshops
    joined = [api.join(w["code"], "Ana") for w in workshops]
    public = [urlsplit(j["live_url"]).path.rsplit("/", 1)[1] for j in joined]
    assert len(set(public)) == len(public)
    for workshop, public_id in zip(workshops, public, strict=True):
        assert len(public_id) >= 20 and public_id != str(workshop["id"])
        assert not public_id.isdigit()
    # Without the participant cookie, the public address opens nothing either.
    stranger = api.app.test_client()
    response = stranger.get(f"/w/{public[0]}")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/join"


def test_old_numbered_links_work_only_for_a_phone_that_joined(api, open_workshops):
    _, workshops = open_workshops
    workshop = workshops[0]
    person = api.join(workshop["code"], "Ana")
    phone = api.app.test_client()
    phone.set_cookie(f"pc_p{workshop['id']}", person["token"])
    moved = phone.get(f"/w/{workshop['id']}")
    assert moved.status_code == 301
    assert moved.headers["Location"] == urlsplit(person["live_url"]).path
    page = phone.get(moved.headers["Location"])
    assert page.status_code == 200 and "Ana" in page.get_data(as_text=True)
    summary = phone.get(f"/w/{workshop['id']}/summary")
    assert summary.status_code == 301 and summary.headers["Location"].endswith("/summary")
    # Someone who joined another workshop holds no cookie for this one.
    other = api.join(workshops[1]["code"], "Ben")
    elsewhere = api.app.test_client()
    elsewhere.set_cookie(f"pc_p{workshops[1]['id']}", other["token"])
    refused = elsewhere.get(f"/w/{workshop['id']}")
    assert refused.status_code == 302 and workshop["code"] not in refused.headers["Location"]


def test_joining_by_link_takes_a_phone_to_its_unguessable_page(api, open_workshops):
    _, workshops = open_workshops
    phone = api.app.test_client()
    joined = phone.post(
        "/join", data={"code": workshops[0]["code"], "name": "Ana", "organisation": ""}
    )
    assert joined.status_code == 302
    assert re.fullmatch(r"/w/[A-Za-z0-9_-]{20,}", joined.headers["Location"])
    again = phone.get(f"/join/{workshops[0]['code']}")
    assert again.status_code == 302 and again.headers["Location"] == joined.headers["Location"]


@pytest.fixture
def strict_guessing(monkeypatch):
    monkeypatch.setitem(ratelimit.RULES, "join_failures", "20/minute")
    ratelimit._rule.cache_clear()
    yield
    ratelimit._rule.cache_clear()


def test_guessing_codes_in_join_links_is_limited(api, open_workshops, strict_guessing):
    _, workshops = open_workshops
    guesser = api.app.test_client()
    for n in range(20):
        assert guesser.get(f"/join/ZZZZ{n:02d}").status_code == 404
    limited = guesser.get("/join/ZZZZZZ")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    # The API and the form share the count: guessing moves from one to the other in vain.
    assert api.http.post("/api/join", json={"code": "ZZZZZZ", "name": "G"}).status_code == 429
    # Another address is not affected.
    elsewhere = from_address(api.app, "10.9.8.7")
    assert elsewhere.get(f"/join/{workshops[0]['code']}").status_code == 200


def test_a_venue_of_2000_phones_behind_one_address_joins_freely(
    api, open_workshops, strict_guessing
):
    _, workshops = open_workshops
    code = workshops[0]["code"]
    venue = from_address(api.app, "192.0.2.1", use_cookies=False)  # each phone its own
    for n in range(2000):
        assert venue.get(f"/join/{code}").status_code == 200, n
        joined = venue.post("/api/join", json={"code": code, "name": f"Phone {n}"})
        assert joined.status_code == 201, (n, joined.json)


def test_private_items_reach_only_the_room(api, room):
    """What leaves the room never carries a private item: exports, summaries, partner pages."""
    token, wid = room["token"], room["workshop"]["id"]
    api.set_phase(token, wid, "discover")
    say(room["phones"][0], "story", "A private high point", consent="private")
    say(room["phones"][1], "story", "A public high point", consent="anonymous")
    share = api.http.post(f"/api/workshops/{wid}/shares", headers=bearer(token)).json["token"]
    partner = api.app.test_client()
    for path in (f"/s/{share}", f"/s/{share}/export.md", f"/s/{share}/export.json"):
        text = partner.get(path).get_data(as_text=True)
        assert "A public high point" in text and "A private high point" not in text, path
    summary = api.http.get(f"/api/workshops/{wid}/export.csv", headers=bearer(token))
    assert "A private high point" not in summary.get_data(as_text=True)
