"""The draft as an Excel workbook: the contributions as a filterable table, and the title page.

Numbers stay numbers and dates are date cells with a date format, so a
partner can sort, filter and count. Text that a spreadsheet would read as a
formula (starting with ``=``, ``+``, ``-`` or ``@``, or a tab or line break
before one) is stored with a leading apostrophe, so opening the file runs
nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from flask_babel import force_locale, gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .draft import StrategyDraft
from .labels import generated_text, labels
from .table import CREATED_COLUMN, DUE_COLUMN, WIDTHS, rows

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "yyyy-mm-dd hh:mm"
_FORMULA_START = re.compile(r"^[\t\r\n ]*[=+\-@]")


def neutralise(value: Any) -> Any:
    """Text that cannot run as a formula; numbers and dates pass unchanged."""
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def render(draft: StrategyDraft, language: str, base_url: str | None = None) -> bytes:
    """The workbook's bytes."""
    table = rows(draft, language)
    book = Workbook()
    sheet = book.active
    page = draft.title_page
    with force_locale(language):
        words = labels()
        sheet.title = gettext("Contributions")[:31]
        about = book.create_sheet(words["strategy_draft"][:31])
        facts: list[tuple[str, Any]] = [
            (words["strategy_draft"], draft.title),
            (words["topic"], page.topic),
            (words["date"], page.held_on),
            (words["place"], page.place),
            (words["facilitation"], ", ".join(page.facilitators)),
            (words["participants"], page.participant_count),
            (words["organisations"], page.organisation_count),
            (words["regions"], page.region_count),
        ]
        if page.named_participants:
            facts.append((words["named"], ", ".join(page.named_participants)))
        facts.append((words["generated"], generated_text(draft)))
        if base_url:
            facts.append((words["source"], base_url))
        if draft.is_draft:
            facts.append((words["draft_notice"], ""))
    for label, value in facts:
        about.append([label, neutralise(value)])
        if isinstance(value, dt.date):
            about.cell(about.max_row, 2).number_format = DATE_FORMAT
    about.column_dimensions["A"].width = 32
    about.column_dimensions["B"].width = 80
    for row in table:
        sheet.append([neutralise(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
        row[DUE_COLUMN].number_format = DATE_FORMAT
        row[CREATED_COLUMN].number_format = TIME_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
