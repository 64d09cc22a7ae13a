"""Words of the transnational recommendation, in the language chosen at download.

Every format takes its words and its small texts (tags, vote shares, counts)
from here, so the recommendation reads the same in Word, PDF, Markdown and
spreadsheets.
"""

from __future__ import annotations

from flask_babel import format_date, format_datetime, format_percent, gettext, ngettext

from ...languages import NAMES
from ...services.method import PHASE_LABELS
from .. import labels as draft_labels
from ..synthesis import Entry, RegionInfo, Synthesis, ThemeSection

#: Dreams and propositions the SOAR section ranks; each annex shows fewer.
TOP_ACROSS_REGIONS = 10
TOP_IN_ANNEX = 3


def labels() -> dict[str, str]:
    """Every fixed text of the recommendation, in the active locale."""
    return {
        "recommendation": gettext("Transnational recommendation"),
        "draft_notice": gettext("Draft: workshops of the programme are still running."),
        "contents": gettext("Contents"),
        "regions": gettext("Regions"),
        "organisations": gettext("Partner organisations"),
        "partner_organisation": gettext("Partner organisation"),
        "workshops": gettext("Workshops"),
        "participants": gettext("Participants"),
        "stories": gettext("Stories"),
        "dreams": gettext("Dreams"),
        "propositions": gettext("Provocative propositions"),
        "commitments": gettext("Commitments"),
        "working_language": gettext("Working language"),
        "generated": gettext("Generated"),
        "source": gettext("Source"),
        "region": gettext("Region"),
        "workshop": gettext("Workshop"),
        "date": gettext("Date"),
        "place": gettext("Place"),
        "language": gettext("Language"),
        "phase": gettext("Phase"),
        "facilitation": gettext("Facilitation"),
        "recommendations": gettext("Recommendations"),
        "no_recommendations": gettext("No recommendations yet."),
        "themes": gettext("Common themes"),
        "evidence": gettext("Evidence"),
        "no_evidence": gettext("No evidence linked yet."),
        "soar": gettext("SOAR across regions"),
        "strengths": gettext("Strengths: the common themes"),
        "strengths_intro": gettext(
            "Each common theme with the regional themes mapped onto it, in their own "
            "names and languages, and representative stories."
        ),
        "no_themes": gettext("No common themes yet."),
        "regional_themes": gettext("Regional themes"),
        "opportunities": gettext("Opportunities and aspirations"),
        "opportunities_intro": gettext(
            "Dreams and propositions of every workshop, ranked together by vote share: "
            "the votes an item received divided by the participants who voted in its "
            "workshop, so a large room does not drown a small one."
        ),
        "no_dreams": gettext("No dreams yet."),
        "no_propositions": gettext("No propositions yet."),
        "results": gettext("Results: commitments by region"),
        "no_commitments": gettext("No commitments yet."),
        "what": gettext("What"),
        "who": gettext("Who"),
        "organisation": gettext("Organisation"),
        "by_when": gettext("By when"),
        "proposition": gettext("Proposition"),
        "matrix": gettext("Coverage matrix"),
        "matrix_intro": gettext(
            "Stories per common theme and region. A theme that one region alone "
            "carries is marked; a theme many regions share is where they agree."
        ),
        "theme": gettext("Theme"),
        "unmapped": gettext("Regional themes not yet mapped"),
        "mapped_to": gettext("Common theme"),
        "not_mapped": gettext("Not mapped"),
        "top_dreams": gettext("Dreams with the largest vote share"),
        "top_propositions": gettext("Propositions with the largest vote share"),
        "vote_share": gettext("Vote share"),
        "votes": gettext("Votes"),
        "author": gettext("Author"),
        "anonymous": gettext("Anonymous"),
        "title": gettext("Title"),
        "text": gettext("Text"),
        "kind": gettext("Kind"),
        "number": gettext("Number"),
        "rank": gettext("Rank"),
        "owner": gettext("Owner"),
        "owner_organisation": gettext("Owner's organisation"),
        "due": gettext("Due"),
        "factors": gettext("What made it possible"),
        "page": gettext("Page"),
        "transnational": gettext("Transnational session"),
        "none": "—",
    }


def kind_label(kind: str) -> str:
    """A kind's name in the active locale, as the strategy draft writes it."""
    return draft_labels.kind_label(kind)


def region_name(synthesis: Synthesis, region_id: int | None, words: dict[str, str]) -> str:
    """A region's name, or "Transnational session" for workshops of no region."""
    region = synthesis.region(region_id)
    return region.name if region else words["transnational"]


def region_label(region: RegionInfo | None, words: dict[str, str]) -> str:
    """The region as a heading shows it (Kranj · SI), or "Transnational session"."""
    return region.label if region else words["transnational"]


def tag(synthesis: Synthesis, entry: Entry, words: dict[str, str]) -> str:
    """Where words come from and in which language: "Kranj · sl"."""
    return f"{region_name(synthesis, entry.region_id, words)} · {entry.language}"


def byline(entry: Entry) -> str:
    """The author (— Name, Organisation) of a named item, else "" (and for a commitment its owner wrote)."""
    if not entry.author or (entry.kind == "commitment" and entry.author == entry.owner):
        return ""
    return "— " + entry.author + (f", {entry.organisation}" if entry.organisation else "")


def percent(share: float | None) -> str:
    """A vote share in the locale's way ("42 %" in German)."""
    return format_percent(share or 0.0, format="#,##0%")


def share_text(entry: Entry) -> str:
    """A vote share with its votes: 42% of voters (5 votes)."""
    return ngettext(
        "%(share)s of voters (%(num)d vote)",
        "%(share)s of voters (%(num)d votes)",
        entry.votes,
        share=percent(entry.vote_share),
    )


def stories_text(count: int) -> str:
    """A story count: 3 stories."""
    return ngettext("%(num)d story", "%(num)d stories", count)


def regions_text(count: int) -> str:
    """How many regions a recommendation's evidence spans: Evidence from 3 regions."""
    return ngettext("Evidence from %(num)d region", "Evidence from %(num)d regions", count)


def theme_summary(section: ThemeSection) -> str:
    """What a common theme holds: 5 stories from 3 regions."""
    return ngettext(
        "%(stories)s from %(num)d region",
        "%(stories)s from %(num)d regions",
        len(section.region_ids),
        stories=stories_text(len(section.stories)),
    )


def alone_text(region: str) -> str:
    """The matrix's mark of a theme one region alone carries."""
    return gettext("only %(region)s", region=region)


def annex_title(region: str) -> str:
    """An annex's heading: Annex: Kranj · SI."""
    return gettext("Annex: %(region)s", region=region)


def language_name(code: str) -> str:
    """A language's own name ("Slovenščina"), or its code."""
    return NAMES.get(code, code)


def date_text(day: object) -> str:
    """A date in the locale's medium format."""
    return format_date(day, format="medium")


def generated_text(synthesis: Synthesis) -> str:
    """When the file was made, in the locale's format."""
    return format_datetime(synthesis.generated_at, format="medium")


def title_facts(
    synthesis: Synthesis, words: dict[str, str], base_url: str | None
) -> list[tuple[str, str]]:
    """The title page's facts as (label, value); regions and organisations go in its table."""
    counts = {
        kind: sum(w.counts.get(kind, 0) for w in synthesis.workshops)
        for kind in ("story", "dream", "proposition", "commitment")
    }
    facts = [
        (words["regions"], str(len(synthesis.regions))),
        (words["workshops"], str(len(synthesis.workshops))),
        (words["participants"], str(synthesis.participant_count)),
        (words["stories"], str(counts["story"])),
        (words["dreams"], str(counts["dream"])),
        (words["propositions"], str(counts["proposition"])),
        (words["commitments"], str(counts["commitment"])),
        (words["working_language"], language_name(synthesis.language)),
        (words["generated"], generated_text(synthesis)),
    ]
    if base_url:
        facts.append((words["source"], base_url))
    return facts


def phase_name(phase: str) -> str:
    """A phase's name in the active locale (the phase itself when unknown)."""
    return str(PHASE_LABELS.get(phase, phase))  # type: ignore[call-overload]
