"""Recent room events per workshop, so a reconnecting client gets only what it missed.

Each process remembers the last events it published. A client that
reconnects with ``since`` receives the events after it, filtered for who it
is, if every seq in between is here; otherwise (too old, another worker's
events, a restart) it receives a fresh snapshot instead.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque

from ..services.events import Audience, RoomEvent

KEEP = 1000

_lock = threading.Lock()
_events: dict[int, deque[RoomEvent]] = defaultdict(lambda: deque(maxlen=KEEP))


def record(event: RoomEvent) -> None:
    """Remember a published event that carries a state-changing ``seq``."""
    if "seq" not in event.payload or event.name == "presence":
        return
    with _lock:
        _events[event.workshop_id].append(event)


def _visible(event: RoomEvent, participant_id: int | None, facilitator: bool) -> bool:
    if event.audience == Audience.EVERYONE:
        return True
    if event.audience == Audience.FACILITATORS:
        return facilitator
    if event.audience == Audience.ROOM:
        return not facilitator
    return event.participant_id is not None and event.participant_id == participant_id


def missed(
    workshop_id: int, since: int, current: int, participant_id: int | None, facilitator: bool
) -> list[RoomEvent] | None:
    """The events after ``since`` this client may see, or None when some are not here."""
    if since >= current:
        return []
    with _lock:
        kept = _events.get(workshop_id, ())
        if any(e.payload["seq"] > current for e in kept):
            kept.clear()  # from a database that has since been reset
            return None
        events = [e for e in kept if e.payload["seq"] > since]
    seqs = {e.payload["seq"] for e in events}
    if seqs != set(range(since + 1, current + 1)):
        return None
    return [e for e in events if _visible(e, participant_id, facilitator)]


def forget(workshop_id: int) -> None:
    """Drop a workshop's events (after an erasure: no erased text is kept or replayed)."""
    with _lock:
        _events.pop(workshop_id, None)


def clear() -> None:
    """Forget everything (tests, database resets)."""
    with _lock:
        _events.clear()
