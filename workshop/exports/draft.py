"""The strategy draft: one model of a workshop's results, shaped as SOAR.

Every export format, the summary page and the partner page render this model,
so consent and moderation rules are applied in one place: hidden and
``private`` items never enter it, and only ``named`` items carry their
author's name. The model holds plain values only: once built, nothing reads
the database, so a format can be laid out after the connection is returned.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    Consent,
    Contribution,
    Facilitator,
    Kind,
    Participant,
    Phase,
    Theme,
    Workshop,
    as_utc,
    utcnow,
)
from ..services.prompts import prompts_in

#: Stories quoted in full under each theme; the rest are listed by title.
QUOTES_PER_THEME = 2
SNIPPET = 90


def snippet_of(title: str, text: str) -> str:
    """How a contribution is named in lists: its title, or the first words of its text."""
    if title:
        return title
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1].rstrip() + "…"


@dataclasses.dataclass(frozen=True)
class Item:
    """One exportable contribution."""

    id: int
    kind: str
    title: str
    text: str
    factors: str
    author: str | None
    organisation: str | None
    language: str
    votes: int
    theme_id: int | None
    theme_name: str | None
    proposition_id: int | None
    proposition_text: str | None
    owner: str
    owner_organisation: str
    due: dt.date | None
    created_at: dt.datetime
    #: Propositions: short labels of the stories of their theme.
    grounded_in: tuple[str, ...] = ()

    @property
    def snippet(self) -> str:
        """The title, or the first words of the text."""
        return snippet_of(self.title, self.text)


@dataclasses.dataclass(frozen=True)
class ThemeSection:
    """A strength of the positive core with the stories that show it."""

    id: int
    name: str
    stories: list[Item]

    @property
    def quotes(self) -> list[Item]:
        """Representative stories, quoted in full: the richest ones."""
        ranked = sorted(self.stories, key=lambda s: (-len(s.text), s.id))[:QUOTES_PER_THEME]
        return sorted(ranked, key=lambda s: s.id)

    @property
    def listed(self) -> list[Item]:
        """The theme's other stories, listed by title."""
        quoted = {s.id for s in self.quotes}
        return [s for s in self.stories if s.id not in quoted]

    @property
    def factors(self) -> list[str]:
        """Life-giving factors noted with the theme's stories."""
        return [s.factors for s in self.stories if s.factors]


@dataclasses.dataclass(frozen=True)
class TitlePage:
    """Who, where and when."""

    title: str
    topic: str
    held_on: dt.date
    place: str
    facilitators: list[str]
    participant_count: int
    organisation_count: int
    region_count: int
    #: Only participants who chose ``named`` for at least one contribution.
    named_participants: list[str]


@dataclasses.dataclass(frozen=True)
class Settings:
    """The workshop's settings, as the JSON export carries them."""

    votes_per_participant: int
    show_names: bool
    hide_vote_counts: bool
    prompts: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class StrategyDraft:
    """Everything an export shows, already filtered for consent and moderation."""

    workshop_id: int
    language: str
    phase: str
    is_draft: bool
    generated_at: dt.datetime
    title_page: TitlePage
    #: Every theme, in the order made; ``sections`` leaves out the empty ones.
    strengths: list[ThemeSection]
    ungrouped_stories: list[Item]
    dreams: list[Item]
    propositions: list[Item]
    commitments: list[Item]
    settings: Settings

    @property
    def title(self) -> str:
        """The workshop's title."""
        return self.title_page.title

    @property
    def sections(self) -> list[ThemeSection]:
        """The themes a document shows: those with at least one exported story."""
        return [section for section in self.strengths if section.stories]

    @property
    def stories(self) -> list[Item]:
        """Every exported story, in the order told (the appendix)."""
        grouped = [s for t in self.strengths for s in t.stories]
        return sorted(grouped + self.ungrouped_stories, key=lambda s: s.id)

    @property
    def items(self) -> list[Item]:
        """Every exported contribution, in the order contributed."""
        return sorted(
            self.stories + self.dreams + self.propositions + self.commitments, key=lambda i: i.id
        )


def exportable_items(workshop_id: int) -> list[Contribution]:
    """Contributions that may leave the session: not hidden, approved, not private."""
    return list(
        db.session.scalars(
            select(Contribution)
            .options(joinedload(Contribution.participant))
            .where(
                Contribution.workshop_id == workshop_id,
                Contribution.hidden.is_(False),
                Contribution.approved.is_(True),
                Contribution.consent != Consent.PRIVATE.value,
            )
            .order_by(Contribution.id)
        )
    )


def _item(c: Contribution, themes: dict[int, str], texts: dict[int, str]) -> Item:
    author: Participant = c.participant
    named = c.consent == Consent.NAMED
    return Item(
        id=c.id,
        kind=c.kind,
        title=c.title,
        text=c.text,
        factors=c.factors,
        author=author.name if named else None,
        organisation=(author.organisation or None) if named else None,
        language=c.language,
        votes=c.vote_count,
        theme_id=c.theme_id,
        theme_name=themes.get(c.theme_id) if c.theme_id else None,
        proposition_id=c.proposition_id if c.proposition_id in texts else None,
        proposition_text=texts.get(c.proposition_id) if c.proposition_id else None,
        owner=c.owner,
        owner_organisation=c.owner_organisation,
        due=c.due,
        created_at=as_utc(c.created_at),
    )


def _title_page(workshop: Workshop, rows: list[Contribution]) -> TitlePage:
    people = db.session.execute(
        select(
            func.count(Participant.id),
            func.count(func.distinct(func.lower(func.nullif(Participant.organisation, "")))),
            func.count(func.distinct(func.lower(func.nullif(Participant.region, "")))),
        ).where(Participant.workshop_id == workshop.id, Participant.removed_at.is_(None))
    ).one()
    named = sorted({c.participant.name for c in rows if c.consent == Consent.NAMED})
    owner = db.session.get(Facilitator, workshop.owner_id)
    return TitlePage(
        title=workshop.title,
        topic=workshop.topic,
        held_on=workshop.held_on or as_utc(workshop.created_at).date(),
        place=workshop.place,
        facilitators=[owner.display_name] if owner else [],
        participant_count=people[0],
        organisation_count=people[1],
        region_count=people[2],
        named_participants=named,
    )


def _ranked(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (-i.votes, i.id))


def build_draft(workshop: Workshop) -> StrategyDraft:
    """The strategy draft of ``workshop`` as it stands now."""
    themes = list(
        db.session.scalars(select(Theme).where(Theme.workshop_id == workshop.id).order_by(Theme.id))
    )
    theme_names = {t.id: t.name for t in themes}
    rows = exportable_items(workshop.id)
    proposition_texts = {c.id: c.text for c in rows if c.kind == Kind.PROPOSITION}
    items = [_item(c, theme_names, proposition_texts) for c in rows]
    by_kind: dict[str, list[Item]] = {k.value: [] for k in Kind}
    for item in items:
        by_kind[item.kind].append(item)
    stories = by_kind[Kind.STORY]
    propositions = [
        dataclasses.replace(
            p,
            grounded_in=tuple(
                s.snippet for s in stories if p.theme_id and s.theme_id == p.theme_id
            ),
        )
        for p in by_kind[Kind.PROPOSITION]
    ]
    return StrategyDraft(
        workshop_id=workshop.id,
        language=workshop.language,
        phase=workshop.phase,
        is_draft=workshop.phase != Phase.CLOSED,
        generated_at=utcnow(),
        title_page=_title_page(workshop, rows),
        strengths=[
            ThemeSection(t.id, t.name, [s for s in stories if s.theme_id == t.id]) for t in themes
        ],
        ungrouped_stories=[s for s in stories if s.theme_id is None],
        dreams=_ranked(by_kind[Kind.DREAM]),
        propositions=_ranked(propositions),
        commitments=sorted(by_kind[Kind.COMMITMENT], key=lambda c: (c.due or dt.date.max, c.id)),
        settings=Settings(
            votes_per_participant=workshop.votes_per_participant,
            show_names=workshop.show_names,
            hide_vote_counts=workshop.hide_vote_counts,
            # Texts in the workshop's language, as version 1 of the JSON carries them.
            prompts=prompts_in(workshop, workshop.language),
        ),
    )
