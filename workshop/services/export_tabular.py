"""The draft's contributions as rows: CSV (UTF-8 with BOM) and XLSX.

One row per exported contribution. Text that a spreadsheet would read as a
formula (starting with = + - @, or a tab or carriage return) is prefixed
with an apostrophe, so opening the file runs nothing.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask_babel import force_locale, gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .export_labels import date_text, kind_label, labels, phase_label
from .report import Item, StrategyDraft

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHASE_OF_KIND = {
    "story": "discover",
    "dream": "dream",
    "proposition": "design",
    "commitment": "deliver",
}


def neutralise(value: Any) -> Any:
    """Text that cannot run as a spreadsheet formula; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _header() -> list[str]:
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
        gettext("Created"),
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
        item.due.isoformat() if item.due else "",
        item.proposition_text or "",
        item.created_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
    ]


def rows(draft: StrategyDraft, language: str) -> list[list[Any]]:
    """Header and one neutralised row per contribution, labelled in ``language``."""
    with force_locale(language):
        anonymous = labels()["anonymous"]
        table = [_header()] + [_row(item, anonymous) for item in draft.items]
    return [[neutralise(cell) for cell in row] for row in table]


def render_csv(draft: StrategyDraft, language: str) -> bytes:
    """CSV that Excel opens with its diacritics intact (UTF-8 with BOM)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows(draft, language))
    return buffer.getvalue().encode("utf-8-sig")


def render_xlsx(draft: StrategyDraft, language: str) -> bytes:
    """A workbook: the contributions as a filterable table, and the title page."""
    table = rows(draft, language)
    book = Workbook()
    sheet = book.active
    with force_locale(language):
        words = labels()
        sheet.title = gettext("Contributions")[:31]
        about = book.create_sheet(words["strategy_draft"][:31])
        page = draft.title_page
        facts = [
            (words["strategy_draft"], page.title),
            (words["topic"], page.topic),
            (words["date"], date_text(draft)),
            (words["place"], page.place),
            (words["facilitation"], ", ".join(page.facilitators)),
            (words["participants"], page.participant_count),
            (words["organisations"], page.organisation_count),
            (words["regions"], page.region_count),
        ]
        if draft.is_draft:
            facts.append((words["draft_notice"], ""))
    for label, value in facts:
        about.append([label, neutralise(value)])
    about.column_dimensions["A"].width = 32
    about.column_dimensions["B"].width = 80
    for row in table:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [8, 12, 16, 24, 24, 60, 40, 8, 10, 20, 24, 20, 24, 12, 40, 20]
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
