"""The facilitator's countdown, kept on the server so every screen agrees.

Clients receive the end time and the server's clock; a phone that
reconnects computes the same remaining time as everyone else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Workshop, as_utc, utcnow
from . import validation as v
from .errors import ServiceError
from .events import RoomEvent, lock_and_advance

MIN_SECONDS = 10
MAX_SECONDS = 2 * 60 * 60


def timer_payload(workshop: Workshop, now: dt.datetime | None = None) -> dict[str, Any]:
    """The timer's state: ``stopped``, ``running``, ``paused`` or ``finished``."""
    now = now or utcnow()
    state, remaining, ends_at = "stopped", None, None
    if workshop.timer_ends_at is not None:
        ends = as_utc(workshop.timer_ends_at)
        remaining = max((ends - now).total_seconds(), 0.0)
        state = "running" if remaining > 0 else "finished"
        ends_at = ends.isoformat()
    elif workshop.timer_remaining is not None:
        state, remaining = "paused", workshop.timer_remaining
    return {
        "state": state,
        "duration": workshop.timer_duration,
        "remaining": None if remaining is None else round(remaining, 1),
        "ends_at": ends_at,
        "server_time": now.isoformat(),
    }


def _seconds(data: Any) -> int:
    data = v.require_object(data, ("seconds",), required=("seconds",))
    return v.int_range_field(data, "seconds", low=MIN_SECONDS, high=MAX_SECONDS, default=0)


def _remaining(workshop: Workshop, now: dt.datetime) -> float | None:
    if workshop.timer_ends_at is not None:
        return max((as_utc(workshop.timer_ends_at) - now).total_seconds(), 0.0)
    return workshop.timer_remaining


def control(workshop: Workshop, action: str, data: Any) -> list[RoomEvent]:
    """Start, pause, resume, extend or stop the countdown; the room receives ``timer``."""
    now = utcnow()
    if action in ("start", "extend"):
        seconds = _seconds(data)
    else:
        v.require_object(data if data is not None else {}, ())
    state = lock_and_advance(workshop.id)
    remaining = _remaining(workshop, now)
    if action == "start":
        workshop.timer_duration = seconds
        workshop.timer_ends_at, workshop.timer_remaining = now + dt.timedelta(seconds=seconds), None
    elif action == "pause":
        if workshop.timer_ends_at is None:
            raise ServiceError("timer_not_running", _l("The timer is not running."), 409)
        workshop.timer_ends_at, workshop.timer_remaining = None, remaining
    elif action == "resume":
        if workshop.timer_remaining is None:
            raise ServiceError("timer_not_paused", _l("The timer is not paused."), 409)
        workshop.timer_ends_at = now + dt.timedelta(seconds=workshop.timer_remaining)
        workshop.timer_remaining = None
    elif action == "extend":
        if remaining is None:
            raise ServiceError("timer_not_running", _l("Start the timer first."), 409)
        if remaining + seconds > MAX_SECONDS:
            raise ServiceError("timer_too_long", _l("A timer runs for two hours at most."))
        workshop.timer_duration = (workshop.timer_duration or 0) + seconds
        if workshop.timer_ends_at is not None:
            workshop.timer_ends_at = now + dt.timedelta(seconds=remaining + seconds)
        else:
            workshop.timer_remaining = remaining + seconds
    elif action == "stop":
        workshop.timer_duration = workshop.timer_ends_at = workshop.timer_remaining = None
    db.session.commit()
    return [RoomEvent(workshop.id, "timer", {**timer_payload(workshop, now), "seq": state.seq})]


def stop_events(workshop: Workshop, seq: int) -> list[RoomEvent]:
    """Stop a running or paused countdown inside the caller's transaction.

    Returns the ``timer`` event to publish after the caller commits (none
    when no timer was on).
    """
    if workshop.timer_ends_at is None and workshop.timer_remaining is None:
        return []
    workshop.timer_duration = workshop.timer_ends_at = workshop.timer_remaining = None
    return [RoomEvent(workshop.id, "timer", {**timer_payload(workshop), "seq": seq})]
