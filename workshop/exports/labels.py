"""Headings and labels of the strategy draft, in the language chosen at download.

Every format takes its words from here, so a draft reads the same in Word,
PDF, Markdown and spreadsheets.
"""

from __future__ import annotations

from flask_babel import format_date, format_datetime, gettext, ngettext

from ..models import Kind, Phase
from ..services.method import KIND_LABELS, PHASE_LABELS
from .draft import StrategyDraft


def labels() -> dict[str, str]:
    """Every fixed text of the draft, in the active locale."""
    return {
        "strategy_draft": gettext("Strategy draft"),
        "draft_notice": gettext("Draft: the workshop is still running."),
        "contents": gettext("Contents"),
        "topic": gettext("Affirmative topic"),
        "date": gettext("Date"),
        "place": gettext("Place"),
        "facilitation": gettext("Facilitation"),
        "participants": gettext("Participants"),
        "organisations": gettext("Organisations represented"),
        "regions": gettext("Regions represented"),
        "named": gettext("Contributors named with their consent"),
        "generated": gettext("Generated"),
        "source": gettext("Source"),
        "strengths": gettext("Strengths: the positive core"),
        "strengths_intro": gettext(
            "The themes of the positive core, each with the stories that show it."
        ),
        "no_stories": gettext("No stories yet."),
        "ungrouped": gettext("Stories not yet grouped"),
        "factors": gettext("What made it possible"),
        "more_stories": gettext("Further stories"),
        "opportunities": gettext("Opportunities and aspirations"),
        "dreams": gettext("Dreams"),
        "no_dreams": gettext("No dreams yet."),
        "propositions": gettext("Provocative propositions"),
        "no_propositions": gettext("No propositions yet."),
        "grounded_in": gettext("Grounded in"),
        "theme": gettext("Theme"),
        "results": gettext("Results: commitments"),
        "no_commitments": gettext("No commitments yet."),
        "what": gettext("What"),
        "who": gettext("Who"),
        "organisation": gettext("Organisation"),
        "by_when": gettext("By when"),
        "proposition": gettext("Proposition"),
        "appendix": gettext("Appendix: every story in full"),
        "anonymous": gettext("Anonymous"),
        "votes": gettext("Votes"),
        "rank": gettext("Rank"),
        "language": gettext("Language"),
        "page": gettext("Page"),
    }


def title_facts(
    draft: StrategyDraft, words: dict[str, str], base_url: str | None
) -> list[tuple[str, str]]:
    """The title page's facts as (label, value), in the active locale; "—" for what is unknown."""
    page = draft.title_page
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
    if base_url:
        facts.append((words["source"], base_url))
    return facts


def votes_text(count: int) -> str:
    """A vote count ("3 votes") in the active locale, with its plural forms."""
    return ngettext("%(num)d vote", "%(num)d votes", count)


def stories_text(count: int) -> str:
    """A story count ("2 stories") in the active locale."""
    return ngettext("%(num)d story", "%(num)d stories", count)


def date_text(draft: StrategyDraft) -> str:
    """The session's date, formatted for the locale."""
    return format_date(draft.title_page.held_on, format="long")


def generated_text(draft: StrategyDraft) -> str:
    """When the file was made, formatted for the locale."""
    return format_datetime(draft.generated_at, format="medium")


def phase_label(phase: str) -> str:
    """A phase's name in the active locale."""
    return str(PHASE_LABELS[Phase(phase)])


def kind_label(kind: str) -> str:
    """A kind's name in the active locale."""
    return str(KIND_LABELS[Kind(kind)])
