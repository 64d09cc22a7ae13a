"""API routes. See docs/protocol.md for every request and answer."""

from __future__ import annotations

from flask import Response, jsonify, request

from ..downloads import send_export
from ..http import client_address, json_body, protected
from ..models import ApiToken, Workshop, as_utc
from ..realtime import progress
from ..realtime.erasures import deliver, deliver_deletion, deliver_departure
from ..realtime.rooms import publish
from ..services import access, accounts, erasure, participants, privacy, shares, workshops
from ..services.access import Action
from ..services.links import external_url
from ..services.snapshot import snapshot, workshop_payload
from ..services.validation import require_object
from . import bp

API_WORKSHOP_FIELDS = workshops.WORKSHOP_FIELDS + workshops.PLACEMENT_FIELDS


def _token_payload(record: ApiToken, *, current: bool = False) -> dict[str, object]:
    return {
        "id": record.id,
        "name": record.name,
        "hint": record.hint,
        "created_at": as_utc(record.created_at).isoformat(),
        "expires_at": as_utc(record.expires_at).isoformat(),
        "current": current,
    }


@bp.post("/auth/token")
@protected(Action.PUBLIC)
def issue_token() -> tuple[Response, int]:
    """Exchange email and password for a bearer token (shown this once; it expires)."""
    data = require_object(json_body(), accounts.TOKEN_FIELDS, required=("email", "password"))
    facilitator = accounts.login(data["email"], data["password"], client_address())
    record, token = accounts.issue_api_token(facilitator, data.get("name"))
    return jsonify({"token": token, **_token_payload(record)}), 200


@bp.get("/auth/tokens")
@protected(Action.ACCOUNT)
def list_tokens() -> Response:
    """The caller's API tokens that still work (never the tokens themselves)."""
    identity = access.identify()
    return jsonify(
        {
            "tokens": [
                _token_payload(record, current=access.presented(identity, record))
                for record in access.api_tokens_of(identity)
            ]
        }
    )


@bp.delete("/auth/tokens/<int:token_id>")
@protected(Action.ACCOUNT)
def revoke_token(token_id: int) -> tuple[str, int]:
    """Revoke one of the caller's API tokens (the one presented too): 401 from then on."""
    accounts.revoke_api_token(access.api_token_of(access.identify(), token_id))
    return "", 204


@bp.get("/workshops")
@protected(Action.ACCOUNT)
def list_workshops() -> Response:
    """The caller's workshops, newest first."""
    items = access.workshops_of(access.identify())
    counts = workshops.participant_counts([w.id for w in items])
    return jsonify(
        {"workshops": [{**workshop_payload(w), "participants": counts.get(w.id, 0)} for w in items]}
    )


@bp.post("/workshops")
@protected(Action.ACCOUNT)
def create_workshop() -> tuple[Response, int]:
    """A new workshop in the lobby, optionally in a programme of the caller's."""
    workshop = workshops.create_workshop(
        access.identify().facilitator, json_body(), fields=API_WORKSHOP_FIELDS
    )
    progress.workshop_changed(workshop.id)
    return jsonify(workshop_payload(workshop)), 201


@bp.get("/workshops/<int:workshop_id>")
@protected(Action.WORKSHOP_READ)
def get_workshop(workshop: Workshop) -> Response:
    """The facilitator's full snapshot, hidden items included."""
    return jsonify(snapshot(workshop))


@bp.patch("/workshops/<int:workshop_id>")
@protected(Action.WORKSHOP_MANAGE)
def edit_workshop(workshop: Workshop) -> Response:
    """Change title, topic, language, vote budget, prompts, or the programme and region."""
    left = workshop.programme_id
    publish(workshops.update_workshop(workshop, json_body(), fields=API_WORKSHOP_FIELDS))
    if left is not None and left != workshop.programme_id:
        progress.workshop_changed(workshop.id, left_programme_id=left)
    return jsonify(workshop_payload(workshop))


@bp.post("/workshops/<int:workshop_id>/phase")
@protected(Action.WORKSHOP_MANAGE)
def set_phase(workshop: Workshop) -> Response:
    """Move the workshop to a phase; the room receives ``phase``."""
    events = workshops.set_phase(workshop, json_body())
    publish(events)
    return jsonify({"phase": workshop.phase, "seq": events[0].payload["seq"]})


@bp.post("/join")
@protected(Action.PUBLIC)
def join() -> tuple[Response, int]:
    """A participant joins by code; the answer carries their token."""
    participant, token = participants.join(json_body(), client_address())
    progress.workshop_changed(participant.workshop_id)
    workshop = access.find_workshop(participant.workshop_id)
    response = jsonify(
        {
            "participant_id": participant.id,
            "token": token,
            "workshop_id": participant.workshop_id,
            "live_url": external_url("participant.live", public_id=workshop.public_id),
        }
    )
    return access.remember_participant(response, participant, token), 201


@bp.get("/workshops/<int:workshop_id>/export.<fmt>")
@protected(Action.WORKSHOP_READ)
def export(workshop: Workshop, fmt: str) -> Response:
    """The strategy draft as md, json, docx, pdf, xlsx or csv (``?lang=`` for its labels)."""
    return send_export(workshop, fmt)


@bp.post("/workshops/<int:workshop_id>/shares")
@protected(Action.WORKSHOP_MANAGE)
def create_share(workshop: Workshop) -> tuple[Response, int]:
    """A partner link, optionally with ``expires_on`` (YYYY-MM-DD); its token is shown this once."""
    data = json_body() if request.content_length else {}
    link, token = shares.create_share(workshop, data)
    return jsonify(shares.share_payload(link, token)), 201


@bp.get("/workshops/<int:workshop_id>/shares")
@protected(Action.WORKSHOP_MANAGE)
def list_shares(workshop: Workshop) -> Response:
    """The workshop's links that still work."""
    return jsonify({"shares": [shares.share_payload(link) for link in shares.shares_of(workshop)]})


@bp.delete("/workshops/<int:workshop_id>/shares/<share>")
@protected(Action.WORKSHOP_MANAGE)
def revoke_share(workshop: Workshop, share: str) -> tuple[str, int]:
    """Revoke a partner link, named by its ``id`` or its token: 410 from now on."""
    shares.revoke_share(workshop, share)
    return "", 204


@bp.delete("/workshops/<int:workshop_id>")
@protected(Action.WORKSHOP_ERASE)
def delete_workshop(workshop: Workshop) -> tuple[str, int]:
    """Delete the workshop and everything in it; its room receives ``workshop_deleted``."""
    deliver_deletion(erasure.delete_workshop(workshop, access.identify().facilitator))
    return "", 204


@bp.delete("/workshops/<int:workshop_id>/participants/<int:participant_id>")
@protected(Action.WORKSHOP_ERASE)
def erase_participant(workshop: Workshop, participant_id: int) -> tuple[str, int]:
    """Delete a participant with their contributions and votes; the room follows."""
    facilitator = access.identify().facilitator
    events = erasure.erase_participant(workshop, participant_id, facilitator)
    deliver_departure(workshop.id, participant_id, events)
    return "", 204


@bp.get("/workshops/<int:workshop_id>/privacy")
@protected(Action.WORKSHOP_PRIVACY)
def privacy_record(workshop: Workshop) -> Response:
    """The record of processing: the notice, personal data held, retention, privacy events."""
    return jsonify(privacy.record_of_processing(workshop))


@bp.get("/me")
@protected(Action.WORKSHOP_SELF, query=True)
def get_me(workshop: Workshop) -> Response:
    """Everything the workshop holds about the calling participant."""
    participant = access.identify().participant_in(workshop.id)
    return jsonify(privacy.my_data(participant))


@bp.patch("/me")
@protected(Action.WORKSHOP_SELF, query=True)
def correct_me(workshop: Workshop) -> Response:
    """The participant corrects their name, organisation or region; their signed items follow."""
    participant = access.identify().participant_in(workshop.id)
    deliver(erasure.correct_identity(participant, json_body()))
    return jsonify({"participant": privacy.my_data(participant)["participant"]})


@bp.delete("/me")
@protected(Action.WORKSHOP_SELF, query=True)
def leave(workshop: Workshop) -> Response:
    """The participant leaves: name, organisation, region and token erased."""
    participant = access.identify().participant_in(workshop.id)
    pid = participant.id
    deliver_departure(workshop.id, pid, erasure.leave(participant))
    response = Response(status=204)
    response.delete_cookie(access.participant_cookie_name(workshop.id))
    return response
