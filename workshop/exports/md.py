"""The strategy draft as Markdown, headed in the language chosen at download."""

from __future__ import annotations

import re

from flask_babel import force_locale, format_date

from .draft import Item, StrategyDraft
from .labels import labels, stories_text, title_facts, votes_text

# Characters that would turn a participant's words into links, emphasis or tables.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#>+\-=]|\d+\.)", re.MULTILINE)


def escape(text: str) -> str:
    """User text, shown literally by any Markdown renderer."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _LINE_START_SPECIAL.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _inline(text: str) -> str:
    """User text inside a line: only inline markup is escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def _cell(text: str) -> str:
    return escape(text).replace("\n", " ")


def _tag(item: Item) -> str:
    """The item's language tag, ``[pl]``; escaped, as it may come from an imported file."""
    return f"[{_inline(item.language)}]"


def _byline(item: Item) -> str:
    if not item.author:
        return ""
    who = item.author + (f", {item.organisation}" if item.organisation else "")
    return f" — {escape(who)}"


def _quote(item: Item, words: dict[str, str]) -> list[str]:
    heading = f"**{escape(item.title)}** " if item.title else ""
    lines = [f"{heading}{_tag(item)}"]
    lines.extend("> " + escape(line) if line else ">" for line in item.text.split("\n"))
    if item.author:
        lines += [">", f">{_byline(item)}"]
    if item.factors:
        lines += ["", f"*{words['factors']}:* {_cell(item.factors)}"]
    return [*lines, ""]


def _ranked(items: list[Item], words: dict[str, str]) -> list[str]:
    lines = []
    for rank, item in enumerate(items, 1):
        extra = f" ({words['theme']}: {escape(item.theme_name)})" if item.theme_name else ""
        lines.append(
            f"{rank}. {_cell(item.text)} — **{votes_text(item.votes)}** "
            f"{_tag(item)}{extra}{_byline(item)}"
        )
        if item.grounded_in:
            lines.append(
                f"   *{words['grounded_in']}:* " + "; ".join(_cell(s) for s in item.grounded_in)
            )
    return [*lines, ""]


def render(draft: StrategyDraft, language: str, base_url: str | None = None) -> bytes:
    """The whole draft as one Markdown document (UTF-8)."""
    with force_locale(language):
        return "\n".join(_render(draft, labels(), base_url)).encode("utf-8")


def _title_page(draft: StrategyDraft, words: dict[str, str], base_url: str | None) -> list[str]:
    out = [f"# {escape(draft.title)}", "", f"*{words['strategy_draft']}*", ""]
    if draft.is_draft:
        out += [f"**{words['draft_notice']}**", ""]
    out += [
        f"- **{label}:** {_inline(value)}" for label, value in title_facts(draft, words, base_url)
    ]
    return [*out, ""]


def _render(draft: StrategyDraft, words: dict[str, str], base_url: str | None) -> list[str]:
    out = _title_page(draft, words, base_url)
    out += [f"## {words['strengths']}", ""]
    if not draft.sections and not draft.ungrouped_stories:
        out += [words["no_stories"], ""]
    for section in draft.sections:
        out += [f"### {escape(section.name)} ({stories_text(len(section.stories))})", ""]
        for story in section.quotes:
            out += _quote(story, words)
        if section.listed:
            out += [f"*{words['more_stories']}:*", ""]
            out += [f"- {_cell(s.snippet)} {_tag(s)}{_byline(s)}" for s in section.listed]
            out.append("")
    if draft.ungrouped_stories:
        out += [f"### {words['ungrouped']}", ""]
        for story in draft.ungrouped_stories:
            out += _quote(story, words)
    out += [f"## {words['opportunities']}", "", f"### {words['dreams']}", ""]
    out += _ranked(draft.dreams, words) if draft.dreams else [words["no_dreams"], ""]
    out += [f"### {words['propositions']}", ""]
    out += (
        _ranked(draft.propositions, words) if draft.propositions else [words["no_propositions"], ""]
    )
    out += [f"## {words['results']}", ""]
    if draft.commitments:
        headers = [words[k] for k in ("what", "who", "organisation", "by_when", "proposition")]
        out += ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        for c in draft.commitments:
            cells = [
                _cell(c.text),
                _cell(c.owner) or "—",
                _cell(c.owner_organisation) or "—",
                format_date(c.due) if c.due else "—",
                _cell(c.proposition_text or "") or "—",
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    else:
        out += [words["no_commitments"], ""]
    if draft.stories:
        out += [f"## {words['appendix']}", ""]
        for story in draft.stories:
            out += _quote(story, words)
    return out
