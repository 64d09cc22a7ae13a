"""The transnational recommendation as a Word document partners edit and defend as their own.

Built with the strategy draft's writer (exports/docx.py), so it has the same
qualities: real heading styles listed in a written table of contents, the
proofing language of the document set to the export's and each quote marked
with the language it was told in, Word numbered lists, tables with
repeating header rows, page numbers in the footer.
"""

from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from flask_babel import force_locale

from ..docx import _page_setup, _Writer, proofing_language
from ..synthesis import Entry, Synthesis
from . import labels as L
from .sections import annexes, commitments_by_region, matrix_rows, title_header, title_rows, top


def _quote(writer: _Writer, synthesis: Synthesis, entry: Entry, words: dict[str, str]) -> None:
    if entry.title:
        writer.heading(entry.title, 4, entry.language)
    quote = writer.para(style_id="Quote")
    writer.text_run(quote, entry.text, entry.language)
    quote.add_run(f"  [{L.tag(synthesis, entry, words)}]").italic = True
    if entry.author:
        writer.para(L.byline(entry)).alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _line(
    writer: _Writer,
    synthesis: Synthesis,
    entry: Entry,
    words: dict[str, str],
    style: str,
    label: str = "",
) -> Paragraph:
    """One item on a line: its text (in its language), vote share or owner, tag and author."""
    paragraph = writer.para(style_id=style)
    paragraph.paragraph_format.keep_together = True
    if label:
        paragraph.add_run(f"{label}: ").bold = True
    writer.text_run(paragraph, entry.text, entry.language)
    if entry.vote_share is not None:
        paragraph.add_run(f" — {L.share_text(entry)}").bold = True
    if entry.kind == "commitment":
        who = ", ".join(x for x in (entry.owner, entry.owner_organisation) if x)
        if who:
            paragraph.add_run(f" — {who}")
        if entry.due:
            paragraph.add_run(f" ({L.date_text(entry.due)})")
    paragraph.add_run(f" [{L.tag(synthesis, entry, words)}]").italic = True
    if entry.author:
        paragraph.add_run(f" {L.byline(entry)}")
    return paragraph


def _ranked(
    writer: _Writer, synthesis: Synthesis, items: list[Entry], words: dict[str, str]
) -> None:
    numbers = writer.numbered_list()
    for entry in items:
        paragraph = _line(writer, synthesis, entry, words, "ListNumber")
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = numbers


def _title_page(
    writer: _Writer, synthesis: Synthesis, words: dict[str, str], base_url: str | None
) -> None:
    writer.para(synthesis.title, "Title")
    writer.para(words["recommendation"], "Subtitle")
    if synthesis.is_draft:
        writer.para().add_run(words["draft_notice"]).bold = True
    if synthesis.description:
        writer.para(synthesis.description)
    for label, value in L.title_facts(synthesis, words, base_url):
        paragraph = writer.para()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    rows = []
    for row in title_rows(synthesis, words):
        w = row.workshop
        rows.append(
            [(row.region, None), (row.organisation or "—", None)]
            + (
                [
                    (w.title, w.language),
                    (L.date_text(w.held_on), None),
                    (w.language, None),
                    (L.phase_name(w.phase), None),
                ]
                if w
                else [("—", None)] * 4
            )
        )
    table = writer.table(title_header(words), rows)
    _small(table)


def _small(table: Table) -> None:
    """A dense table's text in a smaller size."""
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)


def _recommendations(writer: _Writer, synthesis: Synthesis, words: dict[str, str]) -> None:
    writer.heading(words["recommendations"], 1)
    if not synthesis.recommendations:
        writer.para(words["no_recommendations"])
    names = {t.id: t.name for t in synthesis.programme_themes}
    for r in synthesis.recommendations:
        writer.heading(f"{r.number}. {r.title}", 2)
        for text in r.text.split("\n\n"):
            writer.para(text)
        if r.programme_theme_ids:
            paragraph = writer.para()
            paragraph.add_run(f"{words['themes']}: ").bold = True
            paragraph.add_run("; ".join(names[t] for t in r.programme_theme_ids))
        if not r.evidence:
            writer.para().add_run(words["no_evidence"]).italic = True
            continue
        writer.heading(f"{words['evidence']}: {L.regions_text(len(r.region_ids))}", 3)
        for entry in r.evidence:
            if entry.kind == "story":
                _quote(writer, synthesis, entry, words)
            else:
                _line(writer, synthesis, entry, words, "ListBullet", L.kind_label(entry.kind))


def _soar(writer: _Writer, synthesis: Synthesis, words: dict[str, str]) -> None:
    writer.heading(words["soar"], 1)
    writer.heading(words["strengths"], 2)
    writer.para(words["strengths_intro"])
    if not synthesis.programme_themes:
        writer.para(words["no_themes"])
    for section in synthesis.programme_themes:
        writer.heading(f"{section.name} ({L.theme_summary(section)})", 3)
        for theme in section.regional_themes:
            item = writer.para(style_id="ListBullet")
            writer.text_run(item, theme.name, theme.language)
            region = L.region_name(synthesis, theme.region_id, words)
            item.add_run(f" [{region} · {theme.language}]: ").italic = True
            item.add_run(L.stories_text(len(theme.stories)))
        for quote in section.quotes:
            _quote(writer, synthesis, quote, words)
    writer.heading(words["opportunities"], 2)
    writer.para(words["opportunities_intro"])
    for key, items, empty in (
        ("dreams", synthesis.dreams, "no_dreams"),
        ("propositions", synthesis.propositions, "no_propositions"),
    ):
        writer.heading(words[key], 3)
        ranked = top(items, L.TOP_ACROSS_REGIONS)
        if ranked:
            _ranked(writer, synthesis, ranked, words)
        else:
            writer.para(words[empty])
    writer.heading(words["results"], 2)
    grouped = commitments_by_region(synthesis)
    if not grouped:
        writer.para(words["no_commitments"])
    headers = [words[k] for k in ("what", "who", "organisation", "by_when", "proposition")]
    for region, items in grouped:
        writer.heading(L.region_label(region, words), 3)
        writer.table(
            headers,
            [
                [
                    (c.text, c.language),
                    (c.owner or "—", None),
                    (c.owner_organisation or "—", None),
                    (L.date_text(c.due) if c.due else "—", None),
                    (c.proposition_text or "—", None),
                ]
                for c in items
            ],
        )


def _matrix(writer: _Writer, synthesis: Synthesis, words: dict[str, str]) -> None:
    writer.heading(words["matrix"], 1)
    writer.para(words["matrix_intro"])
    header, rows = matrix_rows(synthesis, words)
    if not rows:
        writer.para(words["no_themes"])
    else:
        table = writer.table(
            header,
            [[(str(c) if c is not None else "—", None) for c in row] for row in rows],
        )
        _small(table)
    if synthesis.unmapped:
        writer.heading(words["unmapped"], 2)
        for theme in synthesis.unmapped:
            item = writer.para(style_id="ListBullet")
            writer.text_run(item, theme.name, theme.language)
            region = L.region_name(synthesis, theme.region_id, words)
            item.add_run(f" [{region} · {theme.language}]: ").italic = True
            item.add_run(L.stories_text(len(theme.stories)))


def _annexes(writer: _Writer, synthesis: Synthesis, words: dict[str, str]) -> None:
    names = {t.id: t.name for t in synthesis.programme_themes}
    for annex in annexes(synthesis):
        writer.document.add_page_break()
        writer.heading(L.annex_title(L.region_label(annex.region, words)), 1)
        if annex.region and annex.region.organisation:
            paragraph = writer.para()
            paragraph.add_run(f"{words['organisations']}: ").bold = True
            paragraph.add_run(annex.region.organisation)
        for part in annex.workshops:
            w = part.workshop
            writer.heading(w.title, 2, w.language)
            facts = [
                (words["date"], L.date_text(w.held_on)),
                (words["place"], w.place or "—"),
                (words["language"], L.language_name(w.language)),
                (words["phase"], L.phase_name(w.phase)),
                (words["facilitation"], w.facilitator or "—"),
                (words["participants"], str(w.participants)),
                (
                    words["stories"] + " / " + words["dreams"],
                    f"{w.counts.get('story', 0)} / {w.counts.get('dream', 0)}",
                ),
                (
                    words["propositions"] + " / " + words["commitments"],
                    f"{w.counts.get('proposition', 0)} / {w.counts.get('commitment', 0)}",
                ),
            ]
            for label, value in facts:
                paragraph = writer.para()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(value)
            if part.themes:
                writer.heading(words["regional_themes"], 3)
                writer.table(
                    [words["regional_themes"], words["mapped_to"], words["stories"]],
                    [
                        [
                            (t.name, t.language),
                            (names.get(t.programme_theme_id or 0, words["not_mapped"]), None),
                            (str(len(t.stories)), None),
                        ]
                        for t in part.themes
                    ],
                )
            for key, items in (
                ("top_dreams", part.dreams),
                ("top_propositions", part.propositions),
            ):
                if items:
                    writer.heading(words[key], 3)
                    _ranked(writer, synthesis, items, words)


def render(synthesis: Synthesis, language: str, base_url: str | None = None) -> bytes:
    """The whole recommendation as a .docx file."""
    with force_locale(language):
        words = L.labels()
        writer = _Writer(language)
        _page_setup(writer, words)
        core = writer.document.core_properties
        core.title, core.subject = synthesis.title, words["recommendation"]
        core.language = proofing_language(language)
        _title_page(writer, synthesis, words, base_url)
        contents = writer.para()
        writer.document.add_page_break()
        _recommendations(writer, synthesis, words)
        _soar(writer, synthesis, words)
        _matrix(writer, synthesis, words)
        _annexes(writer, synthesis, words)
        writer.table_of_contents(contents, words["contents"])
    buffer = io.BytesIO()
    writer.document.save(buffer)
    return buffer.getvalue()
