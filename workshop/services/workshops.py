"""Creating, editing and steering workshops."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import languages
from ..extensions import db
from ..models import Facilitator, Participant, Phase, Workshop, utcnow
from . import privacy
from . import validation as v
from .events import Audience, RoomEvent, lock_and_advance
from .method import PHASES
from .prompts import clean_prompts, default_entries
from .snapshot import View, room_contributions_event, room_view, workshop_payload
from .timer import stop_events

#: Join-code alphabet without the look-alikes 0/O and 1/I.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
_LOOK_ALIKES = str.maketrans("01", "OI")
MAX_VOTES = 20

#: The privacy notice's settings (services/privacy.py).
PRIVACY_FIELDS = ("privacy_controller", "privacy_contact", "privacy_notice", "retention_days")
WORKSHOP_FIELDS = (
    "title",
    "topic",
    "place",
    "held_on",
    "facilitator_name",
    "organisation",
    "language",
    "votes_per_participant",
    "prompts",
    "show_names",
    "hide_vote_counts",
    "votes_revealed",
    "self_votes",
    "premoderation",
    "keep_timer",
    *PRIVACY_FIELDS,
)
SETTING_FLAGS = (
    "show_names",
    "hide_vote_counts",
    "votes_revealed",
    "self_votes",
    "premoderation",
    "keep_timer",
)
#: Text fields of a workshop and their length limits.
TEXT_FIELDS = {
    "topic": v.MAX_TEXT,
    "place": v.MAX_TITLE,
    "facilitator_name": v.MAX_SHORT,
    "organisation": v.MAX_TITLE,
}
#: Where a workshop belongs: accepted by the API's create and edit, not by ``settings``.
PLACEMENT_FIELDS = ("programme_id", "region_id")
MAX_NOTES = 10000


def new_code() -> str:
    """A join code not used by any workshop yet."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(Workshop.id).where(Workshop.code == code)) is None:
            return code


def normalise_code(code: str) -> str:
    """Codes are typed in any case, with spaces or dashes; look-alikes map back."""
    code = "".join(ch for ch in code.upper() if ch.isalnum())
    return code.translate(_LOOK_ALIKES)


def _privacy_changes(data: Mapping[str, Any], retention_default: int) -> dict[str, Any]:
    """The privacy notice's settings among ``data``, checked."""
    changes: dict[str, Any] = privacy.notice_settings(data)
    if "retention_days" in data:
        changes["retention_days"] = v.int_range_field(
            data,
            "retention_days",
            low=privacy.MIN_RETENTION_DAYS,
            high=privacy.MAX_RETENTION_DAYS,
            default=retention_default,
        )
    return changes


def create_workshop(
    owner: Facilitator, data: Any, *, fields: tuple[str, ...] = WORKSHOP_FIELDS
) -> Workshop:
    """A new workshop in the lobby, with the method's prompts (given ones replace theirs).

    ``fields`` may add ``programme_id`` and ``region_id`` (the API): the
    workshop then starts in a programme of the owner's (services/programmes.py).
    """
    data = v.require_object(data, fields, required=("title",))
    programme_id, region_id = _placement(owner, data)
    retention = current_app.config["PRIVACY_RETENTION_DAYS"]
    language = v.choice_field(data, "language", languages.CODES, default="en")
    prompts = default_entries()
    if data.get("prompts") is not None:
        prompts.update(clean_prompts(data["prompts"], language))
    workshop = Workshop(
        owner_id=owner.id,
        programme_id=programme_id,
        region_id=region_id,
        title=v.text_field(data, "title", max_length=v.MAX_TITLE, required=True),
        **{
            field: v.text_field(data, field, max_length=limit)
            for field, limit in TEXT_FIELDS.items()
        },
        held_on=v.date_field(data, "held_on"),
        language=language,
        votes_per_participant=v.int_range_field(
            data, "votes_per_participant", low=1, high=MAX_VOTES, default=3
        ),
        prompts=prompts,
        show_names=v.bool_field(data, "show_names", default=True),
        hide_vote_counts=v.bool_field(data, "hide_vote_counts", default=False),
        self_votes=v.bool_field(data, "self_votes", default=False),
        premoderation=v.bool_field(data, "premoderation", default=False),
        keep_timer=v.bool_field(data, "keep_timer", default=False),
        code=new_code(),
        phase=Phase.LOBBY.value,
        furthest_phase=Phase.LOBBY.value,
        seq=0,
        **{"retention_days": retention, **_privacy_changes(data, retention)},
    )
    db.session.add(workshop)
    _commit_placed(programme_id)
    return workshop


def update_workshop(
    workshop: Workshop, data: Any, *, fields: tuple[str, ...] = WORKSHOP_FIELDS
) -> list[RoomEvent]:
    """Edit the workshop's details, settings or prompts; the room sees the change.

    ``fields`` may add ``programme_id`` and ``region_id`` (the API's PATCH),
    which move the workshop into, within or out of a programme.
    """
    data = v.require_object(data, fields)
    changes: dict[str, Any] = {}
    if any(field in data for field in PLACEMENT_FIELDS):
        changes["programme_id"], changes["region_id"] = _placement(workshop.owner, data, workshop)
    if "title" in data:
        changes["title"] = v.text_field(data, "title", max_length=v.MAX_TITLE, required=True)
    for field, limit in TEXT_FIELDS.items():
        if field in data:
            changes[field] = v.text_field(data, field, max_length=limit)
    if "held_on" in data:
        changes["held_on"] = v.date_field(data, "held_on")
    if "language" in data:
        changes["language"] = v.choice_field(data, "language", languages.CODES)
    if "votes_per_participant" in data:
        changes["votes_per_participant"] = v.int_range_field(
            data,
            "votes_per_participant",
            low=1,
            high=MAX_VOTES,
            default=workshop.votes_per_participant,
        )
    if "prompts" in data:
        language = changes.get("language", workshop.language)
        changes["prompts"] = {**workshop.prompts, **clean_prompts(data["prompts"], language)}
    for flag in SETTING_FLAGS:
        if flag in data:
            changes[flag] = v.bool_field(data, flag, default=False)
    changes.update(_privacy_changes(data, workshop.retention_days))
    state = lock_and_advance(workshop.id)
    view_before = room_view(workshop)
    notice = sorted(
        f for f in PRIVACY_FIELDS if f in changes and changes[f] != getattr(workshop, f)
    )
    for key, value in changes.items():
        setattr(workshop, key, value)
    if notice:
        # Only the owner edits a workshop; the record names the fields, not their text.
        privacy.log_event(
            workshop.id,
            privacy.EventKind.NOTICE_CHANGED,
            privacy.Actor.FACILITATOR,
            workshop.owner_id,
            fields=notice,
        )
    _commit_placed(workshop.programme_id)
    return _workshop_events(workshop, state.seq, view_before)


def _commit_placed(programme_id: int | None) -> None:
    """Commit; a programme deleted since the placement was checked refuses it (SQLite)."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if programme_id is None:
            raise
        from .programmes import refused_placement

        raise refused_placement() from None


def _placement(
    owner: Facilitator, data: Any, current: Workshop | None = None
) -> tuple[int | None, int | None]:
    if not any(field in data for field in PLACEMENT_FIELDS):
        return None, None
    from .programmes import placement

    return placement(owner, data, current)


def _workshop_events(workshop: Workshop, seq: int, view_before: View) -> list[RoomEvent]:
    events = [RoomEvent(workshop.id, "workshop", {**workshop_payload(workshop), "seq": seq})]
    if room_view(workshop) != view_before:
        # Names or vote counts appeared or vanished: the room gets its new view.
        events.append(room_contributions_event(workshop, seq))
    return events


def participant_counts(workshop_ids: list[int]) -> dict[int, int]:
    """How many people joined each workshop."""
    if not workshop_ids:
        return {}
    rows = db.session.execute(
        select(Participant.workshop_id, func.count(Participant.id))
        .where(Participant.workshop_id.in_(workshop_ids))
        .group_by(Participant.workshop_id)
    )
    return dict(rows.all())


def _order(phase: str) -> int:
    return [p.value for p in PHASES].index(phase)


def set_phase(workshop: Workshop, data: Any) -> list[RoomEvent]:
    """Move the workshop to any phase, forward or back.

    A running or paused timer stops, unless the facilitator keeps timers
    across phase changes (``keep_timer``).
    """
    data = v.require_object(data, ("phase",), required=("phase",))
    phase = v.choice_field(data, "phase", [p.value for p in PHASES])
    state = lock_and_advance(workshop.id)
    view_before = room_view(workshop)
    if phase != Phase.CLOSED:
        workshop.closed_at = None
    elif workshop.phase != Phase.CLOSED or workshop.closed_at is None:
        # Closing starts the retention period (services/privacy.py).
        workshop.closed_at = utcnow()
    changed = phase != workshop.phase
    workshop.phase = phase
    if _order(phase) > _order(workshop.furthest_phase or Phase.LOBBY.value):
        workshop.furthest_phase = phase
    workshop.votes_revealed = False  # each voting round starts secret again
    timer_events = stop_events(workshop, state.seq) if changed and not workshop.keep_timer else []
    db.session.commit()
    payload = {"phase": phase, "prompts": workshop.prompts.get(phase, []), "seq": state.seq}
    events = [RoomEvent(workshop.id, "phase", payload), *timer_events]
    if room_view(workshop) != view_before:
        events.append(room_contributions_event(workshop, state.seq))
    return events


def set_notes(workshop: Workshop, data: Any) -> list[RoomEvent]:
    """Save the facilitator's private notes for a phase; only facilitators hear of it."""
    data = v.require_object(data, ("phase", "text"), required=("phase",))
    phase = v.choice_field(data, "phase", [p.value for p in PHASES])
    text = v.text_field(data, "text", max_length=MAX_NOTES)
    state = lock_and_advance(workshop.id)
    workshop.notes = {**(workshop.notes or {}), phase: text}
    db.session.commit()
    payload = {"notes": workshop.notes, "seq": state.seq}
    return [RoomEvent(workshop.id, "notes", payload, Audience.FACILITATORS)]
