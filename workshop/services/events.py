"""Room events that services produce and the real-time layer delivers.

Services never emit. They commit, then return the events the room must see,
so that every change is stored before it is broadcast.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from sqlalchemy import update

from ..extensions import db
from ..models import Workshop


class Audience(enum.StrEnum):
    """Who in a workshop's room receives an event."""

    EVERYONE = "everyone"
    FACILITATORS = "facilitators"
    #: Participants' phones and the projector: the room's view.
    ROOM = "room"
    #: One participant's sockets (``RoomEvent.participant_id``).
    PARTICIPANT = "participant"


@dataclasses.dataclass(frozen=True)
class RoomEvent:
    """One Socket.IO event for one workshop's room."""

    workshop_id: int
    name: str
    payload: dict[str, Any]
    audience: Audience = Audience.EVERYONE
    participant_id: int | None = None


@dataclasses.dataclass(frozen=True)
class ProgrammeEvent:
    """One Socket.IO event for a programme's room (its dashboards and synthesis boards)."""

    programme_id: int
    name: str
    payload: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class LockedWorkshop:
    """A workshop's state read under its write lock, with the new ``seq``."""

    seq: int
    phase: str
    votes_per_participant: int


def lock_and_advance(workshop_id: int) -> LockedWorkshop:
    """Raise the workshop's ``seq`` and read its state, inside the open transaction.

    The UPDATE takes the workshop's row lock (the database lock on SQLite), so
    the checks a service makes afterwards cannot race another change in the
    same workshop, and seq numbers follow commit order. A rollback gives the
    number back. The same statement returns the whole row and refreshes the
    session's Workshop with it: the lock is held for as few round trips as
    possible, since under load every round trip waits its turn on the event loop.
    """
    stmt = (
        update(Workshop)
        .where(Workshop.id == workshop_id)
        .values(seq=Workshop.seq + 1)
        .returning(Workshop)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    workshop = db.session.execute(stmt).scalar_one()
    return LockedWorkshop(
        seq=workshop.seq, phase=workshop.phase, votes_per_participant=workshop.votes_per_participant
    )
