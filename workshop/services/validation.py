"""Checks for untrusted input from JSON bodies, forms and socket payloads."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from ..wire import MAX_ID
from .errors import ServiceError

MAX_TEXT = 2000
MAX_TITLE = 200
MAX_NAME = 80
MAX_SHORT = 120
MAX_FACTORS = 1000

# Control characters are removed, except the line breaks and tabs people type.
_KEEP_CONTROLS = {"\n", "\t"}


def clean_text(value: str) -> str:
    """Unicode NFC, no control characters, no surrounding whitespace."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = "".join(
        ch for ch in value if ch in _KEEP_CONTROLS or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    return value.strip()


def require_object(
    data: Any, allowed: Iterable[str], required: Iterable[str] = ()
) -> Mapping[str, Any]:
    """The payload as a mapping, refusing non-objects, unknown and missing fields."""
    if not isinstance(data, Mapping):
        raise ServiceError("invalid_payload", _l("The request must be a JSON object."))
    allowed = set(allowed)
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        raise ServiceError(
            "unknown_field", _l("Unknown field: %(fields)s.", fields=", ".join(unknown))
        )
    for field in required:
        if data.get(field) is None:
            raise ServiceError("missing_field", _l("Missing field: %(field)s.", field=field))
    return data


def text_field(
    data: Mapping[str, Any],
    field: str,
    *,
    max_length: int,
    required: bool = False,
) -> str:
    """A cleaned string field; absent or null gives ``""`` unless required."""
    value = data.get(field)
    if value is None:
        if required:
            raise ServiceError("missing_field", _l("Missing field: %(field)s.", field=field))
        return ""
    if not isinstance(value, str):
        raise ServiceError("invalid_field", _l("%(field)s must be text.", field=field))
    # Cleaning costs time per character: refuse what cannot fit before it.
    # Cleaning only shortens (spaces, control characters, \r\n), except NFC,
    # which lengthens a few characters: twice the limit covers both.
    if len(value) > 2 * max_length:
        raise _too_long(field, max_length)
    value = clean_text(value)
    if required and not value:
        raise ServiceError("empty_text", _l("%(field)s must not be empty.", field=field))
    if len(value) > max_length:
        raise _too_long(field, max_length)
    return value


def _too_long(field: str, max_length: int) -> ServiceError:
    return ServiceError(
        "text_too_long",
        _l("%(field)s is longer than %(max)d characters.", field=field, max=max_length),
    )


def id_field(data: Mapping[str, Any], field: str, *, required: bool = True) -> int | None:
    """A positive integer id the database can hold (booleans are not ids)."""
    value = data.get(field)
    if value is None:
        if required:
            raise ServiceError("missing_field", _l("Missing field: %(field)s.", field=field))
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ServiceError(
            "invalid_field", _l("%(field)s must be a positive whole number.", field=field)
        )
    return value


def choice_field(
    data: Mapping[str, Any], field: str, choices: Iterable[str], *, default: str | None = None
) -> str:
    """One of ``choices``; absent gives ``default`` (or a missing-field error)."""
    value = data.get(field)
    if value is None:
        if default is None:
            raise ServiceError("missing_field", _l("Missing field: %(field)s.", field=field))
        return default
    choices = list(choices)
    if value not in choices:
        raise ServiceError(
            "invalid_choice",
            _l(
                "%(field)s must be one of: %(choices)s.",
                field=field,
                choices=", ".join(choices),
            ),
        )
    return value


def int_range_field(
    data: Mapping[str, Any], field: str, *, low: int, high: int, default: int
) -> int:
    """A whole number between ``low`` and ``high``."""
    value = data.get(field)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ServiceError(
            "invalid_field",
            _l(
                "%(field)s must be a whole number from %(low)d to %(high)d.",
                field=field,
                low=low,
                high=high,
            ),
        )
    return value


def date_field(data: Mapping[str, Any], field: str) -> dt.date | None:
    """An ISO date (YYYY-MM-DD), or None when absent or empty."""
    value = data.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ServiceError(
            "invalid_date", _l("%(field)s must be a date (YYYY-MM-DD).", field=field)
        )
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ServiceError(
            "invalid_date", _l("%(field)s must be a date (YYYY-MM-DD).", field=field)
        ) from None


def bool_field(data: Mapping[str, Any], field: str, *, default: bool) -> bool:
    """A JSON boolean; absent or null gives ``default``."""
    value = data.get(field)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ServiceError("invalid_field", _l("%(field)s must be true or false.", field=field))
    return value
