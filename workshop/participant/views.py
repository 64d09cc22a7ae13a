"""Participant pages. The live page talks Socket.IO (static/js/participant.js)."""

from __future__ import annotations

from flask import flash, g, make_response, redirect, render_template, request, url_for
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
    """The join link (and QR code): the code is filled in.

    A code that opens nothing counts against the caller's address, as a
    failed join does: guessing codes here is limited the same way.
    """
    form = JoinForm(code=normalise_code(code[: participants.MAX_TYPED_CODE]))
    try:
        workshop = participants.workshop_for_link(code, client_address())
    except ServiceError as error:
        flash(str(error.message), "error")
        response = make_response(render_template("participant/join.html", form=form), error.status)
        if error.retry_after:
            response.headers["Retry-After"] = str(error.retry_after)
        return response
    if access.may(access.identify(), Action.WORKSHOP_PARTICIPATE, workshop):
        return redirect(live_url(workshop))
    return render_template("participant/join.html", form=form, workshop=workshop)


def live_url(workshop: Workshop) -> str:
    """The participants' address of the workshop's live page."""
    return url_for("participant.live", public_id=workshop.public_id)


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
        request.accept_languages.best_match(languages.CODES),
    )
    if language:
        data["language"] = language
    try:
        participant, token = participants.join(data, client_address())
    except ServiceError as error:
        db.session.rollback()
        form.code.errors = [str(error.message)]
        return render_template("participant/join.html", form=form), error.status
    progress.workshop_changed(participant.workshop_id)
    workshop = access.find_workshop(participant.workshop_id)
    return access.remember_participant(redirect(live_url(workshop)), participant, token)


@bp.get("/w/<public_id>")
@protected(Action.WORKSHOP_PARTICIPATE)
def live(workshop: Workshop) -> str | BaseResponse:
    """The participant's live page: prompt, contribution box, feed, votes."""
    participant = access.identify().participant_in(workshop.id)
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


@bp.get("/w/<int:workshop_id>")
@protected(Action.WORKSHOP_PARTICIPATE)
def moved(workshop: Workshop) -> BaseResponse:
    """The live page's old, numbered address: to the new one, for a phone that joined."""
    return redirect(live_url(workshop), code=301)


@bp.get("/w/<int:workshop_id>/summary")
@protected(Action.WORKSHOP_SUMMARY)
def moved_summary(workshop: Workshop) -> BaseResponse:
    """The summary's old, numbered address: to the new one, for those who may read it."""
    return redirect(url_for("participant.summary", public_id=workshop.public_id), code=301)


@bp.get("/w/<public_id>/summary")
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
