"""The strategy draft as Markdown, headed in the language chosen at download."""

from __future__ import annotations

import re

from flask_babel import force_locale, format_date, format_datetime, gettext, ngettext

from .report import Item, StrategyDraft

# Characters that would turn a participant's words into links, emphasis or tables.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#>+\-=]|\d+\.)", re.MULTILINE)


def escape(text: str) -> str:
    """User text, shown literally by any Markdown renderer."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _LINE_START_SPECIAL.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _cell(text: str) -> str:
    return escape(text).replace("\n", " ")


def _byline(item: Item) -> str:
    if not item.author:
        return ""
    who = item.author + (f", {item.organisation}" if item.organisation else "")
    return f" — {escape(who)}"


def _quote(item: Item) -> list[str]:
    lines = []
    if item.title:
        lines.append(f"**{escape(item.title)}** [{item.language}]")
    else:
        lines.append(f"[{item.language}]")
    lines.extend("> " + escape(line) if line else ">" for line in item.text.split("\n"))
    if item.author:
        lines.append(">")
        lines.append(f">{_byline(item)}")
    lines.append("")
    return lines


def _ranked(items: list[Item]) -> list[str]:
    lines = []
    for rank, item in enumerate(items, 1):
        votes = ngettext("%(num)d vote", "%(num)d votes", item.votes)
        extra = f" ({gettext('theme')}: {escape(item.theme_name)})" if item.theme_name else ""
        lines.append(
            f"{rank}. {_cell(item.text)} — **{votes}** [{item.language}]{extra}{_byline(item)}"
        )
    return [*lines, ""]


def render(draft: StrategyDraft, language: str) -> str:
    """The whole draft as one Markdown document."""
    with force_locale(language):
        return "\n".join(_render(draft))


def _render(draft: StrategyDraft) -> list[str]:
    out = [f"# {escape(draft.title)}", ""]
    if draft.is_draft:
        out += [f"*{gettext('Draft: the workshop is still running.')}*", ""]
    out += [
        f"**{gettext('Affirmative topic')}:** {_cell(draft.topic) or '—'}",
        "",
        f"**{gettext('Participants')}:** {draft.participant_count}  ",
        f"**{gettext('Generated')}:** {format_datetime(draft.generated_at)}",
        "",
        f"## {gettext('Strengths: the positive core')}",
        "",
    ]
    if not draft.strengths and not draft.ungrouped_stories:
        out += [gettext("No stories yet."), ""]
    for section in draft.strengths:
        count = ngettext("%(num)d story", "%(num)d stories", len(section.stories))
        out += [f"### {escape(section.name)} ({count})", ""]
        for story in section.stories:
            out += _quote(story)
    if draft.ungrouped_stories:
        out += [f"### {gettext('Stories not yet grouped')}", ""]
        for story in draft.ungrouped_stories:
            out += _quote(story)
    out += [f"## {gettext('Opportunities and aspirations')}", "", f"### {gettext('Dreams')}", ""]
    out += _ranked(draft.dreams) if draft.dreams else [gettext("No dreams yet."), ""]
    out += [f"### {gettext('Provocative propositions')}", ""]
    out += (
        _ranked(draft.propositions) if draft.propositions else [gettext("No propositions yet."), ""]
    )
    out += [f"## {gettext('Results: commitments')}", ""]
    if draft.commitments:
        headers = [gettext("What"), gettext("Who"), gettext("By when"), gettext("Proposition")]
        out += ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        for c in draft.commitments:
            due = format_date(c.due) if c.due else "—"
            cells = [
                _cell(c.text),
                _cell(c.owner) or "—",
                due,
                _cell(c.proposition_text or "") or "—",
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    else:
        out += [gettext("No commitments yet."), ""]
    return out
