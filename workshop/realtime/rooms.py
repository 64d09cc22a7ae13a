"""Room names and delivery of the events services return."""

from __future__ import annotations

from collections.abc import Iterable

from ..extensions import socketio
from ..services.events import Audience, RoomEvent


def participants_room(workshop_id: int) -> str:
    """Every participant's socket of a workshop."""
    return f"workshop:{workshop_id}"


def facilitators_room(workshop_id: int) -> str:
    """The owning facilitator's sockets (board, API clients)."""
    return f"workshop:{workshop_id}:facilitators"


def publish(events: Iterable[RoomEvent]) -> None:
    """Emit each event to its audience; call only after the change is committed."""
    for event in events:
        rooms = [facilitators_room(event.workshop_id)]
        if event.audience == Audience.EVERYONE:
            rooms.append(participants_room(event.workshop_id))
        socketio.emit(event.name, event.payload, to=rooms)
