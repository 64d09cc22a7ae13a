"""The transnational recommendation as versioned JSON (docs/export-schema.md).

Data, not labels: the same file in every language. Every contribution it
holds passed the consent rule of every export; links between its parts are
by id (recommendations to themes and evidence, programme themes to regional
themes and quotes).
"""

from __future__ import annotations

import json
from typing import Any

from ..synthesis import Synthesis, entry_payload, region_key

SCHEMA = "positive-core/recommendation"
SCHEMA_VERSION = 1


def document(synthesis: Synthesis) -> dict[str, Any]:
    """A JSON-ready dict of the whole recommendation."""
    everything = sorted(
        synthesis.stories + synthesis.dreams + synthesis.propositions + synthesis.commitments,
        key=lambda e: e.id,
    )
    return {
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "generated_at": synthesis.generated_at.isoformat(),
        "draft": synthesis.is_draft,
        "programme": {
            "id": synthesis.programme_id,
            "title": synthesis.title,
            "description": synthesis.description,
            "language": synthesis.language,
            "seq": synthesis.seq,
        },
        "regions": [
            {"id": r.id, "name": r.name, "country": r.country, "organisation": r.organisation}
            for r in synthesis.regions
        ],
        "workshops": [
            {
                "id": w.id,
                "title": w.title,
                "topic": w.topic,
                "place": w.place,
                "held_on": w.held_on.isoformat(),
                "language": w.language,
                "phase": w.phase,
                "region_id": w.region_id,
                "facilitator": w.facilitator,
                "participants": w.participants,
                "counts": w.counts,
            }
            for w in synthesis.workshops
        ],
        "programme_themes": [
            {
                "id": section.id,
                "name": section.name,
                "regional_theme_ids": [t.id for t in section.regional_themes],
                "coverage": {
                    region_key(key): {"stories": c.stories, "workshops": c.workshops}
                    for key, c in section.coverage.items()
                },
                "quote_ids": [q.id for q in section.quotes],
            }
            for section in synthesis.programme_themes
        ],
        "regional_themes": [
            {
                "id": t.id,
                "name": t.name,
                "language": t.language,
                "workshop_id": t.workshop_id,
                "region_id": t.region_id,
                "programme_theme_id": t.programme_theme_id,
                "story_ids": [s.id for s in t.stories],
            }
            for t in synthesis.regional_themes
        ],
        "recommendations": [
            {
                "id": r.id,
                "number": r.number,
                "title": r.title,
                "text": r.text,
                "programme_theme_ids": r.programme_theme_ids,
                "evidence_ids": [e.id for e in r.evidence],
                "region_ids": r.region_ids,
            }
            for r in synthesis.recommendations
        ],
        "contributions": [entry_payload(e) for e in everything],
    }


def render(synthesis: Synthesis, language: str, base_url: str | None = None) -> bytes:
    """The JSON file; ``language`` and ``base_url`` change nothing in it."""
    del language, base_url
    return json.dumps(document(synthesis), ensure_ascii=False, indent=2).encode("utf-8")
