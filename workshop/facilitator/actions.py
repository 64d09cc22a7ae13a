"""What the facilitator's pages do over HTTP: partner links, and revealing votes.

These routes answer JSON to the board's and dashboard's scripts. They are
authorised by the login session, so each state change also needs the page's
CSRF token (the ``X-CSRFToken`` header, checked by Flask-WTF), and a page on
another site cannot make a signed-in browser use them.
"""

from __future__ import annotations

import io

import segno
from flask import Response, jsonify, request
from flask_babel import gettext

from ..http import protected
from ..models import Workshop
from ..realtime.rooms import publish
from ..services import shares, workshops
from ..services.access import Action
from ..services.links import external_url
from . import bp


def svg_qr(url: str, title: str) -> Response:
    """``url`` as an SVG QR code, drawn here (no external service)."""
    qr = segno.make(url, error="m")
    buffer = io.BytesIO()
    # A standalone file needs the SVG namespace (svg_inline leaves it out).
    qr.save(
        buffer,
        kind="svg",
        xmldecl=False,
        scale=10,
        border=2,
        dark="#111",
        light="#fff",
        title=title,
    )
    response = Response(buffer.getvalue(), mimetype="image/svg+xml")
    response.cache_control.private = True
    return response


@bp.get("/workshops/<int:workshop_id>/shares")
@protected(Action.WORKSHOP_MANAGE)
def list_shares(workshop: Workshop) -> Response:
    """The workshop's partner links that still work, newest first (their tokens are not kept)."""
    return jsonify({"shares": [shares.share_payload(link) for link in shares.shares_of(workshop)]})


@bp.post("/workshops/<int:workshop_id>/shares")
@protected(Action.WORKSHOP_MANAGE)
def create_share(workshop: Workshop) -> tuple[Response, int]:
    """A new partner link, optionally expiring (``{"expires_on": "YYYY-MM-DD"}``).

    Its token and address are in this answer only: the server keeps a digest.
    """
    data = request.get_json(silent=True) if request.content_length else {}
    link, token = shares.create_share(workshop, data)
    return jsonify(shares.share_payload(link, token)), 201


@bp.delete("/workshops/<int:workshop_id>/shares/<share>")
@protected(Action.WORKSHOP_MANAGE)
def revoke_share(workshop: Workshop, share: str) -> tuple[str, int]:
    """Revoke a partner link (by id or token): its page and files answer 410 from now on."""
    shares.revoke_share(workshop, share)
    return "", 204


@bp.get("/workshops/<int:workshop_id>/shares/<token>/qr.svg")
@protected(Action.WORKSHOP_MANAGE)
def share_qr(workshop: Workshop, token: str) -> Response:
    """A live partner link as an SVG QR code (for a partner in the room; the page holds its token)."""
    shares.live_share(workshop, token)  # 404 unless it is one of this workshop's live links
    return svg_qr(external_url("partner.summary", token=token), gettext("Partner link"))


@bp.post("/workshops/<int:workshop_id>/votes/reveal")
@protected(Action.WORKSHOP_MANAGE)
def reveal_votes(workshop: Workshop) -> tuple[str, int]:
    """Reveal the vote counts to the room (the projector's control); the room receives ``workshop``."""
    publish(workshops.update_workshop(workshop, {"votes_revealed": True}))
    return "", 204
