"""Who may do what: every HTTP route and every socket event, for every kind of caller.

The expectations come from the table the domain is written from
(``workshop.services.access.POLICY``): each route declares its action with
``@protected``, each socket event with ``@event``, and each actor below holds
known roles on the test's workshop. A route or event that declares nothing,
or that this test does not know how to call, fails the coverage test until
someone decides who may use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from conftest import PASSWORD, bearer, new_client_id, say

from workshop.extensions import socketio
from workshop.http import route_action
from workshop.realtime.guards import EVENT_ACTIONS
from workshop.services.access import (
    CREDENTIALS,
    POLICY,
    SOCKET_VIEWS,
    TARGETS,
    Action,
    Credential,
    Role,
    allowed,
)

#: The roles each actor holds on the test's workshop.
ACTOR_ROLES: dict[str, frozenset[Role]] = {
    "anonymous": frozenset({Role.ANONYMOUS}),
    "participant": frozenset({Role.PARTICIPANT}),
    # Someone who joined another workshop is nobody here.
    "stranger": frozenset({Role.ANONYMOUS}),
    # A removed participant's token stops working.
    "removed": frozenset({Role.ANONYMOUS}),
    "owner": frozenset({Role.FACILITATOR, Role.OWNER}),
    "other_facilitator": frozenset({Role.FACILITATOR}),
    # Only behind the share link's own URL; elsewhere the link is nothing.
    "partner": frozenset({Role.PARTNER}),
}
ACTORS = tuple(ACTOR_ROLES)


@dataclass
class Actor:
    name: str
    client: object
    headers: dict = field(default_factory=dict)
    socket_auth: dict | None = None
    #: The view the socket asks for: "participant" with a participant's
    #: credentials, else "facilitator".
    socket_view: str = "facilitator"


#: endpoint -> (method, path, json body): how to call each route.
REQUESTS = {
    "static": ("get", "/static/css/app.css", None),
    "system.healthz": ("get", "/healthz", None),
    "system.js_catalogue": ("get", "/i18n/en.json", None),
    "api.issue_token": (
        "post",
        "/api/auth/token",
        {"email": "other@example.org", "password": PASSWORD},
    ),
    "api.join": ("post", "/api/join", {"code": "{code}", "name": "New"}),
    "api.list_workshops": ("get", "/api/workshops", None),
    "api.create_workshop": ("post", "/api/workshops", {"title": "T"}),
    "api.get_workshop": ("get", "/api/workshops/{wid}", None),
    "api.edit_workshop": ("patch", "/api/workshops/{wid}", {"topic": "x"}),
    "api.set_phase": ("post", "/api/workshops/{wid}/phase", {"phase": "discover"}),
    "api.export": ("get", "/api/workshops/{wid}/export.md", None),
    "api.create_share": ("post", "/api/workshops/{wid}/shares", {}),
    "api.list_shares": ("get", "/api/workshops/{wid}/shares", None),
    "api.revoke_share": ("delete", "/api/workshops/{wid}/shares/{spare_share}", None),
    "api.get_me": ("get", "/api/me?workshop_id={wid}", None),
    "api.leave": ("delete", "/api/me?workshop_id={wid}", None),
    "api.correct_me": ("patch", "/api/me?workshop_id={wid}", {"region": "Gorenjska"}),
    "api.privacy_record": ("get", "/api/workshops/{wid}/privacy", None),
    "api.erase_participant": ("delete", "/api/workshops/{wid}/participants/{spare}", None),
    "api.delete_workshop": ("delete", "/api/workshops/{wid}", None),
    "facilitator.login": ("get", "/login", None),
    "facilitator.logout": ("post", "/logout", None),
    "facilitator.dashboard": ("get", "/dashboard", None),
    "facilitator.board": ("get", "/workshops/{wid}", None),
    "facilitator.edit": ("get", "/workshops/{wid}/edit", None),
    "facilitator.qr_code": ("get", "/workshops/{wid}/qr.svg", None),
    "facilitator.summary": ("get", "/workshops/{wid}/summary", None),
    "facilitator.screen": ("get", "/workshops/{wid}/screen", None),
    "facilitator.privacy_page": ("get", "/workshops/{wid}/privacy", None),
    "facilitator.erase_participant": ("post", "/workshops/{wid}/participants/{spare}/erase", None),
    "facilitator.delete_workshop": ("post", "/workshops/{wid}/delete", None),
    "participant.join_page": ("get", "/", None),
    "participant.join": ("get", "/join", None),
    "participant.join_with_code": ("get", "/join/{code}", None),
    "participant.live": ("get", "/w/{wid}", None),
    "participant.summary": ("get", "/w/{wid}/summary", None),
    "participant.instance_notice": ("get", "/privacy", None),
    "participant.notice": ("get", "/join/{code}/privacy", None),
    "participant.mine": ("get", "/w/{wid}/me", None),
    "participant.change_consent": ("post", "/w/{wid}/me/{own}/consent", None),
    "participant.withdraw": ("post", "/w/{wid}/me/{own}/withdraw", None),
    "participant.leave": ("post", "/w/{wid}/me/leave", None),
    "participant.correct_identity": ("post", "/w/{wid}/me/about", None),
    "partner.summary": ("get", "/s/{share}", None),
    "partner.download": ("get", "/s/{share}/export.csv", None),
}

#: A harmless, valid-looking payload per socket event.
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
    "consent_change": {"contribution_id": 999, "consent": "anonymous"},
    "withdraw": {"contribution_id": 999},
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
    spare = api.join(workshop["code"], "Spare")
    api.set_phase(owner_token, wid, "discover")
    own = say(api.socket({"token": person["token"]}), "story", "Ana's own story")
    share = api.http.post(f"/api/workshops/{wid}/shares", headers=bearer(owner_token)).json["token"]
    spare_share = api.http.post(f"/api/workshops/{wid}/shares", headers=bearer(owner_token)).json[
        "token"
    ]
    board = api.socket({"token": owner_token, "workshop_id": wid})
    board.emit("participant_remove", {"participant_id": removed["participant_id"]}, callback=True)

    def client(cookie_workshop=None, token=None, login=None):
        c = app.test_client()
        if cookie_workshop and token:
            c.set_cookie(f"pc_p{cookie_workshop}", token)
        if login:
            c.post("/login", data={"email": login, "password": PASSWORD})
        return c

    def phone(name, cookie_workshop, token):
        return Actor(
            name,
            client(cookie_workshop, token),
            bearer(token),
            {"token": token, "workshop_id": wid},
            socket_view="participant",
        )

    actors = {
        "anonymous": Actor("anonymous", client(), socket_auth={"workshop_id": wid}),
        "participant": phone("participant", wid, person["token"]),
        "stranger": phone("stranger", elsewhere["id"], stranger["token"]),
        "removed": phone("removed", wid, removed["token"]),
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
    assert set(actors) == set(ACTORS)
    return {
        "wid": wid,
        "code": workshop["code"],
        "share": share,
        "spare_share": spare_share,
        "spare": spare["participant_id"],
        "spare_token": spare["token"],
        "own": own,
        "actors": actors,
    }


def test_the_policy_is_complete():
    for action in Action:
        assert action in POLICY and action in CREDENTIALS and action in TARGETS, action
    assert set(SOCKET_VIEWS.values()) <= set(Action)


def test_every_route_and_event_declares_its_action_and_is_called_here(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    undeclared = sorted(e for e in endpoints if route_action(app, e) is None)
    assert not undeclared, "declare the action of: " + ", ".join(undeclared)
    assert endpoints == set(REQUESTS), "call in this test: " + ", ".join(
        sorted(endpoints ^ set(REQUESTS))
    )
    events = set(socketio.server.handlers["/"]) - {"connect", "disconnect"}
    assert events == set(EVENT_ACTIONS), "declare with @event: " + ", ".join(
        sorted(events ^ set(EVENT_ACTIONS))
    )
    assert events == set(PAYLOADS), "give a payload for: " + ", ".join(
        sorted(events ^ set(PAYLOADS))
    )


#: Owners last: their calls may change state (revoke, log out) that others' calls need.
ORDER = sorted(ACTORS, key=lambda actor: actor == "owner")


@pytest.mark.parametrize("endpoint", sorted(REQUESTS))
def test_http_access(app, world, endpoint):
    action = route_action(app, endpoint)
    for actor_name in ORDER:
        _check_http(world, endpoint, action, actor_name)


def _expected_refusal(action: Action, held: frozenset[Role], api: bool) -> set[int] | str:
    """What a refused caller gets, from the same table: a status, or a page's gate."""
    credential = CREDENTIALS[action]
    if credential == Credential.ACCOUNT and Role.FACILITATOR not in held:
        return {401} if api else "/login?next="
    if credential == Credential.PARTICIPANT and not api:
        return "/join/"
    if credential == Credential.LINK:
        return {404}  # the caller's link is not this workshop's
    see = Action.WORKSHOP_SEE if TARGETS[action] is not None else None
    return {403} if see and allowed(held, see) else {404}


def _check_http(world, endpoint, action, actor_name):
    method, path, body = REQUESTS[endpoint]
    actor = world["actors"][actor_name]
    share = world["share"] if actor_name == "partner" else "pcs_not-a-real-link"
    path = path.format(
        wid=world["wid"],
        code=world["code"],
        share=share,
        spare_share=world["spare_share"],
        spare=world["spare"],
        own=world["own"],
    )
    if isinstance(body, dict):
        body = {
            k: v.format(code=world["code"]) if isinstance(v, str) else v for k, v in body.items()
        }
    response = getattr(actor.client, method)(path, json=body, headers=actor.headers)
    response.close()
    status = response.status_code
    where = (endpoint, actor_name, status)
    assert status < 500, where
    held = ACTOR_ROLES[actor_name]
    if allowed(held, action):
        gate = status == 302 and any(
            g in response.headers["Location"] for g in ("/login?next=", "/join/")
        )
        assert status < 400 and not gate, where
        return
    refusal = _expected_refusal(action, held, api=path.startswith("/api/"))
    if isinstance(refusal, str):
        assert status == 302 and refusal in response.headers["Location"], where
    else:
        assert status in refusal, (*where, refusal)


@pytest.mark.parametrize("event", sorted(PAYLOADS))
def test_socket_access(api, world, event):
    for actor_name in ORDER:
        _check_socket(api, world, event, actor_name)


def _check_socket(api, world, event, actor_name):
    actor = world["actors"][actor_name]
    held = ACTOR_ROLES[actor_name]
    sio = api.socket(actor.socket_auth)
    may_connect = allowed(held, SOCKET_VIEWS[actor.socket_view])
    assert sio.is_connected() == may_connect, actor_name
    if not may_connect:
        return
    payload = dict(PAYLOADS[event])
    if event == "contribute":
        payload["client_id"] = new_client_id()
    ack = sio.emit(event, payload, callback=True)
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool)
    if allowed(held, EVENT_ACTIONS[event]):
        assert ack.get("error") not in ("forbidden", "unauthorized"), ack
    else:
        assert ack == {"ok": False, "error": "forbidden", "message": ack["message"]}


@pytest.mark.parametrize("event", sorted(PAYLOADS))
def test_the_projector_sends_nothing(api, world, event):
    auth = {**world["actors"]["owner"].socket_auth, "view": "screen"}
    sio = api.socket(auth)
    assert sio.is_connected()
    ack = sio.emit(event, dict(PAYLOADS[event]), callback=True)
    assert ack["ok"] is False and ack["error"] == "forbidden", ack


#: The roles on Ana's contribution of Ana herself, and of another participant of the workshop.
ITEM_ROLES = {
    "author": frozenset({Role.PARTICIPANT, Role.AUTHOR}),
    "other_participant": frozenset({Role.PARTICIPANT}),
}


@pytest.mark.parametrize("who", sorted(ITEM_ROLES))
def test_only_the_author_changes_or_withdraws_a_contribution(api, app, world, who):
    """``CONTRIBUTION_OWN`` decides per item: on sockets and on the My contributions pages."""
    token = world["actors"]["participant"].socket_auth["token"]
    if who == "other_participant":
        token = world["spare_token"]
    may = allowed(ITEM_ROLES[who], Action.CONTRIBUTION_OWN)
    assert may == (who == "author")
    item, wid = world["own"], world["wid"]
    sio = api.socket({"token": token})
    ack = sio.emit("consent_change", {"contribution_id": item, "consent": "private"}, callback=True)
    assert ack["ok"] is may and (may or ack["error"] == "forbidden"), ack
    page = app.test_client()
    page.set_cookie(f"pc_p{wid}", token)
    changed = page.post(f"/w/{wid}/me/{item}/consent", data={"consent": "anonymous"})
    assert changed.status_code == (302 if may else 403)
    ack = sio.emit("withdraw", {"contribution_id": item}, callback=True)
    assert ack["ok"] is may and (may or ack["error"] == "forbidden"), ack
    withdrawn = page.post(f"/w/{wid}/me/{item}/withdraw")
    # Once withdrawn by its author, the item is no longer there for anyone.
    assert withdrawn.status_code == (404 if may else 403)
