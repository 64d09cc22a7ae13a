"""The complete workshop as versioned JSON (docs/export-schema.md), under the same consent rules."""

from __future__ import annotations

from typing import Any

from ..models import Workshop
from .prompts import prompts_in
from .report import Item, StrategyDraft

SCHEMA = "positive-core/workshop"
SCHEMA_VERSION = 1


def _item(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "title": item.title,
        "text": item.text,
        "factors": item.factors,
        "author": item.author,
        "organisation": item.organisation,
        "language": item.language,
        "votes": item.votes,
        "theme_id": item.theme_id,
        "proposition_id": item.proposition_id,
        "owner": item.owner,
        "owner_organisation": item.owner_organisation,
        "due": item.due.isoformat() if item.due else None,
        "created_at": item.created_at.isoformat(),
    }


def render(draft: StrategyDraft, workshop: Workshop) -> dict[str, Any]:
    """A JSON-ready dict of the whole workshop."""
    page = draft.title_page
    return {
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "generated_at": draft.generated_at.isoformat(),
        "draft": draft.is_draft,
        "workshop": {
            "id": draft.workshop_id,
            "title": page.title,
            "topic": page.topic,
            "place": page.place,
            "held_on": page.held_on.isoformat(),
            "language": draft.language,
            "phase": draft.phase,
            "votes_per_participant": workshop.votes_per_participant,
            "show_names": workshop.show_names,
            "hide_vote_counts": workshop.hide_vote_counts,
            "prompts": prompts_in(workshop, draft.language),
            "facilitators": page.facilitators,
            "participants": page.participant_count,
            "organisations": page.organisation_count,
            "regions": page.region_count,
            "named_participants": page.named_participants,
        },
        "themes": [{"id": t.id, "name": t.name} for t in draft.strengths],
        "contributions": [_item(i) for i in draft.items],
    }
