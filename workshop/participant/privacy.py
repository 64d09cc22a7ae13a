"""A participant's privacy pages: the notice, "My contributions", withdrawing and leaving.

Plain forms (CSRF-protected), no script needed: they work on any phone, at
any time, during and after the session (the workshop's phase does not
matter). Each change goes through the same services as the socket events
``consent_change`` and ``withdraw``, and every screen follows live.
"""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from ..extensions import db
from ..forms import LANGUAGE_NAMES, ConfirmForm, ConsentForm, IdentityForm
from ..http import protected
from ..models import Contribution, Participant, Workshop
from ..realtime.erasures import deliver, deliver_departure
from ..services import access, erasure, participants, privacy
from ..services.access import Action
from ..services.method import KIND_LABELS
from . import bp


@bp.get("/privacy")
@protected(Action.PUBLIC)
def instance_notice() -> str | BaseResponse | tuple[str, int]:
    """The instance's privacy notice; ``?code=`` opens a workshop's own."""
    code = request.args.get("code", "").strip()
    if code:
        workshop = participants.find_by_code(code)
        if workshop is not None:
            return redirect(url_for("participant.notice", code=workshop.code))
        flash(gettext("No workshop has this code. Check it and try again."), "error")
        return render_template("participant/notice.html", notice=privacy.notice_for(None)), 404
    return render_template("participant/notice.html", notice=privacy.notice_for(None))


@bp.get("/join/<code>/privacy")
@protected(Action.PUBLIC)
def notice(code: str) -> str | tuple[str, int]:
    """A workshop's privacy notice, in the reader's language (also after it closed)."""
    workshop = participants.find_by_code(code)
    if workshop is None:
        message = gettext("No workshop has this code. Check it and try again.")
        return render_template("error.html", status=404, message=message), 404
    g.workshop_language = workshop.language
    return render_template(
        "participant/notice.html", notice=privacy.notice_for(workshop), workshop=workshop
    )


def _me(workshop: Workshop) -> Participant:
    participant = access.identify().participant_in(workshop.id)
    assert participant is not None  # the guard let only this workshop's participants in
    g.participant_language = participant.language
    return participant


@bp.get("/w/<public_id>/me")
@protected(Action.WORKSHOP_SELF)
def mine(workshop: Workshop) -> str:
    """My contributions: everything the participant gave, with its consent, and their rights."""
    participant = _me(workshop)
    return _mine(workshop, participant, IdentityForm(obj=participant))


def _mine(workshop: Workshop, participant: Participant, identity_form: IdentityForm) -> str:
    items = privacy.own_contributions(participant)
    votes = privacy.own_votes(participant)
    voted = {
        item.id: item
        for item in db.session.scalars(
            db.select(Contribution).where(
                Contribution.id.in_([vote.contribution_id for vote in votes])
            )
        )
    }
    return render_template(
        "participant/mine.html",
        workshop=workshop,
        participant=participant,
        items=items,
        votes=votes,
        voted=voted,
        kind_labels=KIND_LABELS,
        languages=LANGUAGE_NAMES,
        notice=privacy.notice_for(workshop),
        identity_form=identity_form,
    )


@bp.post("/w/<public_id>/me/about")
@protected(Action.WORKSHOP_SELF)
def correct_identity(workshop: Workshop) -> str | BaseResponse:
    """Correct one's name, organisation or region; signed contributions follow."""
    participant = _me(workshop)
    form = IdentityForm()
    if not form.validate_on_submit():
        return _mine(workshop, participant, form)
    data = {
        "name": form.name.data,
        "organisation": form.organisation.data or "",
        "region": form.region.data or "",
    }
    deliver(erasure.correct_identity(participant, data))
    flash(gettext("Saved: your signed contributions now show it."), "success")
    return _back(workshop, "about")


def _back(workshop: Workshop, anchor: str | None = None) -> BaseResponse:
    return redirect(url_for("participant.mine", public_id=workshop.public_id, _anchor=anchor))


@bp.post("/w/<public_id>/me/<int:contribution_id>/consent")
@protected(Action.WORKSHOP_SELF)
def change_consent(workshop: Workshop, contribution_id: int) -> BaseResponse:
    """Change how one's own contribution may be used; the room follows."""
    participant = _me(workshop)
    form = ConsentForm()
    if not form.validate_on_submit():
        flash(gettext("Choose how it may be used, then save."), "error")
        return _back(workshop, f"c-{contribution_id}")
    data = {"contribution_id": contribution_id, "consent": form.consent.data}
    deliver(erasure.change_consent(participant, data))
    flash(gettext("Saved: from now on it is used as you chose."), "success")
    return _back(workshop, f"c-{contribution_id}")


@bp.post("/w/<public_id>/me/<int:contribution_id>/withdraw")
@protected(Action.WORKSHOP_SELF)
def withdraw(workshop: Workshop, contribution_id: int) -> BaseResponse:
    """Withdraw one's own contribution for good; it leaves every screen at once."""
    participant = _me(workshop)
    if not ConfirmForm().validate_on_submit():
        flash(gettext("The form has expired. Try again."), "error")
        return _back(workshop, f"c-{contribution_id}")
    deliver(erasure.withdraw(participant, {"contribution_id": contribution_id}))
    flash(gettext("Withdrawn: it is gone from every screen and every download."), "success")
    return _back(workshop)


@bp.post("/w/<public_id>/me/leave")
@protected(Action.WORKSHOP_SELF)
def leave(workshop: Workshop) -> str | BaseResponse:
    """Leave the workshop: name, organisation and region erased; this phone forgets it."""
    participant = _me(workshop)
    if not ConfirmForm().validate_on_submit():
        flash(gettext("The form has expired. Try again."), "error")
        return _back(workshop, "leave")
    pid = participant.id
    deliver_departure(workshop.id, pid, erasure.leave(participant))
    response = current_app.make_response(
        render_template("participant/left.html", workshop=workshop)
    )
    response.delete_cookie(access.participant_cookie_name(workshop.id))
    return response
