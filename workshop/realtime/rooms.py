"""Room names and delivery of the events services return."""

from __future__ import annotations

from collections.abc import Iterable

from ..extensions import socketio
from ..services.events import Audience, ProgrammeEvent, RoomEvent
from . import history


def participants_room(workshop_id: int) -> str:
    """The room's view: every participant's socket and the projector."""
    return f"workshop:{workshop_id}"


def facilitators_room(workshop_id: int) -> str:
    """The owning facilitator's sockets (board, API clients)."""
    return f"workshop:{workshop_id}:facilitators"


def participant_room(workshop_id: int, participant_id: int) -> str:
    """One participant's sockets (a phone may have several tabs)."""
    return f"workshop:{workshop_id}:participant:{participant_id}"


def programme_room(programme_id: int) -> str:
    """The dashboards of a programme's members."""
    return f"programme:{programme_id}"


def _rooms(event: RoomEvent) -> list[str]:
    if event.audience == Audience.PARTICIPANT:
        assert event.participant_id is not None
        return [participant_room(event.workshop_id, event.participant_id)]
    rooms = []
    if event.audience in (Audience.EVERYONE, Audience.FACILITATORS):
        rooms.append(facilitators_room(event.workshop_id))
    if event.audience in (Audience.EVERYONE, Audience.ROOM):
        rooms.append(participants_room(event.workshop_id))
    return rooms


def publish(events: Iterable[RoomEvent]) -> None:
    """Emit each event to its audience; call only after the change is committed."""
    from . import progress  # programme dashboards hear of their workshops' changes

    events = list(events)
    for event in events:
        history.record(event)
        socketio.emit(event.name, event.payload, to=_rooms(event))
    progress.published(events)


def publish_erasure(events: Iterable[RoomEvent]) -> None:
    """Publish the events of an erasure or consent change, then forget the room's recent events.

    This process then neither keeps the erased text in memory nor replays an
    event that carried it: a client that reconnects gets a fresh snapshot.
    """
    events = list(events)
    publish(events)
    for workshop_id in {event.workshop_id for event in events}:
        history.forget(workshop_id)


def publish_programme(events: Iterable[ProgrammeEvent]) -> None:
    """Emit programme events (``synthesis``) to the programme's room; call after the commit."""
    for event in events:
        socketio.emit(event.name, event.payload, to=programme_room(event.programme_id))
