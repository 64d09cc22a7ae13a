"""The recommendation as an Excel workbook: one sheet per section, the coverage matrix as a sheet.

Sheets: the title page, the recommendations, their evidence, the common
themes with their regional themes (strengths), dreams and propositions
ranked by vote share (opportunities and aspirations), commitments by region
(results), the coverage matrix, and the workshops (the annexes' facts).
Numbers stay numbers, vote shares are percentages, dates are date cells, and
text that a spreadsheet would run as a formula gets a leading apostrophe.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..synthesis import Synthesis
from ..xlsx import DATE_FORMAT, neutralise
from . import labels as L
from .sections import matrix_rows, title_header, title_rows
from .table import (
    commitment_header,
    commitment_rows,
    evidence_header,
    evidence_rows,
    ranking_header,
    ranking_rows,
    theme_header,
    theme_rows,
)

PERCENT_FORMAT = "0%"
#: Sheet names are at most 31 characters and may not hold these.
_SHEET_UNSAFE = str.maketrans({c: " " for c in "[]:*?/\\"})


def _title(name: str) -> str:
    return name.translate(_SHEET_UNSAFE).strip()[:31] or "-"


def _sheet(
    book: Workbook,
    name: str,
    header: Sequence[str],
    rows: list[list[Any]],
    widths: Sequence[int],
    percent_columns: Sequence[int] = (),
) -> Worksheet:
    """A sheet with a bold, frozen header row, a filter, wrapped text and typed cells."""
    sheet = book.create_sheet(_title(name))
    sheet.append(list(header))
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
        for column in percent_columns:
            row[column].number_format = PERCENT_FORMAT
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    return sheet


def render(synthesis: Synthesis, language: str, base_url: str | None = None) -> bytes:
    """The workbook's bytes."""
    book = Workbook()
    about = book.active
    with force_locale(language):
        words = L.labels()
        about.title = _title(words["recommendation"])
        about.append([synthesis.title, ""])
        about["A1"].font = Font(bold=True, size=14)
        if synthesis.is_draft:
            about.append([words["draft_notice"], ""])
        for label, value in L.title_facts(synthesis, words, base_url):
            about.append([label, neutralise(value)])
        about.append([])
        about.append(title_header(words))
        for cell in about[about.max_row]:
            cell.font = Font(bold=True)
        for row in title_rows(synthesis, words):
            w = row.workshop
            values: list[Any] = [row.region, row.organisation]
            if w:
                values += [w.title, w.held_on, w.language, L.phase_name(w.phase)]
            about.append([neutralise(value) for value in values])
            if w:
                about.cell(about.max_row, 4).number_format = DATE_FORMAT
        for column, width in zip("ABCDEF", (40, 50, 50, 12, 10, 12), strict=True):
            about.column_dimensions[column].width = width

        names = {t.id: t.name for t in synthesis.programme_themes}
        _sheet(
            book,
            words["recommendations"],
            [
                words["number"],
                words["title"],
                words["text"],
                words["themes"],
                words["regions"],
                words["evidence"],
            ],
            [
                [
                    r.number,
                    r.title,
                    r.text,
                    "; ".join(names[t] for t in r.programme_theme_ids),
                    len(r.region_ids),
                    len(r.evidence),
                ]
                for r in synthesis.recommendations
            ],
            (8, 30, 80, 30, 10, 10),
        )
        _sheet(
            book,
            words["evidence"],
            evidence_header(words),
            evidence_rows(synthesis, words),
            (8, 24, 8, 16, 16, 24, 8, 20, 20, 60, 20, 20, 8, 10, 16, 20, 12),
            percent_columns=(13,),
        )
        _sheet(
            book,
            words["strengths"],
            theme_header(words),
            theme_rows(synthesis, words),
            (28, 18, 28, 10, 30, 10),
        )
        _sheet(
            book,
            words["opportunities"],
            ranking_header(words),
            ranking_rows(synthesis, words),
            (16, 8, 60, 12, 8, 18, 28, 10, 20, 8),
            percent_columns=(3,),
        )
        _sheet(
            book,
            words["results"],
            commitment_header(words),
            commitment_rows(synthesis, words),
            (18, 50, 20, 24, 12, 40, 28, 10, 8),
        )
        header, rows = matrix_rows(synthesis, words)
        _sheet(book, words["matrix"], header, rows, (30, *([14] * (len(header) - 2)), 28))
        _sheet(
            book,
            words["workshops"],
            [
                words["region"],
                words["workshop"],
                words["date"],
                words["place"],
                words["language"],
                words["phase"],
                words["facilitation"],
                words["participants"],
                words["stories"],
                words["dreams"],
                words["propositions"],
                words["commitments"],
            ],
            [
                [
                    L.region_name(synthesis, w.region_id, words),
                    w.title,
                    w.held_on,
                    w.place,
                    w.language,
                    L.phase_name(w.phase),
                    w.facilitator,
                    w.participants,
                    w.counts.get("story", 0),
                    w.counts.get("dream", 0),
                    w.counts.get("proposition", 0),
                    w.counts.get("commitment", 0),
                ]
                for w in synthesis.workshops
            ],
            (18, 36, 12, 20, 8, 12, 20, 10, 8, 8, 10, 10),
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
