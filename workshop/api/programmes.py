"""API routes of programmes: regions, members, invitations, imports, portal links.

See docs/protocol.md. Who may call each is declared with ``@protected``.
"""

from __future__ import annotations

from flask import Response, current_app, jsonify, request
from flask_babel import lazy_gettext as _l

from ..http import body_limit, json_body, protected
from ..models import Invitation, Programme, as_utc
from ..realtime import progress
from ..realtime.erasures import deliver_programme_deletion
from ..realtime.rooms import publish_programme
from ..services import access, erasure, importer, invitations, portal, programmes
from ..services.access import Action
from ..services.errors import ServiceError
from ..services.links import external_url
from . import bp


@bp.post("/programmes")
@protected(Action.ACCOUNT)
def create_programme() -> tuple[Response, int]:
    """A new programme; the caller becomes its coordinator."""
    programme = programmes.create_programme(access.identify().facilitator, json_body())
    return jsonify(programmes.summary_payload(programme, "coordinator")), 201


@bp.get("/programmes")
@protected(Action.ACCOUNT)
def list_programmes() -> Response:
    """The programmes the caller is a member of, newest first."""
    found = access.programmes_of(access.identify())
    return jsonify({"programmes": [programmes.summary_payload(p, role) for p, role in found]})


@bp.get("/programmes/<int:programme_id>")
@protected(Action.PROGRAMME_READ)
def get_programme(programme: Programme) -> Response:
    """Regions, members and every workshop's card."""
    return jsonify(programmes.programme_payload(programme, access.identify()))


@bp.patch("/programmes/<int:programme_id>")
@protected(Action.PROGRAMME_MANAGE)
def update_programme(programme: Programme) -> Response:
    """Edit the title, description, language or privacy notice (any of them)."""
    publish_programme(
        programmes.update_programme(programme, json_body(), access.identify().facilitator)
    )
    return jsonify(programmes.summary_payload(programme, "coordinator"))


@bp.delete("/programmes/<int:programme_id>")
@protected(Action.PROGRAMME_ERASE)
def delete_programme(programme: Programme) -> tuple[str, int]:
    """Delete the programme; its workshops stay with their owners.

    ``?with_own_workshops=true`` deletes the caller's own workshops in it too.
    """
    with_own = request.args.get("with_own_workshops", "false")
    if with_own not in ("true", "false"):
        raise ServiceError("invalid_field", _l("with_own_workshops must be true or false."), 400)
    deleted = erasure.delete_programme(
        programme, access.identify().facilitator, with_own_workshops=with_own == "true"
    )
    deliver_programme_deletion(deleted)
    return "", 204


@bp.post("/programmes/<int:programme_id>/regions")
@protected(Action.PROGRAMME_MANAGE)
def create_region(programme: Programme) -> tuple[Response, int]:
    """A new region of the programme."""
    region = programmes.add_region(programme, json_body())
    return jsonify(programmes.region_payload(region)), 201


def invitation_payload(invitation: Invitation, token: str) -> dict[str, object]:
    """What the coordinator gets once: the token and the link that carries it."""
    return {
        "token": token,
        "url": external_url("facilitator.invitation", token=token),
        "role": invitation.role,
        "email": invitation.email,
        "expires_at": as_utc(invitation.expires_at).isoformat(),
    }


@bp.post("/programmes/<int:programme_id>/invitations")
@protected(Action.PROGRAMME_MANAGE)
def create_invitation(programme: Programme) -> tuple[Response, int]:
    """A single-use invitation link (``role``, ``email``, ``days`` optional)."""
    data = json_body() if request.content_length else {}
    invitation, token = invitations.create_invitation(
        programme, access.identify().facilitator, data
    )
    return jsonify(invitation_payload(invitation, token)), 201


@bp.delete("/programmes/<int:programme_id>/invitations/<token>")
@protected(Action.PROGRAMME_MANAGE)
def revoke_invitation(programme: Programme, token: str) -> tuple[str, int]:
    """Revoke an invitation that has not been used: its link answers 410."""
    invitations.revoke(programme, token=token)
    return "", 204


@bp.post("/invitations/<token>/accept")
@protected(Action.PROGRAMME_JOIN)
def accept_invitation(programme: Programme, token: str) -> tuple[Response, int]:
    """Join the programme: with a facilitator token, or as a new account (name, email, password)."""
    identity = access.identify()
    invitation = identity.invitation
    assert invitation is not None
    if identity.token_presented:
        if identity.facilitator is None:
            raise ServiceError("unauthorized", _l("Send a valid facilitator token."), 401)
        member = invitations.accept(invitation, identity.facilitator)
        return jsonify({"programme_id": programme.id, "role": member.role}), 200
    member, _facilitator, api_token = invitations.accept_as_new(invitation, json_body())
    return jsonify({"programme_id": programme.id, "role": member.role, "token": api_token}), 201


@bp.delete("/programmes/<int:programme_id>/members/<int:facilitator_id>")
@protected(Action.PROGRAMME_MANAGE)
def remove_member(programme: Programme, facilitator_id: int) -> tuple[str, int]:
    """Take someone out of the programme; their workshops stay in it."""
    programmes.remove_member(programme, facilitator_id)
    return "", 204


@bp.post("/programmes/<int:programme_id>/imports")
@body_limit("IMPORT_MAX_BYTES")
@protected(Action.PROGRAMME_CONTRIBUTE)
def import_workshop(programme: Programme) -> tuple[Response, int]:
    """A JSON export as the body, into ``?region_id=``: 201 new, 200 already imported."""
    region = programmes.region_of(programme, request.args.get("region_id"))
    limit = current_app.config["IMPORT_MAX_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise ServiceError("too_large", _l("The request is too large."), 413)
    if not request.is_json:
        raise ServiceError(
            "unsupported_media_type",
            _l("Send JSON with Content-Type: application/json."),
            415,
        )
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise ServiceError("too_large", _l("The request is too large."), 413)
    owner = access.identify().facilitator
    workshop, created = importer.import_workshop(
        importer.parse(raw), owner, programme=programme, region=region
    )
    if created:
        progress.workshop_changed(workshop.id)
    return jsonify({"workshop_id": workshop.id, "created": created}), 201 if created else 200


@bp.post("/programmes/<int:programme_id>/shares")
@protected(Action.PROGRAMME_MANAGE)
def create_programme_share(programme: Programme) -> tuple[Response, int]:
    """A partner portal link to every workshop of the programme."""
    link, token = portal.create_portal(programme)
    return jsonify(
        {
            "token": token,
            "url": external_url("portal.index", token=token),
            "created_at": as_utc(link.created_at).isoformat(),
        }
    ), 201


@bp.delete("/programmes/<int:programme_id>/shares/<token>")
@protected(Action.PROGRAMME_MANAGE)
def revoke_programme_share(programme: Programme, token: str) -> tuple[str, int]:
    """Close a portal link: its pages and downloads answer 410 from now on."""
    portal.revoke_portal(programme, token=token)
    return "", 204
