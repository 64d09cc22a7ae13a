"""Paired appreciative interviews: "unlikely pairs" and turns.

Participants are paired with someone from another region or organisation
wherever the room allows it; an odd participant makes a trio. In each stage
one member interviews the next; the facilitator's swap starts the next turn.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..extensions import db
from ..models import InterviewPair, Participant, Workshop
from .errors import ServiceError
from .events import Audience, RoomEvent, lock_and_advance
from .snapshot import pair_payload, pairs_of
from .validation import require_object


def _distance(a: Participant, b: Participant) -> int:
    """How unlikely a pair is: another region counts most, then another organisation."""
    score = 0
    if (a.region or "").casefold() != (b.region or "").casefold():
        score += 2
    if (a.organisation or "").casefold() != (b.organisation or "").casefold():
        score += 1
    return score


def unlikely_pairs(
    people: Sequence[Participant], rng: random.Random | None = None
) -> list[list[int]]:
    """Group ``people`` in pairs (one trio when odd), preferring different regions and organisations.

    Greedy: the person with the fewest distant candidates chooses first, so
    the rare ones are not left with a neighbour from their own organisation.
    """
    rng = rng or random.Random()
    pool = list(people)
    rng.shuffle(pool)
    groups: list[list[Participant]] = []
    while len(pool) > 1:
        best = max(_distance(a, b) for a in pool for b in pool if a is not b)
        chooser = min(pool, key=lambda a: sum(_distance(a, b) == best for b in pool if b is not a))
        pool.remove(chooser)
        partner = max(pool, key=lambda b: (_distance(chooser, b), rng.random()))
        pool.remove(partner)
        groups.append([chooser, partner])
    if pool:
        odd = pool[0]
        if groups:
            trio = max(groups, key=lambda g: sum(_distance(odd, m) for m in g))
            trio.append(odd)
        else:
            groups.append([odd])
    return [[p.id for p in group] for group in groups]


def _pair_events(workshop: Workshop, pairs: Iterable[InterviewPair], seq: int) -> list[RoomEvent]:
    events = []
    summary = []
    for pair in pairs:
        for pid in pair.member_ids:
            payload = {**pair_payload(workshop, pair, pid), "seq": seq}
            events.append(RoomEvent(workshop.id, "pair", payload, Audience.PARTICIPANT, pid))
        summary.append(pair_payload(workshop, pair, 0))
    events.append(
        RoomEvent(
            workshop.id,
            "pairs",
            {"stage": workshop.pairing_stage, "pairs": summary, "seq": seq},
            Audience.FACILITATORS,
        )
    )
    return events


def start(workshop: Workshop, data: Any, online_ids: Iterable[int]) -> list[RoomEvent]:
    """Pair the participants who are online now; every phone learns its partner."""
    require_object(data if data is not None else {}, ())
    online = set(online_ids)
    people = list(
        db.session.scalars(
            select(Participant).where(
                Participant.workshop_id == workshop.id,
                Participant.removed_at.is_(None),
                Participant.anonymised_at.is_(None),
                Participant.id.in_(online),
            )
        )
    )
    if len(people) < 2:
        raise ServiceError(
            "not_enough_participants", _l("Pairing needs at least two participants online."), 409
        )
    state = lock_and_advance(workshop.id)
    ended = pairs_of(workshop)
    db.session.execute(delete(InterviewPair).where(InterviewPair.workshop_id == workshop.id))
    pairs = [
        InterviewPair(workshop_id=workshop.id, member_ids=ids) for ids in unlikely_pairs(people)
    ]
    db.session.add_all(pairs)
    workshop.pairing_stage = 0
    db.session.commit()
    unpaired = {pid for pair in ended for pid in pair.member_ids} - {
        pid for pair in pairs for pid in pair.member_ids
    }
    return _unpaired_events(workshop.id, unpaired, state.seq) + _pair_events(
        workshop, pairs, state.seq
    )


def _unpaired_events(workshop_id: int, participant_ids: Iterable[int], seq: int) -> list[RoomEvent]:
    return [
        RoomEvent(workshop_id, "pair", {"pair_id": None, "seq": seq}, Audience.PARTICIPANT, pid)
        for pid in participant_ids
    ]


def swap(workshop: Workshop, data: Any) -> list[RoomEvent]:
    """Next turn: each interviewer becomes a storyteller."""
    require_object(data if data is not None else {}, ())
    if workshop.pairing_stage is None:
        raise ServiceError("not_pairing", _l("Start the pairing first."), 409)
    state = lock_and_advance(workshop.id)
    workshop.pairing_stage = (workshop.pairing_stage or 0) + 1
    db.session.commit()
    return _pair_events(workshop, pairs_of(workshop), state.seq)


def end(workshop: Workshop, data: Any) -> list[RoomEvent]:
    """Stop the interviews; phones drop their partner's card."""
    require_object(data if data is not None else {}, ())
    if workshop.pairing_stage is None:
        return []
    state = lock_and_advance(workshop.id)
    members = {pid for pair in pairs_of(workshop) for pid in pair.member_ids}
    db.session.execute(delete(InterviewPair).where(InterviewPair.workshop_id == workshop.id))
    workshop.pairing_stage = None
    db.session.commit()
    summary = RoomEvent(
        workshop.id, "pairs", {"stage": None, "pairs": [], "seq": state.seq}, Audience.FACILITATORS
    )
    return [*_unpaired_events(workshop.id, members, state.seq), summary]


def remove_members(
    workshop: Workshop, participant_ids: Iterable[int]
) -> tuple[list[InterviewPair], set[int]]:
    """Take people out of the running interviews (they left, or were erased), in the open transaction.

    A pair left with one member ends. Returns the pairs that changed and the
    members whose pair ended, for ``member_events`` once committed.
    """
    gone = set(participant_ids)
    changed: list[InterviewPair] = []
    unpaired: set[int] = set()
    for pair in pairs_of(workshop):
        if gone.isdisjoint(pair.member_ids):
            continue
        rest = [pid for pid in pair.member_ids if pid not in gone]
        if len(rest) < 2:
            unpaired.update(rest)
            db.session.delete(pair)
        else:
            pair.member_ids = rest
            changed.append(pair)
    return changed, unpaired


def member_events(
    workshop: Workshop, changed: list[InterviewPair], unpaired: set[int], seq: int
) -> list[RoomEvent]:
    """What ``remove_members`` changed: new cards for the rest, and the facilitators' list."""
    if not changed and not unpaired:
        return []
    events = _unpaired_events(workshop.id, unpaired, seq)
    for pair in changed:
        for pid in pair.member_ids:
            payload = {**pair_payload(workshop, pair, pid), "seq": seq}
            events.append(RoomEvent(workshop.id, "pair", payload, Audience.PARTICIPANT, pid))
    summary = [pair_payload(workshop, pair, 0) for pair in pairs_of(workshop)]
    events.append(
        RoomEvent(
            workshop.id,
            "pairs",
            {"stage": workshop.pairing_stage, "pairs": summary, "seq": seq},
            Audience.FACILITATORS,
        )
    )
    return events
