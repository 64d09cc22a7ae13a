"""One entry point for every format of the strategy draft.

``render(draft, fmt, language, base_url)`` needs neither a request nor the
database: the draft already holds everything, the language and the
instance's address are arguments. The server, the worker process and the
benchmarks call the same function.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .draft import StrategyDraft

#: format -> media type of the download.
MIMETYPES = {
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
FORMATS = tuple(MIMETYPES)
#: Formats whose layout takes seconds of CPU: a worker process lays them out.
HEAVY_FORMATS = frozenset({"pdf", "docx", "xlsx"})
#: Formats whose content does not depend on the language chosen at download.
LANGUAGE_FREE_FORMATS = frozenset({"json"})

Renderer = Callable[[StrategyDraft, str, "str | None"], bytes]


def renderer(fmt: str) -> Renderer:
    """The ``render(draft, language, base_url)`` function of ``fmt``.

    Modules are imported on first use: Word, PDF and Excel libraries weigh
    ~26 MB, and a live server lays those formats out in a worker process.
    """
    if fmt not in MIMETYPES:
        raise ValueError(f"unknown export format: {fmt!r}")
    module = importlib.import_module(f"{__package__}.{fmt}")
    return module.render


def render(draft: StrategyDraft, fmt: str, language: str, base_url: str | None = None) -> bytes:
    """The draft in ``fmt`` (one of ``FORMATS``), labelled in ``language``."""
    return renderer(fmt)(draft, language, base_url)
