"""Participant pages. The live page talks Socket.IO (static/js/participant.js)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from .. import languages
from ..exports import build_draft
from ..extensions import db
from ..forms import LANGUAGE_NAMES, JoinForm
from ..http import client_address, protected
from ..models import Phase, Workshop
from ..realtime import progress
from ..services import access, participants
from ..services.access import Action
from ..services.errors import ServiceError
from ..services.method import PHASE_LABELS
from ..services.workshops import normalise_code
from . import bp


@bp.route("/", methods=["GET", "POST"])
@bp.route("/join", methods=["GET", "POST"], endpoint="join")
@protected(Action.PUBLIC)
def join_page() -> str | BaseResponse:
    """Enter the code shown on the screen, then a name."""
    return _join(JoinForm())


@bp.get("/join/<code>")
@protected(Action.PUBLIC)
def join_with_code(code: str) -> str | BaseResponse:
    """The join link (and QR code): the code is filled in."""
    form = JoinForm(code=normalise_code(code))
    try:
        workshop = participants.workshop_by_code(code)
    except ServiceError as error:
        flash(str(error.message), "error")
        return render_template("participant/join.html", form=form), error.status
    if access.may(access.identify(), Action.WORKSHOP_PARTICIPATE, workshop):
        return redirect(url_for("participant.live", workshop_id=workshop.id))
    return render_template("participant/join.html", form=form, workshop=workshop)


def _join(form: JoinForm) -> str | BaseResponse:
    if not form.validate_on_submit():
        return render_template("participant/join.html", form=form)
    data = {
        "code": form.code.data,
        "name": form.name.data,
        "organisation": form.organisation.data or "",
        "region": form.region.data or "",
    }
    chosen = request.cookies.get("lang")
    if languages.is_supported(chosen):
        data["language"] = chosen
    try:
        participant, token = participants.join(data, client_address())
    except ServiceError as error:
        db.session.rollback()
        form.code.errors = [str(error.message)]
        return render_template("participant/join.html", form=form), error.status
    progress.workshop_changed(participant.workshop_id)
    response = redirect(url_for("participant.live", workshop_id=participant.workshop_id))
    return access.remember_participant(response, participant, token)


@bp.get("/w/<int:workshop_id>")
@protected(Action.WORKSHOP_PARTICIPATE)
def live(workshop: Workshop) -> str | BaseResponse:
    """The participant's live page: prompt, contribution box, feed, votes."""
    participant = access.identify().participant_in(workshop.id)
    participants.remember_language(participant, request.args.get("lang"))
    return render_template(
        "participant/live.html",
        workshop=workshop,
        participant=participant,
        phase_labels=PHASE_LABELS,
    )


@bp.get("/w/<int:workshop_id>/summary")
@protected(Action.WORKSHOP_SUMMARY)
def summary(workshop: Workshop) -> str | BaseResponse:
    """What the workshop created: the strategy draft as a page."""
    return render_template(
        "summary.html",
        workshop=workshop,
        draft=build_draft(workshop),
        languages=LANGUAGE_NAMES,
        closed=workshop.phase == Phase.CLOSED,
    )
