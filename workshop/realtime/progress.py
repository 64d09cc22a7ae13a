"""Programme rooms: ``workshop_progress`` and ``synthesis`` as the programme's workshops move.

A member's dashboard joins its programme's room on connect and receives the
``programme`` object (every workshop's card); a synthesis board joins the same
room (``view: "synthesis"``) and reads the synthesis itself. Whenever a
workshop of the programme changes what its card shows (a phase, a
contribution added, hidden or shown again, a participant joining or removed,
an edit), the room receives ``workshop_progress``: the workshop's card, read
after the change. Cards carry their own ``seq`` (services/progress.py), so a
dashboard keeps the newest whatever order they arrive in. Whenever it changes
anything its programme's synthesis shows (contributions, votes, themes,
moderation, joins, moving in or out), the programme's ``seq`` is raised and
the room receives ``synthesis`` ``{seq, change: "contents", workshop_id}``
(services/synthesis.py).

A busy plenary changes many times a second: the first change schedules one
read ``PROGRESS_COALESCE_SECONDS`` later (1 s by default; 0 in tests sends at
once), which covers every change until then.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable

from flask import Flask, current_app
from flask_socketio import emit, join_room

from ..extensions import socketio
from ..services.access import Identity, Seat
from ..services.events import RoomEvent
from ..services.programmes import programme_payload
from ..services.progress import programme_of, progress_payload
from ..services.synthesis import contents_changed
from .rooms import programme_room, publish_programme

#: Room events after which a workshop's card may have changed.
CARD_EVENTS = frozenset(
    {"phase", "contribution", "contribution_hidden", "contributions", "removed", "workshop"}
)
#: Room events that change nothing a synthesis shows; any other one may.
QUIET_EVENTS = frozenset({"presence", "timer", "notes", "pair", "pairs"})


@dataclasses.dataclass
class _Pending:
    """What a scheduled read of one workshop must tell."""

    #: Programmes the workshop left meanwhile (told too).
    left: set[int]
    card: bool
    synthesis: bool


_lock = threading.Lock()
#: Workshops with a read scheduled.
_scheduled: dict[int, _Pending] = {}


def connect(seat: Seat) -> None:
    """A member's dashboard connects: it joins the room, then alone receives ``programme``.

    The room is joined before the programme is read, so no change falls
    between the two; a ``workshop_progress`` that arrives before or after the
    snapshot with an older ``seq`` is ignored by the client. A synthesis
    board joins the room too, then reads the synthesis over HTTP
    (``GET /api/programmes/<id>/synthesis``): its ``seq`` orders it with the
    ``synthesis`` events heard meanwhile.
    """
    assert seat.facilitator is not None
    join_room(programme_room(seat.target.id))
    if seat.view == "synthesis":
        return
    payload = programme_payload(seat.target, Identity.of(seat.facilitator))
    emit("programme", payload, ignore_queue=True)


def published(events: Iterable[RoomEvent]) -> None:
    """Called by ``rooms.publish``: schedule the updates each workshop's changes call for."""
    changed: dict[int, _Pending] = {}
    for event in events:
        pending = changed.setdefault(event.workshop_id, _Pending(set(), False, False))
        pending.card |= event.name in CARD_EVENTS
        pending.synthesis |= event.name not in QUIET_EVENTS
    for workshop_id, pending in changed.items():
        if pending.card or pending.synthesis:
            workshop_changed(workshop_id, card=pending.card, synthesis=pending.synthesis)


def workshop_changed(
    workshop_id: int,
    *,
    left_programme_id: int | None = None,
    card: bool = True,
    synthesis: bool = True,
) -> None:
    """Tell the workshop's programme (and one it just left) how far the workshop has come.

    ``card``: its card may have changed; ``synthesis``: what its programme's
    synthesis shows may have changed.
    """
    left = {left_programme_id} if left_programme_id else set()
    delay = current_app.config["PROGRESS_COALESCE_SECONDS"]
    if delay <= 0:
        _send(workshop_id, _Pending(left, card, synthesis))
        return
    with _lock:
        pending = _scheduled.get(workshop_id)
        if pending is not None:
            pending.left |= left
            pending.card |= card
            pending.synthesis |= synthesis
            return
        _scheduled[workshop_id] = _Pending(left, card, synthesis)
    socketio.start_background_task(
        _send_later, current_app._get_current_object(), workshop_id, delay
    )


def _send_later(app: Flask, workshop_id: int, delay: float) -> None:
    socketio.sleep(delay)
    with _lock:
        pending = _scheduled.pop(workshop_id, None)
    if pending is None:
        return
    with app.app_context():
        _send(workshop_id, pending)


def _send(workshop_id: int, pending: _Pending) -> None:
    current = programme_of(workshop_id)
    if not pending.left and current is None:
        return  # a workshop of its own: no dashboard to tell, no counts to read
    programmes = pending.left | ({current} if current else set())
    if pending.card or pending.left:
        payload = progress_payload(workshop_id)
        if payload is not None:
            rooms = [programme_room(programme_id) for programme_id in sorted(programmes)]
            socketio.emit("workshop_progress", payload, to=rooms)
    if pending.synthesis or pending.left:
        publish_programme(contents_changed(programmes, workshop_id))
