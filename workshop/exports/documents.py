"""The documents the exports package makes, and what each is made from.

- ``workshop``: a workshop's strategy draft (draft.py), from its row;
- ``programme``: a programme's transnational recommendation (synthesis.py),
  from its row and its workshops.

The render queue, the worker process and the cache know a document by its
kind and its object's id; ``build`` reads its model (plain values) from the
database, and ``formats.render`` lays the model out.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..extensions import db
from ..models import Contribution, Programme, Workshop
from .cache import PROGRAMME, WORKSHOP
from .draft import build_draft
from .synthesis import build_synthesis

#: Document kind -> the row it is made from.
MODELS: dict[str, type[Workshop] | type[Programme]] = {WORKSHOP: Workshop, PROGRAMME: Programme}
KINDS = tuple(MODELS)


def build(kind: str, object_id: int) -> Any:
    """The model of a document (``StrategyDraft`` or ``Synthesis``), or None when its row is gone."""
    row = db.session.get(MODELS[kind], object_id)
    if row is None:
        return None
    return build_synthesis(row) if kind == PROGRAMME else build_draft(row)


def contribution_count(kind: str, object_id: int) -> int:
    """How many contributions a document is made from (what decides where it is laid out)."""
    query = select(func.count(Contribution.id))
    if kind == PROGRAMME:
        query = query.join(Workshop, Workshop.id == Contribution.workshop_id).where(
            Workshop.programme_id == object_id
        )
    else:
        query = query.where(Contribution.workshop_id == object_id)
    return db.session.scalar(query) or 0
