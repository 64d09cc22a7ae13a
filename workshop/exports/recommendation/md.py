"""The transnational recommendation as Markdown, headed in the language chosen at download."""

from __future__ import annotations

from flask_babel import force_locale

from ..md import _cell, _inline, escape
from ..synthesis import Entry, Synthesis
from . import labels as L
from .sections import annexes, commitments_by_region, matrix_rows, title_header, title_rows, top


def render(synthesis: Synthesis, language: str, base_url: str | None = None) -> bytes:
    """The whole recommendation as one Markdown document (UTF-8)."""
    with force_locale(language):
        return "\n".join(_render(synthesis, L.labels(), base_url)).encode("utf-8")


def _tag(synthesis: Synthesis, entry: Entry, words: dict[str, str]) -> str:
    return f"\\[{_inline(L.tag(synthesis, entry, words))}\\]"


def _byline(entry: Entry) -> str:
    return f" {escape(L.byline(entry))}" if entry.author else ""


def _quote(synthesis: Synthesis, entry: Entry, words: dict[str, str]) -> list[str]:
    heading = f"**{_inline(entry.title)}** " if entry.title else ""
    lines = [f"{heading}{_tag(synthesis, entry, words)}"]
    lines.extend("> " + escape(line) if line else ">" for line in entry.text.split("\n"))
    if entry.author:
        lines += [">", f">{_byline(entry)}"]
    return [*lines, ""]


def _item(synthesis: Synthesis, entry: Entry, words: dict[str, str]) -> str:
    """One line of evidence or ranking: text, kind, votes, tag, author."""
    parts = [_cell(entry.text)]
    if entry.vote_share is not None:
        parts.append(f"— **{L.share_text(entry)}**")
    if entry.kind == "commitment":
        who = ", ".join(x for x in (entry.owner, entry.owner_organisation) if x)
        if who:
            parts.append(f"— {_cell(who)}")
        if entry.due:
            parts.append(f"({L.date_text(entry.due)})")
    parts.append(_tag(synthesis, entry, words))
    return " ".join(parts) + _byline(entry)


def _title_page(synthesis: Synthesis, words: dict[str, str], base_url: str | None) -> list[str]:
    out = [f"# {escape(synthesis.title)}", "", f"*{words['recommendation']}*", ""]
    if synthesis.is_draft:
        out += [f"**{words['draft_notice']}**", ""]
    if synthesis.description:
        out += [escape(synthesis.description), ""]
    out += [
        f"- **{label}:** {_inline(value)}"
        for label, value in L.title_facts(synthesis, words, base_url)
    ]
    out += [""]
    header = title_header(words)
    out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in title_rows(synthesis, words):
        w = row.workshop
        cells = [_cell(row.region), _cell(row.organisation) or "—"]
        cells += (
            [_cell(w.title), L.date_text(w.held_on), w.language, L.phase_name(w.phase)]
            if w
            else ["—"] * 4
        )
        out.append("| " + " | ".join(cells) + " |")
    return [*out, ""]


def _recommendations(synthesis: Synthesis, words: dict[str, str]) -> list[str]:
    out = [f"## {words['recommendations']}", ""]
    if not synthesis.recommendations:
        return [*out, words["no_recommendations"], ""]
    names = {t.id: t.name for t in synthesis.programme_themes}
    for r in synthesis.recommendations:
        out += [f"### {r.number}. {escape(r.title)}", ""]
        out += [escape(r.text), ""]
        if r.programme_theme_ids:
            themes = "; ".join(_cell(names[t]) for t in r.programme_theme_ids)
            out += [f"*{words['themes']}:* {themes}", ""]
        if not r.evidence:
            out += [f"*{words['no_evidence']}*", ""]
            continue
        out += [f"**{L.regions_text(len(r.region_ids))}**", ""]
        for entry in r.evidence:
            if entry.kind == "story":
                out += _quote(synthesis, entry, words)
            else:
                out += [f"- *{L.kind_label(entry.kind)}:* {_item(synthesis, entry, words)}", ""]
    return out


def _soar(synthesis: Synthesis, words: dict[str, str]) -> list[str]:
    out = [f"## {words['soar']}", "", f"### {words['strengths']}", "", words["strengths_intro"], ""]
    if not synthesis.programme_themes:
        out += [words["no_themes"], ""]
    for section in synthesis.programme_themes:
        out += [f"#### {escape(section.name)} ({L.theme_summary(section)})", ""]
        for theme in section.regional_themes:
            region = L.region_name(synthesis, theme.region_id, words)
            out.append(
                f"- {_cell(theme.name)} \\[{_inline(region)} · {_inline(theme.language)}\\]: "
                f"{L.stories_text(len(theme.stories))}"
            )
        out.append("")
        for quote in section.quotes:
            out += _quote(synthesis, quote, words)
    out += [f"### {words['opportunities']}", "", words["opportunities_intro"], ""]
    for key, items, empty in (
        ("dreams", synthesis.dreams, "no_dreams"),
        ("propositions", synthesis.propositions, "no_propositions"),
    ):
        out += [f"#### {words[key]}", ""]
        ranked = top(items, L.TOP_ACROSS_REGIONS)
        if not ranked:
            out += [words[empty], ""]
            continue
        out += [f"{rank}. {_item(synthesis, e, words)}" for rank, e in enumerate(ranked, 1)]
        out.append("")
    out += [f"### {words['results']}", ""]
    grouped = commitments_by_region(synthesis)
    if not grouped:
        out += [words["no_commitments"], ""]
    headers = [words[k] for k in ("what", "who", "organisation", "by_when", "proposition")]
    for region, items in grouped:
        out += [f"#### {_inline(L.region_label(region, words))}", ""]
        out += ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        for c in items:
            cells = [
                f"{_cell(c.text)} \\[{_inline(c.language)}\\]",
                _cell(c.owner) or "—",
                _cell(c.owner_organisation) or "—",
                L.date_text(c.due) if c.due else "—",
                _cell(c.proposition_text or "") or "—",
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return out


def _matrix(synthesis: Synthesis, words: dict[str, str]) -> list[str]:
    out = [f"## {words['matrix']}", "", words["matrix_intro"], ""]
    header, rows = matrix_rows(synthesis, words)
    if not rows:
        return [*out, words["no_themes"], ""]
    out += ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(str(c)) for c in row) + " |" for row in rows]
    out.append("")
    if synthesis.unmapped:
        out += [f"### {words['unmapped']}", ""]
        for theme in synthesis.unmapped:
            region = L.region_name(synthesis, theme.region_id, words)
            out.append(
                f"- {_cell(theme.name)} \\[{_inline(region)} · {_inline(theme.language)}\\]: "
                f"{L.stories_text(len(theme.stories))}"
            )
        out.append("")
    return out


def _annexes(synthesis: Synthesis, words: dict[str, str]) -> list[str]:
    out: list[str] = []
    names = {t.id: t.name for t in synthesis.programme_themes}
    for annex in annexes(synthesis):
        out += [f"## {_inline(L.annex_title(L.region_label(annex.region, words)))}", ""]
        if annex.region and annex.region.organisation:
            out += [f"*{words['organisations']}:* {_inline(annex.region.organisation)}", ""]
        for part in annex.workshops:
            w = part.workshop
            out += [f"### {escape(w.title)}", ""]
            facts = [
                (words["date"], L.date_text(w.held_on)),
                (words["place"], w.place or "—"),
                (words["language"], L.language_name(w.language)),
                (words["phase"], L.phase_name(w.phase)),
                (words["facilitation"], w.facilitator or "—"),
                (words["participants"], str(w.participants)),
                (words["stories"], str(w.counts.get("story", 0))),
                (words["dreams"], str(w.counts.get("dream", 0))),
                (words["propositions"], str(w.counts.get("proposition", 0))),
                (words["commitments"], str(w.counts.get("commitment", 0))),
            ]
            out += [f"- **{label}:** {_inline(value)}" for label, value in facts]
            out.append("")
            if part.themes:
                out += [f"#### {words['regional_themes']}", ""]
                for theme in part.themes:
                    mapped = names.get(theme.programme_theme_id or 0, words["not_mapped"])
                    out.append(
                        f"- {_cell(theme.name)} → {_cell(mapped)}: "
                        f"{L.stories_text(len(theme.stories))}"
                    )
                out.append("")
            for key, items in (
                ("top_dreams", part.dreams),
                ("top_propositions", part.propositions),
            ):
                if items:
                    out += [f"#### {words[key]}", ""]
                    out += [f"{i}. {_item(synthesis, e, words)}" for i, e in enumerate(items, 1)]
                    out.append("")
    return out


def _render(synthesis: Synthesis, words: dict[str, str], base_url: str | None) -> list[str]:
    return (
        _title_page(synthesis, words, base_url)
        + _recommendations(synthesis, words)
        + _soar(synthesis, words)
        + _matrix(synthesis, words)
        + _annexes(synthesis, words)
    )
