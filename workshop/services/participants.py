"""Joining a workshop by code, and recognising a participant by token."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import Participant, Phase, Workshop
from . import validation as v
from .errors import ServiceError
from .events import RoomEvent
from .tokens import PARTICIPANT_PREFIX, digest, new_token
from .workshops import normalise_code, supported_languages

JOIN_FIELDS = ("code", "name", "organisation", "region", "language")


def workshop_by_code(code: Any) -> Workshop:
    """The workshop a join code opens; 404 for an unknown code, 409 once closed."""
    if not isinstance(code, str) or not normalise_code(code):
        raise ServiceError("missing_field", _l("Enter the workshop code."))
    workshop = db.session.scalar(select(Workshop).where(Workshop.code == normalise_code(code)))
    if workshop is None:
        raise ServiceError(
            "unknown_code", _l("No workshop has this code. Check it and try again."), 404
        )
    if workshop.phase == Phase.CLOSED:
        raise ServiceError("workshop_closed", _l("This workshop is closed."), 409)
    return workshop


def join(data: Any) -> tuple[Participant, str]:
    """Add a participant to the workshop named by ``code``; returns it and its token."""
    data = v.require_object(data, JOIN_FIELDS, required=("code", "name"))
    name = v.text_field(data, "name", max_length=v.MAX_NAME, required=True)
    organisation = v.text_field(data, "organisation", max_length=v.MAX_SHORT)
    region = v.text_field(data, "region", max_length=v.MAX_SHORT)
    language = None
    if data.get("language"):
        language = v.choice_field(data, "language", supported_languages())
    workshop = workshop_by_code(data["code"])
    token = new_token(PARTICIPANT_PREFIX)
    participant = Participant(
        workshop_id=workshop.id,
        name=name,
        organisation=organisation,
        region=region,
        language=language,
        token_hash=digest(token),
    )
    db.session.add(participant)
    db.session.commit()
    return participant, token


def participant_for_token(token: Any) -> Participant | None:
    """The participant holding ``token``, else None."""
    if not isinstance(token, str) or not token.startswith(PARTICIPANT_PREFIX):
        return None
    return db.session.scalar(select(Participant).where(Participant.token_hash == digest(token)))


def joined_count(workshop_id: int) -> int:
    """How many people have joined the workshop."""
    return (
        db.session.scalar(
            select(func.count(Participant.id)).where(Participant.workshop_id == workshop_id)
        )
        or 0
    )


def presence_event(workshop_id: int, online: int, seq: int) -> RoomEvent:
    """The ``presence`` event: who joined and who is connected now."""
    return RoomEvent(
        workshop_id,
        "presence",
        {"joined": joined_count(workshop_id), "online": online, "seq": seq},
    )
