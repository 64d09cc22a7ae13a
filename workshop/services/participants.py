"""Joining a workshop by code, and recognising a participant by token."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import languages
from ..extensions import db
from ..models import Participant, Phase, Workshop, utcnow
from . import ratelimit
from . import validation as v
from .errors import ServiceError
from .events import Audience, RoomEvent, lock_and_advance
from .tokens import PARTICIPANT_PREFIX, digest, new_token
from .workshops import normalise_code

JOIN_FIELDS = ("code", "name", "organisation", "region", "language")


#: Longer than any code typed with spaces or dashes: refused before it is read.
MAX_TYPED_CODE = 32


def find_by_code(code: Any) -> Workshop | None:
    """The workshop a code names, closed or not (None for an unknown code)."""
    if not isinstance(code, str) or not normalise_code(code):
        return None
    return db.session.scalar(select(Workshop).where(Workshop.code == normalise_code(code)))


def workshop_by_code(code: Any) -> Workshop:
    """The workshop a join code opens; 404 for an unknown code, 409 once closed."""
    if not isinstance(code, str) or not normalise_code(code[:MAX_TYPED_CODE]):
        raise ServiceError("missing_field", _l("Enter the workshop code."))
    workshop = None
    if len(code) <= MAX_TYPED_CODE:
        workshop = db.session.scalar(select(Workshop).where(Workshop.code == normalise_code(code)))
    if workshop is None:
        raise ServiceError(
            "unknown_code", _l("No workshop has this code. Check it and try again."), 404
        )
    if workshop.phase == Phase.CLOSED:
        raise ServiceError("workshop_closed", _l("This workshop is closed."), 409)
    return workshop


def workshop_for_link(code: str, address: str) -> Workshop:
    """The workshop a join link opens; an unknown code counts against ``address``."""
    ratelimit.check("join_failures", address)
    try:
        return workshop_by_code(code)
    except ServiceError as error:
        if error.code == "unknown_code":
            ratelimit.count_failure("join_failures", address)
        raise


def join(data: Any, address: str) -> tuple[Participant, str]:
    """Add a participant to the workshop named by ``code``; returns it and its token.

    Only failed attempts count against ``address``: a whole venue behind one
    NAT joins freely, while guessing codes is throttled.
    """
    ratelimit.check("join_failures", address)
    data = v.require_object(data, JOIN_FIELDS, required=("code", "name"))
    name = v.text_field(data, "name", max_length=v.MAX_NAME, required=True)
    organisation = v.text_field(data, "organisation", max_length=v.MAX_SHORT)
    region = v.text_field(data, "region", max_length=v.MAX_SHORT)
    language = None
    if data.get("language"):
        language = v.choice_field(data, "language", languages.CODES)
    try:
        workshop = workshop_by_code(data["code"])
    except ServiceError as error:
        if error.code == "unknown_code":
            ratelimit.count_failure("join_failures", address)
        raise
    token = new_token(PARTICIPANT_PREFIX)
    participant = Participant(
        workshop_id=workshop.id,
        name=name,
        organisation=organisation,
        region=region,
        language=language,
        token_hash=digest(token),
        # The join page links to the notice, and joining states it was read.
        notice_read_at=utcnow(),
    )
    db.session.add(participant)
    db.session.commit()
    return participant, token


def browser_language(
    chosen: str | None, browser: str | None, accept_language: str | None
) -> str | None:
    """A joining participant's language: their explicit choice, else their browser's.

    ``browser`` is the page's ``navigator.languages`` (comma-separated, best
    first), ``accept_language`` the best supported match of the request's
    Accept-Language header. Regional variants count (``de-AT`` is German).
    """
    supported = languages.CODES
    if chosen in supported:
        return chosen
    for tag in (browser or "").split(",")[:10]:
        code = tag.strip().split("-")[0].split("_")[0].lower()
        if code in supported:
            return code
    return accept_language if accept_language in supported else None


def remember_language(participant: Participant, language: str | None) -> None:
    """Keep a participant's explicit language choice on their record."""
    if languages.is_supported(language) and participant.language != language:
        participant.language = language
        db.session.commit()


def participant_for_token(token: Any) -> Participant | None:
    """The participant holding ``token``, else None."""
    if not isinstance(token, str) or not token.startswith(PARTICIPANT_PREFIX):
        return None
    return db.session.scalar(
        select(Participant).where(
            Participant.token_hash == digest(token), Participant.removed_at.is_(None)
        )
    )


@dataclasses.dataclass(frozen=True)
class Online:
    """How many participants have a socket open, and the version of that count.

    The version grows with every read of the count (``realtime.presence``): of
    two ``presence`` events, a client keeps the one read last, whatever order
    they arrive in.
    """

    count: int
    version: int


def remove(workshop: Workshop, data: Any, online: Online) -> tuple[Participant, list[RoomEvent]]:
    """Take a participant out of the workshop: their token stops working.

    Their contributions stay (hide them separately if needed).
    """
    data = v.require_object(data, ("participant_id",), required=("participant_id",))
    participant = db.session.get(Participant, v.id_field(data, "participant_id"))
    if participant is None or participant.workshop_id != workshop.id or not participant.active:
        raise ServiceError("unknown_participant", _l("No such participant in this workshop."), 404)
    state = lock_and_advance(workshop.id)
    participant.removed_at = utcnow()
    db.session.commit()
    removed = RoomEvent(
        workshop.id, "removed", {"seq": state.seq}, Audience.PARTICIPANT, participant.id
    )
    return participant, [removed, presence_event(workshop.id, online, state.seq)]


def roster(workshop_id: int) -> list[dict[str, Any]]:
    """The participants of a workshop, for the facilitator."""
    people = db.session.scalars(
        select(Participant)
        .where(
            Participant.workshop_id == workshop_id,
            Participant.removed_at.is_(None),
            Participant.anonymised_at.is_(None),
        )
        .order_by(Participant.id)
    )
    return [
        {"id": p.id, "name": p.name, "organisation": p.organisation, "region": p.region}
        for p in people
    ]


def joined_count(workshop_id: int) -> int:
    """How many people are in the workshop (not removed, not gone)."""
    return (
        db.session.scalar(
            select(func.count(Participant.id)).where(
                Participant.workshop_id == workshop_id,
                Participant.removed_at.is_(None),
                Participant.anonymised_at.is_(None),
            )
        )
        or 0
    )


def presence_event(workshop_id: int, online: Online, seq: int) -> RoomEvent:
    """The ``presence`` event: who joined and who is connected now.

    ``joined`` is counted after ``online`` was read, so it is never older than
    the version the event carries.
    """
    return RoomEvent(
        workshop_id,
        "presence",
        {
            "joined": joined_count(workshop_id),
            "online": online.count,
            "seq": seq,
            "version": online.version,
        },
    )
