"""Presence announcements, coalesced per workshop.

Announcing every join to everyone costs N² messages while a plenary of
2,000 joins. Instead, the first join or leave schedules one ``presence``
event a short moment later (``PRESENCE_COALESCE_SECONDS``), which carries
the counts as they are then. With 0 (tests) it is sent at once.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app

from ..extensions import db, socketio
from ..models import Workshop
from ..services.participants import presence_event
from . import presence
from .rooms import publish

_lock = threading.Lock()
_scheduled: set[int] = set()


def _send(workshop_id: int) -> None:
    seq = db.session.scalar(db.select(Workshop.seq).where(Workshop.id == workshop_id))
    if seq is None:
        return  # the workshop was deleted: its room is gone
    publish([presence_event(workshop_id, presence.counted(workshop_id), seq)])


def _send_later(app: Flask, workshop_id: int, delay: float) -> None:
    socketio.sleep(delay)
    with _lock:
        _scheduled.discard(workshop_id)
    with app.app_context():
        _send(workshop_id)


def announce_presence(workshop_id: int) -> None:
    """Tell the room who is here: now, or once for every change of the next moment."""
    delay = current_app.config["PRESENCE_COALESCE_SECONDS"]
    if delay <= 0:
        _send(workshop_id)
        return
    with _lock:
        if workshop_id in _scheduled:
            return
        _scheduled.add(workshop_id)
    socketio.start_background_task(
        _send_later, current_app._get_current_object(), workshop_id, delay
    )
