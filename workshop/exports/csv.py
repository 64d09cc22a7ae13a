"""The draft's contributions as CSV that any spreadsheet opens safely.

UTF-8 with a BOM (so Excel keeps the diacritics), every field quoted, and
the separator the export language's spreadsheets expect: a comma in English,
a semicolon in German, Polish, Czech, Italian, Slovenian and Dutch, where the
comma is the decimal mark.

A spreadsheet may still split the file at another character than the one it
was written with (a file passed from a Polish to an English office). So
each cell is guarded whatever the separator: text that would begin a cell
with ``=``, ``+``, ``-`` or ``@`` — at its start, or after any comma,
semicolon, tab, quote or line break inside it — gets an apostrophe there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from .draft import StrategyDraft
from .table import rows

#: Languages whose spreadsheets split CSV at semicolons (the comma is their decimal mark).
SEMICOLON_LANGUAGES = frozenset({"de", "pl", "cs", "it", "sl", "nl"})
#: A formula start at the beginning of the text or after a character at which
#: some spreadsheet may begin a new cell; spaces in between are skipped by some.
_FORMULA = re.compile(r"(^|[,;\t\r\n\"])([ \t]*)(?=[=+\-@])")


def separator(language: str) -> str:
    """The field separator the spreadsheets of ``language`` expect."""
    return ";" if language in SEMICOLON_LANGUAGES else ","


def guard(value: Any) -> str:
    """One cell as text that no spreadsheet runs as a formula, whatever the separator."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return _FORMULA.sub(lambda m: m.group(1) + m.group(2) + "'", str(value))


def render(draft: StrategyDraft, language: str, base_url: str | None = None) -> bytes:
    """The CSV file's bytes."""
    del base_url  # rows carry no links
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=separator(language), quoting=csv.QUOTE_ALL, lineterminator="\r\n"
    )
    writer.writerows([guard(cell) for cell in row] for row in rows(draft, language))
    return buffer.getvalue().encode("utf-8-sig")
