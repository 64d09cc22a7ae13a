"""Withdrawal, rectification and erasure: real deletions, and anonymisation that keeps what people published.

- ``change_consent`` and ``withdraw``: a participant's own contribution;
- ``correct_identity``: a participant corrects their name, organisation or region;
- ``leave``: a participant erases their name, organisation and region;
- ``erase_participant``: the facilitator deletes a participant with
  everything they gave and every vote they cast;
- ``delete_workshop``: the facilitator deletes a workshop and everything in it;
- ``delete_programme``: a coordinator deletes a programme and everything that
  is only the programme's (its synthesis, links, invitations, members,
  regions); its workshops stay with their owners, outside any programme.

Deletions are ``DELETE`` statements, not flags: nothing erased stays in the
database (the tables' own ``ON DELETE`` rules are not relied on, since
SQLite enforces them only when told to). Each change runs in one transaction
under the workshop's lock, so vote tallies, commitments that delivered a
deleted proposition and interview pairs follow in the same step, and the
events returned tell every screen. Every erasure and consent change is
logged as a privacy event, without the content.

After each commit ``personal_data_erased`` is sent with the workshop's id
(``programme_erased`` with a programme's): whatever keeps copies of their
content outside the database (rendered export files) connects to it and
deletes them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from blinker import Namespace
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..models import (
    Consent,
    Contribution,
    Facilitator,
    InterviewPair,
    Invitation,
    Kind,
    Participant,
    PrivacyEvent,
    Programme,
    ProgrammeMember,
    ProgrammeRegion,
    ProgrammeShare,
    ProgrammeTheme,
    Recommendation,
    RecommendationEvidence,
    RecommendationTheme,
    ShareLink,
    Theme,
    Vote,
    Workshop,
    utcnow,
)
from . import access, pairing, ratelimit
from . import validation as v
from .access import Action
from .errors import ServiceError
from .events import Audience, ProgrammeEvent, RoomEvent, lock_and_advance
from .privacy import Actor, EventKind, log_event
from .snapshot import contribution_events, pair_of, room_view

_signals = Namespace()
#: Sent after a workshop's personal data changed or went: ``sender`` is the
#: app, ``workshop_id`` the workshop, ``deleted`` whether the whole workshop went.
personal_data_erased = _signals.signal("personal-data-erased")
#: Sent after a programme was deleted: ``programme_id`` the programme.
programme_erased = _signals.signal("programme-erased")


def notify_erased(workshop_id: int, *, deleted: bool = False) -> None:
    """Tell whatever keeps copies of the workshop's content (export files) to drop them."""
    personal_data_erased.send(
        current_app._get_current_object(), workshop_id=workshop_id, deleted=deleted
    )


def _bulk(statement: Any) -> Any:
    """Run an UPDATE or DELETE without the ORM's session synchronisation."""
    return db.session.execute(statement.execution_options(synchronize_session=False))


@dataclasses.dataclass
class Changes:
    """What one erasure did to a workshop's contributions, for the room's events."""

    deleted: list[int] = dataclasses.field(default_factory=list)
    #: Contributions still there whose payload changed (consent, owner, links).
    changed: set[int] = dataclasses.field(default_factory=set)
    #: Contributions whose vote count went down.
    tallied: set[int] = dataclasses.field(default_factory=set)
    pairs: list[InterviewPair] = dataclasses.field(default_factory=list)
    unpaired: set[int] = dataclasses.field(default_factory=set)

    def events(self, workshop: Workshop, seq: int) -> list[RoomEvent]:
        """``contribution_hidden`` (``deleted``) for what went, ``contribution`` and ``tally`` for the rest."""
        events = [
            RoomEvent(workshop.id, "contribution_hidden", {"id": cid, "deleted": True, "seq": seq})
            for cid in self.deleted
        ]
        gone = set(self.deleted)
        for cid in sorted(self.changed - gone):
            item = db.session.get(Contribution, cid)
            if item is not None:
                events.extend(contribution_events(item, workshop, seq))
        secret_kind = room_view(workshop).secret_votes_kind
        for cid in sorted(self.tallied - gone - self.changed):
            item = db.session.get(Contribution, cid)
            if item is None:
                continue
            secret = item.hidden or item.kind == secret_kind
            payload = {"contribution_id": cid, "votes": item.vote_count, "seq": seq}
            audience = Audience.FACILITATORS if secret else Audience.EVERYONE
            events.append(RoomEvent(workshop.id, "tally", payload, audience))
        events.extend(pairing.member_events(workshop, self.pairs, self.unpaired, seq))
        return events


def delete_contributions(ids: Sequence[int], changes: Changes) -> None:
    """Delete contributions with their votes; commitments that delivered them lose the link."""
    if not ids:
        return
    ids = list(ids)
    changes.changed.update(
        db.session.scalars(
            select(Contribution.id).where(
                Contribution.proposition_id.in_(ids), Contribution.id.not_in(ids)
            )
        )
    )
    _bulk(
        update(Contribution).where(Contribution.proposition_id.in_(ids)).values(proposition_id=None)
    )
    _bulk(delete(Vote).where(Vote.contribution_id.in_(ids)))
    _bulk(delete(Contribution).where(Contribution.id.in_(ids)))
    changes.deleted.extend(ids)


def anonymise_participants(
    workshop: Workshop, participant_ids: Iterable[int], changes: Changes
) -> int:
    """Erase the names, organisations, regions and tokens of ``participant_ids``.

    Their ``private`` contributions are deleted (they were never to leave the
    session); their ``named`` ones become anonymous; the "who" of their
    commitments is cleared. Returns how many named contributions became anonymous.
    """
    pids = list(participant_ids)
    if not pids:
        return 0
    mine = Contribution.participant_id.in_(pids)
    private = db.session.scalars(
        select(Contribution.id).where(mine, Contribution.consent == Consent.PRIVATE.value)
    ).all()
    delete_contributions(private, changes)
    named = db.session.scalars(
        select(Contribution.id).where(mine, Contribution.consent == Consent.NAMED.value)
    ).all()
    _bulk(update(Contribution).where(Contribution.id.in_(named)).values(consent="anonymous"))
    owners = db.session.scalars(
        select(Contribution.id).where(
            mine, Contribution.kind == Kind.COMMITMENT.value, Contribution.owner != ""
        )
    ).all()
    _bulk(update(Contribution).where(Contribution.id.in_(owners)).values(owner=""))
    changes.changed.update(named)
    changes.changed.update(owners)
    _bulk(
        update(Participant)
        .where(Participant.id.in_(pids))
        .values(
            name="",
            organisation="",
            region="",
            language=None,
            token_hash=None,
            anonymised_at=utcnow(),
        )
    )
    pairs, unpaired = pairing.remove_members(workshop, pids)
    changes.pairs.extend(pairs)
    changes.unpaired.update(unpaired)
    # Objects the session holds may be stale until the caller commits (which
    # expires them all); nothing here reads them before that.
    return len(named)


# ----- a participant's own contributions -----


def _own(participant: Participant, workshop: Workshop, contribution_id: int) -> Contribution:
    identity = access.Identity.of_participant(participant)
    return access.contribution_for(identity, Action.CONTRIBUTION_OWN, workshop, contribution_id)


def change_consent(participant: Participant, data: Any) -> list[RoomEvent]:
    """Change how one of the participant's contributions may be used.

    The room receives ``contribution`` (facilitators only while it is
    hidden); a choice that changes nothing sends nothing.
    """
    data = v.require_object(data, ("contribution_id", "consent"), required=("contribution_id",))
    contribution_id = v.id_field(data, "contribution_id")
    consent = v.choice_field(data, "consent", [c.value for c in Consent])
    ratelimit.hit("privacy", f"participant:{participant.id}")
    workshop = db.session.get(Workshop, participant.workshop_id)
    state = lock_and_advance(workshop.id)
    item = _own(participant, workshop, contribution_id)
    if item.consent == consent:
        db.session.rollback()  # gives the seq back
        return []
    before = item.consent
    item.consent = consent
    log_event(
        workshop.id,
        EventKind.CONSENT_CHANGED,
        Actor.PARTICIPANT,
        participant.id,
        contribution_kind=item.kind,
        before=before,
        after=consent,
    )
    db.session.commit()
    notify_erased(workshop.id)
    return contribution_events(item, workshop, state.seq)


def withdraw(participant: Participant, data: Any) -> list[RoomEvent]:
    """Delete one of the participant's contributions, with its votes.

    The room receives ``contribution_hidden`` with ``deleted: true``; voters
    get their votes back, and commitments that delivered it lose the link.
    """
    data = v.require_object(data, ("contribution_id",), required=("contribution_id",))
    contribution_id = v.id_field(data, "contribution_id")
    ratelimit.hit("privacy", f"participant:{participant.id}")
    workshop = db.session.get(Workshop, participant.workshop_id)
    state = lock_and_advance(workshop.id)
    item = _own(participant, workshop, contribution_id)
    kind, consent = item.kind, item.consent
    db.session.expunge(item)
    changes = Changes()
    delete_contributions([contribution_id], changes)
    log_event(
        workshop.id,
        EventKind.CONTRIBUTION_WITHDRAWN,
        Actor.PARTICIPANT,
        participant.id,
        contribution_kind=kind,
        consent=consent,
    )
    db.session.commit()
    notify_erased(workshop.id)
    return changes.events(workshop, state.seq)


def leave(participant: Participant) -> list[RoomEvent]:
    """The participant leaves: name, organisation, region and token erased.

    Their publishable contributions stay, anonymous; their ``private`` ones
    are deleted; their votes stay as anonymous dots. Their phone receives
    ``removed`` (``reason: "left"``) before its sockets close.
    """
    workshop = db.session.get(Workshop, participant.workshop_id)
    pid = participant.id
    state = lock_and_advance(workshop.id)
    changes = Changes()
    named = anonymise_participants(workshop, [pid], changes)
    log_event(
        workshop.id,
        EventKind.PARTICIPANT_LEFT,
        Actor.PARTICIPANT,
        pid,
        named_made_anonymous=named,
        private_deleted=len(changes.deleted),
    )
    db.session.commit()
    notify_erased(workshop.id)
    gone = RoomEvent(
        workshop.id, "removed", {"reason": "left", "seq": state.seq}, Audience.PARTICIPANT, pid
    )
    return [gone, *changes.events(workshop, state.seq)]


IDENTITY_FIELDS = ("name", "organisation", "region")


def correct_identity(participant: Participant, data: Any) -> list[RoomEvent]:
    """Rectify the participant's name, organisation or region.

    Their signed contributions and their interview card follow on every
    screen; a correction that changes nothing sends nothing.
    """
    data = v.require_object(data, IDENTITY_FIELDS)
    wanted: dict[str, str] = {}
    if "name" in data:
        wanted["name"] = v.text_field(data, "name", max_length=v.MAX_NAME, required=True)
    for field in ("organisation", "region"):
        if field in data:
            wanted[field] = v.text_field(data, field, max_length=v.MAX_SHORT)
    fields = sorted(f for f, value in wanted.items() if getattr(participant, f) != value)
    if not fields:
        return []
    ratelimit.hit("privacy", f"participant:{participant.id}")
    workshop = db.session.get(Workshop, participant.workshop_id)
    state = lock_and_advance(workshop.id)
    for field in fields:
        setattr(participant, field, wanted[field])
    log_event(
        workshop.id, EventKind.IDENTITY_CORRECTED, Actor.PARTICIPANT, participant.id, fields=fields
    )
    db.session.commit()
    notify_erased(workshop.id)
    changes = Changes()
    changes.changed.update(
        db.session.scalars(
            select(Contribution.id).where(
                Contribution.participant_id == participant.id,
                Contribution.consent == Consent.NAMED.value,
            )
        )
    )
    pair = pair_of(workshop, participant.id)
    if pair is not None:
        changes.pairs.append(pair)
    return changes.events(workshop, state.seq)


# ----- the facilitator's erasures -----


def erase_participant(
    workshop: Workshop, participant_id: Any, facilitator: Facilitator
) -> list[RoomEvent]:
    """Delete a participant with every contribution that is theirs and every vote they cast.

    Stories they recorded for a partner stay the partner's. Tallies of what
    they voted for go down; the participant's phone receives ``removed``
    (``reason: "erased"``); the caller closes its sockets.
    """
    pid = v.id_field({"participant_id": participant_id}, "participant_id")
    state = lock_and_advance(workshop.id)
    participant = db.session.get(Participant, pid)
    if participant is None or participant.workshop_id != workshop.id:
        raise _unknown_participant()
    db.session.expunge(participant)
    changes = Changes()
    items = db.session.scalars(
        select(Contribution.id).where(Contribution.participant_id == pid)
    ).all()
    delete_contributions(items, changes)
    voted = db.session.scalars(select(Vote.contribution_id).where(Vote.participant_id == pid)).all()
    _bulk(delete(Vote).where(Vote.participant_id == pid))
    _bulk(
        update(Contribution)
        .where(Contribution.id.in_(voted))
        .values(vote_count=Contribution.vote_count - 1)
    )
    changes.tallied.update(voted)
    recorded = db.session.scalars(
        select(Contribution.id).where(Contribution.recorded_by_id == pid)
    ).all()
    _bulk(update(Contribution).where(Contribution.id.in_(recorded)).values(recorded_by_id=None))
    changes.changed.update(recorded)
    pairs, unpaired = pairing.remove_members(workshop, [pid])
    changes.pairs.extend(pairs)
    changes.unpaired.update(unpaired)
    _bulk(delete(Participant).where(Participant.id == pid))
    log_event(
        workshop.id,
        EventKind.PARTICIPANT_ERASED,
        Actor.FACILITATOR,
        facilitator.id,
        contributions=len(items),
        votes=len(voted),
    )
    db.session.commit()
    db.session.expire_all()
    notify_erased(workshop.id)
    gone = RoomEvent(
        workshop.id, "removed", {"reason": "erased", "seq": state.seq}, Audience.PARTICIPANT, pid
    )
    return [gone, *changes.events(workshop, state.seq)]


def _unknown_participant() -> ServiceError:
    return ServiceError("unknown_participant", _l("No such participant in this workshop."), 404)


@dataclasses.dataclass(frozen=True)
class DeletedWorkshop:
    """What a workshop's deletion removed (counts only), and the event that closes its room."""

    workshop_id: int
    counts: dict[str, int]
    #: Its participants' ids, whose sockets (on any worker) are to be closed.
    participant_ids: list[int]
    events: list[RoomEvent]


def delete_workshop(workshop: Workshop, facilitator: Facilitator) -> DeletedWorkshop:
    """Delete the workshop and everything in it, share links and privacy record included.

    The row is locked first with ``FOR UPDATE`` (PostgreSQL), so contributions
    being inserted meanwhile either finish before or fail after, never leave
    a row behind. The room receives ``workshop_deleted``; the caller closes
    its sockets. Only counts are returned (for the operator's log).
    """
    wid = workshop.id
    db.session.execute(select(Workshop.id).where(Workshop.id == wid).with_for_update())
    people = select(Participant.id).where(Participant.workshop_id == wid)
    items = select(Contribution.id).where(Contribution.workshop_id == wid)
    participant_ids = list(db.session.scalars(people))
    counts = {
        "participants": len(participant_ids),
        "contributions": db.session.scalar(select(func.count()).select_from(items.subquery())),
    }
    counts["votes"] = _bulk(
        delete(Vote).where(Vote.participant_id.in_(people) | Vote.contribution_id.in_(items))
    ).rowcount
    _bulk(
        update(Contribution)
        .where(Contribution.workshop_id == wid)
        .values(proposition_id=None, theme_id=None, recorded_by_id=None)
    )
    _bulk(delete(RecommendationEvidence).where(RecommendationEvidence.contribution_id.in_(items)))
    for model in (Contribution, Theme, InterviewPair, ShareLink, PrivacyEvent, Participant):
        _bulk(delete(model).where(model.workshop_id == wid))
    db.session.expunge(workshop)
    _bulk(delete(Workshop).where(Workshop.id == wid))
    db.session.commit()
    # A warning, so that the operator's log keeps it whatever the level: the
    # workshop's own record of processing went with it.
    current_app.logger.warning(
        "Workshop %s deleted by facilitator %s: %s participants, %s contributions, %s votes",
        wid,
        facilitator.id,
        counts["participants"],
        counts["contributions"],
        counts["votes"],
    )
    notify_erased(wid, deleted=True)
    closing = RoomEvent(wid, "workshop_deleted", {"id": wid})
    return DeletedWorkshop(wid, counts, participant_ids, [closing])


@dataclasses.dataclass(frozen=True)
class DeletedProgramme:
    """What a programme's deletion removed (counts only), and the event that closes its room."""

    programme_id: int
    counts: dict[str, int]
    #: The workshops that left it, now outside any programme.
    detached: list[int]
    #: The caller's own workshops deleted with it.
    deleted: list[DeletedWorkshop]
    events: list[ProgrammeEvent]


def delete_programme(
    programme: Programme, facilitator: Facilitator, *, with_own_workshops: bool = False
) -> DeletedProgramme:
    """Delete the programme and everything that is only the programme's.

    Its synthesis (common themes, the mapping, recommendations and their
    evidence), its partner portal links, invitations, members and regions
    go. Its workshops stay with their owners, outside any programme, and
    each one's record of processing says so; with ``with_own_workshops``,
    the caller's own workshops in it are deleted too, everything in them.
    The programme's row is locked first: a workshop being placed in it
    meanwhile lands before and is detached, or is refused after
    (``programmes.hold_for_placement``). The room receives
    ``programme_deleted``; the caller closes its sockets.
    """
    pid = programme.id
    own: list[DeletedWorkshop] = []
    if with_own_workshops:
        for workshop in db.session.scalars(
            select(Workshop)
            .where(Workshop.programme_id == pid, Workshop.owner_id == facilitator.id)
            .order_by(Workshop.id)
        ).all():
            own.append(delete_workshop(workshop, facilitator))
    db.session.execute(select(Programme.id).where(Programme.id == pid).with_for_update())
    workshop_ids = list(db.session.scalars(select(Workshop.id).where(Workshop.programme_id == pid)))
    recommendations = select(Recommendation.id).where(Recommendation.programme_id == pid)
    themes = select(ProgrammeTheme.id).where(ProgrammeTheme.programme_id == pid)
    counts = {
        "workshops": len(workshop_ids),
        "recommendations": db.session.scalar(
            select(func.count()).select_from(recommendations.subquery())
        ),
        "portals": db.session.scalar(
            select(func.count(ProgrammeShare.id)).where(ProgrammeShare.programme_id == pid)
        ),
    }
    _bulk(
        delete(RecommendationEvidence).where(
            RecommendationEvidence.recommendation_id.in_(recommendations)
        )
    )
    _bulk(
        delete(RecommendationTheme).where(
            RecommendationTheme.recommendation_id.in_(recommendations)
        )
    )
    _bulk(update(Theme).where(Theme.programme_theme_id.in_(themes)).values(programme_theme_id=None))
    _bulk(
        update(Workshop)
        .where(Workshop.programme_id == pid)
        .values(programme_id=None, region_id=None)
    )
    for model in (
        Recommendation,
        ProgrammeTheme,
        ProgrammeShare,
        Invitation,
        ProgrammeMember,
        ProgrammeRegion,
    ):
        _bulk(delete(model).where(model.programme_id == pid))
    for workshop_id in workshop_ids:
        log_event(
            workshop_id,
            EventKind.PROGRAMME_DELETED,
            Actor.FACILITATOR,
            facilitator.id,
            recommendations=counts["recommendations"],
            portals=counts["portals"],
        )
    db.session.expunge(programme)
    _bulk(delete(Programme).where(Programme.id == pid))
    db.session.commit()
    current_app.logger.warning(
        "Programme %s deleted by facilitator %s: %s workshops left it, %s deleted with it, "
        "%s recommendations, %s portal links",
        pid,
        facilitator.id,
        counts["workshops"],
        len(own),
        counts["recommendations"],
        counts["portals"],
    )
    programme_erased.send(current_app._get_current_object(), programme_id=pid)
    for workshop_id in workshop_ids:
        # Their files named the programme and its region.
        notify_erased(workshop_id)
    closing = ProgrammeEvent(pid, "programme_deleted", {"id": pid})
    return DeletedProgramme(pid, counts, workshop_ids, own, [closing])
