"""The recommendation's rows for spreadsheets: evidence, rankings, commitments, regional themes.

Labelled in the export's language; cells keep their types (numbers, dates,
vote shares as fractions), and each format writes them its own way and
guards text against spreadsheet formulas.
"""

from __future__ import annotations

from typing import Any

from ..synthesis import Entry, Synthesis
from . import labels as L


def _regional_theme_names(synthesis: Synthesis) -> dict[int, str]:
    return {t.id: t.name for t in synthesis.regional_themes}


def _workshop_title(synthesis: Synthesis, workshop_id: int) -> str:
    workshop = synthesis.workshop(workshop_id)
    return workshop.title if workshop else ""


def evidence_header(words: dict[str, str]) -> list[str]:
    """The evidence sheet's and the CSV file's column titles."""
    return [
        words["number"],
        words["recommendation"],
        "ID",
        words["kind"],
        words["region"],
        words["workshop"],
        words["language"],
        words["theme"],
        words["title"],
        words["text"],
        words["author"],
        words["organisation"],
        words["votes"],
        words["vote_share"],
        words["owner"],
        words["owner_organisation"],
        words["due"],
    ]


def evidence_rows(synthesis: Synthesis, words: dict[str, str]) -> list[list[Any]]:
    """One row per piece of evidence of each recommendation (vote shares as fractions)."""
    themes = _regional_theme_names(synthesis)
    rows = []
    for r in synthesis.recommendations:
        for e in r.evidence:
            rows.append(
                [
                    r.number,
                    r.title,
                    e.id,
                    L.kind_label(e.kind),
                    L.region_name(synthesis, e.region_id, words),
                    _workshop_title(synthesis, e.workshop_id),
                    e.language,
                    themes.get(e.theme_id or 0, ""),
                    e.title,
                    e.text,
                    e.author or words["anonymous"],
                    e.organisation or "",
                    e.votes if e.vote_share is not None else None,
                    e.vote_share,
                    e.owner,
                    e.owner_organisation,
                    e.due,
                ]
            )
    return rows


def ranking_header(words: dict[str, str]) -> list[str]:
    """Columns of the opportunities sheet."""
    return [
        words["kind"],
        words["rank"],
        words["text"],
        words["vote_share"],
        words["votes"],
        words["region"],
        words["workshop"],
        words["language"],
        words["author"],
        "ID",
    ]


def ranking_rows(synthesis: Synthesis, words: dict[str, str]) -> list[list[Any]]:
    """Every dream, then every proposition, ranked by vote share."""
    rows = []
    for items in (synthesis.dreams, synthesis.propositions):
        for rank, e in enumerate(items, 1):
            rows.append(
                [
                    L.kind_label(e.kind),
                    rank,
                    e.text,
                    e.vote_share,
                    e.votes,
                    L.region_name(synthesis, e.region_id, words),
                    _workshop_title(synthesis, e.workshop_id),
                    e.language,
                    e.author or words["anonymous"],
                    e.id,
                ]
            )
    return rows


def commitment_header(words: dict[str, str]) -> list[str]:
    """Columns of the results sheet."""
    return [
        words["region"],
        words["what"],
        words["who"],
        words["organisation"],
        words["by_when"],
        words["proposition"],
        words["workshop"],
        words["language"],
        "ID",
    ]


def commitment_rows(synthesis: Synthesis, words: dict[str, str]) -> list[list[Any]]:
    """Every commitment, region by region."""
    return [
        [
            L.region_name(synthesis, c.region_id, words),
            c.text,
            c.owner,
            c.owner_organisation,
            c.due,
            c.proposition_text or "",
            _workshop_title(synthesis, c.workshop_id),
            c.language,
            c.id,
        ]
        for c in synthesis.commitments
    ]


def theme_header(words: dict[str, str]) -> list[str]:
    """Columns of the strengths sheet."""
    return [
        words["mapped_to"],
        words["region"],
        words["regional_themes"],
        words["language"],
        words["workshop"],
        words["stories"],
    ]


def theme_rows(synthesis: Synthesis, words: dict[str, str]) -> list[list[Any]]:
    """Every regional theme under its common theme ("Not mapped" for the others)."""
    names = {t.id: t.name for t in synthesis.programme_themes}
    order = {t.id: i for i, t in enumerate(synthesis.programme_themes)}
    themes = sorted(
        synthesis.regional_themes,
        key=lambda t: (order.get(t.programme_theme_id or 0, len(order)), t.workshop_id, t.id),
    )
    return [
        [
            names.get(t.programme_theme_id or 0, words["not_mapped"]),
            L.region_name(synthesis, t.region_id, words),
            t.name,
            t.language,
            _workshop_title(synthesis, t.workshop_id),
            len(t.stories),
        ]
        for t in themes
    ]


def quote_text(entry: Entry) -> str:
    """A quote's text with its title, for a single cell."""
    return f"{entry.title}: {entry.text}" if entry.title else entry.text
