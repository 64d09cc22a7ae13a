"""The recommendation's evidence as CSV: one row per piece of evidence of each recommendation.

The same safety as the strategy draft's CSV (exports/csv.py): UTF-8 with a
BOM, every field quoted, the separator of the language's spreadsheets, no
cell that starts a formula. Vote shares are percentages written with the
language's decimal mark.
"""

from __future__ import annotations

import csv
import io

from flask_babel import force_locale, format_decimal

from ..csv import guard, separator
from ..synthesis import Synthesis
from . import labels as L
from .table import evidence_header, evidence_rows

SHARE_COLUMN = 13


def render(synthesis: Synthesis, language: str, base_url: str | None = None) -> bytes:
    """The CSV file's bytes."""
    del base_url  # rows carry no links
    with force_locale(language):
        words = L.labels()
        header = evidence_header(words)
        header[SHARE_COLUMN] = f"{words['vote_share']} (%)"
        rows = evidence_rows(synthesis, words)
        for row in rows:
            share = row[SHARE_COLUMN]
            row[SHARE_COLUMN] = (
                format_decimal(share * 100, format="0.0") if share is not None else ""
            )
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=separator(language), quoting=csv.QUOTE_ALL, lineterminator="\r\n"
    )
    writer.writerows([guard(cell) for cell in row] for row in [header, *rows])
    return buffer.getvalue().encode("utf-8-sig")
