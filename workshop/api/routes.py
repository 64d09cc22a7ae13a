"""API routes. See docs/protocol.md for every request and answer."""

from __future__ import annotations

from flask import Response, current_app, jsonify, request

from ..downloads import send_export
from ..models import ShareLink, as_utc
from ..realtime.connection import participant_cookie_name
from ..realtime.rooms import publish
from ..services import accounts, participants, shares, workshops
from ..services.links import external_url
from ..services.snapshot import snapshot, workshop_payload
from ..services.validation import require_object
from . import bp
from .auth import client_address, json_body, require_facilitator


@bp.post("/auth/token")
def issue_token() -> tuple[Response, int]:
    """Exchange email and password for a bearer token."""
    data = require_object(json_body(), ("email", "password"), required=("email", "password"))
    facilitator = accounts.login(data["email"], data["password"], client_address())
    return jsonify({"token": accounts.issue_api_token(facilitator)}), 200


@bp.get("/workshops")
def list_workshops() -> Response:
    """The caller's workshops, newest first."""
    owner = require_facilitator()
    items = workshops.workshops_of(owner)
    counts = workshops.participant_counts([w.id for w in items])
    return jsonify(
        {"workshops": [{**workshop_payload(w), "participants": counts.get(w.id, 0)} for w in items]}
    )


@bp.post("/workshops")
def create_workshop() -> tuple[Response, int]:
    """A new workshop in the lobby."""
    owner = require_facilitator()
    workshop = workshops.create_workshop(owner, json_body())
    return jsonify(workshop_payload(workshop)), 201


@bp.get("/workshops/<int:workshop_id>")
def get_workshop(workshop_id: int) -> Response:
    """The owner's full snapshot, hidden items included."""
    workshop = workshops.owned_workshop(require_facilitator(), workshop_id)
    return jsonify(snapshot(workshop))


@bp.patch("/workshops/<int:workshop_id>")
def edit_workshop(workshop_id: int) -> Response:
    """Change title, topic, language, vote budget or prompts."""
    workshop = workshops.owned_workshop(require_facilitator(), workshop_id)
    publish(workshops.update_workshop(workshop, json_body()))
    return jsonify(workshop_payload(workshop))


@bp.post("/workshops/<int:workshop_id>/phase")
def set_phase(workshop_id: int) -> Response:
    """Move the workshop to a phase; the room receives ``phase``."""
    workshop = workshops.owned_workshop(require_facilitator(), workshop_id)
    events = workshops.set_phase(workshop, json_body())
    publish(events)
    return jsonify({"phase": workshop.phase, "seq": events[0].payload["seq"]})


@bp.post("/join")
def join() -> tuple[Response, int]:
    """A participant joins by code; the answer carries their token."""
    participant, token = participants.join(json_body(), client_address())
    response = jsonify(
        {"participant_id": participant.id, "token": token, "workshop_id": participant.workshop_id}
    )
    response.set_cookie(
        participant_cookie_name(participant.workshop_id),
        token,
        max_age=current_app.config["PARTICIPANT_COOKIE_MAX_AGE"],
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response, 201


@bp.get("/workshops/<int:workshop_id>/export.<fmt>")
def export(workshop_id: int, fmt: str) -> Response:
    """The strategy draft as md, json, docx, pdf, xlsx or csv (``?lang=`` for its labels)."""
    workshop = workshops.owned_workshop(require_facilitator(), workshop_id)
    return send_export(workshop, fmt)


def _share_payload(link: ShareLink) -> dict[str, object]:
    return {
        "token": link.token,
        "url": external_url("partner.summary", token=link.token),
        "created_at": as_utc(link.created_at).isoformat(),
        "expires_at": as_utc(link.expires_at).isoformat() if link.expires_at else None,
    }


@bp.post("/workshops/<int:workshop_id>/shares")
def create_share(workshop_id: int) -> tuple[Response, int]:
    """A partner link, optionally with ``expires_on`` (YYYY-MM-DD)."""
    workshop = workshops.owned_workshop(require_facilitator(), workshop_id)
    data = json_body() if request.content_length else {}
    return jsonify(_share_payload(shares.create_share(workshop, data))), 201


@bp.get("/workshops/<int:workshop_id>/shares")
def list_shares(workshop_id: int) -> Response:
    """The workshop's links that still work."""
    workshop = workshops.owned_workshop(require_facilitator(), workshop_id)
    return jsonify({"shares": [_share_payload(link) for link in shares.shares_of(workshop)]})


@bp.delete("/workshops/<int:workshop_id>/shares/<token>")
def revoke_share(workshop_id: int, token: str) -> tuple[str, int]:
    """Revoke a partner link: the page and its files answer 410 from now on."""
    workshop = workshops.owned_workshop(require_facilitator(), workshop_id)
    shares.revoke_share(workshop, token)
    return "", 204
