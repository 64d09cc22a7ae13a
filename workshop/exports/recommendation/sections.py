"""The recommendation's sections as every format lays them out: one reading of the synthesis.

The formats differ in markup only; which items a section holds, in which
order, and what the coverage matrix says are decided here.
"""

from __future__ import annotations

import dataclasses

from ..synthesis import Entry, RegionalTheme, RegionInfo, Synthesis, WorkshopInfo
from . import labels as L


def top(items: list[Entry], count: int) -> list[Entry]:
    """The first ``count`` of a ranked list."""
    return items[:count]


@dataclasses.dataclass(frozen=True)
class TitleRow:
    """A row of the title page's table: a region, its partner organisation, one of its workshops."""

    region: str
    organisation: str
    workshop: WorkshopInfo | None


def title_rows(synthesis: Synthesis, words: dict[str, str]) -> list[TitleRow]:
    """Every region with its partner organisation and its workshops (a row each; "—" for none)."""
    rows = []
    for key in synthesis.region_keys:
        region = synthesis.region(key)
        label = L.region_label(region, words)
        organisation = region.organisation if region else ""
        workshops = [w for w in synthesis.workshops if w.region_id == key]
        rows += [TitleRow(label, organisation, w) for w in workshops] or [
            TitleRow(label, organisation, None)
        ]
    return rows


def title_header(words: dict[str, str]) -> list[str]:
    """The title page table's columns."""
    return [
        words["region"],
        words["partner_organisation"],
        words["workshop"],
        words["date"],
        words["language"],
        words["phase"],
    ]


def commitments_by_region(synthesis: Synthesis) -> list[tuple[RegionInfo | None, list[Entry]]]:
    """Commitments grouped by region, in the programme's order of regions (transnational last)."""
    groups: list[tuple[RegionInfo | None, list[Entry]]] = []
    for key in synthesis.region_keys:
        items = [c for c in synthesis.commitments if c.region_id == key]
        if items:
            groups.append((synthesis.region(key), items))
    return groups


def matrix_rows(
    synthesis: Synthesis, words: dict[str, str]
) -> tuple[list[str], list[list[str | int | None]]]:
    """The coverage matrix: a header, then per common theme its stories per region and a summary.

    A cell is the number of stories (``None`` where the region brings
    nothing); the last column counts the regions and names the one region
    that carries a theme alone.
    """
    keys = synthesis.region_keys
    header = [
        words["theme"],
        *(L.region_name(synthesis, key, words) for key in keys),
        words["regions"],
    ]
    rows: list[list[str | int | None]] = []
    for section in synthesis.programme_themes:
        cells: list[str | int | None] = [section.name]
        for key in keys:
            found = section.coverage.get(key)
            cells.append(found.stories if found is not None else None)
        regions = section.region_ids
        summary = str(len(regions))
        if len(regions) == 1:
            summary += f" ({L.alone_text(L.region_name(synthesis, regions[0], words))})"
        cells.append(summary)
        rows.append(cells)
    return header, rows


@dataclasses.dataclass(frozen=True)
class AnnexWorkshop:
    """One workshop of an annex: its facts, its regional themes, its best-voted items."""

    workshop: WorkshopInfo
    themes: list[RegionalTheme]
    dreams: list[Entry]
    propositions: list[Entry]


@dataclasses.dataclass(frozen=True)
class Annex:
    """A region's annex (``region`` None: the transnational sessions)."""

    region: RegionInfo | None
    workshops: list[AnnexWorkshop]


def annexes(synthesis: Synthesis) -> list[Annex]:
    """One annex per region (with or without workshops), then one for transnational sessions."""
    themes = synthesis.regional_themes
    found = []
    for key in synthesis.region_keys:
        parts = [
            AnnexWorkshop(
                workshop=w,
                themes=[t for t in themes if t.workshop_id == w.id],
                dreams=top([d for d in synthesis.dreams if d.workshop_id == w.id], L.TOP_IN_ANNEX),
                propositions=top(
                    [p for p in synthesis.propositions if p.workshop_id == w.id], L.TOP_IN_ANNEX
                ),
            )
            for w in synthesis.workshops
            if w.region_id == key
        ]
        if parts or key is not None:
            found.append(Annex(synthesis.region(key), parts))
    return found
