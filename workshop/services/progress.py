"""How far each workshop of a programme has come: its card on the programme dashboard.

A card is read in one statement, so its figures are consistent with each
other and with its ``seq``. That ``seq`` orders a card's updates: it is the
workshop's own ``seq`` (raised by every change the room sees: phases,
contributions, moderation, removals) plus the number of people who ever
joined (joins do not raise the workshop's ``seq``). Both only grow, so a
card read later never has a smaller ``seq``, and two reads with the same
``seq`` show the same card: a dashboard keeps, per workshop, the card with
the highest ``seq`` it has seen.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..extensions import db
from ..models import Contribution, Facilitator, Kind, Participant, Workshop


def _count_participants(*, removed_too: bool) -> Any:
    query = select(func.count(Participant.id)).where(Participant.workshop_id == Workshop.id)
    if not removed_too:
        query = query.where(Participant.removed_at.is_(None))
    return query.correlate(Workshop).scalar_subquery()


def _count_contributions(kind: Kind) -> Any:
    return (
        select(func.count(Contribution.id))
        .where(
            Contribution.workshop_id == Workshop.id,
            Contribution.kind == kind.value,
            Contribution.hidden.is_(False),
        )
        .correlate(Workshop)
        .scalar_subquery()
    )


def _query() -> Any:
    return (
        select(
            Workshop.id,
            Workshop.programme_id,
            Workshop.region_id,
            Workshop.title,
            Workshop.owner_id,
            Facilitator.display_name,
            Workshop.language,
            Workshop.phase,
            Workshop.held_on,
            Workshop.created_at,
            Workshop.seq,
            _count_participants(removed_too=False).label("participants"),
            _count_participants(removed_too=True).label("joins"),
            *(_count_contributions(kind).label(kind.value) for kind in Kind),
        )
        .join(Facilitator, Facilitator.id == Workshop.owner_id)
        .order_by(Workshop.id)
    )


def _card(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "programme_id": row.programme_id,
        "region_id": row.region_id,
        "owner_id": row.owner_id,
        "owner_name": row.display_name,
        "language": row.language,
        "phase": row.phase,
        "held_on": row.held_on.isoformat() if row.held_on else None,
        "created_at": row.created_at.date().isoformat(),
        "participants": row.participants,
        "counts": {kind.value: getattr(row, kind.value) for kind in Kind},
        "seq": row.seq + row.joins,
    }


def cards(
    *, programme_id: int | None = None, workshop_id: int | None = None
) -> list[dict[str, Any]]:
    """The cards of every workshop of a programme, or the card of one workshop."""
    query = _query()
    if programme_id is not None:
        query = query.where(Workshop.programme_id == programme_id)
    if workshop_id is not None:
        query = query.where(Workshop.id == workshop_id)
    return [_card(row) for row in db.session.execute(query)]


def programme_of(workshop_id: int) -> int | None:
    """The programme a workshop belongs to now (one small query: most workshops have none)."""
    return db.session.scalar(select(Workshop.programme_id).where(Workshop.id == workshop_id))


def progress_payload(workshop_id: int) -> dict[str, Any] | None:
    """The ``workshop_progress`` payload of a workshop, or None when it is gone."""
    found = cards(workshop_id=workshop_id)
    return {"workshop_id": found[0]["id"], **found[0]} if found else None
