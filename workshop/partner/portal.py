"""A programme's partner portal: every workshop of it, each with its summary and downloads.

Everything under ``/p/<token>`` goes through the portal link: once revoked,
the portal, every summary and every download behind it answer 410.
"""

from __future__ import annotations

from flask import Response, render_template, url_for
from flask_babel import lazy_gettext as _l

from ..downloads import send_export, send_recommendation
from ..exports import build_draft
from ..exports.recommendation import labels, sections
from ..forms import LANGUAGE_NAMES
from ..http import protected
from ..models import Programme, Workshop
from ..services import programmes
from ..services.access import Action
from ..services.method import PHASE_LABELS
from ..services.progress import cards
from ..services.synthesis import read_synthesis
from . import portal_bp


@portal_bp.get("/<token>")
@protected(Action.PROGRAMME_SHARED)
def index(programme: Programme, token: str) -> str:
    """The programme, its regions, and every workshop with its region and language."""
    regions = programmes.regions_of(programme)
    return render_template(
        "partner/portal.html",
        programme=programme,
        regions={r.id: r for r in regions},
        region_list=regions,
        cards=cards(programme_id=programme.id),
        token=token,
        phase_labels=PHASE_LABELS,
        languages=LANGUAGE_NAMES,
    )


@portal_bp.get("/<token>/workshops/<int:workshop_id>")
@protected(Action.WORKSHOP_PORTAL)
def summary(workshop: Workshop, token: str) -> str:
    """One workshop's summary (its strategy draft) with a download button per format."""
    return render_template(
        "partner/portal_summary.html",
        workshop=workshop,
        draft=build_draft(workshop),
        token=token,
        languages=LANGUAGE_NAMES,
    )


@portal_bp.get("/<token>/workshops/<int:workshop_id>/export.<fmt>")
@protected(Action.WORKSHOP_PORTAL)
def download(workshop: Workshop, token: str, fmt: str) -> Response:
    """One format of a workshop's strategy draft (``?lang=`` for its labels)."""
    back = (
        url_for("portal.summary", token=token, workshop_id=workshop.id),
        _l("Back to the workshop"),
    )
    return send_export(workshop, fmt, share_token=token, back=back)


@portal_bp.get("/<token>/synthesis")
@protected(Action.PROGRAMME_SHARED)
def synthesis(programme: Programme, token: str) -> str:
    """The transnational synthesis, read-only, with the recommendation in every format."""
    found = read_synthesis(programme)
    words = labels.labels()
    header, rows = sections.matrix_rows(found, words)
    return render_template(
        "partner/synthesis.html",
        programme=programme,
        s=found,
        words=words,
        L=labels,
        theme_names={t.id: t.name for t in found.programme_themes},
        matrix_header=header,
        matrix_rows=rows,
        commitments=sections.commitments_by_region(found),
        top=labels.TOP_ACROSS_REGIONS,
        token=token,
        languages=LANGUAGE_NAMES,
    )


@portal_bp.get("/<token>/export.<fmt>")
@protected(Action.PROGRAMME_SHARED)
def recommendation(programme: Programme, token: str, fmt: str) -> Response:
    """One format of the transnational recommendation (``?lang=`` for its labels)."""
    return send_recommendation(programme, fmt, share_token=token)
