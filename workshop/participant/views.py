"""Participant pages. The live page talks Socket.IO (static/js/participant.js)."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from ..api.auth import client_address
from ..extensions import db
from ..forms import LANGUAGE_NAMES, JoinForm
from ..models import Participant, Phase, Workshop
from ..realtime.connection import participant_cookie_name
from ..services import participants
from ..services.errors import ServiceError
from ..services.method import PHASE_LABELS
from ..services.report import build_draft
from ..services.workshops import normalise_code
from . import bp


def _current_participant(workshop_id: int) -> Participant | None:
    participant = participants.participant_for_token(
        request.cookies.get(participant_cookie_name(workshop_id))
    )
    return participant if participant and participant.workshop_id == workshop_id else None


@bp.route("/", methods=["GET", "POST"])
@bp.route("/join", methods=["GET", "POST"], endpoint="join")
def join_page() -> str | BaseResponse:
    """Enter the code shown on the screen, then a name."""
    return _join(JoinForm())


@bp.get("/join/<code>")
def join_with_code(code: str) -> str | BaseResponse:
    """The join link (and QR code): the code is filled in."""
    form = JoinForm(code=normalise_code(code))
    try:
        workshop = participants.workshop_by_code(code)
    except ServiceError as error:
        flash(str(error.message), "error")
        return render_template("participant/join.html", form=form), error.status
    if _current_participant(workshop.id) is not None:
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
    language = participants.browser_language(
        request.cookies.get("lang"),
        form.browser_languages.data,
        request.accept_languages.best_match(current_app.config["LANGUAGES"]),
    )
    if language:
        data["language"] = language
    try:
        participant, token = participants.join(data, client_address())
    except ServiceError as error:
        db.session.rollback()
        form.code.errors = [str(error.message)]
        return render_template("participant/join.html", form=form), error.status
    response = redirect(url_for("participant.live", workshop_id=participant.workshop_id))
    response.set_cookie(
        participant_cookie_name(participant.workshop_id),
        token,
        max_age=current_app.config["PARTICIPANT_COOKIE_MAX_AGE"],
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


@bp.get("/w/<int:workshop_id>")
def live(workshop_id: int) -> str | BaseResponse:
    """The participant's live page: prompt, contribution box, feed, votes."""
    workshop = db.get_or_404(Workshop, workshop_id)
    participant = _current_participant(workshop_id)
    if participant is None:
        flash(gettext("Join the workshop first."), "info")
        return redirect(url_for("participant.join_with_code", code=workshop.code))
    participants.remember_language(participant, request.args.get("lang"))
    # The page speaks the participant's language (i18n.select_locale), as their socket does.
    g.participant_language = participant.language
    g.workshop_language = workshop.language
    return render_template(
        "participant/live.html",
        workshop=workshop,
        participant=participant,
        phase_labels=PHASE_LABELS,
    )


@bp.get("/w/<int:workshop_id>/summary")
def summary(workshop_id: int) -> str | BaseResponse:
    """What the workshop created: the strategy draft as a page."""
    workshop = db.get_or_404(Workshop, workshop_id)
    is_owner = current_user.is_authenticated and current_user.id == workshop.owner_id
    if _current_participant(workshop_id) is None and not is_owner:
        return redirect(url_for("participant.join_with_code", code=workshop.code))
    return render_template(
        "summary.html",
        workshop=workshop,
        draft=build_draft(workshop),
        languages=LANGUAGE_NAMES,
        closed=workshop.phase == Phase.CLOSED,
    )
