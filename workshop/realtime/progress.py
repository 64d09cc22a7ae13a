"""Programme dashboards: the ``programme`` room, and ``workshop_progress`` as workshops move.

A member's dashboard joins its programme's room on connect and receives the
``programme`` object (every workshop's card). Whenever a workshop of the
programme changes what its card shows (a phase, a contribution added,
hidden or shown again, a participant joining or removed, an edit), the room
receives ``workshop_progress``: the workshop's card, read after the change.
Cards carry their own ``seq`` (services/progress.py), so a dashboard keeps
the newest whatever order they arrive in.

A busy plenary changes its card many times a second: the first change
schedules one read ``PROGRESS_COALESCE_SECONDS`` later (1 s by default; 0 in
tests sends at once), which covers every change until then.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from flask import Flask, current_app
from flask_socketio import emit, join_room

from ..extensions import socketio
from ..services.access import Identity, Seat
from ..services.events import RoomEvent
from ..services.programmes import programme_payload
from ..services.progress import programme_of, progress_payload
from .rooms import programme_room

#: Room events after which a workshop's card may have changed.
CARD_EVENTS = frozenset(
    {"phase", "contribution", "contribution_hidden", "contributions", "removed", "workshop"}
)

_lock = threading.Lock()
#: Workshops with a read scheduled -> programmes they left meanwhile (told too).
_scheduled: dict[int, set[int]] = {}


def connect(seat: Seat) -> None:
    """A member's dashboard connects: it joins the room, then alone receives ``programme``.

    The room is joined before the programme is read, so no change falls
    between the two; a ``workshop_progress`` that arrives before or after the
    snapshot with an older ``seq`` is ignored by the client.
    """
    assert seat.facilitator is not None
    join_room(programme_room(seat.target.id))
    payload = programme_payload(seat.target, Identity.of(seat.facilitator))
    emit("programme", payload, ignore_queue=True)


def published(events: Iterable[RoomEvent]) -> None:
    """Called by ``rooms.publish``: schedule a card update for each workshop that changed."""
    for workshop_id in {e.workshop_id for e in events if e.name in CARD_EVENTS}:
        workshop_changed(workshop_id)


def workshop_changed(workshop_id: int, *, left_programme_id: int | None = None) -> None:
    """Tell the workshop's programme (and one it just left) how far the workshop has come."""
    left = {left_programme_id} if left_programme_id else set()
    delay = current_app.config["PROGRESS_COALESCE_SECONDS"]
    if delay <= 0:
        _send(workshop_id, left)
        return
    with _lock:
        if workshop_id in _scheduled:
            _scheduled[workshop_id] |= left
            return
        _scheduled[workshop_id] = left
    socketio.start_background_task(
        _send_later, current_app._get_current_object(), workshop_id, delay
    )


def _send_later(app: Flask, workshop_id: int, delay: float) -> None:
    socketio.sleep(delay)
    with _lock:
        left = _scheduled.pop(workshop_id, set())
    with app.app_context():
        _send(workshop_id, left)


def _send(workshop_id: int, left: set[int]) -> None:
    if not left and programme_of(workshop_id) is None:
        return  # a workshop of its own: no dashboard to tell, no counts to read
    payload = progress_payload(workshop_id)
    if payload is None:
        return
    programmes = left | ({payload["programme_id"]} if payload["programme_id"] else set())
    if programmes:
        rooms = [programme_room(programme_id) for programme_id in sorted(programmes)]
        socketio.emit("workshop_progress", payload, to=rooms)
