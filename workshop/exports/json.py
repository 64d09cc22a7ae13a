"""The complete workshop as versioned JSON (docs/export-schema.md), under the same consent rules.

Version 1 is kept unchanged, so every file written since can be imported
(``flask --app workshop workshop import``).
"""

from __future__ import annotations

import json
from typing import Any

from .draft import Item, StrategyDraft

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


def document(draft: StrategyDraft) -> dict[str, Any]:
    """A JSON-ready dict of the whole workshop."""
    page = draft.title_page
    settings = draft.settings
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
            "votes_per_participant": settings.votes_per_participant,
            "show_names": settings.show_names,
            "hide_vote_counts": settings.hide_vote_counts,
            "prompts": settings.prompts,
            "facilitators": page.facilitators,
            "participants": page.participant_count,
            "organisations": page.organisation_count,
            "regions": page.region_count,
            "named_participants": page.named_participants,
        },
        # Every theme, empty ones too: propositions may build on a theme without stories.
        "themes": [{"id": t.id, "name": t.name} for t in draft.strengths],
        "contributions": [_item(i) for i in draft.items],
    }


def render(draft: StrategyDraft, language: str, base_url: str | None = None) -> bytes:
    """The JSON file; it carries data, not labels, so ``language`` and ``base_url`` change nothing.

    (An importer refuses fields it does not know: a field is added only with
    a new schema version.)
    """
    del language, base_url
    return json.dumps(document(draft), ensure_ascii=False, indent=2).encode("utf-8")
