"""Partner share links: read-only access to a workshop's summary and exports, no account."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import ShareLink, Workshop, as_utc, utcnow
from . import validation as v
from .errors import ServiceError
from .tokens import digest, new_token

SHARE_PREFIX = "pcs_"


def create_share(workshop: Workshop, data: Any) -> ShareLink:
    """A new share link, optionally expiring at the end of ``expires_on`` (UTC)."""
    data = v.require_object(data, ("expires_on",))
    expires_on = v.date_field(data, "expires_on")
    expires_at = None
    if expires_on is not None:
        if expires_on < utcnow().date():
            raise ServiceError("invalid_date", _l("The expiry date is in the past."))
        expires_at = dt.datetime.combine(expires_on, dt.time.max, tzinfo=dt.UTC)
    token = new_token(SHARE_PREFIX)
    link = ShareLink(
        workshop_id=workshop.id, token=token, token_hash=digest(token), expires_at=expires_at
    )
    db.session.add(link)
    db.session.commit()
    return link


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
    if not isinstance(token, str) or not token.startswith(SHARE_PREFIX):
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


def revoke_share(workshop: Workshop, token: str) -> None:
    """Stop a link from working."""
    link = _find(token)
    if link is None or link.workshop_id != workshop.id or link.revoked_at is not None:
        raise ServiceError("not_found", _l("No such share link."), 404)
    link.revoked_at = utcnow()
    db.session.commit()


def workshop_for_share(token: str) -> Workshop:
    """The workshop a partner's link opens; 404 unknown, 410 revoked or expired."""
    link = _find(token)
    if link is None:
        raise ServiceError("not_found", _l("No such share link."), 404)
    expired = link.expires_at is not None and as_utc(link.expires_at) <= utcnow()
    if link.revoked_at is not None or expired:
        raise ServiceError("link_gone", _l("This link has been revoked or has expired."), 410)
    return db.session.get(Workshop, link.workshop_id)
