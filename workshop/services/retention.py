"""The retention period: once it is over, a workshop keeps what it published, and no names.

A workshop's period starts when it entered Closed (``closed_at``); a workshop
left open counts from its last change (services/privacy.py). When
``retention_days`` have passed, ``enforce`` anonymises its participants
(name, organisation, region and token erased; named contributions become
anonymous; the "who" of commitments is cleared) and deletes its ``private``
contributions. Publishable contributions stay, anonymous; votes stay as
anonymous dots. An operator runs it daily (``flask --app workshop privacy
enforce``, deploy/systemd/positive-core-privacy.timer); ``dry_run`` reports
without changing anything. A workshop with nothing left to anonymise is not
reported again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, select

from ..extensions import db
from ..models import Consent, Contribution, Participant, Workshop, utcnow
from .erasure import Changes, anonymise_participants, delete_contributions, notify_erased
from .events import RoomEvent, lock_and_advance
from .privacy import Actor, EventKind, anonymise_at, log_event, retention_start


@dataclasses.dataclass(frozen=True)
class Due:
    """A workshop past its retention period, and what enforcing it does (or did)."""

    workshop_id: int
    title: str
    closed: bool
    since: dt.datetime
    retention_days: int
    due_at: dt.datetime
    participants: int
    named: int
    private: int


def _count(query: object) -> int:
    return db.session.scalar(query) or 0  # type: ignore[arg-type]


def _plan(workshop: Workshop) -> Due:
    since, closed = retention_start(workshop)
    mine = Contribution.workshop_id == workshop.id
    return Due(
        workshop_id=workshop.id,
        title=workshop.title,
        closed=closed,
        since=since,
        retention_days=workshop.retention_days,
        due_at=anonymise_at(workshop),
        participants=_count(
            select(func.count(Participant.id)).where(
                Participant.workshop_id == workshop.id, Participant.anonymised_at.is_(None)
            )
        ),
        named=_count(
            select(func.count(Contribution.id)).where(
                mine, Contribution.consent == Consent.NAMED.value
            )
        ),
        private=_count(
            select(func.count(Contribution.id)).where(
                mine, Contribution.consent == Consent.PRIVATE.value
            )
        ),
    )


def due(now: dt.datetime | None = None) -> list[Due]:
    """Workshops past their retention period that still hold names or private items, oldest first."""
    now = now or utcnow()
    found = []
    for workshop in db.session.scalars(select(Workshop).order_by(Workshop.id)):
        if anonymise_at(workshop) > now:
            continue
        plan = _plan(workshop)
        if plan.participants or plan.named or plan.private:
            found.append(plan)
    return sorted(found, key=lambda plan: (plan.due_at, plan.workshop_id))


def anonymise_workshop(workshop: Workshop) -> list[RoomEvent]:
    """Anonymise every participant of ``workshop`` and delete its private contributions, now."""
    state = lock_and_advance(workshop.id)
    changes = Changes()
    private = db.session.scalars(
        select(Contribution.id).where(
            Contribution.workshop_id == workshop.id,
            Contribution.consent == Consent.PRIVATE.value,
        )
    ).all()
    delete_contributions(private, changes)
    people = db.session.scalars(
        select(Participant.id).where(
            Participant.workshop_id == workshop.id, Participant.anonymised_at.is_(None)
        )
    ).all()
    named = anonymise_participants(workshop, people, changes)
    workshop.anonymised_at = utcnow()
    log_event(
        workshop.id,
        EventKind.RETENTION_ANONYMISED,
        Actor.OPERATOR,
        None,
        participants=len(people),
        named_made_anonymous=named,
        private_deleted=len(changes.deleted),
    )
    db.session.commit()
    notify_erased(workshop.id)
    return changes.events(workshop, state.seq)


def enforce(
    now: dt.datetime | None = None, *, dry_run: bool = False
) -> list[tuple[Due, list[RoomEvent]]]:
    """Anonymise every workshop past its period (or, with ``dry_run``, only say which)."""
    done = []
    for plan in due(now):
        events: list[RoomEvent] = []
        if not dry_run:
            workshop = db.session.get(Workshop, plan.workshop_id)
            if workshop is None:  # deleted meanwhile
                continue
            events = anonymise_workshop(workshop)
        done.append((plan, events))
    return done
