"""One decorator for every client event: which action it performs, and what the ack says.

``@event(name, action)`` registers a handler and declares its action; the
socket's roles (fixed at connect by ``services.access``) must allow it.
Handlers return the ack's data; refusals (``ServiceError``) become
``{"ok": false, "error": code, "message": text}`` after the transaction is
rolled back, so a refused event changes nothing.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import g, request
from flask_babel import gettext
from sqlalchemy import select

from ..extensions import db, socketio
from ..models import Participant, Workshop
from ..services import access, ratelimit
from ..services.access import Action
from ..services.errors import ServiceError
from .connection import Connection, connections

log = logging.getLogger(__name__)

Handler = Callable[..., dict[str, Any] | None]


def _refusal(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": code, "message": message}


def _context(connection: Connection) -> tuple[Workshop | None, Participant | None]:
    workshop, participant = None, None
    if connection.participant_id is not None:
        # One round trip for both: under load each one waits its turn on the event loop.
        row = db.session.execute(
            select(Workshop, Participant)
            .join(Participant, Participant.workshop_id == Workshop.id)
            .where(Participant.id == connection.participant_id)
        ).first()
        if row is not None:
            workshop, participant = row
    else:
        workshop = db.session.get(Workshop, connection.workshop_id)
    if workshop is not None:
        g.workshop_language = workshop.language
    if participant is not None:
        g.participant_language = participant.language
    return workshop, participant


#: Every client event -> the action it performs (read by the access-control test).
EVENT_ACTIONS: dict[str, Action] = {}


def event(name: str, action: Action) -> Callable[[Handler], Handler]:
    """Register ``handler`` for the client event ``name``, which performs ``action``."""

    def decorate(handler: Handler) -> Handler:
        EVENT_ACTIONS[name] = action
        socketio.on(name)(client_event(action)(handler))
        return handler

    return decorate


def client_event(action: Action) -> Callable[[Handler], Callable[..., dict[str, Any]]]:
    """Wrap a handler that performs ``action``.

    Handlers that take part (``WORKSHOP_PARTICIPATE``) are called as
    ``handler(participant, data)``, the others as ``handler(workshop, data)``;
    both return the ack's data.
    """
    takes_part = action == Action.WORKSHOP_PARTICIPATE

    def decorate(handler: Handler) -> Callable[..., dict[str, Any]]:
        @functools.wraps(handler)
        def wrapper(data: Any = None, *extra: Any) -> dict[str, Any]:
            connection = connections.get(request.sid)
            if connection is None:
                return _refusal("unauthorized", gettext("Reconnect to the workshop first."))
            try:
                # Before any database work: a socket sending without pause costs little.
                ratelimit.hit_local("socket_events", request.sid)
            except ServiceError as error:
                return {"ok": False, **error.to_dict()}
            workshop, participant = _context(connection)
            gone = connection.participant_id and (participant is None or not participant.active)
            if workshop is None or gone:
                return _refusal("unauthorized", gettext("You are no longer in this workshop."))
            if connection.screen:
                return _refusal("forbidden", gettext("The projector view only shows."))
            if not access.allowed(connection.roles, action):
                if takes_part:
                    return _refusal("forbidden", gettext("Only participants can do this."))
                return _refusal("forbidden", gettext("Only the facilitator can do this."))
            if extra:
                return _refusal("invalid_payload", gettext("Send one JSON object."))
            try:
                result = handler(participant if takes_part else workshop, data)
            except ServiceError as error:
                db.session.rollback()
                return {"ok": False, **error.to_dict()}
            except Exception:
                db.session.rollback()
                log.exception("Socket event %s failed", handler.__name__)
                return _refusal("internal_error", gettext("Something went wrong on our side."))
            return {"ok": True, **(result or {})}

        return wrapper

    return decorate
