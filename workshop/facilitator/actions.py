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
from flask_login import current_user, login_required

from ..models import ShareLink, as_utc
from ..realtime.rooms import publish
from ..services import shares, workshops
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


def share_payload(link: ShareLink) -> dict[str, object]:
    """A partner link as the share panel lists it."""
    return {
        "token": link.token,
        "url": external_url("partner.summary", token=link.token),
        "created_at": as_utc(link.created_at).isoformat(),
        "expires_at": as_utc(link.expires_at).isoformat() if link.expires_at else None,
    }


@bp.get("/workshops/<int:workshop_id>/shares")
@login_required
def list_shares(workshop_id: int) -> Response:
    """The workshop's partner links that still work, newest first."""
    workshop = workshops.owned_workshop(current_user, workshop_id)
    return jsonify({"shares": [share_payload(link) for link in shares.shares_of(workshop)]})


@bp.post("/workshops/<int:workshop_id>/shares")
@login_required
def create_share(workshop_id: int) -> tuple[Response, int]:
    """A new partner link, optionally expiring (``{"expires_on": "YYYY-MM-DD"}``)."""
    workshop = workshops.owned_workshop(current_user, workshop_id)
    data = request.get_json(silent=True) if request.content_length else {}
    return jsonify(share_payload(shares.create_share(workshop, data))), 201


@bp.delete("/workshops/<int:workshop_id>/shares/<token>")
@login_required
def revoke_share(workshop_id: int, token: str) -> tuple[str, int]:
    """Revoke a partner link: its page and files answer 410 from now on."""
    workshop = workshops.owned_workshop(current_user, workshop_id)
    shares.revoke_share(workshop, token)
    return "", 204


@bp.get("/workshops/<int:workshop_id>/shares/<token>/qr.svg")
@login_required
def share_qr(workshop_id: int, token: str) -> Response:
    """A live partner link as an SVG QR code (for a partner in the room)."""
    workshop = workshops.owned_workshop(current_user, workshop_id)
    link = shares.live_share(workshop, token)
    return svg_qr(external_url("partner.summary", token=link.token), gettext("Partner link"))


@bp.post("/workshops/<int:workshop_id>/votes/reveal")
@login_required
def reveal_votes(workshop_id: int) -> tuple[str, int]:
    """Reveal the vote counts to the room (the projector's control); the room receives ``workshop``."""
    workshop = workshops.owned_workshop(current_user, workshop_id)
    publish(workshops.update_workshop(workshop, {"votes_revealed": True}))
    return "", 204
