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
- a partner, by the token of a share link in the URL.

Permission follows Indico's protection model. Each protected object answers
one question, ``roles(identity, target)``: the roles the caller holds on it,
derived here and nowhere else (the only place that compares ids): a
workshop's, and a contribution's (its workshop's, plus ``AUTHOR`` for the
participant it belongs to). ``POLICY``
maps every action to the roles allowed to perform it; HTTP routes and socket
events each declare their action, and the access-control test reads its
expectations from the same table. An object may inherit from its parent
(``_inherited_roles``: a workshop from its programme). Answers are memoised
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
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Contribution, Facilitator, Participant, ShareLink, Workshop
from .accounts import facilitator_for_token
from .errors import ServiceError
from .participants import participant_for_token
from .tokens import PARTICIPANT_PREFIX


class Role(enum.StrEnum):
    """What a caller is to one protected object."""

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
    #: The participant a contribution belongs to: who gave it, or whose story
    #: an interviewer recorded.
    AUTHOR = "author"


class Action(enum.StrEnum):
    """Everything a route or an event does, as far as access is concerned."""

    #: Anyone: sign-in, joining by code, static files, health.
    PUBLIC = "public"
    #: A facilitator's own things: dashboard, own workshops, creating one.
    ACCOUNT = "account"
    #: Know that the workshop exists: refusals of other actions say 403, not 404.
    WORKSHOP_SEE = "workshop.see"
    #: Read everything the facilitator sees: snapshot, summary, exports, projector.
    WORKSHOP_READ = "workshop.read"
    #: Steer and change the workshop: phases, settings, moderation, timer, links.
    WORKSHOP_MANAGE = "workshop.manage"
    #: Take part: the live page, contributing, voting.
    WORKSHOP_PARTICIPATE = "workshop.participate"
    #: The summary page at the participants' address.
    WORKSHOP_SUMMARY = "workshop.summary"
    #: A partner's summary and downloads behind a share link.
    WORKSHOP_SHARED = "workshop.shared"
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
    Action.WORKSHOP_SEE: frozenset({Role.OWNER}),
    Action.WORKSHOP_READ: frozenset({Role.OWNER}),
    Action.WORKSHOP_MANAGE: frozenset({Role.OWNER}),
    Action.WORKSHOP_PARTICIPATE: frozenset({Role.PARTICIPANT}),
    Action.WORKSHOP_SUMMARY: frozenset({Role.PARTICIPANT, Role.OWNER}),
    Action.WORKSHOP_SHARED: frozenset({Role.PARTNER}),
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
    Action.WORKSHOP_SELF: Credential.PARTICIPANT,
    Action.WORKSHOP_PRIVACY: Credential.ACCOUNT,
    Action.WORKSHOP_ERASE: Credential.ACCOUNT,
    Action.CONTRIBUTION_OWN: Credential.PARTICIPANT,
}

#: The kind of object each action is about (None: no object).
TARGETS: dict[Action, type | None] = {
    Action.PUBLIC: None,
    Action.ACCOUNT: None,
    **{action: Workshop for action in Action if action.value.startswith("workshop.")},
    Action.CONTRIBUTION_OWN: Contribution,
}

#: Where refusals point when the caller cannot even see the object: 404, not 403.
#: A contribution is seen by whoever takes part in or runs its workshop.
_SEE: dict[type, Action] = {Workshop: Action.WORKSHOP_SEE, Contribution: Action.WORKSHOP_SUMMARY}

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
    request's, read for the per-workshop participant cookie. ``share`` is the
    share link the URL opened.
    """

    facilitator: Facilitator | None = None
    participant_token: str | None = None
    token_presented: bool = False
    cookies: Mapping[str, str] = dataclasses.field(default_factory=dict)
    share: ShareLink | None = None
    _participants: dict[int | None, Participant | None] = dataclasses.field(
        default_factory=dict, repr=False
    )
    _roles: dict[tuple[str, int], frozenset[Role]] = dataclasses.field(
        default_factory=dict, repr=False
    )

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


Target = Workshop | Contribution


def roles(identity: Identity, target: Target | None = None) -> frozenset[Role]:
    """The roles ``identity`` holds on ``target`` (on nothing: its account alone)."""
    if target is None:
        return (
            frozenset({Role.FACILITATOR}) if identity.facilitator else frozenset({Role.ANONYMOUS})
        )
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
        found |= _inherited_roles(facilitator, workshop)
    if identity.participant_in(workshop.id) is not None:
        found.add(Role.PARTICIPANT)
    if identity.share is not None and identity.share.workshop_id == workshop.id:
        found.add(Role.PARTNER)
    return frozenset(found)


def _inherited_roles(facilitator: Facilitator, workshop: Workshop) -> set[Role]:
    """Roles a workshop inherits from its parent; none until workshops have one."""
    return set()


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


def can_access(identity: Identity, workshop: Workshop) -> bool:
    """Whether the caller may read the workshop as its facilitator sees it."""
    return may(identity, Action.WORKSHOP_READ, workshop)


def can_manage(identity: Identity, workshop: Workshop) -> bool:
    """Whether the caller may steer and change the workshop."""
    return may(identity, Action.WORKSHOP_MANAGE, workshop)


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
        return _not_found(kind)
    if may(identity, action, target):
        return None
    if target is not None and may(identity, _SEE[type(target)], target):
        return ServiceError("forbidden", _l("You are not allowed to do this."), 403)
    return _not_found(kind)


def _not_found(kind: type | None) -> ServiceError:
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


def find_workshop(workshop_id: int) -> Workshop | None:
    """The workshop with this id, whoever asks (decide with ``refused`` before using it)."""
    return db.session.get(Workshop, workshop_id)


def workshop_for(identity: Identity, action: Action, workshop_id: int) -> Workshop:
    """The workshop ``workshop_id`` if ``identity`` may perform ``action`` on it; else a refusal."""
    workshop = None if lacks_credential(identity, action) else find_workshop(workshop_id)
    error = refused(identity, action, workshop, missing=workshop is None)
    if error is not None:
        raise error
    assert workshop is not None
    return workshop


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


# ----- sockets -----

#: A socket's view of a workshop -> the action connecting with that view needs.
SOCKET_VIEWS: dict[str, Action] = {
    "participant": Action.WORKSHOP_PARTICIPATE,
    "facilitator": Action.WORKSHOP_READ,
    "screen": Action.WORKSHOP_READ,
}


@dataclasses.dataclass(frozen=True)
class Seat:
    """Where a connecting socket sits: its workshop, who it is there, and its view."""

    workshop: Workshop
    view: str
    roles: frozenset[Role]
    participant: Participant | None = None
    facilitator: Facilitator | None = None


def _refuse_socket(code: str) -> ServiceError:
    return ServiceError(code, _l("You cannot connect to this workshop."), 401)


def _int_value(value: Any) -> int | None:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def admit_socket(auth: Any) -> Seat:
    """The seat of a connecting socket, or a refusal (``error``: unauthorized, forbidden).

    ``auth`` is ``{"token": participant token}``, ``{"token": facilitator
    token, "workshop_id": id}`` or, from the app's pages, ``{"workshop_id":
    id}`` with the participant cookie or the login session; ``"view":
    "screen"`` asks for the projector's view.
    """
    if auth is None:
        auth = {}
    if not isinstance(auth, Mapping):
        raise _refuse_socket("unauthorized")
    identity = identify_socket(auth)
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


# ----- lists -----


def workshops_of(identity: Identity) -> list[Workshop]:
    """The workshops the caller runs, newest first."""
    from sqlalchemy import select

    if identity.facilitator is None:
        return []
    return list(
        db.session.scalars(
            select(Workshop)
            .where(Workshop.owner_id == identity.facilitator.id)
            .order_by(Workshop.id.desc())
        )
    )
