"""Privacy by design: the notice people read at join, the record of processing, a person's own data.

The notice (``notice_for``) says who runs the session, what is collected,
why, where it is published, how long it is kept and how to withdraw. Who runs
it comes from the workshop (``privacy_controller``, ``privacy_contact``),
else its programme (the same fields), else the instance
(``PRIVACY_CONTROLLER``, ``PRIVACY_CONTACT``), else the facilitator's own
name and email. What the software enforces (the three consent choices, the
retention period, the rights and how to use them) is always written by the
code, in the reader's language, so no edit can make the notice promise what
the software does not do; the purpose is the part a facilitator may rewrite
(``privacy_notice``, in the workshop's language), or a coordinator for every
workshop of a programme (in the programme's language).

Every erasure and consent change is logged as a ``PrivacyEvent``: who, when,
what kind, counts and consent values, never the content it changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    Consent,
    Contribution,
    Facilitator,
    Participant,
    Phase,
    PrivacyEvent,
    Programme,
    ShareLink,
    Theme,
    Vote,
    Workshop,
    as_utc,
    utcnow,
)
from . import validation as v
from .links import external_url

#: Bounds of a workshop's retention period, in days.
MIN_RETENTION_DAYS = 1
MAX_RETENTION_DAYS = 3650
MAX_NOTICE = 4000
#: Privacy events listed in the record of processing (the newest; all are counted).
EVENTS_LISTED = 500


class EventKind(enum.StrEnum):
    """What a privacy event records."""

    CONSENT_CHANGED = "consent_changed"
    IDENTITY_CORRECTED = "identity_corrected"
    CONTRIBUTION_WITHDRAWN = "contribution_withdrawn"
    PARTICIPANT_LEFT = "participant_left"
    PARTICIPANT_ERASED = "participant_erased"
    RETENTION_ANONYMISED = "retention_anonymised"
    NOTICE_CHANGED = "notice_changed"
    #: The workshop's programme was deleted: the workshop left it.
    PROGRAMME_DELETED = "programme_deleted"


class Actor(enum.StrEnum):
    """Who made a privacy event happen."""

    PARTICIPANT = "participant"
    FACILITATOR = "facilitator"
    #: The retention command an operator runs.
    OPERATOR = "operator"


def log_event(
    workshop_id: int, kind: EventKind, actor: Actor, actor_id: int | None, **details: Any
) -> None:
    """Add a privacy event to the open transaction (the caller commits with its change)."""
    db.session.add(
        PrivacyEvent(
            workshop_id=workshop_id,
            kind=kind.value,
            actor=actor.value,
            actor_id=actor_id,
            details=details,
        )
    )


# ----- the retention period -----


def retention_start(workshop: Workshop) -> tuple[dt.datetime, bool]:
    """When the workshop's retention period started, and whether that was its closing.

    A workshop that is not closed counts from its last change, so a session
    abandoned in the middle does not keep its people's names forever.
    """
    if workshop.phase == Phase.CLOSED and workshop.closed_at is not None:
        return as_utc(workshop.closed_at), True
    return as_utc(workshop.updated_at or workshop.created_at), False


def anonymise_at(workshop: Workshop) -> dt.datetime:
    """When ``flask privacy enforce`` anonymises the workshop, if nothing changes before."""
    start, _closed = retention_start(workshop)
    return start + dt.timedelta(days=workshop.retention_days)


# ----- the notice -----

DEFAULT_PURPOSE = _l(
    "We use what you contribute to run this Appreciative Inquiry workshop and to write its "
    "results as a strategy draft for the organisations taking part. The legal basis is your "
    "consent: you give it for each contribution, and you can change or withdraw it at any "
    "time. You may also lodge a complaint with the data-protection authority of your country."
)


@dataclasses.dataclass(frozen=True)
class Notice:
    """Everything a privacy notice states, for one workshop or for the instance."""

    controller: str
    contact: str
    facilitator: str
    #: The facilitator's own purpose text, or None for the translated default.
    purpose: str | None
    #: The language the purpose text is written in (None: the reader's).
    purpose_language: str | None
    retention_days: int
    closed: bool
    #: When the retention period ends (None for the instance's notice).
    anonymise_at: dt.datetime | None
    workshop_title: str | None = None
    code: str | None = None
    #: The programme the workshop belongs to (its notice fills the workshop's gaps).
    programme_title: str | None = None

    @property
    def default_purpose(self) -> str:
        """The translated default purpose, in the reader's language."""
        return str(DEFAULT_PURPOSE)


def _facilitator(workshop: Workshop) -> Facilitator | None:
    return db.session.get(Facilitator, workshop.owner_id)


def notice_for(workshop: Workshop | None) -> Notice:
    """The notice of ``workshop``, or the instance's own (None)."""
    config = current_app.config
    if workshop is None:
        return Notice(
            controller=config["PRIVACY_CONTROLLER"],
            contact=config["PRIVACY_CONTACT"],
            facilitator="",
            purpose=None,
            purpose_language=None,
            retention_days=config["PRIVACY_RETENTION_DAYS"],
            closed=False,
            anonymise_at=None,
        )
    owner = _facilitator(workshop)
    owner_name = (owner.display_name or owner.email) if owner else ""
    programme = inherited_notice(workshop)
    _start, closed = retention_start(workshop)
    purpose, purpose_language = _purpose(workshop, programme)
    return Notice(
        controller=workshop.privacy_controller
        or (programme.privacy_controller if programme else "")
        or config["PRIVACY_CONTROLLER"]
        or owner_name,
        contact=workshop.privacy_contact
        or (programme.privacy_contact if programme else "")
        or config["PRIVACY_CONTACT"]
        or (owner.email if owner else ""),
        facilitator=owner_name,
        purpose=purpose,
        purpose_language=purpose_language,
        retention_days=workshop.retention_days,
        closed=closed,
        anonymise_at=anonymise_at(workshop),
        workshop_title=workshop.title,
        code=workshop.code,
        programme_title=programme.title if programme else None,
    )


def _purpose(workshop: Workshop, programme: Programme | None) -> tuple[str | None, str | None]:
    """The purpose text written for the workshop, else for its programme, with its language."""
    if workshop.privacy_notice:
        return workshop.privacy_notice, workshop.language
    if programme is not None and programme.privacy_notice:
        return programme.privacy_notice, programme.language
    return None, None


def inherited_notice(workshop: Workshop) -> Programme | None:
    """The programme whose notice settings fill the workshop's empty ones (None: none)."""
    if workshop.programme_id is None:
        return None
    return db.session.get(Programme, workshop.programme_id)


#: The notice's settings a workshop or a programme may set.
NOTICE_FIELDS = ("privacy_controller", "privacy_contact", "privacy_notice")


def notice_settings(data: Any) -> dict[str, str]:
    """The notice's settings among ``data`` (a checked object), each checked."""
    settings = {
        field: v.text_field(data, field, max_length=v.MAX_TITLE)
        for field in ("privacy_controller", "privacy_contact")
        if field in data
    }
    if "privacy_notice" in data:
        settings["privacy_notice"] = v.text_field(data, "privacy_notice", max_length=MAX_NOTICE)
    return settings


def notice_url(workshop: Workshop) -> str:
    """The address of the workshop's notice (the join page links to it)."""
    return external_url("participant.notice", code=workshop.code)


# ----- a participant's own data -----


def _iso(moment: dt.datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment else None


def own_contributions(participant: Participant) -> list[Contribution]:
    """Everything that belongs to the participant: what they gave, and what was recorded for them."""
    return list(
        db.session.scalars(
            select(Contribution)
            .where(Contribution.participant_id == participant.id)
            .order_by(Contribution.id)
        )
    )


def own_votes(participant: Participant) -> list[Vote]:
    """The participant's votes, oldest first."""
    return list(
        db.session.scalars(
            select(Vote).where(Vote.participant_id == participant.id).order_by(Vote.id)
        )
    )


def my_data(participant: Participant) -> dict[str, Any]:
    """Everything the workshop holds about one participant, as ``GET /api/me`` answers it."""
    workshop = db.session.get(Workshop, participant.workshop_id)
    themes = dict(
        db.session.execute(
            select(Theme.id, Theme.name).where(Theme.workshop_id == participant.workshop_id)
        ).all()
    )
    items = own_contributions(participant)
    return {
        "participant": {
            "id": participant.id,
            "workshop_id": participant.workshop_id,
            "name": participant.name,
            "organisation": participant.organisation,
            "region": participant.region,
            "language": participant.language,
            "joined_at": _iso(participant.joined_at),
            "notice_read_at": _iso(participant.notice_read_at),
        },
        "workshop": {
            "id": workshop.id,
            "title": workshop.title,
            "phase": workshop.phase,
            "notice_url": notice_url(workshop),
            "anonymise_at": _iso(anonymise_at(workshop)),
        },
        "contributions": [
            {
                "id": item.id,
                "kind": item.kind,
                "title": item.title,
                "text": item.text,
                "factors": item.factors,
                "owner": item.owner,
                "owner_organisation": item.owner_organisation,
                "due": item.due.isoformat() if item.due else None,
                "consent": item.consent,
                "language": item.language,
                "theme": themes.get(item.theme_id) if item.theme_id else None,
                "proposition_id": item.proposition_id,
                "votes": item.vote_count,
                "hidden": item.hidden,
                "edited": item.edited,
                "interview": item.recorded_by_id is not None,
                "created_at": _iso(item.created_at),
            }
            for item in items
        ],
        "votes": [
            {
                "contribution_id": vote.contribution_id,
                "kind": vote.kind,
                "created_at": _iso(vote.created_at),
            }
            for vote in own_votes(participant)
        ],
    }


# ----- the record of processing -----


def _count(query: Any) -> int:
    return db.session.scalar(query) or 0


def personal_data_held(workshop: Workshop) -> dict[str, Any]:
    """Counts of the personal data the workshop holds now."""
    wid = workshop.id
    people = select(func.count(Participant.id)).where(Participant.workshop_id == wid)
    named = Participant.anonymised_at.is_(None)
    by_consent = dict(
        db.session.execute(
            select(Contribution.consent, func.count(Contribution.id))
            .where(Contribution.workshop_id == wid)
            .group_by(Contribution.consent)
        ).all()
    )
    contributions = select(func.count(Contribution.id)).where(Contribution.workshop_id == wid)
    now = utcnow()
    links = db.session.scalars(
        select(ShareLink.expires_at).where(
            ShareLink.workshop_id == wid, ShareLink.revoked_at.is_(None)
        )
    )
    return {
        "participants": _count(people),
        "names": _count(people.where(named, Participant.name != "")),
        "organisations": _count(people.where(named, Participant.organisation != "")),
        "regions": _count(people.where(named, Participant.region != "")),
        "tokens": _count(people.where(Participant.token_hash.is_not(None))),
        "removed": _count(people.where(Participant.removed_at.is_not(None), named)),
        "anonymised": _count(people.where(Participant.anonymised_at.is_not(None))),
        "contributions": {consent.value: by_consent.get(consent.value, 0) for consent in Consent},
        "hidden": _count(contributions.where(Contribution.hidden.is_(True))),
        "recorded_in_interviews": _count(
            contributions.where(Contribution.recorded_by_id.is_not(None))
        ),
        "commitment_owners": _count(contributions.where(Contribution.owner != "")),
        "votes": _count(
            select(func.count(Vote.id))
            .join(Participant, Participant.id == Vote.participant_id)
            .where(Participant.workshop_id == wid)
        ),
        "share_links": sum(1 for end in links if end is None or as_utc(end) > now),
        "notes": sum(1 for text in (workshop.notes or {}).values() if text),
    }


def event_payload(event: PrivacyEvent) -> dict[str, Any]:
    """One privacy event as the record lists it."""
    return {
        "at": _iso(event.at),
        "kind": event.kind,
        "actor": event.actor,
        "actor_id": event.actor_id,
        "details": event.details or {},
    }


def privacy_events(workshop_id: int, limit: int = EVENTS_LISTED) -> tuple[list[PrivacyEvent], int]:
    """The workshop's newest privacy events, and how many there are in all."""
    total = _count(
        select(func.count(PrivacyEvent.id)).where(PrivacyEvent.workshop_id == workshop_id)
    )
    events = db.session.scalars(
        select(PrivacyEvent)
        .where(PrivacyEvent.workshop_id == workshop_id)
        .order_by(PrivacyEvent.id.desc())
        .limit(limit)
    )
    return list(events), total


def record_of_processing(workshop: Workshop) -> dict[str, Any]:
    """What ``GET /api/workshops/<id>/privacy`` answers: notice, data held, retention, events."""
    notice = notice_for(workshop)
    start, closed = retention_start(workshop)
    events, total = privacy_events(workshop.id)
    return {
        "workshop_id": workshop.id,
        "notice": {
            "url": notice_url(workshop),
            "controller": notice.controller,
            "contact": notice.contact,
            "purpose": workshop.privacy_notice or None,
            "retention_days": workshop.retention_days,
        },
        "phase": workshop.phase,
        "closed_at": _iso(workshop.closed_at) if closed else None,
        "retention_days": workshop.retention_days,
        "retention_starts": "closed" if closed else "last_change",
        "retention_start": _iso(start),
        "anonymise_at": _iso(anonymise_at(workshop)),
        "anonymised_at": _iso(workshop.anonymised_at),
        "held": personal_data_held(workshop),
        "events": [event_payload(event) for event in events],
        "events_total": total,
    }
