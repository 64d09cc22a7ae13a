"""The strategy draft as a Word document partners restyle and edit as their own.

What makes it a document rather than a print-out:

- real heading styles, each heading bookmarked, and a table of contents whose
  entries are already written (links to those headings) inside a TOC field,
  so it reads right on opening and Word's "Update table" adds page numbers;
- the proofing language of the document set to the export's language, and
  each participant's words marked with the language they were written in, so
  Word checks a Polish quote in a Slovenian document as Polish;
- ranked dreams and propositions as Word numbered lists (each restarting at
  1), tables with repeating header rows, page numbers in the footer.
"""

from __future__ import annotations

import io
import itertools

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from flask_babel import force_locale, format_date

from .draft import Item, StrategyDraft
from .labels import labels, stories_text, title_facts, votes_text

#: Word's proofing languages for the locales of the network (BCP 47 tags).
PROOFING_LANGUAGES = {
    "en": "en-GB",
    "de": "de-DE",
    "pl": "pl-PL",
    "cs": "cs-CZ",
    "it": "it-IT",
    "sl": "sl-SI",
    "nl": "nl-BE",  # Flemish: the network's Dutch-speaking region is Limburg (Belgium)
}
#: Heading levels the table of contents lists (as the TOC field's ``\o "1-3"``).
TOC_LEVELS = 3


def proofing_language(code: str) -> str:
    """The Word language tag for a locale code (the code itself when unknown)."""
    return PROOFING_LANGUAGES.get(code, code)


def _element(tag: str, **attributes: str) -> BaseOxmlElement:
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(name), value)
    return element


class _Writer:
    """Builds one document: keeps the bookmarks, the headings and the numbered lists it made."""

    def __init__(self, language: str) -> None:
        self.document: DocumentObject = Document()
        self.language = language
        self.headings: list[tuple[int, str, str]] = []  # (level, text, bookmark)
        self._ids = itertools.count(1)
        self._set_language()
        self._add_toc_styles()

    # -- styles and language --
    def _set_language(self) -> None:
        """The proofing language of every run that does not say otherwise."""
        styles = self.document.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = run_defaults.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            run_defaults.append(lang)
        # Only the Latin-script language: East Asian and complex-script ones stay as they are.
        lang.set(qn("w:val"), proofing_language(self.language))

    def _add_toc_styles(self) -> None:
        """Word's built-in "toc 1".."toc 3" styles, which its table of contents uses."""
        styles = self.document.styles
        for level in range(1, TOC_LEVELS + 1):
            style = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            # Built in, not custom: Word's "Update table" then keeps using them.
            style.element.set(qn("w:styleId"), f"TOC{level}")
            style.element.attrib.pop(qn("w:customStyle"), None)
            style.priority = 39
            style.base_style = styles["Normal"]
            style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            style.paragraph_format.space_after = Pt(2)
            style.next_paragraph_style = styles["Normal"]

    def text_run(self, paragraph: Paragraph, text: str, language: str | None = None) -> Run:
        """A run of a participant's words, marked with their language when it is not the document's."""
        run = paragraph.add_run(text)
        if language and language != self.language:
            run._r.get_or_add_rPr().append(
                _element("w:lang", **{"w:val": proofing_language(language)})
            )
        return run

    # -- paragraphs --
    def para(self, text: str = "", style_id: str | None = None) -> Paragraph:
        """A paragraph in the style with ``style_id``.

        Setting the id directly skips python-docx's look-up by style name, which
        scans every style and made large drafts take many seconds.
        """
        paragraph = self.document.add_paragraph(text)
        if style_id:
            paragraph._p.style = style_id
        return paragraph

    def heading(self, text: str, level: int, language: str | None = None) -> Paragraph:
        """A heading; levels 1-3 are bookmarked and listed in the table of contents."""
        paragraph = self.para(style_id=f"Heading{level}")
        run = self.text_run(paragraph, text, language)
        if level <= TOC_LEVELS:
            number = next(self._ids)
            name = f"_Toc{number:08d}"
            run._r.addprevious(_element("w:bookmarkStart", **{"w:id": str(number), "w:name": name}))
            run._r.addnext(_element("w:bookmarkEnd", **{"w:id": str(number)}))
            self.headings.append((level, text, name))
        return paragraph

    def numbered_list(self) -> int:
        """A new Word numbering instance of "List Number", restarting at 1."""
        numbering = self.document.part.numbering_part.numbering_definitions._numbering
        style = self.document.styles["List Number"].element
        style_num = style.pPr.numPr.numId.val
        abstract = next(
            num.abstractNumId.val for num in numbering.num_lst if num.numId == style_num
        )
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def list_item(self, list_id: int) -> Paragraph:
        """An item of the numbered list ``list_id``: Word writes its number."""
        paragraph = self.para(style_id="ListNumber")
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = list_id
        return paragraph

    def field(self, paragraph: Paragraph, instruction: str, shown: str = "") -> None:
        """A field Word computes as it lays out the page (PAGE, NUMPAGES in the footer)."""
        run = paragraph.add_run()
        for element in (
            _element("w:fldChar", **{"w:fldCharType": "begin"}),
            self._instruction(instruction),
            _element("w:fldChar", **{"w:fldCharType": "separate"}),
        ):
            run._r.append(element)
        text = OxmlElement("w:t")
        text.text = shown
        run._r.append(text)
        run._r.append(_element("w:fldChar", **{"w:fldCharType": "end"}))

    @staticmethod
    def _instruction(code: str) -> BaseOxmlElement:
        element = OxmlElement("w:instrText")
        element.set(qn("xml:space"), "preserve")
        element.text = f" {code} "
        return element

    # -- the table of contents --
    def table_of_contents(self, before: Paragraph, title: str) -> None:
        """The finished table of contents, put in place of ``before``.

        Written after the body, when every heading is known: a content control
        Word recognises as its table of contents, holding a TOC field whose
        current result is one linked entry per heading.
        """
        sdt = OxmlElement("w:sdt")
        properties = OxmlElement("w:sdtPr")
        part = OxmlElement("w:docPartObj")
        part.append(_element("w:docPartGallery", **{"w:val": "Table of Contents"}))
        part.append(OxmlElement("w:docPartUnique"))
        properties.append(part)
        sdt.append(properties)
        content = OxmlElement("w:sdtContent")
        sdt.append(content)

        heading = self._bare_paragraph("TOCHeading")
        heading.append(self._text_run(title))
        content.append(heading)
        for index, (level, text, name) in enumerate(self.headings):
            paragraph = self._bare_paragraph(f"TOC{level}")
            if index == 0:
                self._append_field_start(paragraph, 'TOC \\o "1-3" \\h \\z \\u')
            link = _element("w:hyperlink", **{"w:anchor": name, "w:history": "1"})
            link.append(self._text_run(text))
            paragraph.append(link)
            content.append(paragraph)
        closing = self._bare_paragraph("TOC1")
        if not self.headings:
            self._append_field_start(closing, 'TOC \\o "1-3" \\h \\z \\u')
        end = OxmlElement("w:r")
        end.append(_element("w:fldChar", **{"w:fldCharType": "end"}))
        closing.append(end)
        content.append(closing)
        before._p.addprevious(sdt)
        before._p.getparent().remove(before._p)

    def _append_field_start(self, paragraph: BaseOxmlElement, code: str) -> None:
        for element in (
            _element("w:fldChar", **{"w:fldCharType": "begin"}),
            self._instruction(code),
            _element("w:fldChar", **{"w:fldCharType": "separate"}),
        ):
            run = OxmlElement("w:r")
            run.append(element)
            paragraph.append(run)

    @staticmethod
    def _bare_paragraph(style_id: str) -> BaseOxmlElement:
        paragraph = OxmlElement("w:p")
        properties = OxmlElement("w:pPr")
        properties.append(_element("w:pStyle", **{"w:val": style_id}))
        paragraph.append(properties)
        return paragraph

    @staticmethod
    def _text_run(text: str) -> BaseOxmlElement:
        run = OxmlElement("w:r")
        shown = OxmlElement("w:t")
        shown.set(qn("xml:space"), "preserve")
        shown.text = text
        run.append(shown)
        return run

    # -- tables --
    def table(self, headers: list[str], rows: list[list[tuple[str, str | None]]]) -> Table:
        """A grid with a bold header row repeated on every page; cells are (text, language)."""
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for values in rows:
            cells = table.add_row().cells
            for cell, (text, language) in zip(cells, values, strict=True):
                self.text_run(cell.paragraphs[0], text, language)
        header_row = table.rows[0]._tr.get_or_add_trPr()
        header_row.append(_element("w:tblHeader", **{"w:val": "true"}))
        return table


def _byline(item: Item) -> str:
    if not item.author:
        return ""
    return "— " + item.author + (f", {item.organisation}" if item.organisation else "")


def _story(writer: _Writer, item: Item, words: dict[str, str]) -> None:
    if item.title:
        writer.heading(item.title, 4, item.language)
    quote = writer.para(style_id="Quote")
    writer.text_run(quote, item.text, item.language)
    quote.add_run(f"  [{item.language}]").italic = True
    if item.author:
        writer.para(_byline(item)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if item.factors:
        factors = writer.para()
        factors.add_run(f"{words['factors']}: ").bold = True
        writer.text_run(factors, item.factors, item.language)


def _ranked(writer: _Writer, items: list[Item], words: dict[str, str]) -> None:
    numbers = writer.numbered_list()
    for item in items:
        paragraph = writer.list_item(numbers)
        paragraph.paragraph_format.keep_together = True
        writer.text_run(paragraph, item.text, item.language)
        paragraph.add_run(f" — {votes_text(item.votes)}").bold = True
        paragraph.add_run(f" [{item.language}]").italic = True
        if item.author:
            paragraph.add_run(f" {_byline(item)}")
        notes = []
        if item.theme_name:
            notes.append((words["theme"], item.theme_name))
        if item.grounded_in:
            notes.append((words["grounded_in"], "; ".join(item.grounded_in)))
        if notes:
            paragraph.paragraph_format.keep_with_next = True
        for index, (label, value) in enumerate(notes):
            note = writer.para(style_id="ListBullet2")
            note.paragraph_format.keep_with_next = index < len(notes) - 1
            note.add_run(f"{label}: ").bold = True
            note.add_run(value)


def _page_setup(writer: _Writer, words: dict[str, str]) -> None:
    section = writer.document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{words['page']} ")
    writer.field(footer, "PAGE", "1")
    footer.add_run(" / ")
    writer.field(footer, "NUMPAGES", "1")
    writer.document.styles["Normal"].font.size = Pt(11)


def render(draft: StrategyDraft, language: str, base_url: str | None = None) -> bytes:
    """The whole draft as a .docx file."""
    with force_locale(language):
        words = labels()
        writer = _Writer(language)
        _page_setup(writer, words)
        core = writer.document.core_properties
        core.title, core.subject = draft.title, words["strategy_draft"]
        core.language = proofing_language(language)
        writer.para(draft.title, "Title")
        writer.para(words["strategy_draft"], "Subtitle")
        if draft.is_draft:
            writer.para().add_run(words["draft_notice"]).bold = True
        for label, value in title_facts(draft, words, base_url):
            paragraph = writer.para()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
        contents = writer.para()
        writer.document.add_page_break()
        _body(writer, draft, words)
        writer.table_of_contents(contents, words["contents"])
    buffer = io.BytesIO()
    writer.document.save(buffer)
    return buffer.getvalue()


def _body(writer: _Writer, draft: StrategyDraft, words: dict[str, str]) -> None:
    writer.heading(words["strengths"], 1)
    writer.para(words["strengths_intro"])
    if not draft.sections and not draft.ungrouped_stories:
        writer.para(words["no_stories"])
    for section in draft.sections:
        writer.heading(f"{section.name} ({stories_text(len(section.stories))})", 2)
        for story in section.quotes:
            _story(writer, story, words)
        if section.listed:
            writer.heading(words["more_stories"], 4)
            for story in section.listed:
                item = writer.para(style_id="ListBullet")
                writer.text_run(item, story.snippet, story.language)
                item.add_run(f" [{story.language}] {_byline(story)}".rstrip())
    if draft.ungrouped_stories:
        writer.heading(words["ungrouped"], 2)
        for story in draft.ungrouped_stories:
            _story(writer, story, words)

    writer.heading(words["opportunities"], 1)
    writer.heading(words["dreams"], 2)
    if draft.dreams:
        _ranked(writer, draft.dreams, words)
    else:
        writer.para(words["no_dreams"])
    writer.heading(words["propositions"], 2)
    if draft.propositions:
        _ranked(writer, draft.propositions, words)
    else:
        writer.para(words["no_propositions"])

    writer.heading(words["results"], 1)
    if draft.commitments:
        headers = [words[k] for k in ("what", "who", "organisation", "by_when", "proposition")]
        rows = [
            [
                (c.text, c.language),
                (c.owner or "—", None),
                (c.owner_organisation or "—", None),
                (format_date(c.due) if c.due else "—", None),
                (c.proposition_text or "—", None),
            ]
            for c in draft.commitments
        ]
        writer.table(headers, rows)
    else:
        writer.para(words["no_commitments"])

    if draft.stories:
        writer.document.add_page_break()
        writer.heading(words["appendix"], 1)
        for story in draft.stories:
            _story(writer, story, words)
