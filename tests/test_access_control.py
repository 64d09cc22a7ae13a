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
from urllib.parse import urlsplit

import pytest
from conftest import PASSWORD, bearer, new_client_id, say

from workshop.extensions import socketio
from workshop.http import route_action
from workshop.models import Programme, Workshop
from workshop.realtime.guards import EVENT_ACTIONS
from workshop.realtime.synthesis import BOARD_EVENT_ACTIONS
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

W, P = Workshop, Programme
ANON = frozenset({Role.ANONYMOUS})


def _roles(*roles):
    return frozenset(roles)


#: The roles each actor holds on the test's workshop (W) and on its programme (P).
ACTOR_ROLES: dict[str, dict[type, frozenset[Role]]] = {
    "anonymous": {W: ANON, P: ANON},
    "participant": {W: _roles(Role.PARTICIPANT), P: ANON},
    # Someone who joined another workshop is nobody here.
    "stranger": {W: ANON, P: ANON},
    # A removed participant's token stops working.
    "removed": {W: ANON, P: ANON},
    # The workshop's facilitator, a facilitator member of its programme.
    "owner": {
        W: _roles(Role.FACILITATOR, Role.OWNER, Role.MEMBER),
        P: _roles(Role.FACILITATOR, Role.MEMBER),
    },
    # A facilitator in no programme.
    "other_facilitator": {W: _roles(Role.FACILITATOR), P: _roles(Role.FACILITATOR)},
    # The workshop's share link; only behind its own URL (elsewhere the link is nothing).
    "partner": {W: _roles(Role.PARTNER), P: ANON},
    "coordinator": {
        W: _roles(Role.FACILITATOR, Role.COORDINATOR, Role.MEMBER),
        P: _roles(Role.FACILITATOR, Role.COORDINATOR, Role.MEMBER),
    },
    # Another facilitator member of the programme.
    "member": {W: _roles(Role.FACILITATOR, Role.MEMBER), P: _roles(Role.FACILITATOR, Role.MEMBER)},
    # A member of another programme.
    "outsider": {W: _roles(Role.FACILITATOR), P: _roles(Role.FACILITATOR)},
    # The programme's portal link; only behind its own URL.
    "programme_partner": {W: _roles(Role.PROGRAMME_PARTNER), P: _roles(Role.PROGRAMME_PARTNER)},
    # Holds an open invitation to the programme; only behind its own URL.
    "invitee": {W: ANON, P: _roles(Role.INVITEE)},
}
ACTORS = tuple(ACTOR_ROLES)


def held(actor: str, action: Action) -> frozenset[Role]:
    """The actor's roles on the object of ``action`` (its account alone for none)."""
    return ACTOR_ROLES[actor][TARGETS[action] or W]


@dataclass
class Actor:
    name: str
    client: object
    headers: dict = field(default_factory=dict)
    socket_auth: dict | None = None
    #: The view the socket asks for: "participant" with a participant's
    #: credentials, else "facilitator".
    socket_view: str = "facilitator"
    #: The links this actor holds, by kind (share, portal, invitation).
    links: dict = field(default_factory=dict)


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
    "api.list_tokens": ("get", "/api/auth/tokens", None),
    "api.get_me": ("get", "/api/me?workshop_id={wid}", None),
    "api.leave": ("delete", "/api/me?workshop_id={wid}", None),
    "api.correct_me": ("patch", "/api/me?workshop_id={wid}", {"region": "Gorenjska"}),
    "api.privacy_record": ("get", "/api/workshops/{wid}/privacy", None),
    "api.erase_participant": ("delete", "/api/workshops/{wid}/participants/{spare}", None),
    "api.delete_workshop": ("delete", "/api/workshops/{wid}", None),
    # Each facilitator revokes a spare token of their own; anyone else's is a 404.
    "api.revoke_token": ("delete", "/api/auth/tokens/{spare_token}", None),
    "api.list_workshops": ("get", "/api/workshops", None),
    "api.create_workshop": ("post", "/api/workshops", {"title": "T"}),
    "api.get_workshop": ("get", "/api/workshops/{wid}", None),
    "api.edit_workshop": ("patch", "/api/workshops/{wid}", {"topic": "x"}),
    "api.set_phase": ("post", "/api/workshops/{wid}/phase", {"phase": "discover"}),
    "api.export": ("get", "/api/workshops/{wid}/export.md", None),
    "api.create_share": ("post", "/api/workshops/{wid}/shares", {}),
    "api.list_shares": ("get", "/api/workshops/{wid}/shares", None),
    "api.revoke_share": ("delete", "/api/workshops/{wid}/shares/{spare_share}", None),
    "facilitator.login": ("get", "/login", None),
    "facilitator.logout": ("post", "/logout", None),
    "facilitator.dashboard": ("get", "/dashboard", None),
    "facilitator.tokens": ("get", "/account/tokens", None),
    "facilitator.revoke_token": ("post", "/account/tokens/{spare_token}/revoke", None),
    "facilitator.board": ("get", "/workshops/{wid}", None),
    "facilitator.edit": ("get", "/workshops/{wid}/edit", None),
    "facilitator.qr_code": ("get", "/workshops/{wid}/qr.svg", None),
    "facilitator.summary": ("get", "/workshops/{wid}/summary", None),
    "facilitator.screen": ("get", "/workshops/{wid}/screen", None),
    "facilitator.list_shares": ("get", "/workshops/{wid}/shares", None),
    "facilitator.create_share": ("post", "/workshops/{wid}/shares", {}),
    "facilitator.revoke_share": ("delete", "/workshops/{wid}/shares/{spare_share}", None),
    "facilitator.share_qr": ("get", "/workshops/{wid}/shares/{spare_share}/qr.svg", None),
    "facilitator.reveal_votes": ("post", "/workshops/{wid}/votes/reveal", None),
    "facilitator.privacy_page": ("get", "/workshops/{wid}/privacy", None),
    "facilitator.erase_participant": ("post", "/workshops/{wid}/participants/{spare}/erase", None),
    "facilitator.delete_workshop": ("post", "/workshops/{wid}/delete", None),
    "participant.join_page": ("get", "/", None),
    "participant.join": ("get", "/join", None),
    "participant.join_with_code": ("get", "/join/{code}", None),
    "participant.live": ("get", "/w/{public_id}", None),
    "participant.summary": ("get", "/w/{public_id}/summary", None),
    "participant.moved": ("get", "/w/{wid}", None),
    "participant.moved_summary": ("get", "/w/{wid}/summary", None),
    "participant.instance_notice": ("get", "/privacy", None),
    "participant.notice": ("get", "/join/{code}/privacy", None),
    "participant.mine": ("get", "/w/{public_id}/me", None),
    "participant.change_consent": ("post", "/w/{public_id}/me/{own}/consent", None),
    "participant.withdraw": ("post", "/w/{public_id}/me/{own}/withdraw", None),
    "participant.leave": ("post", "/w/{public_id}/me/leave", None),
    "participant.correct_identity": ("post", "/w/{public_id}/me/about", None),
    "partner.summary": ("get", "/s/{share}", None),
    "partner.download": ("get", "/s/{share}/export.csv", None),
    # Programmes
    "api.create_programme": ("post", "/api/programmes", {"title": "T"}),
    "api.list_programmes": ("get", "/api/programmes", None),
    "api.get_programme": ("get", "/api/programmes/{pid}", None),
    "api.update_programme": ("patch", "/api/programmes/{pid}", {"description": "New"}),
    "api.delete_programme": ("delete", "/api/programmes/{pid}", None),
    "api.create_region": ("post", "/api/programmes/{pid}/regions", {"name": "Linz"}),
    "api.create_invitation": ("post", "/api/programmes/{pid}/invitations", {}),
    "api.revoke_invitation": (
        "delete",
        "/api/programmes/{pid}/invitations/{spare_invitation}",
        None,
    ),
    "api.accept_invitation": (
        "post",
        "/api/invitations/{invitation}/accept",
        {"name": "New", "email": "new@example.org", "password": PASSWORD},
    ),
    "api.remove_member": ("delete", "/api/programmes/{pid}/members/{spare_member}", None),
    "api.import_workshop": ("post", "/api/programmes/{pid}/imports", "EXPORT"),
    "api.create_programme_share": ("post", "/api/programmes/{pid}/shares", None),
    "api.revoke_programme_share": ("delete", "/api/programmes/{pid}/shares/{spare_portal}", None),
    "facilitator.create_programme": ("post", "/programmes", None),
    "facilitator.programme": ("get", "/programmes/{pid}", None),
    "facilitator.programme_manage": ("get", "/programmes/{pid}/manage", None),
    "facilitator.programme_settings": ("post", "/programmes/{pid}/settings", None),
    "facilitator.programme_delete": ("post", "/programmes/{pid}/delete", None),
    "facilitator.programme_new_workshop": ("post", "/programmes/{pid}/workshops", None),
    "facilitator.programme_move_workshop": ("post", "/programmes/{pid}/workshops/move", None),
    "facilitator.programme_import": ("post", "/programmes/{pid}/imports", None),
    "facilitator.programme_add_region": ("post", "/programmes/{pid}/regions", None),
    "facilitator.programme_invite": ("post", "/programmes/{pid}/invitations", None),
    "facilitator.programme_revoke_invitation": (
        "post",
        "/programmes/{pid}/invitations/{spare_invitation_id}/revoke",
        None,
    ),
    "facilitator.programme_remove_member": (
        "post",
        "/programmes/{pid}/members/{spare_member}/remove",
        None,
    ),
    "facilitator.programme_share": ("post", "/programmes/{pid}/shares", None),
    "facilitator.programme_revoke_share": (
        "post",
        "/programmes/{pid}/shares/{spare_portal_id}/revoke",
        None,
    ),
    "facilitator.invitation": ("get", "/invitations/{invitation}", None),
    "portal.index": ("get", "/p/{portal}", None),
    "portal.summary": ("get", "/p/{portal}/workshops/{wid}", None),
    "portal.download": ("get", "/p/{portal}/workshops/{wid}/export.csv", None),
    # The transnational synthesis
    "api.get_synthesis": ("get", "/api/programmes/{pid}/synthesis", None),
    "api.create_programme_theme": ("post", "/api/programmes/{pid}/themes", {"name": "Young"}),
    "api.rename_programme_theme": (
        "patch",
        "/api/programmes/{pid}/themes/{programme_theme}",
        {"name": "Renamed"},
    ),
    "api.delete_programme_theme": (
        "delete",
        "/api/programmes/{pid}/themes/{spare_programme_theme}",
        None,
    ),
    "api.map_theme": (
        "post",
        "/api/programmes/{pid}/mapping",
        {"theme_id": "{regional_theme}", "programme_theme_id": "{programme_theme}"},
    ),
    "api.create_recommendation": (
        "post",
        "/api/programmes/{pid}/recommendations",
        {"title": "Open the halls", "text": "Every region."},
    ),
    "api.update_recommendation": (
        "patch",
        "/api/programmes/{pid}/recommendations/{recommendation}",
        {"title": "Open every hall"},
    ),
    "api.delete_recommendation": (
        "delete",
        "/api/programmes/{pid}/recommendations/{spare_recommendation}",
        None,
    ),
    "api.export_recommendation": ("get", "/api/programmes/{pid}/export.md", None),
    "facilitator.programme_synthesis": ("get", "/programmes/{pid}/synthesis", None),
    "portal.synthesis": ("get", "/p/{portal}/synthesis", None),
    "portal.recommendation": ("get", "/p/{portal}/export.csv", None),
}

#: Placeholders in paths that each actor fills with its own link, or a link that opens nothing.
LINKS = {
    "share": "pcs_not-a-real-link",
    "portal": "pcn_not-a-real-link",
    "invitation": "pci_not-a-real-link",
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
    "set_language": {"contribution_id": 1, "language": "pl"},
    "approve": {"contribution_id": 1},
    "approve_all": {},
    "consent_change": {"contribution_id": 999, "consent": "anonymous"},
    "withdraw": {"contribution_id": 999},
}


#: A harmless, valid-looking payload per synthesis board event.
BOARD_PAYLOADS = {
    "synthesis_theme_create": {"name": "Young talent"},
    "synthesis_theme_rename": {"theme_id": "{programme_theme}", "name": "Spaces to make"},
    "synthesis_theme_delete": {"theme_id": "{spare_programme_theme}"},
    "synthesis_map": {"theme_id": "{regional_theme}", "programme_theme_id": None},
    "recommendation_create": {"title": "Open the halls", "text": "Every region."},
    "recommendation_update": {"recommendation_id": "{recommendation}", "title": "New"},
    "recommendation_delete": {"recommendation_id": "{spare_recommendation}"},
}


def _post(api, path, token, **kwargs):
    response = api.http.post(path, headers=bearer(token), **kwargs)
    assert response.status_code in (200, 201), (path, response.json)
    return response.json


@pytest.fixture
def world(api, app):
    owner_token = api.facilitator("owner@example.org")
    other_token = api.facilitator("other@example.org")
    coordinator_token = api.facilitator("coordinator@example.org")
    member_token = api.facilitator("member@example.org")
    outsider_token = api.facilitator("outsider@example.org")
    spare_token = api.facilitator("spare@example.org")
    pid = _post(api, "/api/programmes", coordinator_token, json={"title": "Network"})["id"]
    region = _post(api, f"/api/programmes/{pid}/regions", coordinator_token, json={"name": "Kranj"})
    for token in (owner_token, member_token, spare_token):
        invitation = _post(api, f"/api/programmes/{pid}/invitations", coordinator_token)
        _post(api, f"/api/invitations/{invitation['token']}/accept", token)
    _post(api, "/api/programmes", outsider_token, json={"title": "Another network"})
    members = api.http.get(f"/api/programmes/{pid}", headers=bearer(coordinator_token)).json
    spare_member = next(m for m in members["members"] if m["email"] == "spare@example.org")

    workshop = api.create_workshop(owner_token, programme_id=pid, region_id=region["id"])
    elsewhere = api.create_workshop(other_token, title="Elsewhere")
    wid = workshop["id"]
    person = api.join(workshop["code"], "Ana")
    stranger = api.join(elsewhere["code"], "Sam")
    removed = api.join(workshop["code"], "Rex")
    spare_person = api.join(workshop["code"], "Spare")
    api.set_phase(owner_token, wid, "discover")
    own = say(api.socket({"token": person["token"]}), "story", "Ana's own story")
    share = _post(api, f"/api/workshops/{wid}/shares", owner_token)["token"]
    spare = _post(api, f"/api/workshops/{wid}/shares", owner_token)["token"]
    portal = _post(api, f"/api/programmes/{pid}/shares", coordinator_token)["token"]
    spare_portal = _post(api, f"/api/programmes/{pid}/shares", coordinator_token)["token"]
    invitation = _post(api, f"/api/programmes/{pid}/invitations", coordinator_token)["token"]
    spare_invitation = _post(api, f"/api/programmes/{pid}/invitations", coordinator_token)["token"]
    with app.app_context():
        from workshop.extensions import db
        from workshop.models import Invitation, ProgrammeShare

        spare_invitation_id = max(db.session.scalars(db.select(Invitation.id)))
        spare_portal_id = max(db.session.scalars(db.select(ProgrammeShare.id)))
    export = api.http.get(f"/api/workshops/{wid}/export.json", headers=bearer(owner_token)).json
    # Each facilitator's own spare API token (its id), to revoke; others name the owner's.
    spare_tokens = {
        name: api.http.post(
            "/api/auth/token",
            json={"email": f"{email}@example.org", "password": PASSWORD, "name": "spare"},
        ).json["id"]
        for name, email in (
            ("owner", "owner"),
            ("other_facilitator", "other"),
            ("coordinator", "coordinator"),
            ("member", "member"),
            ("outsider", "outsider"),
        )
    }
    board = api.socket({"token": owner_token, "workshop_id": wid})
    regional_theme = board.emit("theme_create", {"name": "Makers"}, callback=True)["id"]
    programme_theme, spare_programme_theme = (
        _post(api, f"/api/programmes/{pid}/themes", coordinator_token, json={"name": name})["id"]
        for name in ("Spaces", "Spare")
    )
    recommendation, spare_recommendation = (
        _post(
            api,
            f"/api/programmes/{pid}/recommendations",
            coordinator_token,
            json={"title": title, "text": "Text"},
        )["id"]
        for title in ("First", "Spare")
    )
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

    def facilitator(name, email, token):
        return Actor(name, client(login=email), bearer(token), {"token": token, "workshop_id": wid})

    def holder(name, kind, token):
        return Actor(
            name, client(), socket_auth={"token": token, "workshop_id": wid}, links={kind: token}
        )

    actors = {
        "anonymous": Actor("anonymous", client(), socket_auth={"workshop_id": wid}),
        "participant": phone("participant", wid, person["token"]),
        "stranger": phone("stranger", elsewhere["id"], stranger["token"]),
        "removed": phone("removed", wid, removed["token"]),
        "owner": facilitator("owner", "owner@example.org", owner_token),
        "other_facilitator": facilitator("other_facilitator", "other@example.org", other_token),
        "partner": holder("partner", "share", share),
        "coordinator": facilitator("coordinator", "coordinator@example.org", coordinator_token),
        "member": facilitator("member", "member@example.org", member_token),
        "outsider": facilitator("outsider", "outsider@example.org", outsider_token),
        "programme_partner": holder("programme_partner", "portal", portal),
        "invitee": holder("invitee", "invitation", invitation),
    }
    assert set(actors) == set(ACTORS)
    return {
        "wid": wid,
        "pid": pid,
        "code": workshop["code"],
        "values": {
            "wid": wid,
            "public_id": person["live_url"].rsplit("/", 1)[1],
            "pid": pid,
            "code": workshop["code"],
            "spare_share": spare,
            "spare_portal": spare_portal,
            "spare_portal_id": spare_portal_id,
            "spare_invitation": spare_invitation,
            "spare_invitation_id": spare_invitation_id,
            "spare_member": spare_member["facilitator_id"],
            "spare": spare_person["participant_id"],
            "own": own,
            "regional_theme": regional_theme,
            "programme_theme": programme_theme,
            "spare_programme_theme": spare_programme_theme,
            "recommendation": recommendation,
            "spare_recommendation": spare_recommendation,
        },
        "spare_person_token": spare_person["token"],
        "export": export,
        "spare_tokens": spare_tokens,
        "actors": actors,
    }


def test_the_policy_is_complete():
    for action in Action:
        assert action in POLICY and action in CREDENTIALS and action in TARGETS, action
    assert set(SOCKET_VIEWS.values()) <= set(Action)
    # Every role the actors hold is one of the domain's, and each is tested by someone.
    held_somewhere = {
        role for kinds in ACTOR_ROLES.values() for roles in kinds.values() for role in roles
    }
    # A contribution's author is tested item by item (test_only_the_author_…).
    held_somewhere |= {role for roles in ITEM_ROLES.values() for role in roles}
    assert held_somewhere == set(Role)


def test_every_route_and_event_declares_its_action_and_is_called_here(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    undeclared = sorted(e for e in endpoints if route_action(app, e) is None)
    assert not undeclared, "declare the action of: " + ", ".join(undeclared)
    assert endpoints == set(REQUESTS), "call in this test: " + ", ".join(
        sorted(endpoints ^ set(REQUESTS))
    )
    events = set(socketio.server.handlers["/"]) - {"connect", "disconnect"}
    board_events = set(BOARD_EVENT_ACTIONS)
    assert board_events == set(BOARD_PAYLOADS), "give a payload for: " + ", ".join(
        sorted(board_events ^ set(BOARD_PAYLOADS))
    )
    events -= board_events
    assert events == set(EVENT_ACTIONS), "declare with @event: " + ", ".join(
        sorted(events ^ set(EVENT_ACTIONS))
    )
    assert events == set(PAYLOADS), "give a payload for: " + ", ".join(
        sorted(events ^ set(PAYLOADS))
    )


#: Owners last: their calls may change state (revoke, log out) that others' calls need.
ORDER = sorted(ACTORS, key=lambda actor: actor == "owner")


def order(action: Action) -> list[str]:
    """Refused callers first, then allowed ones, owners last.

    An allowed call may change state (revoke, log out, delete the programme)
    that the refused callers' calls need to meet.
    """
    return sorted(
        ACTORS, key=lambda actor: (allowed(held(actor, action), action), actor == "owner")
    )


@pytest.mark.parametrize("endpoint", sorted(REQUESTS))
def test_http_access(app, world, endpoint):
    action = route_action(app, endpoint)
    for actor_name in order(action):
        _check_http(world, endpoint, action, actor_name)


def _expected_refusal(action: Action, roles: frozenset[Role], api: bool) -> set[int] | str:
    """What a refused caller gets, from the same table: a status, or a page's gate."""
    credential = CREDENTIALS[action]
    if credential == Credential.ACCOUNT and Role.FACILITATOR not in roles:
        return {401} if api else "/login?next="
    if credential == Credential.PARTICIPANT and not api:
        return "/join"  # the join page without a code: a URL never reveals one
    if credential == Credential.LINK:
        return {404}  # the caller's link is not this one
    see = {W: Action.WORKSHOP_SEE, P: Action.PROGRAMME_SEE}.get(TARGETS[action])
    return {403} if see and allowed(roles, see) else {404}


def _fill(value, values):
    """A body's placeholder with the world's value (ids stay numbers)."""
    if not isinstance(value, str):
        return value
    filled = value.format(**values)
    return int(filled) if filled.isdigit() and filled != value else filled


def _check_http(world, endpoint, action, actor_name):
    method, path, body = REQUESTS[endpoint]
    actor = world["actors"][actor_name]
    links = {kind: actor.links.get(kind, bogus) for kind, bogus in LINKS.items()}
    spare_token = world["spare_tokens"].get(actor_name, world["spare_tokens"]["owner"])
    path = path.format(**world["values"], **links, spare_token=spare_token)
    if body == "EXPORT":
        body = world["export"]
    elif isinstance(body, dict):
        body = {k: _fill(v, world["values"]) for k, v in body.items()}
    response = getattr(actor.client, method)(path, json=body, headers=actor.headers)
    response.close()
    status = response.status_code
    where = (endpoint, actor_name, status)
    assert status < 500, where
    location = urlsplit(response.headers.get("Location", ""))
    assert world["code"] not in response.headers.get("Location", ""), where
    roles = held(actor_name, action)
    if allowed(roles, action):
        gate = status == 302 and (location.path == "/join" or location.query.startswith("next="))
        assert status < 400 and not gate, where
        return
    refusal = _expected_refusal(action, roles, api=path.startswith("/api/"))
    if refusal == "/join":
        assert status == 302 and location.path == refusal, where
    elif isinstance(refusal, str):
        assert status == 302 and refusal in response.headers["Location"], where
    else:
        assert status in refusal, (*where, refusal)


@pytest.mark.parametrize("event", sorted(PAYLOADS))
def test_socket_access(api, world, event):
    for actor_name in ORDER:
        _check_socket(api, world, event, actor_name)


def _check_socket(api, world, event, actor_name):
    actor = world["actors"][actor_name]
    roles = ACTOR_ROLES[actor_name][W]
    sio = api.socket(actor.socket_auth)
    may_connect = allowed(roles, SOCKET_VIEWS[actor.socket_view])
    assert sio.is_connected() == may_connect, actor_name
    if not may_connect:
        return
    payload = dict(PAYLOADS[event])
    if event == "contribute":
        payload["client_id"] = new_client_id()
    ack = sio.emit(event, payload, callback=True)
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool)
    if allowed(roles, EVENT_ACTIONS[event]):
        assert ack.get("error") not in ("forbidden", "unauthorized"), ack
    else:
        assert ack == {"ok": False, "error": "forbidden", "message": ack["message"]}


def test_the_programme_room(api, world):
    for actor_name in ORDER:
        actor = world["actors"][actor_name]
        auth = {k: v for k, v in (actor.socket_auth or {}).items() if k != "workshop_id"}
        sio = api.socket({**auth, "programme_id": world["pid"]})
        expected = allowed(ACTOR_ROLES[actor_name][P], SOCKET_VIEWS["programme"])
        assert sio.is_connected() == expected, actor_name
        if expected:
            snapshot = [m["args"][0] for m in sio.get_received() if m["name"] == "programme"]
            assert [s["id"] for s in snapshot] == [world["pid"]], actor_name
            # A dashboard only listens.
            ack = sio.emit("set_phase", {"phase": "dream"}, callback=True)
            assert ack["ok"] is False, actor_name


def test_the_synthesis_board_room(api, world):
    """A synthesis board joins the programme's room for its ``synthesis`` events: members only."""
    for actor_name in ORDER:
        actor = world["actors"][actor_name]
        auth = {k: v for k, v in (actor.socket_auth or {}).items() if k != "workshop_id"}
        sio = api.socket({**auth, "programme_id": world["pid"], "view": "synthesis"})
        expected = allowed(ACTOR_ROLES[actor_name][P], SOCKET_VIEWS["synthesis"])
        assert sio.is_connected() == expected, actor_name
        if expected:
            assert sio.get_received() == [], actor_name  # it reads the synthesis over HTTP
            ack = sio.emit("theme_create", {"name": "x"}, callback=True)
            assert ack["ok"] is False, actor_name


@pytest.mark.parametrize("event", sorted(BOARD_PAYLOADS))
def test_synthesis_board_events(api, world, event):
    """Coordinators shape the synthesis from its board; other members only watch it."""
    for actor_name in ORDER:
        actor = world["actors"][actor_name]
        auth = {k: v for k, v in (actor.socket_auth or {}).items() if k != "workshop_id"}
        sio = api.socket({**auth, "programme_id": world["pid"], "view": "synthesis"})
        if not sio.is_connected():
            continue
        payload = {k: _fill(v, world["values"]) for k, v in BOARD_PAYLOADS[event].items()}
        ack = sio.emit(event, payload, callback=True)
        if allowed(ACTOR_ROLES[actor_name][P], BOARD_EVENT_ACTIONS[event]):
            assert ack["ok"] is True, (actor_name, ack)
        else:
            assert ack == {"ok": False, "error": "forbidden", "message": ack["message"]}
    # Workshop sockets and dashboards are no synthesis boards.
    for auth in (
        world["actors"]["coordinator"].socket_auth,
        {**world["actors"]["coordinator"].socket_auth, "programme_id": world["pid"]},
    ):
        sio = api.socket(
            {k: v for k, v in auth.items() if k != "workshop_id" or "programme_id" not in auth}
        )
        ack = sio.emit(event, dict(BOARD_PAYLOADS[event]), callback=True)
        assert ack["ok"] is False and ack["error"] == "unauthorized", ack


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
        token = world["spare_person_token"]
    may = allowed(ITEM_ROLES[who], Action.CONTRIBUTION_OWN)
    assert may == (who == "author")
    item, wid = world["values"]["own"], world["wid"]
    public_id = world["values"]["public_id"]
    sio = api.socket({"token": token})
    ack = sio.emit("consent_change", {"contribution_id": item, "consent": "private"}, callback=True)
    assert ack["ok"] is may and (may or ack["error"] == "forbidden"), ack
    page = app.test_client()
    page.set_cookie(f"pc_p{wid}", token)
    changed = page.post(f"/w/{public_id}/me/{item}/consent", data={"consent": "anonymous"})
    assert changed.status_code == (302 if may else 403)
    ack = sio.emit("withdraw", {"contribution_id": item}, callback=True)
    assert ack["ok"] is may and (may or ack["error"] == "forbidden"), ack
    withdrawn = page.post(f"/w/{public_id}/me/{item}/withdraw")
    # Once withdrawn by its author, the item is no longer there for anyone.
    assert withdrawn.status_code == (404 if may else 403)
