"""The strategy draft as a Word document partners restyle and edit as their own.

Real heading styles (so Word's navigation pane and table of contents work),
a table of contents field that Word fills in on opening, tables with
repeating header rows, and page numbers in the footer.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from flask_babel import force_locale, format_date

from .export_labels import date_text, generated_text, labels, stories_text, votes_text
from .report import Item, StrategyDraft


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (TOC, PAGE …) that Word computes when the document opens."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, shown, end):
        run._r.append(element)


def _para(document: Document, text: str = "", style_id: str | None = None) -> Paragraph:
    """A paragraph in the style with ``style_id``.

    Setting the id directly skips python-docx's look-up by style name, which
    scans every style and made large drafts take many seconds.
    """
    paragraph = document.add_paragraph(text)
    if style_id:
        paragraph._p.style = style_id
    return paragraph


def _heading(document: Document, text: str, level: int) -> Paragraph:
    return _para(document, text, f"Heading{level}")


def _repeat_header(table: Table) -> None:
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row_properties.append(header)


def _table(document: Document, headers: list[str], rows: list[list[str]]) -> Table:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    _repeat_header(table)
    return table


def _byline(item: Item) -> str:
    if not item.author:
        return ""
    return "— " + item.author + (f", {item.organisation}" if item.organisation else "")


def _story(document: Document, item: Item, words: dict[str, str]) -> None:
    if item.title:
        _heading(document, item.title, 4)
    quote = _para(document, style_id="Quote")
    quote.add_run(item.text)
    quote.add_run(f"  [{item.language}]").italic = True
    if item.author:
        document.add_paragraph(_byline(item)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if item.factors:
        factors = document.add_paragraph()
        factors.add_run(f"{words['factors']}: ").bold = True
        factors.add_run(item.factors)


def _ranked(document: Document, items: list[Item], words: dict[str, str]) -> None:
    # Ranks are written out: Word's list numbering would run on from one list to the next.
    for rank, item in enumerate(items, 1):
        paragraph = _para(document, style_id="ListParagraph")
        paragraph.add_run(f"{rank}. ").bold = True
        paragraph.add_run(item.text)
        paragraph.add_run(f" — {votes_text(item.votes)}").bold = True
        paragraph.add_run(f" [{item.language}]").italic = True
        if item.author:
            paragraph.add_run(f" {_byline(item)}")
        if item.theme_name:
            note = _para(document, style_id="ListBullet2")
            note.add_run(f"{words['theme']}: ").bold = True
            note.add_run(item.theme_name)
        if item.grounded_in:
            note = _para(document, style_id="ListBullet2")
            note.add_run(f"{words['grounded_in']}: ").bold = True
            note.add_run("; ".join(item.grounded_in))


def _page_setup(document: Document, words: dict[str, str]) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{words['page']} ")
    _field(footer, "PAGE", "1")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES", "1")
    document.styles["Normal"].font.size = Pt(11)
    # Ask Word to fill in the table of contents and page fields on opening.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


def render(draft: StrategyDraft, language: str) -> bytes:
    """The whole draft as a .docx file."""
    with force_locale(language):
        words = labels()
        document = Document()
        _page_setup(document, words)
        page = draft.title_page
        core = document.core_properties
        core.title, core.subject, core.language = page.title, words["strategy_draft"], language
        _para(document, page.title, "Title")
        _para(document, words["strategy_draft"], "Subtitle")
        if draft.is_draft:
            document.add_paragraph().add_run(words["draft_notice"]).bold = True
        facts = [
            (words["topic"], page.topic or "—"),
            (words["date"], date_text(draft)),
            (words["place"], page.place or "—"),
            (words["facilitation"], ", ".join(page.facilitators) or "—"),
            (words["participants"], str(page.participant_count)),
            (words["organisations"], str(page.organisation_count)),
            (words["regions"], str(page.region_count)),
        ]
        if page.named_participants:
            facts.append((words["named"], ", ".join(page.named_participants)))
        facts.append((words["generated"], generated_text(draft)))
        for label, value in facts:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
        _para(document, words["contents"], "TOCHeading")
        _field(document.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u', words["contents"] + " …")
        document.add_page_break()

        _heading(document, words["strengths"], 1)
        document.add_paragraph(words["strengths_intro"])
        if not draft.strengths and not draft.ungrouped_stories:
            document.add_paragraph(words["no_stories"])
        for section in draft.strengths:
            _heading(document, f"{section.name} ({stories_text(len(section.stories))})", 2)
            for story in section.quotes:
                _story(document, story, words)
            if section.listed:
                _heading(document, words["more_stories"], 4)
                for story in section.listed:
                    _para(
                        document,
                        f"{story.snippet} [{story.language}] {_byline(story)}".strip(),
                        "ListBullet",
                    )
        if draft.ungrouped_stories:
            _heading(document, words["ungrouped"], 2)
            for story in draft.ungrouped_stories:
                _story(document, story, words)

        _heading(document, words["opportunities"], 1)
        _heading(document, words["dreams"], 2)
        if draft.dreams:
            _ranked(document, draft.dreams, words)
        else:
            document.add_paragraph(words["no_dreams"])
        _heading(document, words["propositions"], 2)
        if draft.propositions:
            _ranked(document, draft.propositions, words)
        else:
            document.add_paragraph(words["no_propositions"])

        _heading(document, words["results"], 1)
        if draft.commitments:
            headers = [words[k] for k in ("what", "who", "organisation", "by_when", "proposition")]
            rows = [
                [
                    c.text,
                    c.owner or "—",
                    c.owner_organisation or "—",
                    format_date(c.due) if c.due else "—",
                    c.proposition_text or "—",
                ]
                for c in draft.commitments
            ]
            _table(document, headers, rows)
        else:
            document.add_paragraph(words["no_commitments"])

        if draft.stories:
            document.add_page_break()
            _heading(document, words["appendix"], 1)
            for story in draft.stories:
                _story(document, story, words)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
