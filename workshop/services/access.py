"""Who is calling, and what they may do: the one place that decides.

Identity. ``identify()`` recognises the caller of the current HTTP request,
``identify_socket(auth)`` the client of a connecting socket:

- a facilitator, by an API bearer token (``pcf_…``) or the login session.
  On the API the session counts only for safe methods (GET, HEAD), so a page
  on another site cannot make a signed-in browser change anything; a bearer
  token that is presented but unknown never falls back to the session;
- a participant, by a participant token (``pcp_…``: a socket's ``auth`` or a
  bearer header) or by the per-workshop cookie ``pc_p<workshop_id>``, which
  ``remember_participant`` alone sets. On the API the cookie counts only for
  safe methods, like the session. A removed participant, or one who left, is
  nobody;
- a partner, by the token of a share link (one workshop) or of a programme's
  portal link in the URL;
- an invitee, by the token of an invitation to a programme in the URL.

Permission follows Indico's protection model. Each protected object answers
one question, ``roles(identity, target)``: the roles the caller holds on it,
derived here and nowhere else (the only place that compares ids): a
workshop's, and a contribution's (its workshop's, plus ``AUTHOR`` for the
participant it belongs to). ``POLICY``
maps every action to the roles allowed to perform it; HTTP routes and socket
events each declare their action, and the access-control test reads its
expectations from the same table. An object may inherit from its parent
(``_inherited_roles``: a workshop's coordinators and members are its
programme's). Answers are memoised
on the identity, which lives for one request (or one socket).

A refusal is a ``ServiceError`` whose status never reveals what the caller
may not know: 401 when the action needs credentials the caller lacks, 403
when the caller may see the object but not do this, 404 otherwise.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from typing import Any

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import (
    ApiToken,
    Contribution,
    Facilitator,
    Invitation,
    Participant,
    Programme,
    ProgrammeMember,
    ProgrammeRole,
    ProgrammeShare,
    ShareLink,
    Workshop,
)
from ..wire import MAX_ID
from . import accounts
from .accounts import facilitator_for_token
from .errors import ServiceError
from .participants import participant_for_token
from .tokens import PARTICIPANT_PREFIX, digest


class Role(enum.StrEnum):
    """What a caller is to one protected object (a workshop or a programme)."""

    #: Nothing recognised: no credentials, unknown ones, or a removed participant's.
    ANONYMOUS = "anonymous"
    #: A signed-in facilitator account, whatever its tie to the object.
    FACILITATOR = "facilitator"
    #: The facilitator who runs this workshop.
    OWNER = "owner"
    #: Someone who joined this workshop (someone who joined another one is nobody here).
    PARTICIPANT = "participant"
    #: The holder of a share link of this workshop.
    PARTNER = "partner"
    #: A member of the programme (of the workshop's programme), whatever the role.
    MEMBER = "member"
    #: A coordinator of the programme (of the workshop's programme).
    COORDINATOR = "coordinator"
    #: The holder of the programme's portal link (of the workshop's programme).
    PROGRAMME_PARTNER = "programme_partner"
    #: The holder of an open invitation to the programme.
    INVITEE = "invitee"
    #: The participant a contribution belongs to: who gave it, or whose story
    #: an interviewer recorded.
    AUTHOR = "author"


class Action(enum.StrEnum):
    """Everything a route or an event does, as far as access is concerned."""

    #: Anyone: sign-in, joining by code, static files, health.
    PUBLIC = "public"
    #: A facilitator's own things: dashboard, own workshops and programmes, creating them.
    ACCOUNT = "account"
    #: Know that the workshop exists: refusals of other actions say 403, not 404.
    WORKSHOP_SEE = "workshop.see"
    #: Read everything the facilitator sees: snapshot, board (read-only), summary, exports.
    WORKSHOP_READ = "workshop.read"
    #: Steer and change the workshop: phases, settings, moderation, timer, links.
    WORKSHOP_MANAGE = "workshop.manage"
    #: Take part: the live page, contributing, voting.
    WORKSHOP_PARTICIPATE = "workshop.participate"
    #: The summary page at the participants' address.
    WORKSHOP_SUMMARY = "workshop.summary"
    #: A partner's summary and downloads behind the workshop's share link.
    WORKSHOP_SHARED = "workshop.shared"
    #: The same, for a workshop of a programme, behind the programme's portal link.
    WORKSHOP_PORTAL = "workshop.portal"
    #: Know that the programme exists: refusals of other actions say 403, not 404.
    PROGRAMME_SEE = "programme.see"
    #: The programme's dashboard: regions, members, every workshop's card, live.
    PROGRAMME_READ = "programme.read"
    #: Add workshops to the programme: create, move in, import.
    PROGRAMME_CONTRIBUTE = "programme.contribute"
    #: Manage the programme: its settings and notice, regions, invitations,
    #: members, portal links.
    PROGRAMME_MANAGE = "programme.manage"
    #: Delete the programme (its workshops stay with their owners).
    PROGRAMME_ERASE = "programme.erase"
    #: Read the transnational synthesis: its board (read-only), its live
    #: events, and the recommendation as a document (a shared output).
    SYNTHESIS_READ = "programme.synthesis.read"
    #: Shape the synthesis: programme themes, mapping, recommendations.
    SYNTHESIS_EDIT = "programme.synthesis.edit"
    #: The partner portal: every workshop of the programme, no account.
    PROGRAMME_SHARED = "programme.shared"
    #: Accept an invitation to the programme.
    PROGRAMME_JOIN = "programme.join"
    #: A participant's own data: My contributions, its download, leaving.
    WORKSHOP_SELF = "workshop.self"
    #: The record of processing and the privacy notice's settings.
    WORKSHOP_PRIVACY = "workshop.privacy"
    #: Real deletions: a participant with everything they gave, or the whole workshop.
    WORKSHOP_ERASE = "workshop.erase"
    #: Change how one's own contribution may be used, or withdraw it.
    CONTRIBUTION_OWN = "contribution.own"


class Credential(enum.StrEnum):
    """What a caller must present before an action is even considered."""

    NONE = "none"
    ACCOUNT = "account"
    PARTICIPANT = "participant"
    LINK = "link"


EVERYONE = frozenset(Role)

#: Action -> the roles allowed to perform it. The single source of who may do what.
POLICY: dict[Action, frozenset[Role]] = {
    Action.PUBLIC: EVERYONE,
    Action.ACCOUNT: frozenset({Role.FACILITATOR}),
    Action.WORKSHOP_SEE: frozenset({Role.OWNER, Role.MEMBER}),
    Action.WORKSHOP_READ: frozenset({Role.OWNER, Role.COORDINATOR}),
    Action.WORKSHOP_MANAGE: frozenset({Role.OWNER}),
    Action.WORKSHOP_PARTICIPATE: frozenset({Role.PARTICIPANT}),
    Action.WORKSHOP_SUMMARY: frozenset({Role.PARTICIPANT, Role.OWNER, Role.COORDINATOR}),
    Action.WORKSHOP_SHARED: frozenset({Role.PARTNER}),
    Action.WORKSHOP_PORTAL: frozenset({Role.PROGRAMME_PARTNER}),
    Action.PROGRAMME_SEE: frozenset({Role.MEMBER}),
    Action.PROGRAMME_READ: frozenset({Role.MEMBER}),
    Action.PROGRAMME_CONTRIBUTE: frozenset({Role.MEMBER}),
    Action.PROGRAMME_MANAGE: frozenset({Role.COORDINATOR}),
    Action.PROGRAMME_ERASE: frozenset({Role.COORDINATOR}),
    Action.SYNTHESIS_READ: frozenset({Role.MEMBER}),
    Action.SYNTHESIS_EDIT: frozenset({Role.COORDINATOR}),
    Action.PROGRAMME_SHARED: frozenset({Role.PROGRAMME_PARTNER}),
    Action.PROGRAMME_JOIN: frozenset({Role.INVITEE}),
    Action.WORKSHOP_SELF: frozenset({Role.PARTICIPANT}),
    Action.WORKSHOP_PRIVACY: frozenset({Role.OWNER}),
    Action.WORKSHOP_ERASE: frozenset({Role.OWNER}),
    Action.CONTRIBUTION_OWN: frozenset({Role.AUTHOR}),
}

#: Action -> what a caller without any allowed role lacks (decides 401 and the pages' gates).
CREDENTIALS: dict[Action, Credential] = {
    Action.PUBLIC: Credential.NONE,
    Action.ACCOUNT: Credential.ACCOUNT,
    Action.WORKSHOP_SEE: Credential.ACCOUNT,
    Action.WORKSHOP_READ: Credential.ACCOUNT,
    Action.WORKSHOP_MANAGE: Credential.ACCOUNT,
    Action.WORKSHOP_PARTICIPATE: Credential.PARTICIPANT,
    Action.WORKSHOP_SUMMARY: Credential.PARTICIPANT,
    Action.WORKSHOP_SHARED: Credential.LINK,
    Action.WORKSHOP_PORTAL: Credential.LINK,
    Action.PROGRAMME_SEE: Credential.ACCOUNT,
    Action.PROGRAMME_READ: Credential.ACCOUNT,
    Action.PROGRAMME_CONTRIBUTE: Credential.ACCOUNT,
    Action.PROGRAMME_MANAGE: Credential.ACCOUNT,
    Action.PROGRAMME_ERASE: Credential.ACCOUNT,
    Action.SYNTHESIS_READ: Credential.ACCOUNT,
    Action.SYNTHESIS_EDIT: Credential.ACCOUNT,
    Action.PROGRAMME_SHARED: Credential.LINK,
    Action.PROGRAMME_JOIN: Credential.LINK,
    Action.WORKSHOP_SELF: Credential.PARTICIPANT,
    Action.WORKSHOP_PRIVACY: Credential.ACCOUNT,
    Action.WORKSHOP_ERASE: Credential.ACCOUNT,
    Action.CONTRIBUTION_OWN: Credential.PARTICIPANT,
}

Target = Workshop | Programme | Contribution

#: The kind of object each action is about (None: no object).
TARGETS: dict[Action, type[Target] | None] = {
    Action.PUBLIC: None,
    Action.ACCOUNT: None,
    **{action: Workshop for action in Action if action.value.startswith("workshop.")},
    **{action: Programme for action in Action if action.value.startswith("programme.")},
    Action.CONTRIBUTION_OWN: Contribution,
}

#: Per kind of object: the action that decides whether a refusal says 403 or 404.
#: A contribution is seen by whoever takes part in or runs its workshop.
_SEE: dict[type[Target], Action] = {
    Workshop: Action.WORKSHOP_SEE,
    Programme: Action.PROGRAMME_SEE,
    Contribution: Action.WORKSHOP_SUMMARY,
}
#: Roles a workshop inherits from the same roles on its programme.
INHERITED = frozenset({Role.MEMBER, Role.COORDINATOR, Role.PROGRAMME_PARTNER})

PARTICIPANT_COOKIE = "pc_p{workshop_id}"


def participant_cookie_name(workshop_id: int) -> str:
    """The cookie that carries a participant's token for one workshop."""
    return PARTICIPANT_COOKIE.format(workshop_id=workshop_id)


# ----- identity -----


@dataclasses.dataclass(eq=False)
class Identity:
    """Who is calling, recognised once; answers about it are memoised here.

    ``participant_token`` is a participant token presented explicitly (socket
    ``auth``, bearer header). ``token_presented`` is true when any token was:
    then no cookie or session speaks for the caller. ``cookies`` are the
    request's, read for the per-workshop participant cookie. ``share``,
    ``portal`` and ``invitation`` are the links the URL opened.
    """

    facilitator: Facilitator | None = None
    #: The API token the facilitator presented, if they are recognised by one.
    facilitator_token: str | None = None
    participant_token: str | None = None
    token_presented: bool = False
    cookies: Mapping[str, str] = dataclasses.field(default_factory=dict)
    share: ShareLink | None = None
    portal: ProgrammeShare | None = None
    invitation: Invitation | None = None
    _participants: dict[int | None, Participant | None] = dataclasses.field(
        default_factory=dict, repr=False
    )
    _roles: dict[tuple[str, int], frozenset[Role]] = dataclasses.field(
        default_factory=dict, repr=False
    )
    _memberships: dict[int, str] | None = dataclasses.field(default=None, repr=False)

    @classmethod
    def of(cls, facilitator: Facilitator) -> Identity:
        """A facilitator as an identity, for decisions about someone other than the caller."""
        return cls(facilitator=facilitator)

    @classmethod
    def of_participant(cls, participant: Participant) -> Identity:
        """A participant already recognised (an open socket's) as an identity."""
        identity = cls(token_presented=True)
        identity._participants[None] = participant
        identity._participants[participant.workshop_id] = participant
        return identity

    @property
    def token_participant(self) -> Participant | None:
        """The participant of the explicitly presented token, if any (any workshop)."""
        if None not in self._participants:
            self._participants[None] = participant_for_token(self.participant_token)
        return self._participants[None]

    def membership(self, programme_id: int) -> str | None:
        """The facilitator's role in a programme, or None (one query for all, per identity)."""
        if self.facilitator is None:
            return None
        if self._memberships is None:
            rows = db.session.execute(
                select(ProgrammeMember.programme_id, ProgrammeMember.role).where(
                    ProgrammeMember.facilitator_id == self.facilitator.id
                )
            )
            self._memberships = dict(rows.all())
        return self._memberships.get(programme_id)

    def participant_in(self, workshop_id: int) -> Participant | None:
        """The caller as a participant of ``workshop_id``: by token, else by that workshop's cookie."""
        if workshop_id not in self._participants:
            participant = self.token_participant
            if participant is None and not self.token_presented:
                participant = participant_for_token(
                    self.cookies.get(participant_cookie_name(workshop_id))
                )
            if participant is not None and participant.workshop_id != workshop_id:
                participant = None
            self._participants[workshop_id] = participant
        return self._participants[workshop_id]


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer …`` header."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _session_facilitator() -> Facilitator | None:
    return current_user._get_current_object() if current_user.is_authenticated else None


def identify() -> Identity:
    """The caller of the current HTTP request (memoised for the request)."""
    identity = g.get("access_identity")
    if identity is None:
        identity = g.access_identity = _identify_request()
    return identity


def _identify_request() -> Identity:
    identity = Identity(cookies=request.cookies)
    if request.blueprint != "api":
        identity.facilitator = _session_facilitator()  # pages: forms carry CSRF tokens
        return identity
    token = bearer_token()
    if token is not None:
        identity.token_presented = True  # a presented token decides alone, known or not
        if token.startswith(PARTICIPANT_PREFIX):
            identity.participant_token = token
        else:
            identity.facilitator = facilitator_for_token(token)
            identity.facilitator_token = token if identity.facilitator else None
    elif request.method in ("GET", "HEAD"):
        identity.facilitator = _session_facilitator()
    else:
        # Neither the session nor a participant's cookie changes anything here:
        # the API is exempt from CSRF tokens, so only a bearer token may.
        identity.cookies = {}
    return identity


def identify_socket(auth: Mapping[str, Any]) -> Identity:
    """The client of a connecting socket, from its ``auth`` dict, else its cookies and session.

    A ``token`` that is neither a participant's nor a known facilitator's
    identifies nobody (it never falls back to the session).
    """
    token = auth.get("token")
    if token is None:
        return Identity(facilitator=_session_facilitator(), cookies=request.cookies)
    if not isinstance(token, str):
        return Identity(token_presented=True)  # presented, and nobody's
    if token.startswith(PARTICIPANT_PREFIX):
        return Identity(participant_token=token, token_presented=True)
    return Identity(facilitator=facilitator_for_token(token), token_presented=True)


def remember_participant(response: Response, participant: Participant, token: str) -> Response:
    """Set the cookie that keeps this browser the same participant of the workshop."""
    response.set_cookie(
        participant_cookie_name(participant.workshop_id),
        token,
        max_age=current_app.config["PARTICIPANT_COOKIE_MAX_AGE"],
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


# ----- roles: the only place that compares ids -----


def roles(identity: Identity, target: Target | None = None) -> frozenset[Role]:
    """The roles ``identity`` holds on ``target`` (on nothing: its account alone)."""
    if target is None:
        return (
            frozenset({Role.FACILITATOR}) if identity.facilitator else frozenset({Role.ANONYMOUS})
        )
    if isinstance(target, Programme):
        return _programme_roles(identity, target.id)
    key = (type(target).__name__, target.id)
    if key not in identity._roles:
        if isinstance(target, Contribution):
            found = _contribution_roles(identity, target)
        else:
            found = _workshop_roles(identity, target)
        identity._roles[key] = found or frozenset({Role.ANONYMOUS})
    return identity._roles[key]


def _workshop_roles(identity: Identity, workshop: Workshop) -> frozenset[Role]:
    found: set[Role] = set()
    facilitator = identity.facilitator
    if facilitator is not None:
        found.add(Role.FACILITATOR)
        if workshop.owner_id == facilitator.id:
            found.add(Role.OWNER)
    if identity.participant_in(workshop.id) is not None:
        found.add(Role.PARTICIPANT)
    if identity.share is not None and identity.share.workshop_id == workshop.id:
        found.add(Role.PARTNER)
    found |= _inherited_roles(identity, workshop)
    return frozenset(found)


def _inherited_roles(identity: Identity, workshop: Workshop) -> frozenset[Role]:
    """What the workshop's programme makes the caller here (Indico's inherited protection)."""
    if workshop.programme_id is None:
        return frozenset()
    return _programme_roles(identity, workshop.programme_id) & INHERITED


def _programme_roles(identity: Identity, programme_id: int) -> frozenset[Role]:
    key = ("programme", programme_id)
    if key not in identity._roles:
        found: set[Role] = set()
        if identity.facilitator is not None:
            found.add(Role.FACILITATOR)
            role = identity.membership(programme_id)
            if role is not None:
                found.add(Role.MEMBER)
            if role == ProgrammeRole.COORDINATOR:
                found.add(Role.COORDINATOR)
        if identity.portal is not None and identity.portal.programme_id == programme_id:
            found.add(Role.PROGRAMME_PARTNER)
        if identity.invitation is not None and identity.invitation.programme_id == programme_id:
            found.add(Role.INVITEE)
        identity._roles[key] = frozenset(found) or frozenset({Role.ANONYMOUS})
    return identity._roles[key]


def _contribution_roles(identity: Identity, item: Contribution) -> frozenset[Role]:
    """A contribution's roles: its workshop's, and ``AUTHOR`` for the participant it belongs to."""
    workshop = find_workshop(item.workshop_id)
    found = set(roles(identity, workshop)) - {Role.ANONYMOUS} if workshop else set()
    participant = identity.participant_in(item.workshop_id)
    if participant is not None and participant.id == item.participant_id:
        found.add(Role.AUTHOR)
    return frozenset(found)


# ----- decisions -----


def allowed(held: frozenset[Role], action: Action) -> bool:
    """Whether any of the ``held`` roles may perform ``action``."""
    return not held.isdisjoint(POLICY[action])


def may(identity: Identity, action: Action, target: Target | None = None) -> bool:
    """Whether ``identity`` may perform ``action`` on ``target``."""
    return allowed(roles(identity, target), action)


def can_access(identity: Identity, target: Target) -> bool:
    """Whether the caller may read the workshop (as its facilitator sees it) or the programme."""
    read = Action.WORKSHOP_READ if isinstance(target, Workshop) else Action.PROGRAMME_READ
    return may(identity, read, target)


def can_manage(identity: Identity, target: Target) -> bool:
    """Whether the caller may steer and change the workshop, or manage the programme."""
    manage = Action.WORKSHOP_MANAGE if isinstance(target, Workshop) else Action.PROGRAMME_MANAGE
    return may(identity, manage, target)


def lacks_credential(identity: Identity, action: Action) -> bool:
    """True when the caller did not present what ``action`` needs at all (401, or a gate)."""
    return CREDENTIALS[action] == Credential.ACCOUNT and identity.facilitator is None


def refused(
    identity: Identity, action: Action, target: Target | None = None, *, missing: bool = False
) -> ServiceError | None:
    """None when ``identity`` may perform ``action`` on ``target``; else the refusal.

    ``missing`` says the URL named an object that does not exist. Credentials
    are checked first, so a caller without them learns nothing from ids: 401;
    then 404 for what does not exist or what the caller may not even see, and
    403 for what it sees but may not do.
    """
    if lacks_credential(identity, action):
        return ServiceError("unauthorized", _l("Send a valid facilitator token."), 401)
    kind = TARGETS[action]
    if missing:
        return not_found(kind)
    if may(identity, action, target):
        return None
    if target is not None and may(identity, _SEE[type(target)], target):
        return ServiceError("forbidden", _l("You are not allowed to do this."), 403)
    return not_found(kind)


def not_found(kind: type[Target] | None) -> ServiceError:
    """The 404 of a missing (or invisible) object of ``kind``."""
    if kind is Programme:
        return ServiceError("not_found", _l("No such programme."), 404)
    if kind is Contribution:
        return ServiceError(
            "unknown_contribution", _l("No such contribution in this workshop."), 404
        )
    return ServiceError("not_found", _l("No such workshop."), 404)


def require(identity: Identity, action: Action, target: Target | None = None) -> None:
    """Refuse unless ``identity`` may perform ``action`` on ``target``."""
    error = refused(identity, action, target)
    if error is not None:
        raise error


def find(kind: type[Any], object_id: int) -> Any:
    """The row of ``kind`` with this id, whoever asks (decide with ``refused`` before using it)."""
    if not 0 < object_id <= MAX_ID:
        return None
    return db.session.get(kind, object_id)


def find_workshop(workshop_id: int | None, public_id: str | None = None) -> Workshop | None:
    """The workshop with this id or public id, whoever asks (decide with ``refused`` first)."""
    if public_id is not None:
        if len(public_id) > 32:
            return None
        return db.session.scalar(select(Workshop).where(Workshop.public_id == public_id))
    return find(Workshop, workshop_id) if workshop_id is not None else None


def target_for(identity: Identity, action: Action, object_id: int) -> Any:
    """The object ``object_id`` of the action's kind, if ``identity`` may perform ``action`` on it."""
    kind = TARGETS[action]
    assert kind is not None
    target = None if lacks_credential(identity, action) else find(kind, object_id)
    error = refused(identity, action, target, missing=target is None)
    if error is not None:
        raise error
    return target


def workshop_for(identity: Identity, action: Action, workshop_id: int) -> Workshop:
    """The workshop ``workshop_id`` if ``identity`` may perform ``action`` on it; else a refusal."""
    return target_for(identity, action, workshop_id)


def programme_for(identity: Identity, action: Action, programme_id: int) -> Programme:
    """The programme ``programme_id`` if ``identity`` may perform ``action`` on it; else a refusal."""
    return target_for(identity, action, programme_id)


# ----- links in the URL: share links, portal links, invitations -----


def contribution_for(
    identity: Identity, action: Action, workshop: Workshop, contribution_id: Any
) -> Contribution:
    """The contribution ``contribution_id`` of ``workshop`` if ``identity`` may perform ``action`` on it.

    Another workshop's item, or none, is ``unknown_contribution`` (404);
    someone else's item of the same workshop is ``forbidden`` (403).
    """
    wanted = _int_value(contribution_id)
    item = db.session.get(Contribution, wanted) if wanted else None
    if item is not None and item.workshop_id != workshop.id:
        item = None
    error = refused(identity, action, item, missing=item is None)
    if error is not None:
        if error.code == "forbidden" and action == Action.CONTRIBUTION_OWN:
            error.message = _l("You can change only your own contributions.")
        raise error
    assert item is not None
    return item


def shared_workshop(identity: Identity, token: str) -> Workshop:
    """The workshop a share link in the URL opens; 404 unknown, 410 revoked or expired."""
    from .shares import open_link

    identity.share = open_link(token)
    workshop = db.session.get(Workshop, identity.share.workshop_id)
    require(identity, Action.WORKSHOP_SHARED, workshop)
    return workshop


def portal_programme(identity: Identity, token: str) -> Programme:
    """The programme a portal link opens; 404 unknown, 410 revoked."""
    from .portal import open_portal

    identity.portal = open_portal(token)
    programme = db.session.get(Programme, identity.portal.programme_id)
    require(identity, Action.PROGRAMME_SHARED, programme)
    return programme


def portal_workshop(identity: Identity, token: str, workshop_id: int) -> Workshop:
    """A workshop of the programme a portal link opens; 404 for any other workshop."""
    portal_programme(identity, token)
    return workshop_for(identity, Action.WORKSHOP_PORTAL, workshop_id)


def invited_programme(identity: Identity, token: str) -> Programme:
    """The programme an invitation opens; 404 unknown, 410 used, revoked or expired."""
    from .invitations import open_invitation

    identity.invitation = open_invitation(token)
    programme = db.session.get(Programme, identity.invitation.programme_id)
    require(identity, Action.PROGRAMME_JOIN, programme)
    return programme


# ----- sockets -----

#: A socket's view -> the action connecting with that view needs.
SOCKET_VIEWS: dict[str, Action] = {
    "participant": Action.WORKSHOP_PARTICIPATE,
    "facilitator": Action.WORKSHOP_READ,
    "screen": Action.WORKSHOP_READ,
    "programme": Action.PROGRAMME_READ,
    "synthesis": Action.SYNTHESIS_READ,
}


@dataclasses.dataclass(frozen=True)
class Seat:
    """Where a connecting socket sits: its workshop or programme, who it is there, its view."""

    target: Target
    view: str
    roles: frozenset[Role]
    participant: Participant | None = None
    facilitator: Facilitator | None = None

    @property
    def workshop(self) -> Workshop:
        """The workshop of a workshop's socket."""
        assert isinstance(self.target, Workshop)
        return self.target


def _refuse_socket(code: str) -> ServiceError:
    return ServiceError(code, _l("You cannot connect here."), 401)


def _int_value(value: Any) -> int | None:
    """An id from a socket's ``auth``: a whole number (or its digits) the database can hold."""
    if isinstance(value, str) and value.isdigit() and len(value) <= len(str(MAX_ID)):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID:
        return value
    return None


def admit_socket(auth: Any) -> Seat:
    """The seat of a connecting socket, or a refusal (``error``: unauthorized, forbidden).

    ``auth`` is ``{"token": participant token}``, ``{"token": facilitator
    token, "workshop_id": id}`` or, from the app's pages, ``{"workshop_id":
    id}`` with the participant cookie or the login session; ``"view":
    "screen"`` asks for the projector's view. ``{"programme_id": id}`` (with
    a facilitator token or the login session) asks for a programme's
    dashboard instead.
    """
    if auth is None:
        auth = {}
    if not isinstance(auth, Mapping):
        raise _refuse_socket("unauthorized")
    identity = identify_socket(auth)
    if "programme_id" in auth and "workshop_id" not in auth:
        view = "synthesis" if auth.get("view") == "synthesis" else "programme"
        return _admit_to_programme(identity, _int_value(auth.get("programme_id")), view)
    workshop_id = _int_value(auth.get("workshop_id"))
    participant = identity.token_participant
    if participant is None and workshop_id is not None:
        participant = identity.participant_in(workshop_id)
    if participant is not None:
        workshop = find_workshop(participant.workshop_id)
        if workshop is None or workshop_id not in (None, workshop.id):
            raise _refuse_socket("unauthorized")
        view = "participant"
    else:
        if identity.facilitator is None or workshop_id is None:
            raise _refuse_socket("unauthorized")
        workshop = find_workshop(workshop_id)
        if workshop is None:
            raise _refuse_socket("forbidden")
        view = "screen" if auth.get("view") == "screen" else "facilitator"
    held = roles(identity, workshop)
    if not allowed(held, SOCKET_VIEWS[view]):
        raise _refuse_socket("forbidden")
    return Seat(workshop, view, held, participant, identity.facilitator)


def _admit_to_programme(identity: Identity, programme_id: int | None, view: str) -> Seat:
    if identity.facilitator is None or programme_id is None:
        raise _refuse_socket("unauthorized")
    programme = find(Programme, programme_id)
    held = roles(identity, programme) if programme is not None else frozenset()
    if programme is None or not allowed(held, SOCKET_VIEWS[view]):
        raise _refuse_socket("forbidden")
    return Seat(programme, view, held, facilitator=identity.facilitator)


# ----- lists -----


def api_tokens_of(identity: Identity) -> list[ApiToken]:
    """The caller's API tokens that still work, newest first."""
    return accounts.api_tokens(identity.facilitator) if identity.facilitator else []


def api_token_of(identity: Identity, token_id: int) -> ApiToken:
    """The caller's API token ``token_id``; anyone else's, or none, is a 404."""
    for record in api_tokens_of(identity):
        if record.id == token_id:
            return record
    raise ServiceError("not_found", _l("No such token."), 404)


def presented(identity: Identity, record: ApiToken) -> bool:
    """Whether ``record`` is the token the caller presented with this request."""
    return identity.facilitator_token is not None and record.token_hash == digest(
        identity.facilitator_token
    )


def workshops_of(identity: Identity) -> list[Workshop]:
    """The workshops the caller runs, newest first."""
    if identity.facilitator is None:
        return []
    return list(
        db.session.scalars(
            select(Workshop)
            .where(Workshop.owner_id == identity.facilitator.id)
            .order_by(Workshop.id.desc())
        )
    )


def programmes_of(identity: Identity) -> list[tuple[Programme, str]]:
    """The programmes the caller is a member of, with their role, newest first."""
    if identity.facilitator is None:
        return []
    rows = db.session.execute(
        select(Programme, ProgrammeMember.role)
        .join(ProgrammeMember, ProgrammeMember.programme_id == Programme.id)
        .where(ProgrammeMember.facilitator_id == identity.facilitator.id)
        .order_by(Programme.id.desc())
    )
    return [(programme, role) for programme, role in rows.all()]


def is_member(facilitator: Facilitator, programme: Programme) -> bool:
    """Whether ``facilitator`` belongs to ``programme`` (any role)."""
    return Role.MEMBER in roles(Identity.of(facilitator), programme)
