"""The strategy draft, the transnational recommendation and their downloads: a part of its own.

- ``draft``: the model of a workshop's results, shaped as SOAR, with the
  consent and moderation rules applied (``build_draft``, ``exportable_items``);
- one module per format (``md``, ``json``, ``docx``, ``pdf``, ``xlsx``, ``csv``),
  each a ``render(draft, language, base_url) -> bytes``, with ``labels`` for
  their words and ``table`` for the spreadsheet rows;
- ``synthesis``: the model of a programme's synthesis (``build_synthesis``),
  reading contributions through ``exportable_items`` too, and
  ``recommendation/``: its formats, the transnational recommendation;
- ``documents``: the two kinds of document and what each is made from;
- ``files``: download names; ``cache``: rendered files kept on disk
  (``forget_workshop(id)``, ``forget_programme(id)`` delete a document's);
  ``renders``: the per-process queue that bounds concurrent renders;
  ``worker``: the process that lays out heavy formats.

Nothing here reads the request: the language and the instance's address are
arguments, so the same code runs in the server, the worker and the CLI.
``workshop/downloads.py`` is the HTTP side.
"""

from .cache import forget_programme, forget_workshop
from .draft import Item, StrategyDraft, ThemeSection, TitlePage, build_draft
from .formats import FORMATS, HEAVY_FORMATS, MIMETYPES, render

__all__ = [
    "FORMATS",
    "HEAVY_FORMATS",
    "MIMETYPES",
    "Item",
    "StrategyDraft",
    "ThemeSection",
    "TitlePage",
    "build_draft",
    "forget_programme",
    "forget_workshop",
    "render",
]
