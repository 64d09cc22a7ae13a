"""Admitting sockets on connect, and what each open socket is.

A socket is authenticated once, in ``connect``: ``services.access.admit_socket``
decides who it is and which view of the workshop it gets (participant,
facilitator, or the projector's ``screen``, which sees what the room sees and
sends nothing). The seat is kept per socket id for the event handlers.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import request
from flask_socketio import ConnectionRefusedError, emit, join_room

from ..extensions import db, socketio
from ..models import Participant, Workshop
from ..services import access
from ..services.access import Role
from ..services.errors import ServiceError
from ..services.participants import presence_event
from ..services.snapshot import snapshot
from . import history, presence
from .announce import announce_presence
from .rooms import facilitators_room, participant_room, participants_room

#: A reconnecting client further behind than this gets a snapshot instead.
MAX_REPLAY = 200


@dataclasses.dataclass(frozen=True)
class Connection:
    """Who is behind a socket, fixed at connect time."""

    workshop_id: int
    participant_id: int | None = None
    facilitator_id: int | None = None
    screen: bool = False
    #: The roles the socket's client holds on the workshop (services.access).
    roles: frozenset[Role] = frozenset({Role.ANONYMOUS})

    @property
    def is_facilitator(self) -> bool:
        """True for facilitator-view sockets (the board, API clients; not the projector)."""
        return self.facilitator_id is not None and not self.screen


#: Open sockets of this process, by sid.
connections: dict[str, Connection] = {}


def _admit(auth: Any) -> access.Seat:
    try:
        return access.admit_socket(auth)
    except ServiceError as error:
        raise ConnectionRefusedError(error.code) from None


@socketio.on("connect")
def on_connect(auth: Any = None) -> None:
    """Any client connects; it alone receives ``snapshot``, the room ``presence``."""
    seat = _admit(auth)
    workshop, participant, screen = seat.workshop, seat.participant, seat.view == "screen"
    if participant is not None:
        join_room(participants_room(workshop.id))
        join_room(participant_room(workshop.id, participant.id))
        connections[request.sid] = Connection(
            workshop.id, participant_id=participant.id, roles=seat.roles
        )
        presence.connected(workshop.id, participant.id, request.sid)
    else:
        assert seat.facilitator is not None
        join_room(participants_room(workshop.id) if screen else facilitators_room(workshop.id))
        connections[request.sid] = Connection(
            workshop.id, facilitator_id=seat.facilitator.id, screen=screen, roles=seat.roles
        )
    if not _replay(workshop, participant, auth):
        data = snapshot(workshop, participant, screen=screen)
        online = presence.online(workshop.id)
        data["presence"] = presence_event(workshop.id, online, data["seq"]).payload
        # Straight to this socket, not through the message queue, where a
        # snapshot of several MB would be pickled and sent to every worker.
        emit("snapshot", data, ignore_queue=True)
    if participant is not None:
        announce_presence(workshop.id)


def _replay(workshop: Workshop, participant: Participant | None, auth: Any) -> bool:
    """Send a reconnecting client only the events it missed; False when a snapshot is needed.

    The room was joined before reading ``seq``, so nothing falls between the
    replay and the live events (a client may see an event twice; it applies
    events idempotently by id and seq).
    """
    since = auth.get("since") if isinstance(auth, dict) else None
    if isinstance(since, bool) or not isinstance(since, int) or since <= 0:
        return False  # a client that has seen nothing gets the whole picture
    db.session.refresh(workshop)
    if since > workshop.seq:
        return False  # the client saw a future: the database was reset
    if workshop.seq - since > MAX_REPLAY:
        return False  # a snapshot is smaller than a long replay
    connection = connections[request.sid]
    events = history.missed(
        workshop.id, since, workshop.seq, connection.participant_id, connection.is_facilitator
    )
    if events is None:
        return False
    for event in events:
        emit(event.name, event.payload, ignore_queue=True)
    emit("resynced", {"seq": workshop.seq, "replayed": len(events)}, ignore_queue=True)
    return True


@socketio.on("disconnect")
def on_disconnect(reason: Any = None) -> None:
    """A socket closes; the room receives ``presence`` when a participant leaves."""
    connection = connections.pop(request.sid, None)
    if connection is None or connection.participant_id is None:
        return
    presence.disconnected(connection.workshop_id, connection.participant_id, request.sid)
    announce_presence(connection.workshop_id)


def disconnect_participant(workshop_id: int, participant_id: int) -> None:
    """Close a removed participant's sockets, on whichever worker holds them."""
    for sid in presence.sockets_of(workshop_id, participant_id):
        # With a message queue, python-socketio forwards this to the socket's worker.
        socketio.server.disconnect(sid, namespace="/")


def close_workshop(workshop_id: int, participant_ids: list[int]) -> None:
    """Close every socket of a deleted workshop.

    The room has received ``workshop_deleted`` already, so the app's pages
    stop reconnecting. This process closes its own sockets of the workshop;
    participants' sockets on other workers are closed through the message
    queue; the rooms are closed on every worker, so nothing more reaches a
    socket left open elsewhere (a facilitator's API client), whose every
    event and reconnection is then refused.
    """
    for sid, connection in list(connections.items()):
        if connection.workshop_id == workshop_id:
            socketio.server.disconnect(sid, namespace="/")
    for participant_id in participant_ids:
        disconnect_participant(workshop_id, participant_id)
    for room in (participants_room(workshop_id), facilitators_room(workshop_id)):
        socketio.close_room(room)
