"""The positive core: naming themes that group stories."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import Theme
from . import validation as v
from .errors import ServiceError
from .events import RoomEvent, lock_and_advance
from .snapshot import theme_payload


def _check_unique(workshop_id: int, name: str, exclude_id: int | None = None) -> None:
    query = select(Theme.id).where(
        Theme.workshop_id == workshop_id, func.lower(Theme.name) == name.lower()
    )
    if exclude_id is not None:
        query = query.where(Theme.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise ServiceError("theme_exists", _l("A theme with this name exists already."), 409)


def create_theme(workshop_id: int, data: Any) -> tuple[Theme, list[RoomEvent]]:
    """A new, empty theme of the positive core."""
    data = v.require_object(data, ("name",), required=("name",))
    name = v.text_field(data, "name", max_length=v.MAX_SHORT, required=True)
    state = lock_and_advance(workshop_id)
    _check_unique(workshop_id, name)
    theme = Theme(workshop_id=workshop_id, name=name)
    db.session.add(theme)
    db.session.commit()
    return theme, [RoomEvent(workshop_id, "theme", {**theme_payload(theme), "seq": state.seq})]


def rename_theme(workshop_id: int, data: Any) -> list[RoomEvent]:
    """Give a theme a new name."""
    data = v.require_object(data, ("theme_id", "name"), required=("theme_id", "name"))
    theme_id = v.id_field(data, "theme_id")
    name = v.text_field(data, "name", max_length=v.MAX_SHORT, required=True)
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.workshop_id != workshop_id:
        raise ServiceError("unknown_theme", _l("No such theme in this workshop."), 404)
    state = lock_and_advance(workshop_id)
    _check_unique(workshop_id, name, exclude_id=theme.id)
    theme.name = name
    db.session.commit()
    return [RoomEvent(workshop_id, "theme", {**theme_payload(theme), "seq": state.seq})]
