"""Restore a JSON export into this instance (``flask --app workshop workshop import FILE``).

The file holds only what consent allows, so people are rebuilt as far as the
export shows them: named authors by name and organisation, everyone else as
placeholders that reproduce the participant, organisation and region counts.
Votes come back as counts. Exporting the imported workshop gives the same
document, with new ids.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import (
    Consent,
    Contribution,
    Facilitator,
    Participant,
    Phase,
    Theme,
    Workshop,
    utcnow,
)
from . import validation as v
from .errors import ServiceError
from .export_json import SCHEMA, SCHEMA_VERSION
from .tokens import PARTICIPANT_PREFIX, digest, new_token
from .workshops import new_code


def _participants(
    workshop: Workshop, meta: dict[str, Any], items: list[dict[str, Any]]
) -> dict[tuple[str, str], Participant]:
    authors: dict[tuple[str, str], Participant] = {}
    for item in items:
        if item.get("author"):
            key = (item["author"], item.get("organisation") or "")
            authors.setdefault(key, Participant(name=key[0], organisation=key[1]))
    total = max(int(meta.get("participants") or 0), len(authors), 1)
    people = list(authors.values())
    people += [Participant(name="—") for _ in range(total - len(people))]
    organisations = {p.organisation.casefold() for p in people if p.organisation}
    for person in people:
        if len(organisations) >= int(meta.get("organisations") or 0):
            break
        if not person.organisation:
            person.organisation = f"imported-organisation-{len(organisations) + 1}"
            organisations.add(person.organisation)
    for index, person in enumerate(people[: int(meta.get("regions") or 0)]):
        person.region = f"imported-region-{index + 1}"
    for person in people:
        person.workshop_id = workshop.id
        person.token_hash = digest(new_token(PARTICIPANT_PREFIX))  # nobody holds it
        db.session.add(person)
    authors[("", "")] = people[-1] if len(people) > len(authors) else people[0]
    return authors


def import_workshop(data: Any, owner: Facilitator) -> Workshop:
    """Create a workshop from an export; returns it. Malformed files change nothing."""
    try:
        return _import(data, owner)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        db.session.rollback()
        raise ServiceError(
            "unsupported_file", _l("The file is damaged: %(detail)s.", detail=repr(error))
        ) from error


def _import(data: Any, owner: Facilitator) -> Workshop:
    data = v.require_object(
        data, ("schema", "version", "generated_at", "draft", "workshop", "themes", "contributions")
    )
    if data.get("schema") != SCHEMA or data.get("version") != SCHEMA_VERSION:
        raise ServiceError(
            "unsupported_file", _l("This is not a Positive Core workshop export (version 1).")
        )
    meta = data["workshop"]
    workshop = Workshop(
        owner_id=owner.id,
        title=meta["title"],
        topic=meta.get("topic", ""),
        place=meta.get("place", ""),
        held_on=dt.date.fromisoformat(meta["held_on"]) if meta.get("held_on") else None,
        language=meta.get("language", "en"),
        phase=meta.get("phase", "closed"),
        votes_per_participant=meta.get("votes_per_participant", 3),
        show_names=meta.get("show_names", True),
        hide_vote_counts=meta.get("hide_vote_counts", False),
        prompts=meta.get("prompts", {}),
        code=new_code(),
        seq=0,
        retention_days=current_app.config["PRIVACY_RETENTION_DAYS"],
    )
    if workshop.phase == Phase.CLOSED:
        workshop.closed_at = utcnow()  # its retention period starts on this instance now
    db.session.add(workshop)
    db.session.flush()
    themes: dict[int, Theme] = {}
    for theme in data["themes"]:
        themes[theme["id"]] = Theme(workshop_id=workshop.id, name=theme["name"])
        db.session.add(themes[theme["id"]])
    db.session.flush()
    items = data["contributions"]
    people = _participants(workshop, meta, items)
    db.session.flush()
    created: dict[int, Contribution] = {}
    for item in items:
        author = people[
            (item["author"], item.get("organisation") or "") if item.get("author") else ("", "")
        ]
        proposition = created.get(item.get("proposition_id"))
        contribution = Contribution(
            workshop_id=workshop.id,
            participant_id=author.id,
            client_id=f"import-{item['id']}",
            kind=item["kind"],
            title=item.get("title", ""),
            text=item["text"],
            factors=item.get("factors", ""),
            consent=Consent.NAMED.value if item.get("author") else Consent.ANONYMOUS.value,
            language=item.get("language", workshop.language),
            theme_id=themes[item["theme_id"]].id if item.get("theme_id") in themes else None,
            proposition_id=proposition.id if proposition else None,
            owner=item.get("owner", ""),
            owner_organisation=item.get("owner_organisation", ""),
            due=dt.date.fromisoformat(item["due"]) if item.get("due") else None,
            vote_count=item.get("votes", 0),
            created_at=dt.datetime.fromisoformat(item["created_at"]),
        )
        db.session.add(contribution)
        db.session.flush()
        created[item["id"]] = contribution
    db.session.commit()
    return workshop
