"""API routes of a programme's transnational synthesis: themes, mapping, recommendations, document.

See docs/protocol.md. Every change is sent to the programme's room as a
``synthesis`` event after its commit.
"""

from __future__ import annotations

from flask import Response, jsonify

from ..downloads import send_recommendation
from ..exports.synthesis import recommendation_payload, synthesis_payload
from ..http import json_body, protected
from ..models import Programme
from ..realtime.rooms import publish_programme
from ..services import synthesis
from ..services.access import Action
from . import bp


@bp.get("/programmes/<int:programme_id>/synthesis")
@protected(Action.SYNTHESIS_READ)
def get_synthesis(programme: Programme) -> Response:
    """The synthesis as one committed state, stamped with its ``seq``."""
    return jsonify(synthesis_payload(synthesis.read_synthesis(programme)))


@bp.post("/programmes/<int:programme_id>/themes")
@protected(Action.SYNTHESIS_EDIT)
def create_programme_theme(programme: Programme) -> tuple[Response, int]:
    """A common theme of the programme."""
    theme, events = synthesis.create_theme(programme, json_body())
    publish_programme(events)
    return jsonify(synthesis.theme_payload(theme)), 201


@bp.patch("/programmes/<int:programme_id>/themes/<int:theme_id>")
@protected(Action.SYNTHESIS_EDIT)
def rename_programme_theme(programme: Programme, theme_id: int) -> Response:
    """Rename a common theme."""
    theme, events = synthesis.rename_theme(programme, theme_id, json_body())
    publish_programme(events)
    return jsonify(synthesis.theme_payload(theme))


@bp.delete("/programmes/<int:programme_id>/themes/<int:theme_id>")
@protected(Action.SYNTHESIS_EDIT)
def delete_programme_theme(programme: Programme, theme_id: int) -> tuple[str, int]:
    """Remove a common theme; its regional themes go back to their regions' trays."""
    publish_programme(synthesis.delete_theme(programme, theme_id))
    return "", 204


@bp.post("/programmes/<int:programme_id>/mapping")
@protected(Action.SYNTHESIS_EDIT)
def map_theme(programme: Programme) -> Response:
    """Map a regional theme onto a common theme, or unmap it (``programme_theme_id: null``)."""
    result, events = synthesis.map_theme(programme, json_body())
    publish_programme(events)
    return jsonify(result)


@bp.post("/programmes/<int:programme_id>/recommendations")
@protected(Action.SYNTHESIS_EDIT)
def create_recommendation(programme: Programme) -> tuple[Response, int]:
    """A numbered recommendation with its themes and evidence."""
    section, events = synthesis.create_recommendation(programme, json_body())
    publish_programme(events)
    return jsonify(recommendation_payload(section)), 201


@bp.patch("/programmes/<int:programme_id>/recommendations/<int:recommendation_id>")
@protected(Action.SYNTHESIS_EDIT)
def update_recommendation(programme: Programme, recommendation_id: int) -> Response:
    """Change a recommendation's title, text, links or number."""
    section, events = synthesis.update_recommendation(programme, recommendation_id, json_body())
    publish_programme(events)
    return jsonify(recommendation_payload(section))


@bp.delete("/programmes/<int:programme_id>/recommendations/<int:recommendation_id>")
@protected(Action.SYNTHESIS_EDIT)
def delete_recommendation(programme: Programme, recommendation_id: int) -> tuple[str, int]:
    """Remove a recommendation; the later ones move up a number."""
    publish_programme(synthesis.delete_recommendation(programme, recommendation_id))
    return "", 204


@bp.get("/programmes/<int:programme_id>/export.<fmt>")
@protected(Action.SYNTHESIS_READ)
def export_recommendation(programme: Programme, fmt: str) -> Response:
    """The transnational recommendation as md, json, docx, pdf, xlsx or csv (``?lang=``)."""
    return send_recommendation(programme, fmt)
