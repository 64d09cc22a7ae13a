"""Who is calling the API: a facilitator's bearer token, or (for reads) the login session."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..models import Facilitator
from ..services.accounts import facilitator_for_token
from ..services.errors import ServiceError


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer …`` header."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def require_facilitator() -> Facilitator:
    """The calling facilitator, or 401 (participant tokens included).

    The login session counts only for safe methods, so a page on another site
    cannot make a logged-in browser change anything.
    """
    token = bearer_token()
    facilitator = facilitator_for_token(token) if token else None
    safe_method = request.method in ("GET", "HEAD")
    if facilitator is None and token is None and safe_method and current_user.is_authenticated:
        facilitator = current_user._get_current_object()
    if facilitator is None:
        raise ServiceError("unauthorized", _l("Send a valid facilitator token."), 401)
    return facilitator


def json_body() -> Any:
    """The request's JSON, or None when it is missing or malformed."""
    return request.get_json(silent=True)


def client_address() -> str:
    """The caller's address (behind a proxy, set PROXY_FIX so this is the phone's)."""
    return request.remote_addr or "unknown"
