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
import threading
from typing import Any

from flask import request
from flask_socketio import ConnectionRefusedError, emit, join_room

from ..extensions import db, socketio
from ..http import client_address
from ..models import Participant, Workshop
from ..services import access, ratelimit
from ..services.access import Role
from ..services.errors import ServiceError
from ..services.participants import presence_event
from ..services.snapshot import snapshot
from . import history, presence, progress, sockets, synthesis
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


#: Snapshots built at once in this process: more wait their turn (their memory
#: and their time on the event loop are bounded; other rooms go on between).
_building = threading.BoundedSemaphore(2)

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

    Refused with ``too_many_connections`` when its address holds too many
    sockets, and with ``rate_limited`` (``{"retry_after": seconds}``) when it
    needs a snapshot and has asked for too many lately; a new socket beyond
    its owner's cap closes that owner's oldest.
    """
    seat = _admit(auth)
    participant = seat.participant
    owner = (
        f"participant:{participant.id}"
        if participant is not None
        else f"facilitator:{seat.facilitator.id}"
    )
    address = client_address()
    oldest = sockets.admit(request.sid, owner, address, participant=participant is not None)
    try:
        _welcome(seat, owner, address, auth)
    except BaseException:
        _forget(request.sid)  # a refused socket is never disconnected: forget it here
        raise
    for sid in oldest:  # only once the new one is in: a refused one closes nothing
        socketio.server.disconnect(sid, namespace="/")


def _welcome(seat: access.Seat, owner: str, address: str, auth: Any) -> None:
    """Seat an admitted socket in its rooms; send it the events it missed, or a snapshot."""
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
        try:
            # A snapshot is the costly answer: a client reconnecting in a loop
            # is told when to come back instead (it keeps what it has).
            ratelimit.hit("snapshot", f"{owner}:{workshop.id}:{seat.view}")
            ratelimit.hit("snapshot_address", address)
        except ServiceError as error:
            raise ConnectionRefusedError(error.code, {"retry_after": error.retry_after}) from None
        with _building:
            data = snapshot(workshop, participant, screen=screen)
            online = presence.counted(workshop.id)
            data["presence"] = presence_event(workshop.id, online, data["seq"]).payload
            # Straight to this socket, not through the message queue, where a
            # snapshot of several MB would be pickled and sent to every worker.
            emit("snapshot", data, ignore_queue=True)
    if participant is not None:
        announce_presence(workshop.id)


def _forget(sid: str) -> Connection | None:
    """Take a socket out of this process's books; its connection, if it had one."""
    sockets.counts.forget(sid)
    connection = connections.pop(sid, None)
    if connection is not None and connection.participant_id is not None:
        presence.disconnected(connection.workshop_id, connection.participant_id, sid)
    return connection


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
    connection = _forget(request.sid)
    if connection is None or connection.participant_id is None:
        return
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
