"""One entry point for every format of every document: strategy drafts and recommendations.

``render(model, fmt, language, base_url)`` needs neither a request nor the
database: the model (a workshop's ``StrategyDraft`` or a programme's
``Synthesis``) already holds everything, the language and the instance's
address are arguments. The server, the worker process and the benchmarks
call the same function.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from .draft import StrategyDraft
from .synthesis import Synthesis

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

Renderer = Callable[[Any, str, "str | None"], bytes]

#: Document kind -> the package of its format modules (one module per format).
PACKAGES = {"workshop": __package__, "programme": f"{__package__}.recommendation"}


def renderer(fmt: str, document: str = "workshop") -> Renderer:
    """The ``render(model, language, base_url)`` function of ``fmt`` for a kind of document.

    Modules are imported on first use: Word, PDF and Excel libraries weigh
    ~26 MB, and a live server lays those formats out in a worker process.
    """
    if fmt not in MIMETYPES:
        raise ValueError(f"unknown export format: {fmt!r}")
    module = importlib.import_module(f"{PACKAGES[document]}.{fmt}")
    return module.render


def render(
    model: StrategyDraft | Synthesis, fmt: str, language: str, base_url: str | None = None
) -> bytes:
    """The document in ``fmt`` (one of ``FORMATS``), labelled in ``language``."""
    document = "programme" if isinstance(model, Synthesis) else "workshop"
    return renderer(fmt, document)(model, language, base_url)
