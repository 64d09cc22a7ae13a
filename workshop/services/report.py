"""The strategy draft: one model of a workshop's results, shaped as SOAR.

Every export format and the summary page render this model, so consent and
moderation rules are applied in one place: hidden and ``private`` items never
enter it, and only ``named`` items carry their author's name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Consent, Contribution, Kind, Participant, Phase, Theme, Workshop, utcnow
from .participants import joined_count


@dataclasses.dataclass(frozen=True)
class Item:
    """One exportable contribution."""

    id: int
    kind: str
    title: str
    text: str
    author: str | None
    organisation: str | None
    language: str
    votes: int
    theme_id: int | None
    theme_name: str | None
    proposition_id: int | None
    proposition_text: str | None
    owner: str
    due: dt.date | None
    created_at: dt.datetime


@dataclasses.dataclass(frozen=True)
class ThemeSection:
    """A strength of the positive core with the stories that show it."""

    id: int
    name: str
    stories: list[Item]


@dataclasses.dataclass(frozen=True)
class StrategyDraft:
    """Everything an export shows, already filtered for consent and moderation."""

    workshop_id: int
    title: str
    topic: str
    language: str
    phase: str
    is_draft: bool
    generated_at: dt.datetime
    participant_count: int
    strengths: list[ThemeSection]
    ungrouped_stories: list[Item]
    dreams: list[Item]
    propositions: list[Item]
    commitments: list[Item]

    @property
    def stories(self) -> list[Item]:
        """Every exported story, grouped ones first."""
        return [s for t in self.strengths for s in t.stories] + self.ungrouped_stories


def exportable_items(workshop_id: int) -> list[Contribution]:
    """Contributions that may leave the session: not hidden, not private."""
    return list(
        db.session.scalars(
            select(Contribution)
            .options(joinedload(Contribution.participant))
            .where(
                Contribution.workshop_id == workshop_id,
                Contribution.hidden.is_(False),
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
        author=author.name if named else None,
        organisation=(author.organisation or None) if named else None,
        language=c.language,
        votes=c.vote_count,
        theme_id=c.theme_id,
        theme_name=themes.get(c.theme_id) if c.theme_id else None,
        proposition_id=c.proposition_id if c.proposition_id in texts else None,
        proposition_text=texts.get(c.proposition_id) if c.proposition_id else None,
        owner=c.owner,
        due=c.due,
        created_at=c.created_at,
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
    return StrategyDraft(
        workshop_id=workshop.id,
        title=workshop.title,
        topic=workshop.topic,
        language=workshop.language,
        phase=workshop.phase,
        is_draft=workshop.phase != Phase.CLOSED,
        generated_at=utcnow(),
        participant_count=joined_count(workshop.id),
        strengths=[
            ThemeSection(t.id, t.name, [s for s in stories if s.theme_id == t.id]) for t in themes
        ],
        ungrouped_stories=[s for s in stories if s.theme_id is None],
        dreams=_ranked(by_kind[Kind.DREAM]),
        propositions=_ranked(by_kind[Kind.PROPOSITION]),
        commitments=sorted(by_kind[Kind.COMMITMENT], key=lambda c: (c.due or dt.date.max, c.id)),
    )
