"""The positive core: naming, merging and removing the themes that group stories."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Contribution, Theme
from . import validation as v
from .contributions import theme_in
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
    theme = theme_in(workshop_id, v.id_field(data, "theme_id"))
    name = v.text_field(data, "name", max_length=v.MAX_SHORT, required=True)
    state = lock_and_advance(workshop_id)
    _check_unique(workshop_id, name, exclude_id=theme.id)
    theme.name = name
    db.session.commit()
    return [RoomEvent(workshop_id, "theme", {**theme_payload(theme), "seq": state.seq})]


def _remove(workshop_id: int, theme: Theme, into: Theme | None) -> list[RoomEvent]:
    state = lock_and_advance(workshop_id)
    db.session.execute(
        update(Contribution)
        .where(Contribution.theme_id == theme.id)
        .values(theme_id=into.id if into else None)
        .execution_options(synchronize_session="fetch")
    )
    db.session.delete(theme)
    db.session.commit()
    payload = {"id": theme.id, "merged_into": into.id if into else None, "seq": state.seq}
    return [RoomEvent(workshop_id, "theme_deleted", payload)]


def delete_theme(workshop_id: int, data: Any) -> list[RoomEvent]:
    """Remove a theme; its stories become ungrouped."""
    data = v.require_object(data, ("theme_id",), required=("theme_id",))
    return _remove(workshop_id, theme_in(workshop_id, v.id_field(data, "theme_id")), None)


def merge_themes(workshop_id: int, data: Any) -> list[RoomEvent]:
    """Move every story of ``theme_id`` into ``into_id`` and remove the first theme."""
    data = v.require_object(data, ("theme_id", "into_id"), required=("theme_id", "into_id"))
    source = theme_in(workshop_id, v.id_field(data, "theme_id"))
    target = theme_in(workshop_id, v.id_field(data, "into_id"))
    if source.id == target.id:
        raise ServiceError("same_theme", _l("Choose two different themes to merge."))
    return _remove(workshop_id, source, target)
