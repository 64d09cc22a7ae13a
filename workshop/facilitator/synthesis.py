"""The synthesis board: a programme's common themes, mapping, coverage and recommendations, live.

The page is drawn by static/js/synthesis.js from ``GET
/api/programmes/<id>/synthesis`` and kept up to date through the
programme's Socket.IO room (``synthesis`` events). Coordinators shape it;
other members read it.
"""

from __future__ import annotations

from flask import render_template

from ..forms import LANGUAGE_NAMES
from ..http import protected
from ..models import Programme
from ..services import access
from ..services.access import Action
from ..services.method import PHASE_LABELS
from . import bp


@bp.get("/programmes/<int:programme_id>/synthesis")
@protected(Action.SYNTHESIS_READ)
def programme_synthesis(programme: Programme) -> str:
    """The live synthesis board (read-only for members who do not coordinate)."""
    identity = access.identify()
    return render_template(
        "programmes/synthesis.html",
        programme=programme,
        can_edit=access.may(identity, Action.SYNTHESIS_EDIT, programme),
        phase_labels=PHASE_LABELS,
        languages=LANGUAGE_NAMES,
    )
