"""Invitations to a programme: single-use links that expire and can be revoked.

Only the token's digest is stored; the link (``/invitations/<token>``)
carries the token, shown once to the coordinator who made it. Accepting is
atomic: of two people opening the same link at once, one joins and the
other is told the link was used (410).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ..extensions import db
from ..models import (
    Facilitator,
    Invitation,
    Programme,
    ProgrammeMember,
    ProgrammeRole,
    as_utc,
    utcnow,
)
from . import accounts
from . import validation as v
from .errors import ServiceError
from .programmes import add_member
from .tokens import digest, new_token

INVITATION_PREFIX = "pci_"
INVITATION_FIELDS = ("role", "email", "days")
MAX_DAYS = 90
ROLES = tuple(role.value for role in ProgrammeRole)


def create_invitation(
    programme: Programme, creator: Facilitator, data: Any
) -> tuple[Invitation, str]:
    """A new invitation and its token; ``days`` (1 to 90) overrides the default lifetime."""
    data = v.require_object(data or {}, INVITATION_FIELDS)
    role = v.choice_field(data, "role", ROLES, default=ProgrammeRole.FACILITATOR.value)
    email = v.text_field(data, "email", max_length=254)
    if email and "@" not in email:
        raise ServiceError("invalid_email", _l("Enter a valid email address."))
    days = v.int_range_field(
        data, "days", low=1, high=MAX_DAYS, default=current_app.config["INVITATION_DAYS"]
    )
    token = new_token(INVITATION_PREFIX)
    invitation = Invitation(
        programme_id=programme.id,
        role=role,
        email=accounts.normalise_email(email) if email else "",
        token_hash=digest(token),
        created_by_id=creator.id,
        expires_at=utcnow() + dt.timedelta(days=days),
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation, token


def pending(programme: Programme) -> list[Invitation]:
    """Invitations that can still be accepted, newest first."""
    now = utcnow()
    found = db.session.scalars(
        select(Invitation)
        .where(
            Invitation.programme_id == programme.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .order_by(Invitation.id.desc())
    )
    return [i for i in found if as_utc(i.expires_at) > now]


def _find(token: Any) -> Invitation | None:
    if not isinstance(token, str) or not token.startswith(INVITATION_PREFIX) or len(token) > 100:
        return None
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == digest(token)))


def revoke(
    programme: Programme, *, token: str | None = None, invitation_id: int | None = None
) -> None:
    """Stop an open invitation of this programme from working."""
    invitation = _find(token) if token is not None else db.session.get(Invitation, invitation_id)
    usable = invitation is not None and invitation.used_at is None and invitation.revoked_at is None
    if not usable or invitation.programme_id != programme.id:
        raise ServiceError("not_found", _l("No such invitation."), 404)
    invitation.revoked_at = utcnow()
    db.session.commit()


def _gone() -> ServiceError:
    return ServiceError(
        "invitation_gone", _l("This invitation has been used, revoked or has expired."), 410
    )


def open_invitation(token: str) -> Invitation:
    """The invitation a link opens; 404 unknown, 410 used, revoked or expired."""
    invitation = _find(token)
    if invitation is None:
        raise ServiceError("not_found", _l("No such invitation."), 404)
    if (
        invitation.used_at is not None
        or invitation.revoked_at is not None
        or as_utc(invitation.expires_at) <= utcnow()
    ):
        raise _gone()
    return invitation


def _claim(invitation: Invitation, facilitator_id: int) -> None:
    """Mark the invitation used, in the open transaction, unless someone else just did."""
    claimed = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .values(used_at=utcnow(), used_by_id=facilitator_id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise _gone()


def accept(invitation: Invitation, facilitator: Facilitator) -> ProgrammeMember:
    """The facilitator joins the programme with the invitation's role (a member keeps a higher one)."""
    _claim(invitation, facilitator.id)
    member = add_member(invitation.programme_id, facilitator.id, invitation.role)
    db.session.commit()
    return member


def accept_as_new(invitation: Invitation, data: Any) -> tuple[ProgrammeMember, Facilitator, str]:
    """A new person sets name, email and password: an account, its API token, the membership."""
    data = v.require_object(
        data, ("name", "email", "password"), required=("name", "email", "password")
    )
    name = v.text_field(data, "name", max_length=120, required=True)
    email = v.text_field(data, "email", max_length=254, required=True)
    password = data["password"]
    if not isinstance(password, str):
        raise ServiceError("invalid_field", _l("%(field)s must be text.", field="password"))
    facilitator = accounts.new_facilitator(email, password, name)
    _claim(invitation, facilitator.id)
    member = add_member(invitation.programme_id, facilitator.id, invitation.role)
    _, token = accounts.issue_api_token(facilitator, commit=False)
    db.session.commit()
    return member, facilitator, token
