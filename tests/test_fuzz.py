"""Random input at every socket event and API route: a clear refusal, never a crash, no change."""

from __future__ import annotations

import pytest
from conftest import bearer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_access_control import PAYLOADS

from workshop.realtime.guards import EVENT_ACTIONS
from workshop.services.access import Action

FIELDS = sorted(
    {key for payload in PAYLOADS.values() for key in payload}
    | {
        "client_id",
        "kind",
        "text",
        "title",
        "theme_id",
        "proposition_id",
        "owner",
        "due",
        "consent",
        "told_by",
        "factors",
        "owner_organisation",
        "phase",
        "name",
        "into_id",
        "seconds",
        "show_names",
        "hide_vote_counts",
        "votes_revealed",
        "votes_per_participant",
        "prompts",
    }
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=True)
    | st.text(max_size=40)
    | st.sampled_from(
        ["story", "dream", "discover", "named", "2027-01-01", "", "x" * 2001, "\u202e\u0000"]
    )
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
PAYLOAD = JSON | st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=6)
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _state(api, room):
    snap = api.http.get(
        f"/api/workshops/{room['workshop']['id']}", headers=bearer(room["token"])
    ).json
    return (
        snap["seq"],
        sorted(
            (c["id"], c["text"], c["hidden"], c["votes"], c["theme_id"])
            for c in snap["contributions"]
        ),
        sorted((t["id"], t["name"]) for t in snap["themes"]),
        snap["workshop"],
    )


@pytest.mark.parametrize("event", sorted(EVENT_ACTIONS))
@FUZZ
@given(payload=PAYLOAD)
def test_socket_events_survive_random_json(api, room, event, payload):
    takes_part = EVENT_ACTIONS[event] == Action.WORKSHOP_PARTICIPATE
    sender = room["phones"][0] if takes_part else room["board"]
    before = _state(api, room)
    ack = sender.emit(event, payload, callback=True)
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
    if not ack["ok"]:
        assert ack["error"] != "internal_error", (event, payload, ack)
        assert isinstance(ack["message"], str) and ack["message"]
        assert _state(api, room) == before, (event, payload, ack)


API_ROUTES = [
    ("post", "/api/auth/token"),
    ("post", "/api/join"),
    ("post", "/api/workshops"),
    ("patch", "/api/workshops/{wid}"),
    ("post", "/api/workshops/{wid}/phase"),
    ("post", "/api/workshops/{wid}/shares"),
]


@pytest.mark.parametrize(("method", "path"), API_ROUTES)
@FUZZ
@given(body=PAYLOAD)
def test_api_routes_survive_random_bodies(api, room, method, path, body):
    before = _state(api, room)
    url = path.format(wid=room["workshop"]["id"])
    response = getattr(api.http, method)(url, json=body, headers=bearer(room["token"]))
    assert response.status_code < 500, (url, body, response.status_code)
    if response.status_code >= 400:
        assert set(response.json) == {"error", "message"}
        assert _state(api, room) == before


@FUZZ
@given(raw=st.binary(max_size=200))
def test_api_survives_bytes_that_are_not_json(api, room, raw):
    response = api.http.post(
        "/api/workshops", data=raw, content_type="application/json", headers=bearer(room["token"])
    )
    assert response.status_code in (201, 400)


PROGRAMME_ROUTES = [
    ("post", "/api/programmes"),
    ("post", "/api/programmes/{pid}/regions"),
    ("post", "/api/programmes/{pid}/invitations"),
    ("post", "/api/programmes/{pid}/imports"),
    ("post", "/api/invitations/{invitation}/accept"),
    ("patch", "/api/workshops/{wid}"),
]


@pytest.fixture
def network(api, room):
    token = room["token"]
    pid = api.http.post("/api/programmes", json={"title": "N"}, headers=bearer(token)).json["id"]
    invitation = api.http.post(f"/api/programmes/{pid}/invitations", headers=bearer(token)).json
    return {"pid": pid, "invitation": invitation["token"]}


@pytest.mark.parametrize(("method", "path"), PROGRAMME_ROUTES)
@FUZZ
@given(body=PAYLOAD)
def test_programme_routes_survive_random_bodies(api, room, network, method, path, body):
    url = path.format(wid=room["workshop"]["id"], **network)
    before = api.http.get(f"/api/programmes/{network['pid']}", headers=bearer(room["token"])).json
    response = getattr(api.http, method)(url, json=body, headers=bearer(room["token"]))
    assert response.status_code < 500, (url, body, response.status_code)
    if response.status_code >= 400:
        assert set(response.json) == {"error", "message"}
        after = api.http.get(
            f"/api/programmes/{network['pid']}", headers=bearer(room["token"])
        ).json
        assert after == before
