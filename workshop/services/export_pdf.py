"""The strategy draft as an A4 PDF, from an HTML template, with WeasyPrint.

Fonts come from the system (Debian's fonts-dejavu-core, installed by
scripts/install-system-deps): DejaVu Sans covers Polish, Czech, Slovenian,
German and Italian. Nothing is fetched from the network.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from .export_labels import date_text, generated_text, labels, stories_text, votes_text
from .report import StrategyDraft


def _refuse_network(url: str) -> dict[str, str]:
    raise ValueError(f"PDF exports load nothing from outside: {url}")


def render(draft: StrategyDraft, language: str) -> bytes:
    """The whole draft as PDF bytes."""
    with force_locale(language):
        html = render_template(
            "exports/draft.html",
            draft=draft,
            page=draft.title_page,
            words=labels(),
            language=language,
            date_text=date_text(draft),
            generated_text=generated_text(draft),
            votes_text=votes_text,
            stories_text=stories_text,
        )
    # Imported here: WeasyPrint loads Pango, which only PDF exports need.
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_refuse_network).write_pdf()
