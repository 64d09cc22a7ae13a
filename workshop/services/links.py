"""Absolute links phones can open (join links, QR codes)."""

from __future__ import annotations

from flask import current_app, url_for


def external_url(endpoint: str, **values: object) -> str:
    """An absolute URL, on ``PUBLIC_URL`` when set (the address phones reach)."""
    public = current_app.config.get("PUBLIC_URL")
    if public:
        return public.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def join_url(code: str) -> str:
    """The link that opens the join page with ``code`` filled in."""
    return external_url("participant.join_with_code", code=code)
