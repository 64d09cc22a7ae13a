"""Database models: facilitators, programmes, workshops, participants and their artefacts."""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> dt.datetime:
    """Timezone-aware current time (stored as UTC)."""
    return dt.datetime.now(dt.UTC)


def new_public_id() -> str:
    """A random name for a workshop in URLs (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` with its UTC zone (SQLite returns stored times without one)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class Phase(enum.StrEnum):
    """The 4-D cycle, framed by a lobby before it and a close after it."""

    LOBBY = "lobby"
    DISCOVER = "discover"
    DREAM = "dream"
    DESIGN = "design"
    DELIVER = "deliver"
    CLOSED = "closed"


class Kind(enum.StrEnum):
    """The artefact each phase collects."""

    STORY = "story"
    DREAM = "dream"
    PROPOSITION = "proposition"
    COMMITMENT = "commitment"


class Consent(enum.StrEnum):
    """How the author lets a contribution be used."""

    NAMED = "named"  # shown with the author's name
    ANONYMOUS = "anonymous"  # never shown with a name
    PRIVATE = "private"  # seen in the session, never exported


#: Which kind of contribution each phase collects.
PHASE_KIND: dict[Phase, Kind] = {
    Phase.DISCOVER: Kind.STORY,
    Phase.DREAM: Kind.DREAM,
    Phase.DESIGN: Kind.PROPOSITION,
    Phase.DELIVER: Kind.COMMITMENT,
}
#: Kinds participants dot-vote on.
VOTABLE_KINDS = frozenset({Kind.DREAM, Kind.PROPOSITION})


class ProgrammeRole(enum.StrEnum):
    """A member's role in a programme."""

    #: Manages the programme and reads every workshop in it.
    COORDINATOR = "coordinator"
    #: Runs their own workshops in the programme.
    FACILITATOR = "facilitator"


class Facilitator(UserMixin, db.Model):
    """A person who runs workshops; logs in with email and password."""

    __tablename__ = "facilitators"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Part of every login session's id: raising it (signing out) ends them all.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    workshops: Mapped[list[Workshop]] = relationship(back_populates="owner")

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: the account and its session version."""
        return f"{self.id}:{self.session_version}"


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 digest is stored.

    ``hint`` is the token's first characters, to recognise it in a list; it
    expires at ``expires_at`` and is revoked by deleting it.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("facilitators.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80), default="", server_default="")
    hint: Mapped[str] = mapped_column(String(16), default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    facilitator: Mapped[Facilitator] = relationship()


class Programme(db.Model):
    """A network's common work: many regional workshops, many facilitators, one synthesis."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: The working language of the synthesis.
    language: Mapped[str] = mapped_column(String(8), default="en")
    #: The synthesis' sequence number: raised with every change its board shows
    #: (programme themes, mapping, recommendations, and the contents of the
    #: programme's workshops), so a board orders what it is told.
    seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Who runs the programme's sessions, for the privacy notice of each of its
    #: workshops that names none itself (empty: the instance's default).
    privacy_controller: Mapped[str] = mapped_column(String(200), default="", server_default="")
    privacy_contact: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: The notice's purpose for the programme's workshops, in the programme's
    #: language (empty: the translated default).
    privacy_notice: Mapped[str] = mapped_column(Text, default="", server_default="")

    regions: Mapped[list[ProgrammeRegion]] = relationship(
        back_populates="programme", order_by="ProgrammeRegion.id", cascade="all, delete-orphan"
    )
    members: Mapped[list[ProgrammeMember]] = relationship(
        back_populates="programme", order_by="ProgrammeMember.id", cascade="all, delete-orphan"
    )


class ProgrammeRegion(db.Model):
    """A region of a programme, with the partner organisation that runs its focus group."""

    __tablename__ = "programme_regions"
    __table_args__ = (UniqueConstraint("programme_id", "name", name="uq_programme_region_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    #: ISO 3166-1 alpha-2 code, upper case, or "".
    country: Mapped[str] = mapped_column(String(2), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="regions")


class ProgrammeMember(db.Model):
    """A facilitator's membership of a programme, with their role."""

    __tablename__ = "programme_members"
    __table_args__ = (
        UniqueConstraint("programme_id", "facilitator_id", name="uq_programme_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("facilitators.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16), default=ProgrammeRole.FACILITATOR.value)
    joined_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="members")
    facilitator: Mapped[Facilitator] = relationship(lazy="joined")


class Invitation(db.Model):
    """A single-use, expiring link that makes its holder a member of a programme.

    Only the token's digest is stored; the link carries the token.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16), default=ProgrammeRole.FACILITATOR.value)
    #: Who it was meant for (prefills the sign-up form), or "".
    email: Mapped[str] = mapped_column(String(254), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilitators.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    used_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilitators.id", ondelete="SET NULL"), nullable=True
    )
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    programme: Mapped[Programme] = relationship()
    created_by: Mapped[Facilitator | None] = relationship(foreign_keys=[created_by_id])


class ProgrammeShare(db.Model):
    """A partner portal link to a programme (``/p/<token>``); only its digest is stored."""

    __tablename__ = "programme_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ProgrammeTheme(db.Model):
    """A common theme of a programme's synthesis, in the programme's language.

    Regional themes (a workshop's ``Theme``) are mapped onto it; each keeps
    its own name and language.
    """

    __tablename__ = "programme_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Recommendation(db.Model):
    """A numbered recommendation of the programme's transnational synthesis.

    It is linked to programme themes and to its evidence: contributions of
    the programme's workshops (shown only while they may be exported).
    """

    __tablename__ = "recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    #: Its number is its place among the programme's recommendations (1, 2, ...).
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class RecommendationTheme(db.Model):
    """A recommendation's link to a programme theme."""

    __tablename__ = "recommendation_themes"

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    programme_theme_id: Mapped[int] = mapped_column(
        ForeignKey("programme_themes.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RecommendationEvidence(db.Model):
    """A recommendation's link to a contribution that supports it (story, proposition, ...).

    Deleting the contribution (a participant's withdrawal) deletes the link.
    """

    __tablename__ = "recommendation_evidence"

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: The order the coordinator gave the evidence.
    position: Mapped[int] = mapped_column(Integer, default=0)


class Workshop(db.Model):
    """One live Appreciative Inquiry session."""

    __tablename__ = "workshops"
    __table_args__ = (UniqueConstraint("programme_id", "import_digest", name="uq_workshop_import"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"), index=True)
    #: The programme the workshop belongs to, and its region there (None: a
    #: workshop of its own, or a transnational session of the programme).
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="SET NULL"), nullable=True, index=True
    )
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_regions.id", ondelete="SET NULL"), nullable=True
    )
    #: Imported workshops: SHA-256 of the export's canonical content, so the
    #: same export is never imported twice (services/importer.py).
    import_digest: Mapped[str | None] = mapped_column(String(64), nullable=True)
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(Text, default="")
    #: Where and when the session takes place (title page of the draft).
    place: Mapped[str] = mapped_column(String(200), default="")
    held_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    #: Who runs it, as the title page of the draft names them.
    facilitator_name: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    code: Mapped[str] = mapped_column(String(6), unique=True)
    #: The workshop's name in participants' URLs (``/w/<public_id>``): random, so
    #: that no one finds a workshop, or its code, by counting.
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    phase: Mapped[str] = mapped_column(String(16), default=Phase.LOBBY.value)
    #: The furthest phase the workshop has reached: contributions of its
    #: phases and those before it are still stored when they arrive late.
    furthest_phase: Mapped[str] = mapped_column(String(16), default=Phase.LOBBY.value)
    votes_per_participant: Mapped[int] = mapped_column(Integer, default=3)
    #: Per-phase prompt entries: {"discover": [{"default": key} or
    #: {"text", "language", "translations"?}, ...], ...} (services/prompts.py).
    prompts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Event sequence number, raised with every change the room sees.
    seq: Mapped[int] = mapped_column(Integer, default=0)
    #: Show authors' names on phones and the projector (when they chose ``named``).
    show_names: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Hide vote counts from the room until the facilitator reveals them.
    hide_vote_counts: Mapped[bool] = mapped_column(Boolean, default=False)
    votes_revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: May participants vote for what they wrote themselves?
    self_votes: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Pre-moderation: contributions reach the room only once approved.
    premoderation: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Keep a running timer when the phase changes (else it stops).
    keep_timer: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Private facilitator notes per phase: {"discover": "...", ...}.
    notes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: Countdown: running while ``timer_ends_at`` is set, paused while
    #: ``timer_remaining`` is set, stopped when both are null.
    timer_duration: Mapped[int | None] = mapped_column(Integer, nullable=True)
    timer_ends_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    timer_remaining: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: Paired interviews: which turn is running (None when no pairing is on).
    pairing_stage: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: When the workshop last entered Closed (None while it is not closed):
    #: the retention period counts from here.
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: Days after closing until participants are anonymised and private items
    #: deleted (``flask privacy enforce``).
    retention_days: Mapped[int] = mapped_column(Integer, default=365, server_default="365")
    #: Who runs the session, for the privacy notice (empty: the instance's default).
    privacy_controller: Mapped[str] = mapped_column(String(200), default="", server_default="")
    privacy_contact: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: The notice's purpose, in the workshop's language (empty: the translated default).
    privacy_notice: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: When the retention period last anonymised the workshop's participants.
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    owner: Mapped[Facilitator] = relationship(back_populates="workshops")


class Participant(db.Model):
    """Someone who joined a workshop by code; no account, just a token."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    organisation: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    #: The language the participant chose, or else their browser's (at join).
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    #: None once the participant left or was anonymised: no token opens it again.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    joined_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: When joining stated that the participant had read the privacy notice.
    notice_read_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    #: Set when the facilitator removes the participant: their token stops working.
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: Set when the participant left, or the retention period ended: name,
    #: organisation, region and token are erased; the row keeps their
    #: anonymous contributions and votes together.
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )

    @property
    def active(self) -> bool:
        """Still in the workshop: neither removed by the facilitator nor gone."""
        return self.removed_at is None and self.anonymised_at is None


class Theme(db.Model):
    """A named strength of the positive core, grouping stories."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    #: The common theme of the workshop's programme this regional theme is
    #: mapped onto (the synthesis); it counts only while both are in one programme.
    programme_theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_themes.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Contribution(db.Model):
    """A story, dream, provocative proposition or commitment."""

    __tablename__ = "contributions"
    __table_args__ = (
        UniqueConstraint("participant_id", "client_id", name="uq_contribution_client"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    #: Idempotency key made by the client (a UUID).
    client_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    consent: Mapped[str] = mapped_column(String(16), default=Consent.ANONYMOUS.value)
    #: The language the text is written in (detected, or set by the facilitator).
    language: Mapped[str] = mapped_column(String(8), default="en")
    #: Stories: the theme they are grouped in. Propositions: the theme they build on.
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), nullable=True
    )
    #: Commitments: the proposition they deliver.
    proposition_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="SET NULL"), nullable=True
    )
    #: Stories: what made the high point possible (life-giving factors).
    factors: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    owner_organisation: Mapped[str] = mapped_column(String(200), default="")
    due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Set when the facilitator corrected the text.
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    #: False while it waits for the facilitator's approval (pre-moderation).
    approved: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Arrived after the workshop had moved on from the phase that collects it.
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When the phone says it was written (it may have waited offline).
    written_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: The interviewer who captured this story for its teller (paired interviews).
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), nullable=True
    )
    #: Denormalised count of ``votes`` rows, updated in the same transaction.
    vote_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    participant: Mapped[Participant] = relationship(lazy="joined", foreign_keys=[participant_id])


class Vote(db.Model):
    """One participant's dot on one dream or proposition."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("participant_id", "contribution_id", name="uq_vote_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    #: Kind of the voted item, so the per-kind budget is one indexed count.
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InterviewPair(db.Model):
    """Two (or three) participants interviewing each other in Discover.

    ``member_ids`` keeps the order that decides turns: in stage ``s`` the
    member at ``s % n`` interviews the member at ``(s + 1) % n``.
    """

    __tablename__ = "interview_pairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    member_ids: Mapped[list[int]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ShareLink(db.Model):
    """A partner's read-only link to a workshop's summary and exports.

    Only the token's digest is stored: the link is shown once, when it is
    made. ``hint`` (its first characters) tells links apart in a list.
    """

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(16), default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class PrivacyEvent(db.Model):
    """One entry of a workshop's record of processing: an erasure or a consent change.

    It says who (``actor``: participant, facilitator or operator, and their
    id), when and what kind; ``details`` holds counts and consent values,
    never the content that was changed or erased.
    """

    __tablename__ = "privacy_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
