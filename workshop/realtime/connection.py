"""Admitting sockets on connect, and what each open socket is.

A socket is authenticated once, in ``connect``: ``services.access.admit_socket``
decides who it is and which view of the workshop it gets (participant,
facilitator, or the projector's ``screen``, which sees what the room sees and
sends nothing). The seat is kept per socket id for the event handlers. A
programme's dashboard connects here too (realtime/progress.py); it sends no
events. A synthesis board does, its own (realtime/synthesis.py).
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
from . import history, presence, progress, synthesis
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
    """Any client connects; it alone receives ``snapshot``, the room ``presence``.

    The socket joins its rooms before the state is read, and the state is read
    as one committed moment (``seq`` and contents together): every change after
    that moment reaches the socket as a live event, every change before it is
    in the snapshot or the replay. Live events may reach the socket before the
    snapshot; the client holds them until its snapshot, then applies those
    with a higher ``seq`` (docs/reliability.md, "Snapshot, replay and live events").
    """
    seat = _admit(auth)
    if seat.view in ("programme", "synthesis"):
        progress.connect(seat)  # a programme's dashboard or synthesis board, not a workshop's room
        if seat.view == "synthesis":
            synthesis.joined(seat)
        return
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
        online = presence.counted(workshop.id)
        data["presence"] = presence_event(workshop.id, online, data["seq"]).payload
        # Straight to this socket, not through the message queue, where a
        # snapshot of several MB would be pickled and sent to every worker.
        emit("snapshot", data, ignore_queue=True)
    if participant is not None:
        announce_presence(workshop.id)


def _replay(workshop: Workshop, participant: Participant | None, auth: Any) -> bool:
    """Send a reconnecting client the events after its ``since``; False when a snapshot is needed.

    ``since`` is the ``seq`` of the last snapshot or ``resynced`` the client
    applied in full: it has every change up to there, and perhaps some after
    (events overtake each other, and a connection may drop between two events
    of one change), so every event after ``since`` is sent again. The room
    was joined before reading ``seq``, so the replay and the live events
    together hold every change after ``since`` (some twice: clients apply
    events idempotently, by id and ``seq``).
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
    synthesis.left(request.sid)
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
