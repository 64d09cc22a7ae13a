"""Partner share links: read-only access to a workshop's summary and exports, no account."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import ShareLink, Workshop, as_utc, utcnow
from ..wire import MAX_ID
from . import validation as v
from .errors import ServiceError
from .links import external_url
from .tokens import digest, hint, new_token

SHARE_PREFIX = "pcs_"


def create_share(workshop: Workshop, data: Any) -> tuple[ShareLink, str]:
    """A new share link and its token, optionally expiring at the end of ``expires_on`` (UTC).

    Only the token's digest is stored: this is the one moment it is known.
    """
    data = v.require_object(data, ("expires_on",))
    expires_on = v.date_field(data, "expires_on")
    expires_at = None
    if expires_on is not None:
        if expires_on < utcnow().date():
            raise ServiceError("invalid_date", _l("The expiry date is in the past."))
        expires_at = dt.datetime.combine(expires_on, dt.time.max, tzinfo=dt.UTC)
    token = new_token(SHARE_PREFIX)
    link = ShareLink(
        workshop_id=workshop.id, token_hash=digest(token), hint=hint(token), expires_at=expires_at
    )
    db.session.add(link)
    db.session.commit()
    return link, token


def share_payload(link: ShareLink, token: str | None = None) -> dict[str, object]:
    """A link as the API and the board list it: ``id``, ``hint`` and dates, never the token.

    ``token`` is given only by the answer that made the link: with it come
    ``token`` and ``url``, shown this once.
    """
    payload: dict[str, object] = {
        "id": link.id,
        "hint": link.hint,
        "created_at": as_utc(link.created_at).isoformat(),
        "expires_at": as_utc(link.expires_at).isoformat() if link.expires_at else None,
    }
    if token is not None:
        payload["token"] = token
        payload["url"] = external_url("partner.summary", token=token)
    return payload


def shares_of(workshop: Workshop) -> list[ShareLink]:
    """The workshop's links that still work, newest first."""
    now = utcnow()
    links = db.session.scalars(
        select(ShareLink)
        .where(ShareLink.workshop_id == workshop.id, ShareLink.revoked_at.is_(None))
        .order_by(ShareLink.id.desc())
    )
    return [link for link in links if link.expires_at is None or as_utc(link.expires_at) > now]


def _find(token: Any) -> ShareLink | None:
    if not isinstance(token, str) or not token.startswith(SHARE_PREFIX) or len(token) > 128:
        return None
    return db.session.scalar(select(ShareLink).where(ShareLink.token_hash == digest(token)))


def live_share(workshop: Workshop, token: str) -> ShareLink:
    """The workshop's link ``token`` while it works; 404 otherwise."""
    link = _find(token)
    expired = (
        link is not None and link.expires_at is not None and as_utc(link.expires_at) <= utcnow()
    )
    if link is None or link.workshop_id != workshop.id or link.revoked_at is not None or expired:
        raise ServiceError("not_found", _l("No such share link."), 404)
    return link


def revoke_share(workshop: Workshop, share: str) -> None:
    """Stop a link from working; ``share`` is its id or its token."""
    if share.isdigit():
        link = db.session.get(ShareLink, int(share)) if int(share[:11]) <= MAX_ID else None
    else:
        link = _find(share)
    if link is None or link.workshop_id != workshop.id or link.revoked_at is not None:
        raise ServiceError("not_found", _l("No such share link."), 404)
    link.revoked_at = utcnow()
    db.session.commit()


def open_link(token: str) -> ShareLink:
    """The share link a partner opens; 404 unknown, 410 revoked or expired."""
    link = _find(token)
    if link is None:
        raise ServiceError("not_found", _l("No such share link."), 404)
    expired = link.expires_at is not None and as_utc(link.expires_at) <= utcnow()
    if link.revoked_at is not None or expired:
        raise ServiceError("link_gone", _l("This link has been revoked or has expired."), 410)
    return link
