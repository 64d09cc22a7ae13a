"""Restore a JSON export into this instance: from the CLI, or into a programme's region.

A workshop run at a venue without network is exported there and imported
here (``POST /api/programmes/<id>/imports``, the programme page, or
``flask --app workshop workshop import FILE``). The file is checked against
the export's JSON Schema (workshop/schemas/workshop-export-v1.schema.json),
with the limits of live input, and then for consistency (unique ids, links
to themes and propositions that exist, counts that fit), before anything is
written: a bad file is refused with a clear message and stores nothing.

An export is identified by the SHA-256 of its canonical content (sorted
keys, no whitespace, without ``generated_at``), so downloading the same
workshop twice gives the same export, and importing it again returns the
workshop it already made instead of a copy.

The file holds only what consent allows, so people are rebuilt as far as the
export shows them: named authors by name and organisation, everyone else as
placeholders that reproduce the participant, organisation and region counts.
Votes come back as counts. Exporting the imported workshop gives the same
document, with new ids.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import json
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import (
    Consent,
    Contribution,
    Facilitator,
    Kind,
    Participant,
    Phase,
    Programme,
    ProgrammeRegion,
    Theme,
    Workshop,
    utcnow,
)
from . import programmes
from . import validation as v
from .errors import ServiceError
from .prompts import clean_prompts, default_entries
from .tokens import PARTICIPANT_PREFIX, digest, new_token
from .workshops import new_code

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "workshop-export-v1.schema.json"
#: Text fields of a contribution and their limits in live input.
TEXT_LIMITS = {
    "title": v.MAX_TITLE,
    "text": v.MAX_TEXT,
    "factors": v.MAX_FACTORS,
    "owner": v.MAX_TITLE,
    "owner_organisation": v.MAX_TITLE,
}


@functools.cache
def validator() -> Draft202012Validator:
    """The export's JSON Schema, compiled once."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _refuse(detail: str) -> ServiceError:
    return ServiceError(
        "invalid_export",
        _l("This file is not a valid Positive Core workshop export: %(detail)s", detail=detail),
    )


def parse(raw: bytes) -> Any:
    """JSON from an uploaded file's bytes; a clear refusal for anything else."""
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise _refuse("not JSON text (UTF-8).") from None


def validate(data: Any) -> dict[str, Any]:
    """The export, checked against the schema and for consistency; refused otherwise."""
    if not isinstance(data, dict):
        raise _refuse("the file must hold one JSON object.")
    if data.get("schema") != "positive-core/workshop" or data.get("version") != 1:
        raise _refuse("only version 1 of the positive-core/workshop format is supported.")
    error = best_match(itertools.islice(validator().iter_errors(data), 50))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the file"
        raise _refuse(f"{where}: {error.message[:200]}")
    _check_consistency(data)
    return data


def _check_consistency(data: dict[str, Any]) -> None:
    meta = data["workshop"]
    people = meta.get("participants") or 0
    for field in ("organisations", "regions"):
        if (meta.get(field) or 0) > max(people, 1):
            raise _refuse(f"workshop/{field}: more than the participants.")
    _date(meta.get("held_on"), "workshop/held_on")
    theme_ids = [t["id"] for t in data["themes"]]
    if len(set(theme_ids)) != len(theme_ids):
        raise _refuse("themes: two themes have the same id.")
    items = data["contributions"]
    ids = [c["id"] for c in items]
    if len(set(ids)) != len(ids):
        raise _refuse("contributions: two contributions have the same id.")
    propositions = {c["id"] for c in items if c["kind"] == Kind.PROPOSITION}
    themes = set(theme_ids)
    for index, item in enumerate(items):
        where = f"contributions/{index}"
        if not v.clean_text(item["text"]):
            raise _refuse(f"{where}/text: empty.")
        if item.get("theme_id") is not None and item["theme_id"] not in themes:
            raise _refuse(f"{where}/theme_id: no such theme in the file.")
        if item.get("proposition_id") is not None and item["proposition_id"] not in propositions:
            raise _refuse(f"{where}/proposition_id: no such proposition in the file.")
        if (item.get("votes") or 0) > people:
            raise _refuse(f"{where}/votes: more than the participants.")
        _date(item.get("due"), f"{where}/due")
        try:
            dt.datetime.fromisoformat(item["created_at"])
        except ValueError:
            raise _refuse(f"{where}/created_at: not a date and time.") from None


def _date(value: str | None, where: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _refuse(f"{where}: not a date.") from None


def export_digest(data: dict[str, Any]) -> str:
    """What identifies an export: its canonical content, without when it was made."""
    content = {key: value for key, value in data.items() if key != "generated_at"}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _already_imported(owner: Facilitator, programme: Programme | None, key: str) -> Workshop | None:
    query = select(Workshop).where(Workshop.import_digest == key)
    if programme is not None:
        query = query.where(Workshop.programme_id == programme.id)
    else:
        query = query.where(Workshop.programme_id.is_(None), Workshop.owner_id == owner.id)
    return db.session.scalar(query.limit(1))


def import_workshop(
    data: Any,
    owner: Facilitator,
    *,
    programme: Programme | None = None,
    region: ProgrammeRegion | None = None,
) -> tuple[Workshop, bool]:
    """The workshop an export makes, and whether it is new (False: imported before).

    In a programme, the same export is imported once per programme; outside
    one, once per owner. Nothing is written for a file that is refused.
    """
    data = validate(data)
    key = export_digest(data)
    existing = _already_imported(owner, programme, key)
    if existing is not None:
        return existing, False
    if programme is not None and not programmes.hold_for_placement(programme.id):
        raise programmes.refused_placement()
    try:
        workshop = _create(data, owner, key, programme, region)
        db.session.commit()
    except IntegrityError:
        # The same export, uploaded twice at once: the other upload made it.
        db.session.rollback()
        existing = _already_imported(owner, programme, key)
        if existing is not None:
            return existing, False
        if programme is not None:
            raise programmes.refused_placement() from None  # deleted meanwhile (SQLite)
        raise
    return workshop, True


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
    db.session.add_all(people)
    authors[("", "")] = people[-1] if len(people) > len(authors) else people[0]
    return authors


def _text(item: dict[str, Any], field: str) -> str:
    return v.text_field(item, field, max_length=TEXT_LIMITS[field])


def _prompts(value: Any, language: str) -> dict[str, Any]:
    """The file's prompts as entries (older files hold plain texts)."""
    prompts = default_entries()
    if value:
        prompts.update(clean_prompts(value, language))
    return prompts


def _create(
    data: dict[str, Any],
    owner: Facilitator,
    key: str,
    programme: Programme | None,
    region: ProgrammeRegion | None,
) -> Workshop:
    meta = data["workshop"]
    workshop = Workshop(
        owner_id=owner.id,
        programme_id=programme.id if programme else None,
        region_id=region.id if region else None,
        import_digest=key,
        title=v.text_field(meta, "title", max_length=v.MAX_TITLE, required=True),
        topic=v.text_field(meta, "topic", max_length=v.MAX_TEXT),
        place=v.text_field(meta, "place", max_length=v.MAX_TITLE),
        held_on=_date(meta.get("held_on"), "workshop/held_on"),
        language=meta["language"],
        phase=meta.get("phase", "closed"),
        votes_per_participant=meta.get("votes_per_participant", 3),
        show_names=meta.get("show_names", True),
        hide_vote_counts=meta.get("hide_vote_counts", False),
        prompts=_prompts(meta.get("prompts"), meta.get("language", "en")),
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
        themes[theme["id"]] = Theme(
            workshop_id=workshop.id,
            name=v.text_field(theme, "name", max_length=v.MAX_SHORT, required=True),
        )
    db.session.add_all(themes.values())
    items = data["contributions"]
    people = _participants(workshop, meta, items)
    db.session.flush()
    created: dict[int, Contribution] = {}
    for item in items:
        author = people[
            (item["author"], item.get("organisation") or "") if item.get("author") else ("", "")
        ]
        theme = themes.get(item.get("theme_id"))
        created[item["id"]] = Contribution(
            workshop_id=workshop.id,
            participant_id=author.id,
            client_id=f"import-{item['id']}",
            kind=item["kind"],
            title=_text(item, "title"),
            text=_text(item, "text"),
            factors=_text(item, "factors"),
            consent=Consent.NAMED.value if item.get("author") else Consent.ANONYMOUS.value,
            language=item.get("language", workshop.language),
            theme_id=theme.id if theme else None,
            owner=_text(item, "owner"),
            owner_organisation=_text(item, "owner_organisation"),
            due=_date(item.get("due"), "due"),
            vote_count=item.get("votes") or 0,
            created_at=dt.datetime.fromisoformat(item["created_at"]),
        )
    db.session.add_all(created.values())
    db.session.flush()
    for item in items:
        if item.get("proposition_id") is not None:
            created[item["id"]].proposition_id = created[item["proposition_id"]].id
    return workshop
