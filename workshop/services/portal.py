"""A programme's partner portal links (``/p/<token>``): every workshop of it, no account.

Only the token's digest is stored: the coordinator sees the link once, when
it is made. Revoking a link closes the portal and every page and download
behind it (410).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import Programme, ProgrammeShare, utcnow
from .errors import ServiceError
from .tokens import digest, new_token

PORTAL_PREFIX = "pcn_"


def create_portal(programme: Programme) -> tuple[ProgrammeShare, str]:
    """A new portal link and its token."""
    token = new_token(PORTAL_PREFIX)
    link = ProgrammeShare(programme_id=programme.id, token_hash=digest(token))
    db.session.add(link)
    db.session.commit()
    return link, token


def portals_of(programme: Programme) -> list[ProgrammeShare]:
    """The programme's links that still work, newest first."""
    return list(
        db.session.scalars(
            select(ProgrammeShare)
            .where(ProgrammeShare.programme_id == programme.id, ProgrammeShare.revoked_at.is_(None))
            .order_by(ProgrammeShare.id.desc())
        )
    )


def _find(token: Any) -> ProgrammeShare | None:
    if not isinstance(token, str) or not token.startswith(PORTAL_PREFIX) or len(token) > 100:
        return None
    return db.session.scalar(
        select(ProgrammeShare).where(ProgrammeShare.token_hash == digest(token))
    )


def revoke_portal(
    programme: Programme, *, token: str | None = None, link_id: int | None = None
) -> None:
    """Close a portal link of this programme."""
    link = _find(token) if token is not None else db.session.get(ProgrammeShare, link_id)
    if link is None or link.programme_id != programme.id or link.revoked_at is not None:
        raise ServiceError("not_found", _l("No such share link."), 404)
    link.revoked_at = utcnow()
    db.session.commit()


def open_portal(token: str) -> ProgrammeShare:
    """The portal link a partner opens; 404 unknown, 410 revoked."""
    link = _find(token)
    if link is None:
        raise ServiceError("not_found", _l("No such share link."), 404)
    if link.revoked_at is not None:
        raise ServiceError("link_gone", _l("This link has been revoked or has expired."), 410)
    return link
