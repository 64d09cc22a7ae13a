"""Rate limits that stop floods and guessing without hurting a real room.

Built on the ``limits`` library (moving windows; memory or Redis storage via
``RATELIMIT_STORAGE_URI``). Keys are chosen so that 2,000 phones behind one
venue NAT never share a limit for normal use: joining counts only *failed*
attempts per address, contributions and votes count per participant.
"""

from __future__ import annotations

import functools
import math
import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import RateLimitItem, parse, storage, strategies

from .errors import ServiceError

#: name -> limit. Failed logins are counted per account and per address.
RULES = {
    "login_account": "10/5minutes",
    "login_address": "100/5minutes",
    "join_failures": "300/minute",
    "contribute": "20/10seconds",
    "vote": "30/10seconds",
    "export": "30/minute",
    # Consent changes and withdrawals, per participant.
    "privacy": "30/minute",
}


@functools.cache
def _limiter(uri: str) -> strategies.MovingWindowRateLimiter:
    return strategies.MovingWindowRateLimiter(storage.storage_from_string(uri))


@functools.cache
def _rule(name: str) -> RateLimitItem:
    return parse(RULES[name])


def _current() -> strategies.MovingWindowRateLimiter | None:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    return _limiter(current_app.config["RATELIMIT_STORAGE_URI"])


def _refuse(name: str, key: str) -> ServiceError:
    limiter = _current()
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


def reset() -> None:
    """Forget every counter (tests)."""
    limiter = _current()
    if limiter is not None:
        limiter.storage.reset()
