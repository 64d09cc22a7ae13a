"""Client events of a synthesis board: coordinators shape the synthesis over the programme's socket.

A board connects with ``{"programme_id": id, "view": "synthesis"}`` (the
login session or a facilitator token; services/access.py admits members) and
joins the programme's room. Its roles on the programme are fixed then, as a
workshop socket's are. Each event declares its action, like the workshop's
events (guards.py); the service commits, then the room receives
``synthesis``. Acks: ``{"ok": true, ...}``, or ``{"ok": false, "error",
"message"}`` with nothing changed.

These are the API's synthesis routes (api/synthesis.py) for the board's
page, which changes nothing over HTTP with its login session.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import request
from flask_babel import gettext

from ..exports.synthesis import recommendation_payload
from ..extensions import db, socketio
from ..models import Programme
from ..services import access, synthesis
from ..services import validation as v
from ..services.access import Action, Role, Seat
from ..services.errors import ServiceError
from .rooms import publish_programme

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class BoardConnection:
    """A synthesis board's socket, fixed at connect time."""

    programme_id: int
    facilitator_id: int
    roles: frozenset[Role]


#: Open synthesis boards of this process, by sid.
boards: dict[str, BoardConnection] = {}
#: Every client event of a synthesis board -> the action it performs (read by the access test).
BOARD_EVENT_ACTIONS: dict[str, Action] = {}

Handler = Callable[[Programme, Any], dict[str, Any] | None]


def joined(seat: Seat) -> None:
    """Remember a synthesis board that just connected (its room is joined by progress.connect)."""
    assert seat.facilitator is not None
    boards[request.sid] = BoardConnection(seat.target.id, seat.facilitator.id, seat.roles)


def left(sid: str) -> None:
    """Forget a board whose socket closed."""
    boards.pop(sid, None)


def _refusal(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": code, "message": message}


def board_event(name: str, action: Action) -> Callable[[Handler], Handler]:
    """Register ``handler(programme, data)`` for the board event ``name``, which performs ``action``."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def wrapper(data: Any = None, *extra: Any) -> dict[str, Any]:
            board = boards.get(request.sid)
            if board is None:
                return _refusal("unauthorized", gettext("Open the synthesis board first."))
            if not access.allowed(board.roles, action):
                return _refusal("forbidden", gettext("Only a coordinator can do this."))
            if extra:
                return _refusal("invalid_payload", gettext("Send one JSON object."))
            programme = db.session.get(Programme, board.programme_id)
            if programme is None:
                return _refusal("unauthorized", gettext("This programme no longer exists."))
            try:
                result = handler(programme, data)
            except ServiceError as error:
                db.session.rollback()
                return {"ok": False, **error.to_dict()}
            except Exception:
                db.session.rollback()
                log.exception("Synthesis event %s failed", name)
                return _refusal("internal_error", gettext("Something went wrong on our side."))
            return {"ok": True, **(result or {})}

        BOARD_EVENT_ACTIONS[name] = action
        socketio.on(name)(wrapper)
        return handler

    return decorate


def _split(data: Any, id_field: str, fields: tuple[str, ...]) -> tuple[int, dict[str, Any]]:
    """The id that names what an event is about, and the rest of its payload."""
    data = v.require_object(data, (id_field, *fields), required=(id_field,))
    object_id = v.id_field(data, id_field)
    assert object_id is not None
    return object_id, {key: value for key, value in data.items() if key != id_field}


@board_event("synthesis_theme_create", Action.SYNTHESIS_EDIT)
def theme_create(programme: Programme, data: Any) -> dict[str, Any]:
    """A coordinator names a common theme; the room receives ``synthesis``."""
    theme, events = synthesis.create_theme(programme, data)
    publish_programme(events)
    return synthesis.theme_payload(theme)


@board_event("synthesis_theme_rename", Action.SYNTHESIS_EDIT)
def theme_rename(programme: Programme, data: Any) -> dict[str, Any]:
    """A coordinator renames a common theme; the room receives ``synthesis``."""
    theme_id, rest = _split(data, "theme_id", synthesis.THEME_FIELDS)
    theme, events = synthesis.rename_theme(programme, theme_id, rest)
    publish_programme(events)
    return synthesis.theme_payload(theme)


@board_event("synthesis_theme_delete", Action.SYNTHESIS_EDIT)
def theme_delete(programme: Programme, data: Any) -> dict[str, Any]:
    """A coordinator removes a common theme; the room receives ``synthesis``."""
    theme_id, _rest = _split(data, "theme_id", ())
    publish_programme(synthesis.delete_theme(programme, theme_id))
    return {}


@board_event("synthesis_map", Action.SYNTHESIS_EDIT)
def map_theme(programme: Programme, data: Any) -> dict[str, Any]:
    """A coordinator maps a regional theme onto a common theme (or back to its tray)."""
    result, events = synthesis.map_theme(programme, data)
    publish_programme(events)
    return result


@board_event("recommendation_create", Action.SYNTHESIS_EDIT)
def recommendation_create(programme: Programme, data: Any) -> dict[str, Any]:
    """A coordinator writes a recommendation; the room receives ``synthesis``."""
    section, events = synthesis.create_recommendation(programme, data)
    publish_programme(events)
    return {"recommendation": recommendation_payload(section)}


@board_event("recommendation_update", Action.SYNTHESIS_EDIT)
def recommendation_update(programme: Programme, data: Any) -> dict[str, Any]:
    """A coordinator edits, relinks or renumbers a recommendation; the room receives ``synthesis``."""
    recommendation_id, rest = _split(data, "recommendation_id", synthesis.EDIT_FIELDS)
    section, events = synthesis.update_recommendation(programme, recommendation_id, rest)
    publish_programme(events)
    return {"recommendation": recommendation_payload(section)}


@board_event("recommendation_delete", Action.SYNTHESIS_EDIT)
def recommendation_delete(programme: Programme, data: Any) -> dict[str, Any]:
    """A coordinator removes a recommendation; the room receives ``synthesis``."""
    recommendation_id, _rest = _split(data, "recommendation_id", ())
    publish_programme(synthesis.delete_recommendation(programme, recommendation_id))
    return {}
