"""Delivering erasures: the room's events, closed sockets, presence, forgotten replay buffers.

Services erase and commit (services/erasure.py); views and handlers hand
their result to one of these, so every entry point (socket event, API, page)
tells the room the same way.
"""

from __future__ import annotations

from ..extensions import socketio
from ..services.erasure import DeletedProgramme, DeletedWorkshop
from ..services.events import RoomEvent
from . import history
from .announce import announce_presence
from .connection import close_workshop, disconnect_participant
from .rooms import programme_room, publish, publish_erasure, publish_programme


def deliver(events: list[RoomEvent]) -> None:
    """A consent change or a withdrawal: the room follows, the replay buffer forgets."""
    publish_erasure(events)


def deliver_departure(workshop_id: int, participant_id: int, events: list[RoomEvent]) -> None:
    """A participant left or was erased: the room follows, their sockets close."""
    publish_erasure(events)
    disconnect_participant(workshop_id, participant_id)
    announce_presence(workshop_id)


def deliver_deletion(deleted: DeletedWorkshop) -> None:
    """A workshop was deleted: ``workshop_deleted`` to its room, then every socket closes."""
    publish(deleted.events)
    close_workshop(deleted.workshop_id, deleted.participant_ids)
    history.forget(deleted.workshop_id)


def deliver_programme_deletion(deleted: DeletedProgramme) -> None:
    """A programme was deleted: its own workshops deleted with it close, then its room.

    Dashboards and synthesis boards receive ``programme_deleted`` and stop
    reconnecting; this process closes its sockets of the programme's room
    (a board left open on another worker is refused at its next event and
    reconnection, since the programme is gone).
    """
    for workshop in deleted.deleted:
        deliver_deletion(workshop)
    publish_programme(deleted.events)
    room = programme_room(deleted.programme_id)
    for sid, _eio_sid in list(socketio.server.manager.get_participants("/", room)):
        socketio.server.disconnect(sid, namespace="/")
    socketio.close_room(room)
