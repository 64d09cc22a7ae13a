"""The complete workshop as versioned JSON, under the same consent rules."""

from __future__ import annotations

from typing import Any

from ..models import as_utc
from .report import Item, StrategyDraft

SCHEMA = "positive-core/workshop"
SCHEMA_VERSION = 1


def _item(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "title": item.title,
        "text": item.text,
        "author": item.author,
        "organisation": item.organisation,
        "language": item.language,
        "votes": item.votes,
        "theme_id": item.theme_id,
        "proposition_id": item.proposition_id,
        "owner": item.owner,
        "due": item.due.isoformat() if item.due else None,
        "created_at": as_utc(item.created_at).isoformat(),
    }


def render(draft: StrategyDraft, prompts: dict[str, list[str]]) -> dict[str, Any]:
    """A JSON-ready dict of the whole workshop."""
    items = draft.stories + draft.dreams + draft.propositions + draft.commitments
    return {
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "generated_at": draft.generated_at.isoformat(),
        "draft": draft.is_draft,
        "workshop": {
            "id": draft.workshop_id,
            "title": draft.title,
            "topic": draft.topic,
            "language": draft.language,
            "phase": draft.phase,
            "participants": draft.participant_count,
            "prompts": prompts,
        },
        "themes": [{"id": t.id, "name": t.name} for t in draft.strengths],
        "contributions": [_item(i) for i in sorted(items, key=lambda i: i.id)],
    }
