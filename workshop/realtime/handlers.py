"""Client events of a live workshop.

Each handler answers with an ack and publishes the events its service
returns, which the service has already committed.
"""

from __future__ import annotations

from typing import Any

from ..extensions import socketio
from ..models import Participant, Workshop
from ..services import contributions, themes, workshops
from .guards import FACILITATOR, PARTICIPANT, client_event
from .rooms import publish


@socketio.on("contribute")
@client_event(PARTICIPANT)
def contribute(participant: Participant, data: Any) -> dict[str, Any]:
    """A participant adds a contribution; the room receives ``contribution``."""
    item, events = contributions.contribute(participant, data)
    publish(events)
    return {"id": item.id}


@socketio.on("vote")
@client_event(PARTICIPANT)
def vote(participant: Participant, data: Any) -> dict[str, Any]:
    """A participant dots a dream or proposition; the room receives ``tally``."""
    result, events = contributions.vote(participant, data)
    publish(events)
    return result


@socketio.on("unvote")
@client_event(PARTICIPANT)
def unvote(participant: Participant, data: Any) -> dict[str, Any]:
    """A participant withdraws a vote; the room receives ``tally``."""
    result, events = contributions.unvote(participant, data)
    publish(events)
    return result


@socketio.on("set_phase")
@client_event(FACILITATOR)
def set_phase(workshop: Workshop, data: Any) -> dict[str, Any]:
    """The facilitator moves the workshop; the room receives ``phase``."""
    events = workshops.set_phase(workshop, data)
    publish(events)
    return {"phase": workshop.phase, "seq": events[0].payload["seq"]}


@socketio.on("hide")
@client_event(FACILITATOR)
def hide(workshop: Workshop, data: Any) -> dict[str, Any]:
    """The facilitator hides a contribution; the room receives ``contribution_hidden``."""
    publish(contributions.set_hidden(workshop.id, data, hidden=True))
    return {}


@socketio.on("unhide")
@client_event(FACILITATOR)
def unhide(workshop: Workshop, data: Any) -> dict[str, Any]:
    """The facilitator shows a hidden contribution again; the room receives ``contribution``."""
    publish(contributions.set_hidden(workshop.id, data, hidden=False))
    return {}


@socketio.on("theme_create")
@client_event(FACILITATOR)
def theme_create(workshop: Workshop, data: Any) -> dict[str, Any]:
    """The facilitator names a new theme; the room receives ``theme``."""
    theme, events = themes.create_theme(workshop.id, data)
    publish(events)
    return {"id": theme.id}


@socketio.on("theme_rename")
@client_event(FACILITATOR)
def theme_rename(workshop: Workshop, data: Any) -> dict[str, Any]:
    """The facilitator renames a theme; the room receives ``theme``."""
    publish(themes.rename_theme(workshop.id, data))
    return {}


@socketio.on("theme_assign")
@client_event(FACILITATOR)
def theme_assign(workshop: Workshop, data: Any) -> dict[str, Any]:
    """The facilitator (un)groups a story by theme; the room receives ``contribution``."""
    publish(contributions.assign_theme(workshop.id, data))
    return {}
