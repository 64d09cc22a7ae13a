"""Contributing stories, dreams, propositions and commitments; moderating them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from .. import languages
from ..extensions import db
from ..models import (
    PHASE_KIND,
    Consent,
    Contribution,
    Kind,
    Participant,
    Phase,
    Theme,
    Workshop,
    as_utc,
    utcnow,
)
from . import detection, ratelimit
from . import validation as v
from .errors import ServiceError
from .events import Audience, RoomEvent, lock_and_advance
from .method import KIND_LABELS, KIND_PLURALS, PHASE_LABELS, PHASES, kind_for_phase
from .snapshot import contribution_events, contribution_payload, pair_of, room_view

COMMON_FIELDS = ("client_id", "kind", "text", "consent", "told_by", "written_at")
#: The phase that collects each kind.
PHASE_OF_KIND = {kind: phase for phase, kind in PHASE_KIND.items()}
#: Optional fields each kind accepts on top of the common ones.
KIND_FIELDS: dict[Kind, frozenset[str]] = {
    Kind.STORY: frozenset({"title", "factors"}),
    Kind.DREAM: frozenset(),
    Kind.PROPOSITION: frozenset({"theme_id"}),
    Kind.COMMITMENT: frozenset({"owner", "owner_organisation", "due", "proposition_id"}),
}
CONTRIBUTE_FIELDS = frozenset(COMMON_FIELDS).union(*KIND_FIELDS.values())
MAX_CLIENT_ID = 64


def _client_id(data: dict[str, Any]) -> str:
    value = data.get("client_id")
    if not isinstance(value, str) or not 0 < len(value.strip()) <= MAX_CLIENT_ID:
        raise ServiceError(
            "invalid_client_id", _l("client_id must be a unique id made by the client (a UUID).")
        )
    return value.strip()


def _find_sent(sender: Participant, client_id: str) -> Contribution | None:
    """What ``sender``'s phone already sent with ``client_id``: its own item, or one it recorded.

    Only the sender's own submissions are looked at: replaying someone
    else's ``client_id`` (with any ``told_by``) finds nothing, so the answer
    never says who wrote what.
    """
    return db.session.scalar(
        select(Contribution).where(
            Contribution.workshop_id == sender.workshop_id,
            Contribution.client_id == client_id,
            or_(
                Contribution.recorded_by_id == sender.id,
                (Contribution.participant_id == sender.id) & Contribution.recorded_by_id.is_(None),
            ),
        )
    )


def theme_in(workshop_id: int, theme_id: int | None) -> Theme | None:
    """The theme of this workshop with ``theme_id`` (None stays None)."""
    if theme_id is None:
        return None
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.workshop_id != workshop_id:
        raise ServiceError("unknown_theme", _l("No such theme in this workshop."), 404)
    return theme


def contribution_in(workshop_id: int, contribution_id: int | None) -> Contribution:
    """A contribution of this workshop, hidden or not."""
    item = db.session.get(Contribution, contribution_id) if contribution_id else None
    if item is None or item.workshop_id != workshop_id:
        raise ServiceError(
            "unknown_contribution", _l("No such contribution in this workshop."), 404
        )
    return item


def visible_contribution(workshop_id: int, contribution_id: int | None) -> Contribution:
    """A contribution of this workshop that the room can see (not hidden, not waiting)."""
    item = contribution_in(workshop_id, contribution_id)
    if item.hidden or not item.approved:
        raise ServiceError(
            "unknown_contribution", _l("No such contribution in this workshop."), 404
        )
    return item


def _order(phase: str) -> int:
    return [p.value for p in PHASES].index(phase)


def _check_open(workshop: Workshop, kind: Kind) -> bool:
    """Refuse what cannot be stored; True when ``kind`` arrives after its phase (late).

    A kind whose phase the workshop has reached is stored at any time until
    the close, so that what a phone wrote offline is never stranded.
    """
    phase = workshop.phase
    if phase == Phase.CLOSED:
        raise ServiceError(
            "workshop_closed",
            _l("The workshop is closed: nothing more can be added."),
            409,
        )
    expected = kind_for_phase(phase)
    own_phase = PHASE_OF_KIND[kind]
    if _order(own_phase) <= _order(workshop.furthest_phase or Phase.LOBBY.value):
        return kind != expected
    if expected is None:
        raise ServiceError(
            "not_collecting",
            _l(
                "The workshop is not collecting contributions now (phase: %(phase)s).",
                phase=PHASE_LABELS[phase],
            ),
            409,
        )
    raise ServiceError(
        "wrong_kind",
        _l(
            "The %(phase)s phase collects %(kinds)s.",
            phase=PHASE_LABELS[phase],
            kinds=KIND_PLURALS[expected],
        ),
        409,
    )


#: How far ahead of the server's clock a phone's clock may be.
CLOCK_SKEW = dt.timedelta(minutes=10)


def _written_at(data: dict[str, Any], workshop: Workshop) -> dt.datetime | None:
    """When the phone says the text was written, kept within the workshop's lifetime."""
    value = data.get("written_at")
    if value in (None, ""):
        return None
    moment = None
    if isinstance(value, str) and len(value) <= 40:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            moment = None
    if moment is None:
        raise ServiceError("invalid_field", _l("written_at must be a date and time (ISO 8601)."))
    moment = as_utc(moment)
    now = utcnow()
    if moment > now + CLOCK_SKEW:
        raise ServiceError("invalid_field", _l("written_at is in the future."))
    # A phone whose clock is wrong says nothing useful: keep it within what is possible.
    return max(min(moment, now), as_utc(workshop.created_at))


def _storyteller(interviewer: Participant, workshop: Workshop, told_by: int | None) -> int:
    """Who a captured story belongs to: the interviewer's partner, checked."""
    if told_by is None or told_by == interviewer.id:
        return interviewer.id
    pair = pair_of(workshop, interviewer.id)
    stage = workshop.pairing_stage or 0
    if pair is None or pair.member_ids[stage % len(pair.member_ids)] != interviewer.id:
        raise ServiceError(
            "not_interviewing", _l("You can record a partner's story only as the interviewer."), 409
        )
    if told_by != pair.member_ids[(stage + 1) % len(pair.member_ids)]:
        raise ServiceError("not_your_partner", _l("This person is not your interview partner."))
    return told_by


def contribute(participant: Participant, data: Any) -> tuple[Contribution, list[RoomEvent]]:
    """Store a contribution once per client_id, then announce it.

    A client_id seen before returns the stored contribution and no event, so a
    phone may retry as often as its connection needs. In paired interviews the
    interviewer sends ``told_by`` (the partner's id): the story is the
    partner's, with the partner's consent choice.
    """
    data = v.require_object(data, CONTRIBUTE_FIELDS, required=("client_id", "kind", "text"))
    client_id = _client_id(data)
    told_by = v.id_field(data, "told_by", required=False)
    existing = _find_sent(participant, client_id)
    if existing is not None:
        return existing, []
    # Retries above are free; only new contributions count against the phone.
    ratelimit.hit("contribute", f"participant:{participant.id}")
    kind = Kind(v.choice_field(data, "kind", [k.value for k in Kind]))
    for field in sorted(CONTRIBUTE_FIELDS - set(COMMON_FIELDS) - KIND_FIELDS[kind]):
        if data.get(field) not in (None, ""):
            raise ServiceError(
                "field_not_allowed",
                _l("%(field)s does not apply to a %(kind)s.", field=field, kind=KIND_LABELS[kind]),
            )
    if told_by is not None and kind != Kind.STORY:
        raise ServiceError("field_not_allowed", _l("Only stories are told by a partner."))
    item = Contribution(
        workshop_id=participant.workshop_id,
        client_id=client_id,
        kind=kind.value,
        text=v.text_field(data, "text", max_length=v.MAX_TEXT, required=True),
        title=v.text_field(data, "title", max_length=v.MAX_TITLE),
        factors=v.text_field(data, "factors", max_length=v.MAX_FACTORS),
        owner=v.text_field(data, "owner", max_length=v.MAX_TITLE),
        owner_organisation=v.text_field(data, "owner_organisation", max_length=v.MAX_TITLE),
        due=v.date_field(data, "due"),
        consent=v.choice_field(
            data, "consent", [c.value for c in Consent], default=Consent.ANONYMOUS
        ),
    )
    theme_id = v.id_field(data, "theme_id", required=False)
    proposition_id = v.id_field(data, "proposition_id", required=False)

    workshop = db.session.get(Workshop, participant.workshop_id)
    item.late = _check_open(workshop, kind)
    item.approved = not workshop.premoderation
    item.written_at = _written_at(data, workshop)
    item.participant_id = _storyteller(participant, workshop, told_by)
    if item.participant_id != participant.id:
        item.recorded_by_id = participant.id
    theme = theme_in(participant.workshop_id, theme_id)
    item.theme_id = theme.id if theme else None
    if proposition_id is not None:
        proposition = visible_contribution(participant.workshop_id, proposition_id)
        if proposition.kind != Kind.PROPOSITION:
            raise ServiceError(
                "not_a_proposition", _l("A commitment can only link to a proposition.")
            )
        item.proposition_id = proposition.id
    item.language = detection.detect(item.text, participant.language or workshop.language)
    db.session.add(item)
    try:
        # Inserted before the workshop's lock is taken, so that the lock is
        # held for one round trip (UPDATE, then COMMIT); the insert does not
        # conflict with the lock (PostgreSQL's FOR KEY SHARE).
        db.session.flush()
    except IntegrityError:
        # The same client_id arrived twice at once; the other one won.
        db.session.rollback()
        winner = _find_sent(participant, client_id)
        if winner is None:
            # The storyteller used this key for an item of their own: say
            # nothing about it, as if it were any malformed key.
            raise ServiceError(
                "invalid_client_id",
                _l("client_id must be a unique id made by the client (a UUID)."),
            ) from None
        return winner, []
    state = lock_and_advance(participant.workshop_id)
    # Again under the lock (it refreshed the workshop): the phase or the
    # settings may have changed meanwhile (an UPDATE only if they did).
    item.late = _check_open(workshop, kind)
    item.approved = not workshop.premoderation
    db.session.commit()
    # The room's events carry no client_id: the sending phone learns the id
    # from the ack (and its own client_ids from its snapshot).
    events = contribution_events(item, workshop, state.seq)
    if item.recorded_by_id is not None and item.approved:
        # The storyteller's phone learns the story recorded for them is theirs.
        own = {**contribution_payload(item, room_view(workshop)), "mine": True, "seq": state.seq}
        events.append(
            RoomEvent(
                item.workshop_id, "contribution", own, Audience.PARTICIPANT, item.participant_id
            )
        )
    return item, events


def set_hidden(workshop: Workshop, data: Any, hidden: bool) -> list[RoomEvent]:
    """Hide a contribution from the room and exports, or show it again."""
    data = v.require_object(data, ("contribution_id",), required=("contribution_id",))
    item = contribution_in(workshop.id, v.id_field(data, "contribution_id"))
    if item.hidden == hidden:
        return []
    state = lock_and_advance(workshop.id)
    item.hidden = hidden
    db.session.commit()
    if hidden:
        return [RoomEvent(workshop.id, "contribution_hidden", {"id": item.id, "seq": state.seq})]
    return contribution_events(item, workshop, state.seq)


def edit(workshop: Workshop, data: Any) -> list[RoomEvent]:
    """Correct a contribution's text or title (a typo); its author sees the change."""
    data = v.require_object(
        data, ("contribution_id", "text", "title"), required=("contribution_id",)
    )
    item = contribution_in(workshop.id, v.id_field(data, "contribution_id"))
    text = (
        v.text_field(data, "text", max_length=v.MAX_TEXT, required=True) if "text" in data else None
    )
    title = v.text_field(data, "title", max_length=v.MAX_TITLE) if "title" in data else None
    state = lock_and_advance(workshop.id)
    if text is not None:
        item.text = text
    if title is not None:
        item.title = title
    item.edited = True
    db.session.commit()
    return contribution_events(item, workshop, state.seq)


def assign_theme(workshop: Workshop, data: Any) -> list[RoomEvent]:
    """Group a story (or ground a proposition) in a theme; a null theme ungroups it."""
    data = v.require_object(data, ("theme_id", "contribution_id"), required=("contribution_id",))
    item = contribution_in(workshop.id, v.id_field(data, "contribution_id"))
    if item.kind not in (Kind.STORY, Kind.PROPOSITION):
        raise ServiceError("not_groupable", _l("Only stories and propositions belong to themes."))
    theme = theme_in(workshop.id, v.id_field(data, "theme_id", required=False))
    state = lock_and_advance(workshop.id)
    item.theme_id = theme.id if theme else None
    db.session.commit()
    return contribution_events(item, workshop, state.seq)


def set_language(workshop: Workshop, data: Any) -> list[RoomEvent]:
    """Correct the language a contribution is tagged with."""
    data = v.require_object(data, ("contribution_id", "language"), required=("contribution_id",))
    item = contribution_in(workshop.id, v.id_field(data, "contribution_id"))
    language = v.choice_field(data, "language", languages.CODES)
    if item.language == language:
        return []
    state = lock_and_advance(workshop.id)
    item.language = language
    db.session.commit()
    return contribution_events(item, workshop, state.seq)


def approve(workshop: Workshop, data: Any) -> list[RoomEvent]:
    """Let a contribution that waits for approval (pre-moderation) reach the room."""
    data = v.require_object(data, ("contribution_id",), required=("contribution_id",))
    item = contribution_in(workshop.id, v.id_field(data, "contribution_id"))
    if item.approved:
        return []
    state = lock_and_advance(workshop.id)
    item.approved = True
    db.session.commit()
    return contribution_events(item, workshop, state.seq)


#: How many waiting contributions one ``approve_all`` lets through.
MAX_APPROVE_ALL = 500


def approve_all(workshop: Workshop, data: Any) -> list[RoomEvent]:
    """Let every contribution that waits for approval reach the room."""
    v.require_object(data if data is not None else {}, ())
    waiting = list(
        db.session.scalars(
            select(Contribution)
            .where(Contribution.workshop_id == workshop.id, Contribution.approved.is_(False))
            .order_by(Contribution.id)
            .limit(MAX_APPROVE_ALL)
        )
    )
    if not waiting:
        return []
    state = lock_and_advance(workshop.id)
    for item in waiting:
        item.approved = True
    db.session.commit()
    return [event for item in waiting for event in contribution_events(item, workshop, state.seq)]
