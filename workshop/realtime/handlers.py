"""Client events of a live workshop.

Each handler answers with an ack and publishes the events its service
returns, which the service has already committed. Facilitator events that
only change state and answer ``{"ok": true}`` are declared in one table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..models import Participant, Workshop
from ..services import (
    contributions,
    erasure,
    pairing,
    participants,
    themes,
    timer,
    votes,
    workshops,
)
from ..services.access import Action
from ..services.events import RoomEvent
from . import presence
from .connection import disconnect_participant
from .erasures import deliver
from .guards import event
from .rooms import publish


@event("contribute", Action.WORKSHOP_PARTICIPATE)
def contribute(participant: Participant, data: Any) -> dict[str, Any]:
    """A participant adds a contribution; the room receives ``contribution``."""
    item, events = contributions.contribute(participant, data)
    publish(events)
    return {"id": item.id}


@event("vote", Action.WORKSHOP_PARTICIPATE)
def vote(participant: Participant, data: Any) -> dict[str, Any]:
    """A participant dots a dream or proposition; the room receives ``tally``."""
    result, events = votes.vote(participant, data)
    publish(events)
    return result


@event("unvote", Action.WORKSHOP_PARTICIPATE)
def unvote(participant: Participant, data: Any) -> dict[str, Any]:
    """A participant withdraws a vote; the room receives ``tally``."""
    result, events = votes.unvote(participant, data)
    publish(events)
    return result


@event("consent_change", Action.WORKSHOP_PARTICIPATE)
def consent_change(participant: Participant, data: Any) -> dict[str, Any]:
    """A participant changes how their own contribution may be used; the room receives ``contribution``."""
    deliver(erasure.change_consent(participant, data))
    return {}


@event("withdraw", Action.WORKSHOP_PARTICIPATE)
def withdraw(participant: Participant, data: Any) -> dict[str, Any]:
    """A participant withdraws their own contribution for good; the room receives ``contribution_hidden``."""
    deliver(erasure.withdraw(participant, data))
    return {}


@event("set_phase", Action.WORKSHOP_MANAGE)
def set_phase(workshop: Workshop, data: Any) -> dict[str, Any]:
    """The facilitator moves the workshop; the room receives ``phase``."""
    events = workshops.set_phase(workshop, data)
    publish(events)
    return {"phase": workshop.phase, "seq": events[0].payload["seq"]}


@event("theme_create", Action.WORKSHOP_MANAGE)
def theme_create(workshop: Workshop, data: Any) -> dict[str, Any]:
    """The facilitator names a new theme; the room receives ``theme``."""
    theme, events = themes.create_theme(workshop.id, data)
    publish(events)
    return {"id": theme.id}


@event("participant_remove", Action.WORKSHOP_MANAGE)
def participant_remove(workshop: Workshop, data: Any) -> dict[str, Any]:
    """The facilitator removes a participant: they receive ``removed`` and lose their socket."""
    online = presence.counted(workshop.id)
    participant, events = participants.remove(workshop, data, online)
    publish(events)
    disconnect_participant(workshop.id, participant.id)
    return {}


@event("pairing_start", Action.WORKSHOP_MANAGE)
def pairing_start(workshop: Workshop, data: Any) -> dict[str, Any]:
    """The facilitator pairs the online participants; each receives ``pair``."""
    events = pairing.start(workshop, data, presence.online_ids(workshop.id))
    publish(events)
    return {"pairs": events[-1].payload["pairs"]}


@event("roster", Action.WORKSHOP_MANAGE)
def roster(workshop: Workshop, data: Any) -> dict[str, Any]:
    """The facilitator asks who has joined (for moderation); only the ack answers."""
    online = presence.online_ids(workshop.id)
    people = [{**p, "online": p["id"] in online} for p in participants.roster(workshop.id)]
    return {"participants": people}


def _timer(action: str) -> Callable[[Workshop, Any], list[RoomEvent]]:
    return lambda workshop, data: timer.control(workshop, action, data)


#: event name -> (service, what it does): the room receives what the service returns.
FACILITATOR_ACTIONS: dict[str, tuple[Callable[[Workshop, Any], list[RoomEvent]], str]] = {
    "hide": (
        lambda w, d: contributions.set_hidden(w, d, hidden=True),
        "hides a contribution; the room receives ``contribution_hidden``",
    ),
    "unhide": (
        lambda w, d: contributions.set_hidden(w, d, hidden=False),
        "shows a hidden contribution again; the room receives ``contribution``",
    ),
    "edit": (contributions.edit, "corrects a contribution; the room receives ``contribution``"),
    "set_language": (
        contributions.set_language,
        "corrects a contribution's language tag; the room receives ``contribution``",
    ),
    "approve": (
        contributions.approve,
        "lets a contribution waiting for approval reach the room, which receives ``contribution``",
    ),
    "approve_all": (
        contributions.approve_all,
        "lets every contribution waiting for approval reach the room (``contribution`` each)",
    ),
    "theme_rename": (
        lambda w, d: themes.rename_theme(w.id, d),
        "renames a theme; the room receives ``theme``",
    ),
    "theme_assign": (
        contributions.assign_theme,
        "(un)groups a story by theme; the room receives ``contribution``",
    ),
    "theme_delete": (
        lambda w, d: themes.delete_theme(w.id, d),
        "removes a theme, ungrouping its stories; the room receives ``theme_deleted``",
    ),
    "theme_merge": (
        lambda w, d: themes.merge_themes(w.id, d),
        "merges a theme into another; the room receives ``theme_deleted`` with ``merged_into``",
    ),
    "settings": (
        workshops.update_workshop,
        "changes names, vote secrecy, budget, self-votes, pre-moderation or timer keeping; "
        "the room receives ``workshop`` "
        "(and ``contributions`` when its view changes)",
    ),
    "notes_set": (workshops.set_notes, "saves private notes; facilitators receive ``notes``"),
    "pairing_swap": (pairing.swap, "starts the next interview turn; each phone receives ``pair``"),
    "pairing_end": (pairing.end, "ends the interviews; each phone receives ``pair``"),
    "timer_start": (_timer("start"), "starts the countdown; the room receives ``timer``"),
    "timer_pause": (_timer("pause"), "pauses the countdown; the room receives ``timer``"),
    "timer_resume": (_timer("resume"), "resumes the countdown; the room receives ``timer``"),
    "timer_extend": (_timer("extend"), "adds time; the room receives ``timer``"),
    "timer_stop": (_timer("stop"), "stops the countdown; the room receives ``timer``"),
}


def _register(name: str, service: Callable[[Workshop, Any], list[RoomEvent]], what: str) -> None:
    def handler(workshop: Workshop, data: Any) -> dict[str, Any]:
        publish(service(workshop, data))
        return {}

    handler.__name__ = name
    handler.__doc__ = f"The facilitator {what}."
    event(name, Action.WORKSHOP_MANAGE)(handler)


for _event, (_service, _what) in FACILITATOR_ACTIONS.items():
    _register(_event, _service, _what)
