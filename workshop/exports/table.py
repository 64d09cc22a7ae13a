"""The draft's contributions as rows, for the CSV and XLSX files.

One row per exported contribution, labelled in the export's language. Cells
keep their types (numbers, dates, times in UTC); each format writes them its
own way and guards text against spreadsheet formulas.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import force_locale, gettext

from .draft import Item, StrategyDraft
from .labels import kind_label, labels, phase_label

PHASE_OF_KIND = {
    "story": "discover",
    "dream": "dream",
    "proposition": "design",
    "commitment": "deliver",
}
#: Column widths in the workbook, in characters.
WIDTHS = (8, 12, 16, 24, 24, 60, 40, 8, 10, 20, 24, 20, 24, 12, 40, 18)
DUE_COLUMN, CREATED_COLUMN = 13, 15


def header() -> list[str]:
    """The column titles in the active locale."""
    return [
        "ID",
        gettext("Phase"),
        gettext("Kind"),
        gettext("Theme"),
        gettext("Title"),
        gettext("Text"),
        gettext("What made it possible"),
        gettext("Votes"),
        gettext("Language"),
        gettext("Author"),
        gettext("Organisation"),
        gettext("Owner"),
        gettext("Owner's organisation"),
        gettext("Due"),
        gettext("Proposition"),
        gettext("Created (UTC)"),
    ]


def _row(item: Item, anonymous: str) -> list[Any]:
    return [
        item.id,
        phase_label(PHASE_OF_KIND[item.kind]),
        kind_label(item.kind),
        item.theme_name or "",
        item.title,
        item.text,
        item.factors,
        item.votes,
        item.language,
        item.author or anonymous,
        item.organisation or "",
        item.owner,
        item.owner_organisation,
        item.due,
        item.proposition_text or "",
        # Spreadsheets have no time zones: the column title says UTC.
        item.created_at.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0),
    ]


def rows(draft: StrategyDraft, language: str) -> list[list[Any]]:
    """Header and one row per contribution, labelled in ``language``; cells keep their types."""
    with force_locale(language):
        anonymous = labels()["anonymous"]
        return [header()] + [_row(item, anonymous) for item in draft.items]
