"""Finding 10: hostile input gets a clear 4xx (or a refused socket), never a 500.

JSON nested far deeper than Python's recursion limit, ids beyond what the
database holds, and socket ``auth`` values of the wrong type.
"""

from __future__ import annotations

import pytest
from conftest import bearer

#: Far deeper than Python's recursion limit (the attack used 100,000).
DEEP = 100_000
HUGE_ID = 2**64 + 1


def deep_json(depth: int = DEEP) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_object(depth: int = 20_000) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


@pytest.fixture
def owner(api):
    token = api.facilitator()
    return {"token": token, "workshop": api.create_workshop(token)}


@pytest.mark.parametrize("body", [deep_json(), deep_object()], ids=["array", "object"])
def test_deeply_nested_json_is_a_bad_request(api, owner, body):
    wid = owner["workshop"]["id"]
    calls = [
        ("post", "/api/join", {}),
        ("post", "/api/auth/token", {}),
        ("post", "/api/workshops", bearer(owner["token"])),
        ("patch", f"/api/workshops/{wid}", bearer(owner["token"])),
        ("post", f"/api/workshops/{wid}/phase", bearer(owner["token"])),
        ("post", f"/api/workshops/{wid}/shares", bearer(owner["token"])),
    ]
    for method, path, headers in calls:
        response = getattr(api.http, method)(
            path, data=body, headers={**headers, "Content-Type": "application/json"}
        )
        assert response.status_code == 400, (path, response.status_code)
        assert response.json["error"] == "invalid_payload", path


def test_ids_beyond_the_database_are_not_found(api, owner):
    headers = bearer(owner["token"])
    for path in (
        f"/api/workshops/{HUGE_ID}",
        f"/api/workshops/{HUGE_ID}/export.md",
        f"/api/workshops/{2**31}",
    ):
        response = api.http.get(path, headers=headers)
        assert response.status_code == 404, path
    for method, path in (
        ("get", f"/api/workshops/{HUGE_ID}/shares"),
        ("patch", f"/api/workshops/{HUGE_ID}"),
        ("post", f"/api/workshops/{HUGE_ID}/phase"),
    ):
        response = getattr(api.http, method)(path, headers=headers, json={})
        assert 400 <= response.status_code < 500, path
    for path in (f"/w/{HUGE_ID}", f"/w/{HUGE_ID}/summary", f"/workshops/{HUGE_ID}"):
        assert api.http.get(path).status_code in (302, 404), path
    login = api.http.post("/login", data={"email": "fac@example.org", "password": "x" * 8})
    assert login.status_code == 401
    assert api.http.get(f"/workshops/{HUGE_ID}").status_code in (302, 404)


@pytest.mark.parametrize("value", [HUGE_ID, 2**31, -(2**63) - 5, 0])
def test_ids_beyond_the_database_in_payloads_are_refused(api, room, value):
    api.set_phase(room["token"], room["workshop"]["id"], "dream")
    phone, board = room["phones"][0], room["board"]
    for sio, event, payload in (
        (phone, "vote", {"contribution_id": value}),
        (phone, "unvote", {"contribution_id": value}),
        (phone, "contribute", {"client_id": "c1", "kind": "dream", "text": "x", "told_by": value}),
        (board, "hide", {"contribution_id": value}),
        (board, "theme_rename", {"theme_id": value, "name": "x"}),
        (board, "theme_assign", {"theme_id": value, "contribution_id": value}),
        (board, "participant_remove", {"participant_id": value}),
    ):
        ack = sio.emit(event, payload, callback=True)
        assert ack["ok"] is False and ack["error"] == "invalid_field", (event, ack)


@pytest.mark.parametrize(
    "auth",
    [
        {"token": ["pcp_x"]},
        {"token": {"token": "pcp_x"}},
        {"token": 12},
        {"token": None, "workshop_id": [1]},
        {"workshop_id": {"id": 1}},
        {"workshop_id": str(HUGE_ID)},
        {"workshop_id": "9" * 5000},
        {"workshop_id": HUGE_ID},
        {"token": "pcp_" + "x" * 100_000},
        ["token"],
        "token",
    ],
)
def test_socket_auth_of_the_wrong_type_is_refused(api, owner, auth):
    sio = api.socket(auth)
    assert not sio.is_connected()


def test_a_valid_socket_still_connects_next_to_refused_ones(api, owner):
    person = api.join(owner["workshop"]["code"], "Ana")
    for auth in ({"token": ["x"]}, {"workshop_id": HUGE_ID}):
        assert not api.socket(auth).is_connected()
    assert api.socket({"token": person["token"]}).is_connected()
