"""Who is connected now, per workshop (this process's sockets)."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict

_lock = threading.Lock()
# workshop id -> participant id -> number of open sockets
_sockets: dict[int, Counter[int]] = defaultdict(Counter)


def connected(workshop_id: int, participant_id: int) -> int:
    """Count one more socket of a participant; returns how many are online."""
    with _lock:
        _sockets[workshop_id][participant_id] += 1
        return len(_sockets[workshop_id])


def disconnected(workshop_id: int, participant_id: int) -> int:
    """Count one socket fewer; returns how many participants are still online."""
    with _lock:
        sockets = _sockets[workshop_id]
        sockets[participant_id] -= 1
        if sockets[participant_id] <= 0:
            del sockets[participant_id]
        return len(sockets)


def online(workshop_id: int) -> int:
    """How many participants have a socket open."""
    with _lock:
        return len(_sockets.get(workshop_id, ()))


def online_ids(workshop_id: int) -> set[int]:
    """Ids of the participants with a socket open."""
    with _lock:
        return set(_sockets.get(workshop_id, ()))


def clear() -> None:
    """Forget every socket (tests)."""
    with _lock:
        _sockets.clear()
