"""Rate limits that stop floods and guessing without hurting a real room.

Built on the ``limits`` library (moving windows; memory or Redis storage via
``RATELIMIT_STORAGE_URI``). Keys are chosen so that 2,000 phones behind one
venue NAT never share a limit for normal use: joining counts only *failed*
attempts per address, contributions and votes count per participant.
"""

from __future__ import annotations

import functools
import math
import threading
import time

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from limits import RateLimitItem, parse, storage, strategies

from .errors import ServiceError

#: name -> limit. Sign-in attempts are counted per address, and per account:
#: from unknown addresses together, from each address it signed in from alone.
RULES = {
    "login_account": "10/5minutes",
    "login_known": "10/5minutes",
    "login_address": "100/5minutes",
    "join_failures": "300/minute",
    "contribute": "20/10seconds",
    "vote": "30/10seconds",
    #: Downloads per share link (or per workshop, for its facilitator) and per address.
    "export": "30/minute",
    "export_address": "60/minute",
    # Reconnects that need a whole snapshot: per participant (or facilitator),
    # and per address, where a venue's NAT may bring 2,000 phones at once.
    "snapshot": "12/minute",
    "snapshot_address": "3000/minute",
    # Per socket, in this process, before any database work: far above what a
    # phone or a busy board sends, far below a flood.
    "socket_events": "60/10seconds",
    # Consent changes and withdrawals, per participant.
    "privacy": "30/minute",
}


_limiters: dict[str, strategies.MovingWindowRateLimiter] = {}
_limiters_lock = threading.Lock()


def _limiter(uri: str) -> strategies.MovingWindowRateLimiter:
    # One per storage and process, made once: two requests racing to make the
    # first would each count in a storage of their own.
    limiter = _limiters.get(uri)
    if limiter is None:
        with _limiters_lock:
            limiter = _limiters.get(uri)
            if limiter is None:
                limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(uri))
                _limiters[uri] = limiter
    return limiter


def init_app(app: Flask) -> None:
    """Make the app's limiters now, before requests race to make them."""
    if app.config.get("RATELIMIT_ENABLED", True):
        _limiter(app.config["RATELIMIT_STORAGE_URI"])
        _limiter("memory://")


@functools.cache
def _rule(name: str) -> RateLimitItem:
    return parse(RULES[name])


def _current() -> strategies.MovingWindowRateLimiter | None:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    return _limiter(current_app.config["RATELIMIT_STORAGE_URI"])


def _local() -> strategies.MovingWindowRateLimiter | None:
    # Counters of this process alone: for what lives in one process (a socket),
    # where a round trip to Redis per event would cost more than it protects.
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    return _limiter("memory://")


def _refuse(
    name: str, key: str, limiter: strategies.MovingWindowRateLimiter | None = None
) -> ServiceError:
    limiter = limiter or _current()
    retry = 1
    if limiter is not None:
        reset = limiter.get_window_stats(_rule(name), key).reset_time
        retry = max(1, math.ceil(reset - time.time()))
    error = ServiceError(
        "rate_limited",
        _l("Too many attempts. Wait %(seconds)d seconds and try again.", seconds=retry),
        429,
    )
    error.retry_after = retry
    return error


def hit(name: str, key: str) -> None:
    """Count one event; refuse with ``rate_limited`` (429) once the limit is passed."""
    limiter = _current()
    if limiter is not None and not limiter.hit(_rule(name), key):
        raise _refuse(name, key)


def hit_local(name: str, key: str) -> None:
    """Like ``hit``, counted in this process only (``memory://``), whatever the storage."""
    limiter = _local()
    if limiter is not None and not limiter.hit(_rule(name), key):
        raise _refuse(name, key, limiter)


def check(name: str, key: str) -> None:
    """Refuse if the limit is already used up, without counting (for failures)."""
    limiter = _current()
    if limiter is not None and not limiter.test(_rule(name), key):
        raise _refuse(name, key)


def count_failure(name: str, key: str) -> None:
    """Count one failed attempt (checked later by ``check``)."""
    limiter = _current()
    if limiter is not None:
        limiter.hit(_rule(name), key)


def clear(name: str, key: str) -> None:
    """Forget the count of ``key`` (e.g. failed attempts, after a success)."""
    limiter = _current()
    if limiter is not None:
        limiter.clear(_rule(name), key)


def _mark(name: str, key: str) -> str:
    return f"positive-core/{name}/{key}"


def remember(name: str, key: str, *, seconds: int) -> None:
    """Note ``key`` under ``name`` for ``seconds`` (in the rate-limit storage, shared by workers)."""
    limiter = _current()
    if limiter is not None:
        limiter.storage.incr(_mark(name, key), seconds)


def remembered(name: str, key: str) -> bool:
    """Whether ``key`` was noted under ``name`` and has not expired."""
    limiter = _current()
    return limiter is not None and limiter.storage.get(_mark(name, key)) > 0


def reset() -> None:
    """Forget every counter (tests)."""
    for limiter in (_current(), _local()):
        if limiter is not None:
            limiter.storage.reset()
