"""A programme's transnational synthesis: one model for its board, its API and its document.

What the strategy draft (draft.py) is to a workshop, this is to a programme:
the one place that reads its workshops' results. Contributions are read only
through ``draft.exportable_items``, the rule every workshop export uses, so
hidden, ``private`` and withdrawn items never enter, and whatever that rule
leaves out tomorrow stays out here too. Names come only with ``named`` items,
and only from workshops that show names.

The model holds plain values: once built, nothing reads the database, so a
format can be laid out after the connection is returned.

- **Programme themes** (the common themes) with the regional themes mapped onto them, their
  **coverage** per region (stories, workshops) and **representative quotes**:
  the stories whose regional theme's propositions drew the largest vote
  share, else the longest, one region at a time so every region speaks.
- **Vote share**: an item's votes divided by the participants who voted in
  its own workshop, so a room of 200 does not drown a room of 12. Dreams and
  propositions of every workshop are ranked by it.
- **Recommendations**, numbered, with the programme themes and the evidence
  they are linked to (evidence that may no longer be published is left out).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    Consent,
    Contribution,
    Facilitator,
    Kind,
    Participant,
    Phase,
    Programme,
    ProgrammeRegion,
    ProgrammeTheme,
    Recommendation,
    RecommendationEvidence,
    RecommendationTheme,
    Theme,
    Vote,
    Workshop,
    as_utc,
    utcnow,
)
from .draft import exportable_items, snippet_of

#: Stories quoted under each programme theme.
QUOTES_PER_THEME = 3
#: The key of transnational sessions (workshops without a region) in coverage.
TRANSNATIONAL = "transnational"

RegionKey = int | None


@dataclasses.dataclass(frozen=True)
class Entry:
    """One exportable contribution of a programme's workshop, tagged with where it comes from."""

    id: int
    kind: str
    title: str
    text: str
    factors: str
    language: str
    author: str | None
    organisation: str | None
    votes: int
    #: Dreams and propositions: votes ÷ participants who voted in the workshop.
    vote_share: float | None
    workshop_id: int
    region_id: int | None
    theme_id: int | None
    proposition_id: int | None
    proposition_text: str | None
    owner: str
    owner_organisation: str
    due: dt.date | None
    created_at: dt.datetime

    @property
    def snippet(self) -> str:
        """The title, or the first words of the text."""
        return snippet_of(self.title, self.text)


@dataclasses.dataclass(frozen=True)
class RegionInfo:
    """A region of the programme and its partner organisation."""

    id: int
    name: str
    country: str
    organisation: str

    @property
    def label(self) -> str:
        """The region with its country: Kranj · SI."""
        return f"{self.name} · {self.country}" if self.country else self.name


@dataclasses.dataclass(frozen=True)
class WorkshopInfo:
    """A workshop of the programme, as the title page and its region's annex show it."""

    id: int
    title: str
    topic: str
    place: str
    held_on: dt.date
    language: str
    phase: str
    region_id: int | None
    facilitator: str
    participants: int
    #: Exportable contributions per kind.
    counts: dict[str, int]


@dataclasses.dataclass(frozen=True)
class RegionalTheme:
    """A workshop's theme of the positive core: its own name, in its workshop's language."""

    id: int
    name: str
    language: str
    workshop_id: int
    region_id: int | None
    programme_theme_id: int | None
    stories: list[Entry]
    #: The vote share its propositions drew, summed (ranks its stories as quotes).
    score: float


@dataclasses.dataclass(frozen=True)
class Coverage:
    """What one region brings to a programme theme."""

    stories: int
    workshops: int


@dataclasses.dataclass(frozen=True)
class ThemeSection:
    """A programme theme with the regional themes mapped onto it."""

    id: int
    name: str
    regional_themes: list[RegionalTheme]
    #: Region id (None: transnational sessions) -> what it brings.
    coverage: dict[RegionKey, Coverage]
    quotes: list[Entry]

    @property
    def stories(self) -> list[Entry]:
        """Every story of its regional themes."""
        return [s for t in self.regional_themes for s in t.stories]

    @property
    def region_ids(self) -> list[int]:
        """The regions it comes from (transnational sessions are no region)."""
        return [key for key in self.coverage if key is not None]


@dataclasses.dataclass(frozen=True)
class RecommendationSection:
    """A numbered recommendation with its themes and the evidence that may be shown."""

    id: int
    number: int
    title: str
    text: str
    programme_theme_ids: list[int]
    evidence: list[Entry]
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def region_ids(self) -> list[int]:
        """The regions its evidence spans, in the programme's order of regions."""
        return sorted({e.region_id for e in self.evidence if e.region_id is not None})


@dataclasses.dataclass(frozen=True)
class Synthesis:
    """Everything the board, the API and the document show, filtered for consent."""

    programme_id: int
    title: str
    description: str
    language: str
    seq: int
    generated_at: dt.datetime
    regions: list[RegionInfo]
    workshops: list[WorkshopInfo]
    programme_themes: list[ThemeSection]
    unmapped: list[RegionalTheme]
    #: Every exportable story, in the order told.
    stories: list[Entry]
    dreams: list[Entry]
    propositions: list[Entry]
    commitments: list[Entry]
    recommendations: list[RecommendationSection]

    @property
    def is_draft(self) -> bool:
        """True while a workshop of the programme still runs."""
        return any(w.phase != Phase.CLOSED for w in self.workshops)

    @property
    def organisations(self) -> list[str]:
        """The regions' partner organisations."""
        return [r.organisation for r in self.regions if r.organisation]

    @property
    def participant_count(self) -> int:
        """People who took part, all workshops together."""
        return sum(w.participants for w in self.workshops)

    def region(self, region_id: int | None) -> RegionInfo | None:
        """The region with this id, if it is one of the programme's."""
        return next((r for r in self.regions if r.id == region_id), None)

    def workshop(self, workshop_id: int) -> WorkshopInfo | None:
        """The workshop with this id, if it is one of the programme's."""
        return next((w for w in self.workshops if w.id == workshop_id), None)

    @property
    def region_keys(self) -> list[RegionKey]:
        """The matrix's columns: every region, then transnational sessions if there are any."""
        keys: list[RegionKey] = [r.id for r in self.regions]
        if any(w.region_id is None for w in self.workshops):
            keys.append(None)
        return keys

    @property
    def regional_themes(self) -> list[RegionalTheme]:
        """Every regional theme, mapped or not."""
        mapped = [t for section in self.programme_themes for t in section.regional_themes]
        return sorted(mapped + self.unmapped, key=lambda t: (t.workshop_id, t.id))


def region_key(region_id: RegionKey) -> str:
    """A coverage key as JSON writes it: the region's id, or ``transnational``."""
    return TRANSNATIONAL if region_id is None else str(region_id)


# ----- reading -----


def workshops_of(programme_id: int) -> list[Workshop]:
    """The programme's workshops, oldest first."""
    return list(
        db.session.scalars(
            select(Workshop).where(Workshop.programme_id == programme_id).order_by(Workshop.id)
        )
    )


def _voters(workshop_ids: list[int]) -> dict[int, int]:
    """Workshop id -> participants who voted there (on anything)."""
    if not workshop_ids:
        return {}
    rows = db.session.execute(
        select(Contribution.workshop_id, func.count(func.distinct(Vote.participant_id)))
        .join(Contribution, Contribution.id == Vote.contribution_id)
        .where(Contribution.workshop_id.in_(workshop_ids))
        .group_by(Contribution.workshop_id)
    )
    return dict(rows.all())


def _share(votes: int, voters: int) -> float:
    return votes / voters if voters else 0.0


def _entries(workshops: Iterable[Workshop], voters: dict[int, int]) -> dict[int, list[Entry]]:
    """Workshop id -> its exportable contributions as entries (the consent rule applied)."""
    found: dict[int, list[Entry]] = {}
    for workshop in workshops:
        rows = exportable_items(workshop.id)
        texts = {c.id: c.text for c in rows if c.kind == Kind.PROPOSITION}
        found[workshop.id] = [_entry(c, workshop, texts, voters) for c in rows]
    return found


def _entry(
    c: Contribution, workshop: Workshop, texts: dict[int, str], voters: dict[int, int]
) -> Entry:
    author: Participant = c.participant
    # The workshop's anonymity setting holds beyond the room: no names where it shows none.
    named = c.consent == Consent.NAMED and workshop.show_names
    votable = c.kind in (Kind.DREAM, Kind.PROPOSITION)
    return Entry(
        id=c.id,
        kind=c.kind,
        title=c.title,
        text=c.text,
        factors=c.factors,
        language=c.language,
        author=author.name if named else None,
        organisation=(author.organisation or None) if named else None,
        votes=c.vote_count,
        vote_share=_share(c.vote_count, voters.get(workshop.id, 0)) if votable else None,
        workshop_id=workshop.id,
        region_id=workshop.region_id,
        theme_id=c.theme_id,
        proposition_id=c.proposition_id if c.proposition_id in texts else None,
        proposition_text=texts.get(c.proposition_id) if c.proposition_id else None,
        owner=c.owner,
        owner_organisation=c.owner_organisation,
        due=c.due,
        created_at=as_utc(c.created_at),
    )


def _region_order(regions: list[RegionInfo]) -> dict[int | None, int]:
    order: dict[int | None, int] = {r.id: i for i, r in enumerate(regions)}
    order[None] = len(regions)
    return order


def _ranked(items: list[Entry]) -> list[Entry]:
    return sorted(items, key=lambda i: (-(i.vote_share or 0.0), -i.votes, i.id))


def _quotes(themes: list[RegionalTheme], order: dict[int | None, int]) -> list[Entry]:
    """Representative stories: best first, one region at a time until every region spoke."""
    scored = sorted(
        ((t.score, s) for t in themes for s in t.stories),
        key=lambda pair: (-pair[0], -len(pair[1].text), pair[1].id),
    )
    chosen: list[Entry] = []
    regions: set[int | None] = set()
    for _score, story in scored:
        if len(chosen) == QUOTES_PER_THEME:
            break
        if story.region_id not in regions:
            chosen.append(story)
            regions.add(story.region_id)
    for _score, story in scored:
        if len(chosen) == QUOTES_PER_THEME:
            break
        if story not in chosen:
            chosen.append(story)
    return sorted(chosen, key=lambda s: (order.get(s.region_id, 0), s.id))


def _coverage(themes: list[RegionalTheme]) -> dict[RegionKey, Coverage]:
    stories: dict[RegionKey, int] = defaultdict(int)
    workshops: dict[RegionKey, set[int]] = defaultdict(set)
    for theme in themes:
        stories[theme.region_id] += len(theme.stories)
        workshops[theme.region_id].add(theme.workshop_id)
    return {key: Coverage(stories[key], len(workshops[key])) for key in workshops}


def _participants(workshop_ids: list[int]) -> dict[int, int]:
    if not workshop_ids:
        return {}
    rows = db.session.execute(
        select(Participant.workshop_id, func.count(Participant.id))
        .where(Participant.workshop_id.in_(workshop_ids), Participant.removed_at.is_(None))
        .group_by(Participant.workshop_id)
    )
    return dict(rows.all())


def _facilitators(workshops: list[Workshop]) -> dict[int, str]:
    ids = {w.owner_id for w in workshops}
    if not ids:
        return {}
    rows = db.session.execute(
        select(Facilitator.id, Facilitator.display_name).where(Facilitator.id.in_(ids))
    )
    return dict(rows.all())


def regions_info(programme_id: int) -> list[RegionInfo]:
    """The programme's regions in the order they were added."""
    return [
        RegionInfo(r.id, r.name, r.country, r.organisation)
        for r in db.session.scalars(
            select(ProgrammeRegion)
            .where(ProgrammeRegion.programme_id == programme_id)
            .order_by(ProgrammeRegion.id)
        )
    ]


def _regional_themes(
    workshops: list[Workshop], entries: dict[int, list[Entry]], theme_ids: set[int]
) -> list[RegionalTheme]:
    by_id = {w.id: w for w in workshops}
    if not by_id:
        return []
    rows = db.session.scalars(
        select(Theme).where(Theme.workshop_id.in_(list(by_id))).order_by(Theme.id)
    )
    stories: dict[int, list[Entry]] = defaultdict(list)
    scores: dict[int, float] = defaultdict(float)
    for items in entries.values():
        for e in items:
            if e.theme_id is None:
                continue
            if e.kind == Kind.STORY:
                stories[e.theme_id].append(e)
            elif e.kind == Kind.PROPOSITION:
                scores[e.theme_id] += e.vote_share or 0.0
    found = []
    for theme in rows:
        workshop = by_id[theme.workshop_id]
        mapped = theme.programme_theme_id if theme.programme_theme_id in theme_ids else None
        found.append(
            RegionalTheme(
                id=theme.id,
                name=theme.name,
                language=workshop.language,
                workshop_id=workshop.id,
                region_id=workshop.region_id,
                programme_theme_id=mapped,
                stories=stories[theme.id],
                score=scores[theme.id],
            )
        )
    return found


def _recommendations(
    programme_id: int,
    entries: dict[int, Entry],
    theme_ids: set[int],
    only: int | None = None,
) -> list[RecommendationSection]:
    query = select(Recommendation).where(Recommendation.programme_id == programme_id)
    recommendations = list(
        db.session.scalars(query.order_by(Recommendation.position, Recommendation.id))
    )
    ids = [r.id for r in recommendations]
    themes: dict[int, list[int]] = defaultdict(list)
    evidence: dict[int, list[int]] = defaultdict(list)
    if ids:
        for rid, tid in db.session.execute(
            select(RecommendationTheme.recommendation_id, RecommendationTheme.programme_theme_id)
            .where(RecommendationTheme.recommendation_id.in_(ids))
            .order_by(RecommendationTheme.programme_theme_id)
        ):
            if tid in theme_ids:
                themes[rid].append(tid)
        for rid, cid in db.session.execute(
            select(RecommendationEvidence.recommendation_id, RecommendationEvidence.contribution_id)
            .where(RecommendationEvidence.recommendation_id.in_(ids))
            .order_by(RecommendationEvidence.position, RecommendationEvidence.contribution_id)
        ):
            evidence[rid].append(cid)
    return [
        RecommendationSection(
            id=r.id,
            number=number,
            title=r.title,
            text=r.text,
            programme_theme_ids=themes[r.id],
            # Only what may still be published: hidden, private or withdrawn evidence drops out.
            evidence=[entries[cid] for cid in evidence[r.id] if cid in entries],
            created_at=as_utc(r.created_at),
            updated_at=as_utc(r.updated_at),
        )
        for number, r in enumerate(recommendations, 1)
        if only is None or r.id == only
    ]


def _programme_themes(programme_id: int) -> list[ProgrammeTheme]:
    return list(
        db.session.scalars(
            select(ProgrammeTheme)
            .where(ProgrammeTheme.programme_id == programme_id)
            .order_by(ProgrammeTheme.id)
        )
    )


def build_synthesis(programme: Programme) -> Synthesis:
    """The synthesis of ``programme`` as it stands now (read in the caller's transaction)."""
    workshops = workshops_of(programme.id)
    workshop_ids = [w.id for w in workshops]
    voters = _voters(workshop_ids)
    entries = _entries(workshops, voters)
    regions = regions_info(programme.id)
    order = _region_order(regions)
    programme_themes = _programme_themes(programme.id)
    theme_ids = {t.id for t in programme_themes}
    regional = _regional_themes(workshops, entries, theme_ids)
    sections = []
    for theme in programme_themes:
        mapped = sorted(
            (t for t in regional if t.programme_theme_id == theme.id),
            key=lambda t: (order.get(t.region_id, 0), t.workshop_id, t.id),
        )
        sections.append(
            ThemeSection(theme.id, theme.name, mapped, _coverage(mapped), _quotes(mapped, order))
        )
    unmapped = sorted(
        (t for t in regional if t.programme_theme_id is None),
        key=lambda t: (order.get(t.region_id, 0), t.workshop_id, t.id),
    )
    every = [e for workshop_id in workshop_ids for e in entries[workshop_id]]
    by_kind: dict[str, list[Entry]] = {k.value: [] for k in Kind}
    for entry in every:
        by_kind[entry.kind].append(entry)
    participants = _participants(workshop_ids)
    facilitators = _facilitators(workshops)
    return Synthesis(
        programme_id=programme.id,
        title=programme.title,
        description=programme.description,
        language=programme.language,
        seq=programme.seq,
        generated_at=utcnow(),
        regions=regions,
        workshops=[
            WorkshopInfo(
                id=w.id,
                title=w.title,
                topic=w.topic,
                place=w.place,
                held_on=w.held_on or as_utc(w.created_at).date(),
                language=w.language,
                phase=w.phase,
                region_id=w.region_id,
                facilitator=facilitators.get(w.owner_id, ""),
                participants=participants.get(w.id, 0),
                counts={k.value: sum(1 for e in entries[w.id] if e.kind == k.value) for k in Kind},
            )
            for w in workshops
        ],
        programme_themes=sections,
        unmapped=unmapped,
        stories=sorted(by_kind[Kind.STORY], key=lambda e: e.id),
        dreams=_ranked(by_kind[Kind.DREAM]),
        propositions=_ranked(by_kind[Kind.PROPOSITION]),
        commitments=sorted(
            by_kind[Kind.COMMITMENT],
            key=lambda c: (order.get(c.region_id, 0), c.due or dt.date.max, c.id),
        ),
        recommendations=_recommendations(programme.id, {e.id: e for e in every}, theme_ids),
    )


def recommendation_section(programme: Programme, recommendation_id: int) -> RecommendationSection:
    """One recommendation as the synthesis shows it (reads only its evidence's workshops)."""
    evidence_workshops = set(
        db.session.scalars(
            select(Contribution.workshop_id)
            .join(
                RecommendationEvidence,
                RecommendationEvidence.contribution_id == Contribution.id,
            )
            .where(RecommendationEvidence.recommendation_id == recommendation_id)
        )
    )
    workshops = [w for w in workshops_of(programme.id) if w.id in evidence_workshops]
    voters = _voters([w.id for w in workshops])
    entries = {e.id: e for items in _entries(workshops, voters).values() for e in items}
    theme_ids = {t.id for t in _programme_themes(programme.id)}
    return _recommendations(programme.id, entries, theme_ids, only=recommendation_id)[0]


def exportable_ids(programme: Programme, contribution_ids: Iterable[int]) -> set[int]:
    """Which of these contributions belong to the programme's workshops and may be published."""
    wanted = set(contribution_ids)
    if not wanted:
        return set()
    holders = set(
        db.session.scalars(
            select(Contribution.workshop_id)
            .join(Workshop, Workshop.id == Contribution.workshop_id)
            .where(Contribution.id.in_(wanted), Workshop.programme_id == programme.id)
        )
    )
    allowed: set[int] = set()
    for workshop_id in holders:
        allowed |= {c.id for c in exportable_items(workshop_id)} & wanted
    return allowed


# ----- as the API shows it -----


def entry_payload(entry: Entry) -> dict[str, Any]:
    """A contribution of the synthesis as JSON: where it comes from, and no more than consent allows."""
    payload: dict[str, Any] = {
        "id": entry.id,
        "kind": entry.kind,
        "title": entry.title,
        "text": entry.text,
        "factors": entry.factors,
        "language": entry.language,
        "author": entry.author,
        "organisation": entry.organisation,
        "votes": entry.votes,
        "workshop_id": entry.workshop_id,
        "region_id": entry.region_id,
        "theme_id": entry.theme_id,
        "proposition_id": entry.proposition_id,
        "owner": entry.owner,
        "owner_organisation": entry.owner_organisation,
        "due": entry.due.isoformat() if entry.due else None,
        "created_at": entry.created_at.isoformat(),
    }
    if entry.vote_share is not None:
        payload["vote_share"] = round(entry.vote_share, 4)
    return payload


def regional_theme_payload(theme: RegionalTheme) -> dict[str, Any]:
    """A regional theme: its own name and language, where it comes from, what it holds."""
    return {
        "id": theme.id,
        "name": theme.name,
        "language": theme.language,
        "workshop_id": theme.workshop_id,
        "region_id": theme.region_id,
        "programme_theme_id": theme.programme_theme_id,
        "stories": len(theme.stories),
    }


def recommendation_payload(section: RecommendationSection) -> dict[str, Any]:
    """A recommendation with its visible evidence and the regions that evidence spans."""
    return {
        "id": section.id,
        "number": section.number,
        "title": section.title,
        "text": section.text,
        "programme_theme_ids": section.programme_theme_ids,
        "evidence_ids": [e.id for e in section.evidence],
        "evidence": [entry_payload(e) for e in section.evidence],
        "regions": len(section.region_ids),
        "region_ids": section.region_ids,
        "updated_at": section.updated_at.isoformat(),
    }


def synthesis_payload(synthesis: Synthesis) -> dict[str, Any]:
    """The whole synthesis as ``GET /api/programmes/<id>/synthesis`` answers it."""
    return {
        "id": synthesis.programme_id,
        "title": synthesis.title,
        "language": synthesis.language,
        "regions": [
            {"id": r.id, "name": r.name, "country": r.country, "organisation": r.organisation}
            for r in synthesis.regions
        ],
        "workshops": [
            {
                "id": w.id,
                "title": w.title,
                "region_id": w.region_id,
                "language": w.language,
                "phase": w.phase,
                "held_on": w.held_on.isoformat(),
                "participants": w.participants,
                "counts": w.counts,
            }
            for w in synthesis.workshops
        ],
        "programme_themes": [
            {
                "id": section.id,
                "name": section.name,
                "regional_themes": [regional_theme_payload(t) for t in section.regional_themes],
                "coverage": {
                    region_key(key): {"stories": c.stories, "workshops": c.workshops}
                    for key, c in section.coverage.items()
                },
                "quotes": [entry_payload(e) for e in section.quotes],
            }
            for section in synthesis.programme_themes
        ],
        "unmapped": [regional_theme_payload(t) for t in synthesis.unmapped],
        "stories": [entry_payload(e) for e in synthesis.stories],
        "dreams": [entry_payload(e) for e in synthesis.dreams],
        "propositions": [entry_payload(e) for e in synthesis.propositions],
        "commitments": [entry_payload(e) for e in synthesis.commitments],
        "recommendations": [recommendation_payload(r) for r in synthesis.recommendations],
        "seq": synthesis.seq,
    }
