"""Dot-voting on dreams and propositions, within each participant's budget."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import PHASE_KIND, VOTABLE_KINDS, Contribution, Participant, Vote, Workshop
from . import ratelimit
from . import validation as v
from .contributions import visible_contribution
from .errors import ServiceError
from .events import Audience, RoomEvent, lock_and_advance
from .method import PHASE_LABELS, kind_for_phase
from .snapshot import room_view

PHASE_OF_KIND = {kind.value: phase for phase, kind in PHASE_KIND.items()}


def votes_used(participant_id: int, kind: str) -> int:
    """How many of its votes on ``kind`` a participant has spent."""
    return (
        db.session.scalar(
            select(func.count(Vote.id)).where(
                Vote.participant_id == participant_id, Vote.kind == kind
            )
        )
        or 0
    )


def _votable(participant: Participant, data: Any, phase: str) -> Contribution:
    item = visible_contribution(participant.workshop_id, v.id_field(data, "contribution_id"))
    if item.kind not in VOTABLE_KINDS:
        raise ServiceError("not_votable", _l("Only dreams and propositions take votes."))
    if kind_for_phase(phase) != item.kind:
        raise ServiceError(
            "voting_closed",
            _l(
                "Votes on this item are open during the %(phase)s phase.",
                phase=PHASE_LABELS[PHASE_OF_KIND[item.kind]],
            ),
            409,
        )
    return item


def _tally(item: Contribution, delta: int) -> int:
    return db.session.execute(
        update(Contribution)
        .where(Contribution.id == item.id)
        .values(vote_count=Contribution.vote_count + delta)
        .returning(Contribution.vote_count)
        .execution_options(synchronize_session=False)
    ).scalar_one()


def _result(
    item: Contribution, count: int, left: int, seq: int
) -> tuple[dict[str, Any], list[RoomEvent]]:
    workshop = db.session.get(Workshop, item.workshop_id)
    secret = room_view(workshop).secret_votes_kind == item.kind
    payload = {"contribution_id": item.id, "votes": count, "seq": seq}
    audience = Audience.FACILITATORS if secret else Audience.EVERYONE
    ack = {"votes": None if secret else count, "votes_left": left}
    return ack, [RoomEvent(item.workshop_id, "tally", payload, audience)]


def vote(participant: Participant, data: Any) -> tuple[dict[str, Any], list[RoomEvent]]:
    """Put one of the participant's dots on a dream or proposition."""
    data = v.require_object(data, ("contribution_id",), required=("contribution_id",))
    ratelimit.hit("vote", f"participant:{participant.id}")
    state = lock_and_advance(participant.workshop_id)
    item = _votable(participant, data, state.phase)
    workshop = db.session.get(Workshop, participant.workshop_id)
    if item.participant_id == participant.id and not workshop.self_votes:
        raise ServiceError(
            "own_contribution",
            _l("In this workshop you vote for what others wrote, not for your own."),
            409,
        )
    used = votes_used(participant.id, item.kind)
    if used >= state.votes_per_participant:
        raise ServiceError(
            "no_votes_left",
            _l(
                "You have used all %(n)d votes. Withdraw one to vote again.",
                n=state.votes_per_participant,
            ),
            409,
        )
    db.session.add(Vote(participant_id=participant.id, contribution_id=item.id, kind=item.kind))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError("already_voted", _l("You have already voted for this."), 409) from None
    count = _tally(item, +1)
    db.session.commit()
    return _result(item, count, state.votes_per_participant - used - 1, state.seq)


def unvote(participant: Participant, data: Any) -> tuple[dict[str, Any], list[RoomEvent]]:
    """Withdraw the participant's vote from a dream or proposition."""
    data = v.require_object(data, ("contribution_id",), required=("contribution_id",))
    ratelimit.hit("vote", f"participant:{participant.id}")
    state = lock_and_advance(participant.workshop_id)
    item = _votable(participant, data, state.phase)
    removed = db.session.execute(
        delete(Vote).where(Vote.participant_id == participant.id, Vote.contribution_id == item.id)
    ).rowcount
    if not removed:
        raise ServiceError("not_voted", _l("You have not voted for this."), 409)
    count = _tally(item, -1)
    db.session.commit()
    left = state.votes_per_participant - votes_used(participant.id, item.kind)
    return _result(item, count, left, state.seq)
