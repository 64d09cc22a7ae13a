"""What each viewer may see of a workshop, as JSON-ready dicts.

Anonymity and vote secrecy are applied here, once. An author's name leaves
the server only for contributions whose author chose ``named``, and reaches
the room (phones, projector) only while the workshop shows names. Nothing
else in a payload points to a person: a contribution's ``client_id`` (the
idempotency key its phone made) goes only to the phone that sent it, never
to the room or the facilitator. Vote counts of the items being voted on stay
with the facilitator until revealed, when the workshop hides them.
``private`` items are seen by the room while the session runs, and leave the
room's view when the workshop closes.
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from sqlalchemy import or_, select

from ..extensions import db, socketio
from ..models import (
    PHASE_KIND,
    Consent,
    Contribution,
    InterviewPair,
    Participant,
    Phase,
    Theme,
    Vote,
    Workshop,
    as_utc,
)
from .consistency import consistent_read
from .events import Audience, RoomEvent
from .links import join_url
from .timer import timer_payload

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class View:
    """What one kind of viewer may see."""

    names: bool = True
    #: Kind whose vote counts are secret to this viewer, if any.
    secret_votes_kind: str | None = None
    hidden_items: bool = True
    #: ``private`` items: seen in the session, not after it.
    private_items: bool = True


FACILITATOR_VIEW = View()


def room_view(workshop: Workshop) -> View:
    """The view of phones and the projector under the workshop's settings."""
    secret = None
    if workshop.hide_vote_counts and not workshop.votes_revealed:
        kind = PHASE_KIND.get(Phase(workshop.phase))
        secret = kind.value if kind else None
    return View(
        names=workshop.show_names,
        secret_votes_kind=secret,
        hidden_items=False,
        private_items=workshop.phase != Phase.CLOSED,
    )


def visible(item: Any, view: View) -> bool:
    """Whether ``view`` shows the contribution ``item`` at all."""
    if item.hidden and not view.hidden_items:
        return False
    return view.private_items or item.consent != Consent.PRIVATE


def workshop_payload(workshop: Workshop) -> dict[str, Any]:
    """The workshop's settings and current phase."""
    return {
        "id": workshop.id,
        "title": workshop.title,
        "topic": workshop.topic,
        "place": workshop.place,
        "held_on": workshop.held_on.isoformat() if workshop.held_on else None,
        "facilitator_name": workshop.facilitator_name,
        "organisation": workshop.organisation,
        "code": workshop.code,
        "join_url": join_url(workshop.code),
        "language": workshop.language,
        "phase": workshop.phase,
        "votes_per_participant": workshop.votes_per_participant,
        "show_names": workshop.show_names,
        "hide_vote_counts": workshop.hide_vote_counts,
        "votes_revealed": workshop.votes_revealed,
        "self_votes": workshop.self_votes,
        "premoderation": workshop.premoderation,
        "keep_timer": workshop.keep_timer,
        "prompts": workshop.prompts,
        "programme_id": workshop.programme_id,
        "region_id": workshop.region_id,
    }


def theme_payload(theme: Theme) -> dict[str, Any]:
    """A theme of the positive core."""
    return {"id": theme.id, "name": theme.name}


def contribution_payload(item: Contribution, view: View = FACILITATOR_VIEW) -> dict[str, Any]:
    """A contribution as ``view`` may see it."""
    return _payload(item, item.participant, view)


def _payload(item: Any, author: Any, view: View) -> dict[str, Any]:
    """``item`` has the contribution's columns; ``author`` its author's name fields."""
    named = item.consent == Consent.NAMED and view.names
    return {
        "id": item.id,
        "kind": item.kind,
        "title": item.title,
        "text": item.text,
        "consent": item.consent,
        "language": item.language,
        "author": author.name if named else None,
        "organisation": author.organisation if named else None,
        "region": author.region if named else None,
        "theme_id": item.theme_id,
        "proposition_id": item.proposition_id,
        "factors": item.factors,
        "owner": item.owner,
        "owner_organisation": item.owner_organisation,
        "due": item.due.isoformat() if item.due else None,
        "votes": None if item.kind == view.secret_votes_kind else item.vote_count,
        "hidden": item.hidden,
        "edited": item.edited,
        "approved": item.approved,
        "late": item.late,
        "interview": item.recorded_by_id is not None,
        "written_at": as_utc(item.written_at).isoformat() if item.written_at else None,
        "created_at": as_utc(item.created_at).isoformat(),
    }


def sender_id(item: Any) -> int:
    """The participant whose phone sent ``item`` (the interviewer, for a recorded story)."""
    return item.recorded_by_id or item.participant_id


def contribution_events(item: Contribution, workshop: Workshop, seq: int) -> list[RoomEvent]:
    """``contribution`` for the facilitators and, unless hidden, for the room.

    While it waits for approval (pre-moderation), the room does not see it:
    only its author's phone does (and the interviewer's who recorded it).
    """
    full = RoomEvent(
        item.workshop_id,
        "contribution",
        {**contribution_payload(item), "seq": seq},
        Audience.FACILITATORS,
    )
    view = room_view(workshop)
    if not visible(item, view):
        return [full]
    if not item.approved:
        own = {**contribution_payload(item, view), "mine": True, "seq": seq}
        writers = dict.fromkeys(p for p in (item.participant_id, item.recorded_by_id) if p)
        return [
            full,
            *(
                RoomEvent(item.workshop_id, "contribution", own, Audience.PARTICIPANT, writer)
                for writer in writers
            ),
        ]
    if view.names and view.secret_votes_kind != item.kind:
        return [dataclasses.replace(full, audience=Audience.EVERYONE)]
    room = {**contribution_payload(item, view), "seq": seq}
    return [full, RoomEvent(item.workshop_id, "contribution", room, Audience.ROOM)]


def room_contributions_event(workshop: Workshop, seq: int) -> RoomEvent:
    """Every visible contribution in the room's view, after the view changed."""
    view = room_view(workshop)
    items = [
        _payload(row, row, view)
        for row in _contribution_rows(workshop.id, False)
        if visible(row, view)
    ]
    # Items waiting for approval stay on their authors' phones (live.js keeps them).
    return RoomEvent(workshop.id, "contributions", {"items": items, "seq": seq}, Audience.ROOM)


#: What a payload needs, read as plain rows: a room of thousands of
#: contributions would spend most of a snapshot building ORM objects.
_PAYLOAD_COLUMNS = (
    *(column for column in Contribution.__table__.columns),
    Participant.name,
    Participant.organisation,
    Participant.region,
)


#: A plain tuple per row: its attributes read many times faster than a Row's.
_PayloadRow = collections.namedtuple("_PayloadRow", [c.key for c in _PAYLOAD_COLUMNS])


def _contribution_rows(
    workshop_id: int, include_hidden: bool, waiting_of: int | None = None
) -> list[Any]:
    """The rows a viewer may see.

    The facilitator everything (``include_hidden``); the room what is visible
    and approved, plus participant ``waiting_of``'s own contributions that
    wait for approval.
    """
    query = (
        select(*_PAYLOAD_COLUMNS)
        .join(Participant, Participant.id == Contribution.participant_id)
        .where(Contribution.workshop_id == workshop_id)
        .order_by(Contribution.id)
    )
    if not include_hidden:
        approved = Contribution.approved.is_(True)
        if waiting_of is not None:
            approved = or_(
                approved,
                Contribution.participant_id == waiting_of,
                Contribution.recorded_by_id == waiting_of,
            )
        query = query.where(Contribution.hidden.is_(False), approved)
    return [_PayloadRow._make(row) for row in in_turns(db.session.execute(query))]


#: Items handled between two pauses while a snapshot is built.
TURN = 250


def in_turns(items: Iterable[T]) -> Iterator[T]:
    """``items``, pausing every ``TURN`` of them so other clients' events run in between.

    Building the snapshot of a workshop of thousands of contributions takes
    tens of milliseconds, and the server runs one thing at a time: without
    pauses, a few phones reconnecting at once would hold up every other room.
    """
    for count, item in enumerate(items, 1):
        yield item
        if count % TURN == 0:
            socketio.sleep(0)


def _themes(workshop_id: int) -> list[Theme]:
    return list(
        db.session.scalars(select(Theme).where(Theme.workshop_id == workshop_id).order_by(Theme.id))
    )


def pair_payload(workshop: Workshop, pair: InterviewPair, participant_id: int) -> dict[str, Any]:
    """One participant's interview pair at the workshop's current stage."""
    members = {
        p.id: p
        for p in db.session.scalars(select(Participant).where(Participant.id.in_(pair.member_ids)))
    }
    stage = workshop.pairing_stage or 0
    count = len(pair.member_ids)
    interviewer = pair.member_ids[stage % count]
    storyteller = pair.member_ids[(stage + 1) % count]
    role = "observer"
    if participant_id == interviewer:
        role = "interviewer"
    elif participant_id == storyteller:
        role = "storyteller"
    return {
        "pair_id": pair.id,
        "stage": stage,
        "role": role,
        "interviewer_id": interviewer,
        "storyteller_id": storyteller,
        "members": [
            {
                "participant_id": pid,
                "name": members[pid].name,
                "organisation": members[pid].organisation,
                "region": members[pid].region,
            }
            for pid in pair.member_ids
            if pid in members
        ],
    }


def pairs_of(workshop: Workshop) -> list[InterviewPair]:
    """The workshop's interview pairs while pairing is on."""
    if workshop.pairing_stage is None:
        return []
    return list(
        db.session.scalars(
            select(InterviewPair)
            .where(InterviewPair.workshop_id == workshop.id)
            .order_by(InterviewPair.id)
        )
    )


def pair_of(workshop: Workshop, participant_id: int) -> InterviewPair | None:
    """The participant's pair while pairing is on."""
    return next((p for p in pairs_of(workshop) if participant_id in p.member_ids), None)


def snapshot(
    workshop: Workshop, participant: Participant | None = None, *, screen: bool = False
) -> dict[str, Any]:
    """Everything a viewer may see now, as one committed state.

    The facilitator's view when ``participant`` is None and ``screen`` is
    false; the room's view for participants and the projector (``screen``).
    ``seq`` and the contents come from one consistent read: the snapshot
    holds every change up to ``seq`` and none after it, so a client applies
    exactly the events with a higher ``seq`` (docs/reliability.md).
    """
    with consistent_read():
        return _snapshot(workshop, participant, screen)


def _snapshot(workshop: Workshop, participant: Participant | None, screen: bool) -> dict[str, Any]:
    db.session.refresh(workshop)
    facilitator = participant is None and not screen
    view = FACILITATOR_VIEW if facilitator else room_view(workshop)
    data: dict[str, Any] = {
        "seq": workshop.seq,
        "role": "facilitator" if facilitator else ("screen" if screen else "participant"),
        "workshop": workshop_payload(workshop),
        "timer": timer_payload(workshop),
        "themes": [theme_payload(t) for t in _themes(workshop.id)],
    }
    items = [
        row
        for row in _contribution_rows(
            workshop.id,
            include_hidden=facilitator,
            waiting_of=participant.id if participant is not None else None,
        )
        if visible(row, view)
    ]
    payloads = [_payload(row, row, view) for row in in_turns(items)]
    if facilitator:
        data["notes"] = workshop.notes or {}
        data["pairs"] = {
            "stage": workshop.pairing_stage,
            "pairs": [pair_payload(workshop, pair, 0) for pair in pairs_of(workshop)],
        }
    if participant is not None:
        voted = dict(
            db.session.execute(
                select(Vote.contribution_id, Vote.kind).where(Vote.participant_id == participant.id)
            ).all()
        )
        for item, payload in in_turns(zip(items, payloads, strict=True)):
            payload["mine"] = participant.id in (item.participant_id, item.recorded_by_id)
            payload["voted"] = item.id in voted
            if sender_id(item) == participant.id:
                # The phone that sent it recognises its own submission by this key.
                payload["client_id"] = item.client_id
        used = {"dream": 0, "proposition": 0}
        for kind in voted.values():
            used[kind] = used.get(kind, 0) + 1
        pair = pair_of(workshop, participant.id)
        data["me"] = {
            "participant_id": participant.id,
            "name": participant.name,
            "organisation": participant.organisation,
            "region": participant.region,
            "language": participant.language,
            "votes_left": {
                kind: max(workshop.votes_per_participant - n, 0) for kind, n in used.items()
            },
            "pair": pair_payload(workshop, pair, participant.id) if pair else None,
        }
    data["contributions"] = payloads
    return data
