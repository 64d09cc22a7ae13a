"""Contributing stories, dreams, propositions and commitments; voting; moderation."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import VOTABLE_KINDS, Consent, Contribution, Kind, Participant, Theme, Vote, Workshop
from . import validation as v
from .errors import ServiceError
from .events import Audience, RoomEvent, lock_and_advance
from .method import KIND_LABELS, PHASE_LABELS, kind_for_phase
from .snapshot import contribution_payload

COMMON_FIELDS = ("client_id", "kind", "text", "consent")
#: Optional fields each kind accepts on top of the common ones.
KIND_FIELDS: dict[Kind, frozenset[str]] = {
    Kind.STORY: frozenset({"title"}),
    Kind.DREAM: frozenset(),
    Kind.PROPOSITION: frozenset({"theme_id"}),
    Kind.COMMITMENT: frozenset({"owner", "due", "proposition_id"}),
}
CONTRIBUTE_FIELDS = frozenset(COMMON_FIELDS).union(*KIND_FIELDS.values())
MAX_CLIENT_ID = 64
PHASE_OF_KIND = {
    Kind.STORY: "discover",
    Kind.DREAM: "dream",
    Kind.PROPOSITION: "design",
    Kind.COMMITMENT: "deliver",
}


def _client_id(data: dict[str, Any]) -> str:
    value = data.get("client_id")
    if not isinstance(value, str) or not 0 < len(value.strip()) <= MAX_CLIENT_ID:
        raise ServiceError(
            "invalid_client_id", _l("client_id must be a unique id made by the client (a UUID).")
        )
    return value.strip()


def _find_by_client_id(participant_id: int, client_id: str) -> Contribution | None:
    return db.session.scalar(
        select(Contribution).where(
            Contribution.participant_id == participant_id, Contribution.client_id == client_id
        )
    )


def _theme_in(workshop_id: int, theme_id: int | None) -> int | None:
    if theme_id is None:
        return None
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.workshop_id != workshop_id:
        raise ServiceError("unknown_theme", _l("No such theme in this workshop."), 404)
    return theme.id


def visible_contribution(workshop_id: int, contribution_id: int | None) -> Contribution:
    """A contribution of this workshop that participants can see."""
    item = contribution_in(workshop_id, contribution_id)
    if item.hidden:
        raise ServiceError(
            "unknown_contribution", _l("No such contribution in this workshop."), 404
        )
    return item


def contribution_in(workshop_id: int, contribution_id: int | None) -> Contribution:
    """A contribution of this workshop, hidden or not."""
    item = db.session.get(Contribution, contribution_id) if contribution_id else None
    if item is None or item.workshop_id != workshop_id:
        raise ServiceError(
            "unknown_contribution", _l("No such contribution in this workshop."), 404
        )
    return item


def _check_phase(phase: str, kind: Kind) -> None:
    expected = kind_for_phase(phase)
    if expected is None:
        raise ServiceError(
            "not_collecting",
            _l(
                "The workshop is not collecting contributions now (phase: %(phase)s).",
                phase=PHASE_LABELS[phase],
            ),
            409,
        )
    if kind != expected:
        raise ServiceError(
            "wrong_kind",
            _l(
                "The %(phase)s phase collects %(kind)s contributions.",
                phase=PHASE_LABELS[phase],
                kind=KIND_LABELS[expected],
            ),
            409,
        )


def contribute(participant: Participant, data: Any) -> tuple[Contribution, list[RoomEvent]]:
    """Store a contribution once per client_id, then announce it.

    A client_id seen before returns the stored contribution and no event, so a
    phone may retry as often as its connection needs.
    """
    data = v.require_object(data, CONTRIBUTE_FIELDS, required=("client_id", "kind", "text"))
    client_id = _client_id(data)
    existing = _find_by_client_id(participant.id, client_id)
    if existing is not None:
        return existing, []
    kind = Kind(v.choice_field(data, "kind", [k.value for k in Kind]))
    for field in sorted(CONTRIBUTE_FIELDS - set(COMMON_FIELDS) - KIND_FIELDS[kind]):
        if data.get(field) not in (None, ""):
            raise ServiceError(
                "field_not_allowed",
                _l("%(field)s does not apply to a %(kind)s.", field=field, kind=KIND_LABELS[kind]),
            )
    item = Contribution(
        workshop_id=participant.workshop_id,
        participant_id=participant.id,
        client_id=client_id,
        kind=kind.value,
        text=v.text_field(data, "text", max_length=v.MAX_TEXT, required=True),
        title=v.text_field(data, "title", max_length=v.MAX_TITLE),
        owner=v.text_field(data, "owner", max_length=v.MAX_TITLE),
        due=v.date_field(data, "due"),
        consent=v.choice_field(
            data, "consent", [c.value for c in Consent], default=Consent.ANONYMOUS
        ),
    )
    theme_id = v.id_field(data, "theme_id", required=False)
    proposition_id = v.id_field(data, "proposition_id", required=False)

    state = lock_and_advance(participant.workshop_id)
    _check_phase(state.phase, kind)
    item.theme_id = _theme_in(participant.workshop_id, theme_id)
    if proposition_id is not None:
        proposition = visible_contribution(participant.workshop_id, proposition_id)
        if proposition.kind != Kind.PROPOSITION:
            raise ServiceError(
                "not_a_proposition", _l("A commitment can only link to a proposition.")
            )
        item.proposition_id = proposition.id
    item.language = participant.language or _workshop_language(participant.workshop_id)
    db.session.add(item)
    try:
        db.session.commit()
    except IntegrityError:
        # The same client_id arrived twice at once; the other one won.
        db.session.rollback()
        winner = _find_by_client_id(participant.id, client_id)
        if winner is None:
            raise
        return winner, []
    return item, [_contribution_event(item, state.seq)]


def _workshop_language(workshop_id: int) -> str:
    return db.session.scalar(select(Workshop.language).where(Workshop.id == workshop_id)) or "en"


def _contribution_event(item: Contribution, seq: int) -> RoomEvent:
    audience = Audience.FACILITATORS if item.hidden else Audience.EVERYONE
    return RoomEvent(
        item.workshop_id, "contribution", {**contribution_payload(item), "seq": seq}, audience
    )


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
                phase=PHASE_LABELS[PHASE_OF_KIND[Kind(item.kind)]],
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


def vote(participant: Participant, data: Any) -> tuple[dict[str, int], list[RoomEvent]]:
    """Put one of the participant's dots on a dream or proposition."""
    data = v.require_object(data, ("contribution_id",), required=("contribution_id",))
    state = lock_and_advance(participant.workshop_id)
    item = _votable(participant, data, state.phase)
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
    result = {"votes": count, "votes_left": state.votes_per_participant - used - 1}
    return result, [
        RoomEvent(
            item.workshop_id,
            "tally",
            {"contribution_id": item.id, "votes": count, "seq": state.seq},
        )
    ]


def unvote(participant: Participant, data: Any) -> tuple[dict[str, int], list[RoomEvent]]:
    """Withdraw the participant's vote from a dream or proposition."""
    data = v.require_object(data, ("contribution_id",), required=("contribution_id",))
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
    result = {"votes": count, "votes_left": left}
    return result, [
        RoomEvent(
            item.workshop_id,
            "tally",
            {"contribution_id": item.id, "votes": count, "seq": state.seq},
        )
    ]


def set_hidden(workshop_id: int, data: Any, hidden: bool) -> list[RoomEvent]:
    """Hide a contribution from participants and exports, or show it again."""
    data = v.require_object(data, ("contribution_id",), required=("contribution_id",))
    item = contribution_in(workshop_id, v.id_field(data, "contribution_id"))
    if item.hidden == hidden:
        return []
    state = lock_and_advance(workshop_id)
    item.hidden = hidden
    db.session.commit()
    if hidden:
        return [RoomEvent(workshop_id, "contribution_hidden", {"id": item.id, "seq": state.seq})]
    return [_contribution_event(item, state.seq)]


def assign_theme(workshop_id: int, data: Any) -> list[RoomEvent]:
    """Group a story (or ground a proposition) in a theme; a null theme ungroups it."""
    data = v.require_object(data, ("theme_id", "contribution_id"), required=("contribution_id",))
    item = contribution_in(workshop_id, v.id_field(data, "contribution_id"))
    if item.kind not in (Kind.STORY, Kind.PROPOSITION):
        raise ServiceError("not_groupable", _l("Only stories and propositions belong to themes."))
    theme_id = _theme_in(workshop_id, v.id_field(data, "theme_id", required=False))
    state = lock_and_advance(workshop_id)
    item.theme_id = theme_id
    db.session.commit()
    return [_contribution_event(item, state.seq)]
