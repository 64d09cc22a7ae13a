"""The partner's read-only page and downloads behind a share link."""

from __future__ import annotations

from flask import Response, render_template

from ..downloads import send_export
from ..exports import build_draft
from ..forms import LANGUAGE_NAMES
from ..http import protected
from ..models import Workshop
from ..services.access import Action
from . import bp


@bp.get("/<token>")
@protected(Action.WORKSHOP_SHARED)
def summary(workshop: Workshop, token: str) -> str:
    """The workshop's summary (the strategy draft) with a download button per format."""
    return render_template(
        "partner/summary.html",
        workshop=workshop,
        draft=build_draft(workshop),
        token=token,
        languages=LANGUAGE_NAMES,
    )


@bp.get("/<token>/export.<fmt>")
@protected(Action.WORKSHOP_SHARED)
def download(workshop: Workshop, token: str, fmt: str) -> Response:
    """One format of the strategy draft (``?lang=`` for its labels)."""
    return send_export(workshop, fmt, share_token=token)
