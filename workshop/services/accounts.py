"""Facilitator accounts, passwords and API bearer tokens."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import ApiToken, Facilitator, Workshop, utcnow
from . import ratelimit
from . import validation as v
from .errors import ServiceError
from .tokens import FACILITATOR_PREFIX, digest, hint, new_token

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
    facilitator = new_facilitator(email, password, display_name)
    db.session.commit()
    return facilitator


def new_facilitator(email: str, password: str, display_name: str = "") -> Facilitator:
    """Add an account to the open transaction (the caller commits); same checks."""
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
    db.session.flush()
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


def _known_key(account: str, address: str) -> str:
    # Kept for weeks in the rate-limit storage: a keyed digest, not the email and address.
    secret = current_app.config["SECRET_KEY"].encode()
    pair = f"{account}\n{address}".encode()
    return hmac.new(secret, pair, hashlib.sha256).hexdigest()


def login(email: Any, password: Any, address: str) -> Facilitator:
    """Check credentials, refusing guessers without locking the owner out.

    Every attempt is counted before the password is checked, so parallel
    guesses cannot pass the limit between a check and a count: per address
    (``login_address``); per account, from addresses the account has not
    signed in from (``login_account``); and per account and address, from
    the addresses it has (``login_known``, forgotten at each success). So a
    guesser elsewhere can exhaust the account's limit without locking its
    owner out of the addresses they use.
    """
    account = normalise_email(email) if isinstance(email, str) else ""
    pair = _known_key(account, address)
    known = ratelimit.remembered("login_known_address", pair)
    ratelimit.hit("login_address", address)
    if known:
        ratelimit.hit("login_known", pair)
    else:
        ratelimit.hit("login_account", account)
    facilitator = authenticate(email, password)
    if facilitator is None:
        raise ServiceError("invalid_credentials", _l("Wrong email or password."), 401)
    ratelimit.clear("login_known", pair)
    days = current_app.config["LOGIN_KNOWN_ADDRESS_DAYS"]
    ratelimit.remember("login_known_address", pair, seconds=days * 86400)
    return facilitator


def end_sessions(facilitator: Facilitator) -> None:
    """Sign the account out everywhere: every login session it has stops working."""
    db.session.execute(
        update(Facilitator)
        .where(Facilitator.id == facilitator.id)
        .values(session_version=Facilitator.session_version + 1)
    )
    db.session.commit()


def facilitator_for_session(user_id: str) -> Facilitator | None:
    """The account of a login session id (``id:version``), if that session is still valid."""
    account, _, version = user_id.partition(":")
    if not (account.isdigit() and version.isdigit()) or len(account) > 10:
        return None
    facilitator = db.session.get(Facilitator, int(account))
    if facilitator is None or str(facilitator.session_version) != version:
        return None
    return facilitator


TOKEN_FIELDS = ("email", "password", "name")
MAX_TOKEN_NAME = 80


def issue_api_token(
    facilitator: Facilitator, name: Any = "", *, commit: bool = True
) -> tuple[ApiToken, str]:
    """A new bearer token for ``facilitator`` and its record; only its digest is stored.

    It expires after ``API_TOKEN_DAYS``; ``name`` says what it is for. With
    ``commit=False`` it joins the caller's transaction (a new account's first token).
    """
    name = v.text_field({"name": name}, "name", max_length=MAX_TOKEN_NAME)
    token = new_token(FACILITATOR_PREFIX)
    record = ApiToken(
        facilitator_id=facilitator.id,
        token_hash=digest(token),
        name=name,
        hint=hint(token),
        expires_at=utcnow() + dt.timedelta(days=current_app.config["API_TOKEN_DAYS"]),
    )
    db.session.add(record)
    if commit:
        db.session.commit()
    return record, token


def api_token(token: str | None) -> ApiToken | None:
    """The record of a bearer token that has not expired, else None."""
    if not token or not token.startswith(FACILITATOR_PREFIX) or len(token) > 128:
        return None
    return db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest(token), ApiToken.expires_at > utcnow())
    )


def facilitator_for_token(token: str | None) -> Facilitator | None:
    """The facilitator a bearer token belongs to, while it has not expired; else None."""
    record = api_token(token)
    return db.session.get(Facilitator, record.facilitator_id) if record else None


def api_tokens(facilitator: Facilitator) -> list[ApiToken]:
    """The account's tokens that still work, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.facilitator_id == facilitator.id, ApiToken.expires_at > utcnow())
            .order_by(ApiToken.id.desc())
        )
    )


def revoke_api_token(record: ApiToken) -> None:
    """Stop a token from working (and forget it, with the account's expired ones)."""
    db.session.execute(
        delete(ApiToken).where(
            (ApiToken.id == record.id)
            | (
                (ApiToken.facilitator_id == record.facilitator_id)
                & (ApiToken.expires_at <= utcnow())
            )
        )
    )
    db.session.commit()


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
