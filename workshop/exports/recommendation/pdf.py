"""The transnational recommendation as an A4 PDF, from an HTML template, with WeasyPrint.

The same fonts and rules as the strategy draft's PDF (exports/pdf.py):
system fonts only, nothing fetched from the network, a ranked item or a
quote never split across pages, every quote tagged with its language.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from ..pdf import _refuse_network
from ..synthesis import Synthesis
from . import labels as L
from .sections import annexes, commitments_by_region, matrix_rows, title_header, title_rows, top


def html(synthesis: Synthesis, language: str, base_url: str | None = None) -> str:
    """The HTML the PDF is laid out from (one template for every language)."""
    with force_locale(language):
        words = L.labels()
        header, rows = matrix_rows(synthesis, words)
        return render_template(
            "exports/recommendation.html",
            s=synthesis,
            words=words,
            language=language,
            facts=L.title_facts(synthesis, words, base_url),
            theme_names={t.id: t.name for t in synthesis.programme_themes},
            title_header=title_header(words),
            title_rows=title_rows(synthesis, words),
            matrix_header=header,
            matrix_rows=rows,
            commitments=commitments_by_region(synthesis),
            annexes=annexes(synthesis),
            dreams=top(synthesis.dreams, L.TOP_ACROSS_REGIONS),
            propositions=top(synthesis.propositions, L.TOP_ACROSS_REGIONS),
            L=L,
        )


def render(synthesis: Synthesis, language: str, base_url: str | None = None) -> bytes:
    """The whole recommendation as PDF bytes."""
    source = html(synthesis, language, base_url)
    # Imported here: WeasyPrint loads Pango, which only PDF exports need.
    from weasyprint import HTML

    return HTML(string=source, url_fetcher=_refuse_network).write_pdf()
