"""Shaping a programme's transnational synthesis: common themes, mapping, recommendations.

Coordinators create common themes in the programme's language and map each
regional theme (a workshop's theme of the positive core, which keeps its own
name and language) onto one. They write numbered recommendations, each
linked to programme themes and to evidence: contributions of the
programme's workshops that may be published. Who may do this is decided in
services/access.py; what the synthesis shows is read by exports/synthesis.py,
through the consent rule every export uses.

Every change raises the programme's ``seq`` first, which takes the
programme's row lock until the commit: changes to one synthesis are
serialised (two coordinators naming the same theme at once get one theme
and one 409) and numbered in commit order. Each returns one ``synthesis``
event stamped with that ``seq``; the realtime layer sends it to the
programme's room after the commit. A workshop of the programme whose
contents change raises the same ``seq`` (``contents_changed``), so a board
hears of every change it shows, in one order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from ..exports.synthesis import (
    RecommendationSection,
    Synthesis,
    build_synthesis,
    exportable_ids,
    recommendation_section,
)
from ..extensions import db
from ..models import (
    Programme,
    ProgrammeTheme,
    Recommendation,
    RecommendationEvidence,
    RecommendationTheme,
    Theme,
    Workshop,
    utcnow,
)
from . import validation as v
from .consistency import consistent_read
from .errors import ServiceError
from .events import ProgrammeEvent

THEME_FIELDS = ("name",)
MAPPING_FIELDS = ("theme_id", "programme_theme_id")
RECOMMENDATION_FIELDS = ("title", "text", "programme_theme_ids", "evidence_ids")
#: PATCH may also move a recommendation to another number.
EDIT_FIELDS = (*RECOMMENDATION_FIELDS, "number")
MAX_PROGRAMME_THEMES = 200
MAX_RECOMMENDATIONS = 100
MAX_RECOMMENDATION_TEXT = 10_000
#: Links a recommendation may hold.
MAX_EVIDENCE = 200
MAX_THEME_LINKS = 50
#: Ids are the database's integers (32 bits on PostgreSQL): larger ones name nothing.
MAX_ID = 2**31 - 1


def advance(programme_id: int) -> int:
    """Raise the programme's ``seq`` inside the open transaction; returns the new value.

    The UPDATE takes the programme's row lock (the database lock on SQLite):
    the checks made afterwards cannot race another change to the synthesis.
    """
    return db.session.execute(
        update(Programme)
        .where(Programme.id == programme_id)
        .values(seq=Programme.seq + 1)
        .returning(Programme.seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()


def synthesis_event(programme_id: int, seq: int, change: str, **fields: Any) -> ProgrammeEvent:
    """The ``synthesis`` event of one change: ``{seq, change, ...}``."""
    return ProgrammeEvent(programme_id, "synthesis", {"seq": seq, "change": change, **fields})


def read_synthesis(programme: Programme) -> Synthesis:
    """The synthesis as one committed state: its ``seq`` says which changes it holds."""
    with consistent_read():
        db.session.refresh(programme)
        return build_synthesis(programme)


# ----- programme themes -----


def theme_payload(theme: ProgrammeTheme) -> dict[str, Any]:
    """A programme theme as the API shows it."""
    return {"id": theme.id, "name": theme.name}


def _check_unique(programme_id: int, name: str, exclude_id: int | None = None) -> None:
    query = select(ProgrammeTheme.id).where(
        ProgrammeTheme.programme_id == programme_id,
        func.lower(ProgrammeTheme.name) == name.lower(),
    )
    if exclude_id is not None:
        query = query.where(ProgrammeTheme.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise ServiceError("theme_exists", _l("A theme with this name exists already."), 409)


def programme_theme(programme: Programme, theme_id: int) -> ProgrammeTheme:
    """The programme's theme with this id; 404 for any other."""
    theme = db.session.get(ProgrammeTheme, theme_id) if 0 < theme_id <= MAX_ID else None
    if theme is None or theme.programme_id != programme.id:
        raise ServiceError("not_found", _l("No such theme in this programme."), 404)
    return theme


def create_theme(programme: Programme, data: Any) -> tuple[ProgrammeTheme, list[ProgrammeEvent]]:
    """A new common theme, named in the programme's language; unique in it (any case)."""
    data = v.require_object(data, THEME_FIELDS, required=("name",))
    name = v.text_field(data, "name", max_length=v.MAX_SHORT, required=True)
    seq = advance(programme.id)
    _check_unique(programme.id, name)
    count = db.session.scalar(
        select(func.count(ProgrammeTheme.id)).where(ProgrammeTheme.programme_id == programme.id)
    )
    if count >= MAX_PROGRAMME_THEMES:
        raise ServiceError(
            "too_many_themes",
            _l("A programme has at most %(max)d themes.", max=MAX_PROGRAMME_THEMES),
            409,
        )
    theme = ProgrammeTheme(programme_id=programme.id, name=name)
    db.session.add(theme)
    db.session.commit()
    return theme, [synthesis_event(programme.id, seq, "theme", theme=theme_payload(theme))]


def rename_theme(
    programme: Programme, theme_id: int, data: Any
) -> tuple[ProgrammeTheme, list[ProgrammeEvent]]:
    """Give a programme theme a new name."""
    data = v.require_object(data, THEME_FIELDS, required=("name",))
    name = v.text_field(data, "name", max_length=v.MAX_SHORT, required=True)
    theme = programme_theme(programme, theme_id)
    seq = advance(programme.id)
    _check_unique(programme.id, name, exclude_id=theme.id)
    theme.name = name
    db.session.commit()
    return theme, [synthesis_event(programme.id, seq, "theme", theme=theme_payload(theme))]


def delete_theme(programme: Programme, theme_id: int) -> list[ProgrammeEvent]:
    """Remove a programme theme: its regional themes become unmapped, recommendations lose the link."""
    theme = programme_theme(programme, theme_id)
    seq = advance(programme.id)
    # Explicitly, not by the foreign keys' ON DELETE: SQLite enforces those only when asked.
    db.session.execute(
        update(Theme)
        .where(Theme.programme_theme_id == theme.id)
        .values(programme_theme_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(RecommendationTheme).where(RecommendationTheme.programme_theme_id == theme.id)
    )
    db.session.delete(theme)
    db.session.commit()
    return [synthesis_event(programme.id, seq, "theme_deleted", theme_id=theme_id)]


# ----- mapping -----


def map_theme(programme: Programme, data: Any) -> tuple[dict[str, Any], list[ProgrammeEvent]]:
    """Map a regional theme onto a programme theme (``null``: back to its region's tray)."""
    data = v.require_object(data, MAPPING_FIELDS, required=("theme_id",))
    if "programme_theme_id" not in data:
        raise ServiceError(
            "missing_field", _l("Missing field: %(field)s.", field="programme_theme_id")
        )
    theme_id = v.id_field(data, "theme_id")
    target_id = v.id_field(data, "programme_theme_id", required=False)
    seq = advance(programme.id)
    if target_id is not None:
        target = db.session.get(ProgrammeTheme, target_id) if target_id <= MAX_ID else None
        if target is None or target.programme_id != programme.id:
            raise ServiceError(
                "invalid_field",
                _l("programme_theme_id does not name a theme of this programme."),
            )
    # One statement that also checks the theme is a regional theme of this
    # programme, whatever its workshop's facilitator does meanwhile.
    in_programme = select(Workshop.id).where(Workshop.programme_id == programme.id)
    changed = (
        theme_id <= MAX_ID
        and db.session.execute(
            update(Theme)
            .where(Theme.id == theme_id, Theme.workshop_id.in_(in_programme))
            .values(programme_theme_id=target_id)
            .execution_options(synchronize_session=False)
        ).rowcount
    )
    if not changed:
        raise ServiceError(
            "invalid_field",
            _l("theme_id does not name a theme of a workshop in this programme."),
        )
    db.session.commit()
    mapping = {"theme_id": theme_id, "programme_theme_id": target_id}
    return {**mapping, "seq": seq}, [synthesis_event(programme.id, seq, "mapping", **mapping)]


# ----- recommendations -----


def _id_list(data: Mapping[str, Any], field: str, limit: int) -> list[int] | None:
    """A list of distinct positive ids, in the order given; None when the field is absent."""
    value = data.get(field)
    if value is None:
        return None if field not in data else []
    if not isinstance(value, list) or len(value) > limit:
        raise ServiceError(
            "invalid_field",
            _l("%(field)s must be a list of at most %(max)d ids.", field=field, max=limit),
        )
    ids: list[int] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or not 0 < item <= MAX_ID:
            raise ServiceError(
                "invalid_field",
                _l("%(field)s must be a list of at most %(max)d ids.", field=field, max=limit),
            )
        if item not in ids:
            ids.append(item)
    return ids


def _checked_themes(programme: Programme, ids: list[int]) -> list[int]:
    if not ids:
        return []
    found = set(
        db.session.scalars(
            select(ProgrammeTheme.id).where(
                ProgrammeTheme.programme_id == programme.id, ProgrammeTheme.id.in_(ids)
            )
        )
    )
    if found != set(ids):
        raise ServiceError(
            "invalid_field", _l("programme_theme_ids must name themes of this programme.")
        )
    return ids


def _checked_evidence(programme: Programme, ids: list[int]) -> list[int]:
    if set(ids) - exportable_ids(programme, ids):
        raise ServiceError(
            "invalid_field",
            _l(
                "evidence_ids must name contributions of this programme's workshops that "
                "may be published (not hidden, not private)."
            ),
        )
    return ids


def _recommendation(programme: Programme, recommendation_id: int) -> Recommendation:
    found = (
        db.session.get(Recommendation, recommendation_id)
        if 0 < recommendation_id <= MAX_ID
        else None
    )
    if found is None or found.programme_id != programme.id:
        raise ServiceError("not_found", _l("No such recommendation in this programme."), 404)
    return found


def _ordered(programme: Programme) -> list[Recommendation]:
    return list(
        db.session.scalars(
            select(Recommendation)
            .where(Recommendation.programme_id == programme.id)
            .order_by(Recommendation.position, Recommendation.id)
        )
    )


def _renumber(recommendations: list[Recommendation]) -> None:
    for position, recommendation in enumerate(recommendations, 1):
        recommendation.position = position


def _link(recommendation_id: int, themes: list[int] | None, evidence: list[int] | None) -> None:
    if themes is not None:
        db.session.execute(
            delete(RecommendationTheme).where(
                RecommendationTheme.recommendation_id == recommendation_id
            )
        )
        db.session.add_all(
            RecommendationTheme(recommendation_id=recommendation_id, programme_theme_id=tid)
            for tid in themes
        )
    if evidence is not None:
        db.session.execute(
            delete(RecommendationEvidence).where(
                RecommendationEvidence.recommendation_id == recommendation_id
            )
        )
        db.session.add_all(
            RecommendationEvidence(
                recommendation_id=recommendation_id, contribution_id=cid, position=position
            )
            for position, cid in enumerate(evidence)
        )


def create_recommendation(
    programme: Programme, data: Any
) -> tuple[RecommendationSection, list[ProgrammeEvent]]:
    """A new recommendation, numbered after the others."""
    data = v.require_object(data, RECOMMENDATION_FIELDS, required=("title", "text"))
    title = v.text_field(data, "title", max_length=v.MAX_TITLE, required=True)
    text = v.text_field(data, "text", max_length=MAX_RECOMMENDATION_TEXT, required=True)
    themes = _id_list(data, "programme_theme_ids", MAX_THEME_LINKS) or []
    evidence = _id_list(data, "evidence_ids", MAX_EVIDENCE) or []
    seq = advance(programme.id)
    themes = _checked_themes(programme, themes)
    evidence = _checked_evidence(programme, evidence)
    existing = _ordered(programme)
    if len(existing) >= MAX_RECOMMENDATIONS:
        raise ServiceError(
            "too_many_recommendations",
            _l("A programme has at most %(max)d recommendations.", max=MAX_RECOMMENDATIONS),
            409,
        )
    _renumber(existing)
    recommendation = Recommendation(
        programme_id=programme.id, position=len(existing) + 1, title=title, text=text
    )
    db.session.add(recommendation)
    db.session.flush()
    _link(recommendation.id, themes, evidence)
    db.session.commit()
    event = synthesis_event(programme.id, seq, "recommendation", id=recommendation.id)
    return recommendation_section(programme, recommendation.id), [event]


def update_recommendation(
    programme: Programme, recommendation_id: int, data: Any
) -> tuple[RecommendationSection, list[ProgrammeEvent]]:
    """Change a recommendation's text, links or number (``number``: its new place, 1 to n)."""
    data = v.require_object(data, EDIT_FIELDS)
    recommendation = _recommendation(programme, recommendation_id)
    changes: dict[str, Any] = {}
    if "title" in data:
        changes["title"] = v.text_field(data, "title", max_length=v.MAX_TITLE, required=True)
    if "text" in data:
        changes["text"] = v.text_field(
            data, "text", max_length=MAX_RECOMMENDATION_TEXT, required=True
        )
    themes = _id_list(data, "programme_theme_ids", MAX_THEME_LINKS)
    evidence = _id_list(data, "evidence_ids", MAX_EVIDENCE)
    number = None
    if "number" in data:
        number = v.int_range_field(
            data, "number", low=1, high=MAX_RECOMMENDATIONS, default=recommendation.position
        )
    seq = advance(programme.id)
    if themes is not None:
        themes = _checked_themes(programme, themes)
    if evidence is not None:
        evidence = _checked_evidence(programme, evidence)
    for key, value in changes.items():
        setattr(recommendation, key, value)
    if number is not None:
        others = [r for r in _ordered(programme) if r.id != recommendation.id]
        others.insert(min(number, len(others) + 1) - 1, recommendation)
        _renumber(others)
    _link(recommendation.id, themes, evidence)
    # Links changed alone still make the recommendation newer.
    recommendation.updated_at = utcnow()
    db.session.commit()
    event = synthesis_event(programme.id, seq, "recommendation", id=recommendation.id)
    return recommendation_section(programme, recommendation.id), [event]


def delete_recommendation(programme: Programme, recommendation_id: int) -> list[ProgrammeEvent]:
    """Remove a recommendation; the ones after it move up a number."""
    recommendation = _recommendation(programme, recommendation_id)
    seq = advance(programme.id)
    db.session.delete(recommendation)
    db.session.flush()
    _renumber(_ordered(programme))
    db.session.commit()
    return [synthesis_event(programme.id, seq, "recommendation_deleted", id=recommendation_id)]


# ----- the workshops' side -----


def contents_changed(programme_ids: set[int], workshop_id: int) -> list[ProgrammeEvent]:
    """A workshop of these programmes changed what their syntheses show (or joined or left them).

    Called by the realtime layer, at most once per workshop per
    ``PROGRESS_COALESCE_SECONDS``, after the workshop's change is committed.
    """
    events = []
    for programme_id in sorted(programme_ids):
        seq = db.session.execute(
            update(Programme)
            .where(Programme.id == programme_id)
            .values(seq=Programme.seq + 1)
            .returning(Programme.seq)
            .execution_options(synchronize_session=False)
        ).scalar()
        db.session.commit()
        if seq is not None:  # None: the programme was deleted meanwhile
            events.append(synthesis_event(programme_id, seq, "contents", workshop_id=workshop_id))
    return events
