"""Who may do what: every HTTP route and every socket event, for every kind of caller.

The tables below must name every route and every event the app registers;
a new one that is not listed here fails the test until someone decides who
may use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from conftest import PASSWORD, bearer, new_client_id

from workshop.extensions import socketio

ACTORS = (
    "anonymous",
    "participant",
    "stranger",
    "removed",
    "owner",
    "other_facilitator",
    "partner",
)

OK, DENIED, PUBLIC = "ok", "denied", "public"


@dataclass
class Actor:
    name: str
    client: object
    headers: dict = field(default_factory=dict)
    socket_auth: dict | None = None


def _everyone(outcome):
    return dict.fromkeys(ACTORS, outcome)


def _only(*allowed):
    return {actor: OK if actor in allowed else DENIED for actor in ACTORS}


FACILITATORS = ("owner", "other_facilitator")

#: endpoint -> (method, path, json body, expected outcome per actor)
ROUTES = {
    "static": ("get", "/static/css/app.css", None, _everyone(PUBLIC)),
    "system.healthz": ("get", "/healthz", None, _everyone(PUBLIC)),
    "system.js_catalogue": ("get", "/i18n/en.json", None, _everyone(PUBLIC)),
    "api.issue_token": ("post", "/api/auth/token", {}, _everyone(PUBLIC)),
    "api.join": ("post", "/api/join", {"code": "{code}", "name": "New"}, _everyone(PUBLIC)),
    "api.list_workshops": ("get", "/api/workshops", None, _only(*FACILITATORS)),
    "api.create_workshop": ("post", "/api/workshops", {"title": "T"}, _only(*FACILITATORS)),
    "api.get_workshop": ("get", "/api/workshops/{wid}", None, _only("owner")),
    "api.edit_workshop": ("patch", "/api/workshops/{wid}", {"topic": "x"}, _only("owner")),
    "api.set_phase": ("post", "/api/workshops/{wid}/phase", {"phase": "discover"}, _only("owner")),
    "api.export": ("get", "/api/workshops/{wid}/export.md", None, _only("owner")),
    "api.create_share": ("post", "/api/workshops/{wid}/shares", {}, _only("owner")),
    "api.list_shares": ("get", "/api/workshops/{wid}/shares", None, _only("owner")),
    "api.revoke_share": (
        "delete",
        "/api/workshops/{wid}/shares/{spare_share}",
        None,
        _only("owner"),
    ),
    "facilitator.login": ("get", "/login", None, _everyone(PUBLIC)),
    "facilitator.logout": ("post", "/logout", None, _only(*FACILITATORS)),
    "facilitator.dashboard": ("get", "/dashboard", None, _only(*FACILITATORS)),
    "facilitator.board": ("get", "/workshops/{wid}", None, _only("owner")),
    "facilitator.edit": ("get", "/workshops/{wid}/edit", None, _only("owner")),
    "facilitator.qr_code": ("get", "/workshops/{wid}/qr.svg", None, _only("owner")),
    "facilitator.summary": ("get", "/workshops/{wid}/summary", None, _only("owner")),
    "facilitator.screen": ("get", "/workshops/{wid}/screen", None, _only("owner")),
    "facilitator.list_shares": ("get", "/workshops/{wid}/shares", None, _only("owner")),
    "facilitator.create_share": ("post", "/workshops/{wid}/shares", {}, _only("owner")),
    "facilitator.revoke_share": (
        "delete",
        "/workshops/{wid}/shares/{spare_share}",
        None,
        _only("owner"),
    ),
    "facilitator.share_qr": (
        "get",
        "/workshops/{wid}/shares/{spare_share}/qr.svg",
        None,
        _only("owner"),
    ),
    "facilitator.reveal_votes": ("post", "/workshops/{wid}/votes/reveal", None, _only("owner")),
    "participant.join_page": ("get", "/", None, _everyone(PUBLIC)),
    "participant.join": ("get", "/join", None, _everyone(PUBLIC)),
    "participant.join_with_code": ("get", "/join/{code}", None, _everyone(PUBLIC)),
    "participant.live": ("get", "/w/{wid}", None, _only("participant")),
    "participant.summary": ("get", "/w/{wid}/summary", None, _only("participant", "owner")),
    "partner.summary": ("get", "/s/{share}", None, _only("partner")),
    "partner.download": ("get", "/s/{share}/export.csv", None, _only("partner")),
}

PARTICIPANT_EVENTS = {"contribute", "vote", "unvote"}
FACILITATOR_EVENTS = {
    "set_phase",
    "hide",
    "unhide",
    "edit",
    "theme_create",
    "theme_rename",
    "theme_assign",
    "theme_delete",
    "theme_merge",
    "settings",
    "notes_set",
    "roster",
    "participant_remove",
    "pairing_start",
    "pairing_swap",
    "pairing_end",
    "timer_start",
    "timer_pause",
    "timer_resume",
    "timer_extend",
    "timer_stop",
    "set_language",
    "approve",
    "approve_all",
}
#: Which connections may use each event; the rest are refused at connect or with "forbidden".
EVENTS = {e: "participant" for e in PARTICIPANT_EVENTS} | {e: "owner" for e in FACILITATOR_EVENTS}
#: A harmless, valid-looking payload per event.
PAYLOADS = {
    "contribute": {"client_id": "x", "kind": "story", "text": "Hello"},
    "vote": {"contribution_id": 1},
    "unvote": {"contribution_id": 1},
    "set_phase": {"phase": "discover"},
    "hide": {"contribution_id": 1},
    "unhide": {"contribution_id": 1},
    "edit": {"contribution_id": 1, "text": "Fixed"},
    "theme_create": {"name": "Theme"},
    "theme_rename": {"theme_id": 1, "name": "New"},
    "theme_assign": {"theme_id": None, "contribution_id": 1},
    "theme_delete": {"theme_id": 999},
    "theme_merge": {"theme_id": 998, "into_id": 999},
    "settings": {"show_names": True},
    "notes_set": {"phase": "dream", "text": "n"},
    "roster": {},
    "participant_remove": {"participant_id": 999},
    "pairing_start": {},
    "pairing_swap": {},
    "pairing_end": {},
    "timer_start": {"seconds": 60},
    "timer_pause": {},
    "timer_resume": {},
    "timer_extend": {"seconds": 60},
    "timer_stop": {},
    "set_language": {"contribution_id": 1, "language": "pl"},
    "approve": {"contribution_id": 1},
    "approve_all": {},
}


@pytest.fixture
def world(api, app):
    owner_token = api.facilitator("owner@example.org")
    other_token = api.facilitator("other@example.org")
    workshop = api.create_workshop(owner_token)
    elsewhere = api.create_workshop(other_token, title="Elsewhere")
    wid = workshop["id"]
    person = api.join(workshop["code"], "Ana")
    stranger = api.join(elsewhere["code"], "Sam")
    removed = api.join(workshop["code"], "Rex")
    share = api.http.post(f"/api/workshops/{wid}/shares", headers=bearer(owner_token)).json["token"]
    spare = api.http.post(f"/api/workshops/{wid}/shares", headers=bearer(owner_token)).json["token"]
    board = api.socket({"token": owner_token, "workshop_id": wid})
    board.emit("participant_remove", {"participant_id": removed["participant_id"]}, callback=True)

    def client(cookie_workshop=None, token=None, login=None):
        c = app.test_client()
        if cookie_workshop and token:
            c.set_cookie(f"pc_p{cookie_workshop}", token)
        if login:
            c.post("/login", data={"email": login, "password": PASSWORD})
        return c

    actors = {
        "anonymous": Actor("anonymous", client(), socket_auth={"workshop_id": wid}),
        "participant": Actor(
            "participant",
            client(wid, person["token"]),
            bearer(person["token"]),
            {"token": person["token"]},
        ),
        "stranger": Actor(
            "stranger",
            client(elsewhere["id"], stranger["token"]),
            bearer(stranger["token"]),
            {"token": stranger["token"]},
        ),
        "removed": Actor(
            "removed",
            client(wid, removed["token"]),
            bearer(removed["token"]),
            {"token": removed["token"]},
        ),
        "owner": Actor(
            "owner",
            client(login="owner@example.org"),
            bearer(owner_token),
            {"token": owner_token, "workshop_id": wid},
        ),
        "other_facilitator": Actor(
            "other_facilitator",
            client(login="other@example.org"),
            bearer(other_token),
            {"token": other_token, "workshop_id": wid},
        ),
        "partner": Actor("partner", client(), socket_auth={"token": share, "workshop_id": wid}),
    }
    return {"wid": wid, "code": workshop["code"], "share": share, "spare": spare, "actors": actors}


def test_tables_cover_every_route_and_event(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES), "decide who may use: " + ", ".join(
        sorted(endpoints ^ set(ROUTES))
    )
    events = set(socketio.server.handlers["/"]) - {"connect", "disconnect"}
    assert events == set(EVENTS), "decide who may send: " + ", ".join(sorted(events ^ set(EVENTS)))


#: Owners last: their calls may change state (revoke, log out) that others' calls need.
ORDER = sorted(ACTORS, key=lambda actor: actor == "owner")


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_http_access(world, endpoint):
    for actor_name in ORDER:
        _check_http(world, endpoint, actor_name)


def _check_http(world, endpoint, actor_name):
    method, path, body, expected = ROUTES[endpoint]
    actor = world["actors"][actor_name]
    share = world["share"] if actor_name == "partner" else "pcs_not-a-real-link"
    path = path.format(
        wid=world["wid"], code=world["code"], share=share, spare_share=world["spare"]
    )
    if isinstance(body, dict):
        body = {
            k: v.format(code=world["code"]) if isinstance(v, str) else v for k, v in body.items()
        }
    response = getattr(actor.client, method)(path, json=body, headers=actor.headers)
    response.close()
    status = response.status_code
    assert status < 500, (endpoint, actor_name, status)
    outcome = expected[actor_name]
    # Denied pages send people to sign in (with next=) or to join.
    redirect_to_gate = status == 302 and any(
        gate in response.headers["Location"] for gate in ("/login?next=", "/join")
    )
    if outcome == OK:
        assert status < 400 and not redirect_to_gate, (endpoint, actor_name, status)
    elif outcome == DENIED:
        assert status in (401, 403, 404, 410) or redirect_to_gate, (endpoint, actor_name, status)


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_socket_access(api, world, event):
    for actor_name in ORDER:
        _check_socket(api, world, event, actor_name)


def _check_socket(api, world, event, actor_name):
    actor = world["actors"][actor_name]
    sio = api.socket(actor.socket_auth)
    if actor_name in ("anonymous", "removed", "other_facilitator", "partner"):
        assert not sio.is_connected(), actor_name
        return
    assert sio.is_connected()
    payload = dict(PAYLOADS[event])
    if event == "contribute":
        payload["client_id"] = new_client_id()
    ack = sio.emit(event, payload, callback=True)
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool)
    allowed = EVENTS[event]
    if actor_name == allowed:
        assert ack.get("error") not in ("forbidden", "unauthorized"), ack
    elif actor_name == "stranger":
        # Connected to its own workshop: whatever it sends cannot reach this one.
        assert ack["ok"] is False
    else:
        assert ack == {"ok": False, "error": "forbidden", "message": ack["message"]}
