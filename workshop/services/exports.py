"""One entry point for every download format of the strategy draft."""

from __future__ import annotations

import dataclasses
import json

from flask import request

from .. import languages
from ..models import Workshop
from . import export_json, export_markdown
from .report import build_draft


@dataclasses.dataclass(frozen=True)
class ExportFile:
    """A rendered download."""

    body: bytes
    mimetype: str
    filename: str


FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def export_language(workshop: Workshop) -> str:
    """``?lang=`` when it names a supported language, else the workshop's."""
    asked = request.args.get("lang")
    return asked if languages.is_supported(asked) else workshop.language


def render(workshop: Workshop, fmt: str, language: str) -> ExportFile:
    """The draft of ``workshop`` in ``fmt`` (one of ``FORMATS``), labelled in ``language``."""
    draft = build_draft(workshop)
    if fmt == "md":
        body = export_markdown.render(draft, language).encode("utf-8")
    elif fmt == "json":
        body = json.dumps(
            export_json.render(draft, workshop), ensure_ascii=False, indent=2
        ).encode()
    # Word, PDF and Excel libraries are imported on first use: a live server
    # lays these out in a worker process (downloads.py) and needs not carry
    # their ~26 MB for each of its own processes.
    elif fmt == "docx":
        from . import export_docx

        body = export_docx.render(draft, language)
    elif fmt == "pdf":
        from . import export_pdf

        body = export_pdf.render(draft, language)
    elif fmt in ("xlsx", "csv"):
        from . import export_tabular

        render_table = export_tabular.render_xlsx if fmt == "xlsx" else export_tabular.render_csv
        body = render_table(draft, language)
    else:
        raise ValueError(fmt)
    return ExportFile(body, FORMATS[fmt], filename(workshop, fmt))


def filename(workshop: Workshop, fmt: str) -> str:
    """The download's file name."""
    return f"positive-core-{workshop.id}-{workshop.code.lower()}.{fmt}"
