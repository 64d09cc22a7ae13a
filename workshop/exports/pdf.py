"""The strategy draft as an A4 PDF, from an HTML template, with WeasyPrint.

Fonts come from the system (Debian's fonts-dejavu-core, installed by
scripts/install-system-deps): DejaVu Sans covers Polish, Czech, Slovenian,
German and Italian. Nothing is fetched from the network.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from .draft import StrategyDraft
from .labels import labels, stories_text, title_facts, votes_text


def _refuse_network(url: str) -> dict[str, str]:
    raise ValueError(f"PDF exports load nothing from outside: {url}")


def html(draft: StrategyDraft, language: str, base_url: str | None = None) -> str:
    """The HTML the PDF is laid out from (one template for every language)."""
    with force_locale(language):
        words = labels()
        return render_template(
            "exports/draft.html",
            draft=draft,
            page=draft.title_page,
            words=words,
            language=language,
            facts=title_facts(draft, words, base_url),
            votes_text=votes_text,
            stories_text=stories_text,
        )


def render(draft: StrategyDraft, language: str, base_url: str | None = None) -> bytes:
    """The whole draft as PDF bytes."""
    source = html(draft, language, base_url)
    # Imported here: WeasyPrint loads Pango, which only PDF exports need.
    from weasyprint import HTML

    return HTML(string=source, url_fetcher=_refuse_network).write_pdf()
