"""What each viewer may see of a workshop, as JSON-ready dicts.

Anonymity is applied here, once: an author's name leaves the server only
for contributions whose author chose ``named``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Consent, Contribution, Participant, Theme, Vote, Workshop, as_utc
from .links import join_url


def workshop_payload(workshop: Workshop) -> dict[str, Any]:
    """The workshop's settings and current phase."""
    return {
        "id": workshop.id,
        "title": workshop.title,
        "topic": workshop.topic,
        "code": workshop.code,
        "join_url": join_url(workshop.code),
        "language": workshop.language,
        "phase": workshop.phase,
        "votes_per_participant": workshop.votes_per_participant,
        "prompts": workshop.prompts,
    }


def theme_payload(theme: Theme) -> dict[str, Any]:
    """A theme of the positive core."""
    return {"id": theme.id, "name": theme.name}


def contribution_payload(item: Contribution) -> dict[str, Any]:
    """A contribution as the room sees it: a name only where the author chose ``named``."""
    named = item.consent == Consent.NAMED
    author = item.participant
    return {
        "id": item.id,
        "client_id": item.client_id,
        "kind": item.kind,
        "title": item.title,
        "text": item.text,
        "consent": item.consent,
        "language": item.language,
        "author": author.name if named else None,
        "organisation": author.organisation if named else None,
        "region": author.region if named else None,
        "theme_id": item.theme_id,
        "proposition_id": item.proposition_id,
        "owner": item.owner,
        "due": item.due.isoformat() if item.due else None,
        "votes": item.vote_count,
        "hidden": item.hidden,
        "created_at": as_utc(item.created_at).isoformat(),
    }


def _contributions(workshop_id: int, include_hidden: bool) -> list[Contribution]:
    query = (
        select(Contribution)
        .options(joinedload(Contribution.participant))
        .where(Contribution.workshop_id == workshop_id)
        .order_by(Contribution.id)
    )
    if not include_hidden:
        query = query.where(Contribution.hidden.is_(False))
    return list(db.session.scalars(query))


def _themes(workshop_id: int) -> list[Theme]:
    return list(
        db.session.scalars(select(Theme).where(Theme.workshop_id == workshop_id).order_by(Theme.id))
    )


def snapshot(workshop: Workshop, participant: Participant | None = None) -> dict[str, Any]:
    """Everything a viewer may see now: a facilitator's view when ``participant`` is None.

    ``seq`` is read first, so the contents are at least as new as it: a client
    may then see an event it already has (it upserts by id) but never misses one.
    """
    db.session.refresh(workshop)
    data: dict[str, Any] = {
        "seq": workshop.seq,
        "role": "participant" if participant else "facilitator",
        "workshop": workshop_payload(workshop),
        "themes": [theme_payload(t) for t in _themes(workshop.id)],
    }
    items = _contributions(workshop.id, include_hidden=participant is None)
    payloads = [contribution_payload(item) for item in items]
    if participant is not None:
        voted = dict(
            db.session.execute(
                select(Vote.contribution_id, Vote.kind).where(Vote.participant_id == participant.id)
            ).all()
        )
        for item, payload in zip(items, payloads, strict=True):
            payload["mine"] = item.participant_id == participant.id
            payload["voted"] = item.id in voted
        used = {"dream": 0, "proposition": 0}
        for kind in voted.values():
            used[kind] = used.get(kind, 0) + 1
        data["me"] = {
            "participant_id": participant.id,
            "name": participant.name,
            "organisation": participant.organisation,
            "region": participant.region,
            "language": participant.language,
            "votes_left": {
                kind: max(workshop.votes_per_participant - n, 0) for kind, n in used.items()
            },
        }
    data["contributions"] = payloads
    return data
