"""Facilitator accounts, passwords and API bearer tokens."""

from __future__ import annotations

import functools
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import ApiToken, Facilitator, Workshop
from . import ratelimit
from .errors import ServiceError
from .tokens import FACILITATOR_PREFIX, digest, new_token

MIN_PASSWORD = 8


@functools.cache
def _dummy_hash(method: str) -> str:
    # Checked when the email is unknown, so timing does not reveal accounts.
    return generate_password_hash("positive-core-dummy-password", method=method)


def _hash_method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"]


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def create_facilitator(email: str, password: str, display_name: str = "") -> Facilitator:
    """Create an account; refuses duplicates and short passwords."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise ServiceError("invalid_email", _l("Enter a valid email address."))
    if len(password) < MIN_PASSWORD:
        raise ServiceError(
            "weak_password", _l("The password needs at least %(n)d characters.", n=MIN_PASSWORD)
        )
    if find_facilitator(email) is not None:
        raise ServiceError("email_taken", _l("An account with this email exists."), 409)
    facilitator = Facilitator(
        email=email,
        password_hash=generate_password_hash(password, method=_hash_method()),
        display_name=display_name.strip() or email.split("@")[0],
    )
    db.session.add(facilitator)
    db.session.commit()
    return facilitator


def find_facilitator(email: str) -> Facilitator | None:
    """The account with this email, if any."""
    return db.session.scalar(select(Facilitator).where(Facilitator.email == normalise_email(email)))


def authenticate(email: Any, password: Any) -> Facilitator | None:
    """The facilitator whose email and password match, else None."""
    facilitator = find_facilitator(email) if isinstance(email, str) else None
    stored = facilitator.password_hash if facilitator else _dummy_hash(_hash_method())
    ok = isinstance(password, str) and check_password_hash(stored, password)
    return facilitator if ok and facilitator else None


def login(email: Any, password: Any, address: str) -> Facilitator:
    """Check credentials, refusing guessers: failed attempts are limited per account and address."""
    key = normalise_email(email) if isinstance(email, str) else ""
    ratelimit.check("login_account", key)
    ratelimit.check("login_address", address)
    facilitator = authenticate(email, password)
    if facilitator is None:
        ratelimit.count_failure("login_account", key)
        ratelimit.count_failure("login_address", address)
        raise ServiceError("invalid_credentials", _l("Wrong email or password."), 401)
    return facilitator


def issue_api_token(facilitator: Facilitator) -> str:
    """A new bearer token for ``facilitator``; only its digest is stored."""
    token = new_token(FACILITATOR_PREFIX)
    db.session.add(ApiToken(facilitator_id=facilitator.id, token_hash=digest(token)))
    db.session.commit()
    return token


def facilitator_for_token(token: str | None) -> Facilitator | None:
    """The facilitator a bearer token belongs to, else None."""
    if not token or not token.startswith(FACILITATOR_PREFIX):
        return None
    return db.session.scalar(
        select(Facilitator).join(ApiToken).where(ApiToken.token_hash == digest(token))
    )


def facilitator_count() -> int:
    """How many accounts exist."""
    return db.session.scalar(select(func.count(Facilitator.id))) or 0


def only_facilitator() -> Facilitator | None:
    """The account, when exactly one exists."""
    accounts = list(db.session.scalars(select(Facilitator).limit(2)))
    return accounts[0] if len(accounts) == 1 else None


def delete_facilitator(facilitator: Facilitator) -> None:
    """Delete an account and its API tokens; refused while it still runs workshops."""
    owned = db.session.scalar(
        select(func.count(Workshop.id)).where(Workshop.owner_id == facilitator.id)
    )
    if owned:
        raise ServiceError(
            "runs_workshops",
            ngettext(
                "This account still runs %(num)d workshop; delete it first.",
                "This account still runs %(num)d workshops; delete them first.",
                owned,
            ),
            409,
        )
    db.session.execute(delete(ApiToken).where(ApiToken.facilitator_id == facilitator.id))
    db.session.delete(facilitator)
    db.session.commit()
