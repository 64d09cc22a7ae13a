"""Facilitator pages. The board itself talks Socket.IO (static/js/board.js)."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, gettext
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response as BaseResponse

from .. import languages
from ..exports import build_draft
from ..forms import LANGUAGE_NAMES, LoginForm, ProgrammeForm, WorkshopForm
from ..http import client_address, local_url, protected
from ..models import Workshop
from ..realtime.rooms import publish
from ..services import access, accounts, workshops
from ..services.access import Action
from ..services.errors import ServiceError
from ..services.links import join_url
from ..services.method import PHASE_LABELS, PHASES
from ..services.prompts import custom_prompts, default_prompts, editable_lines
from . import bp
from .actions import svg_qr


@bp.route("/login", methods=["GET", "POST"])
@protected(Action.PUBLIC)
def login() -> str | BaseResponse | tuple[str, int]:
    """Sign in with email and password."""
    if access.identify().facilitator is not None:
        return redirect(url_for("facilitator.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            facilitator = accounts.login(form.email.data, form.password.data, client_address())
        except ServiceError as error:
            flash(str(error.message), "error")
            return render_template("facilitator/login.html", form=form), error.status
        login_user(facilitator)
        return redirect(local_url(request.args.get("next")) or url_for("facilitator.dashboard"))
    return render_template("facilitator/login.html", form=form)


@bp.post("/logout")
@protected(Action.ACCOUNT)
def logout() -> BaseResponse:
    """Sign out: this session and every other one of the account end on the server too."""
    accounts.end_sessions(access.identify().facilitator)
    logout_user()
    flash(gettext("You are signed out."), "info")
    return redirect(url_for("facilitator.login"))


@bp.route("/dashboard", methods=["GET", "POST"])
@protected(Action.ACCOUNT)
def dashboard() -> str | BaseResponse:
    """The facilitator's workshops, and a form to start a new one."""
    identity = access.identify()
    form = WorkshopForm()
    if request.method == "GET":
        # Start in the facilitator's language, with the method's prompts in it.
        locale = str(get_locale() or "en")
        form.language.data = locale if languages.is_supported(locale) else "en"
        form.fill_prompts(default_prompts(form.language.data))
    if form.validate_on_submit():
        try:
            workshop = workshops.create_workshop(identity.facilitator, _workshop_data(form))
        except ServiceError as error:
            flash(str(error.message), "error")
        else:
            flash(
                gettext("Workshop created. Share the code %(code)s.", code=workshop.code), "success"
            )
            return redirect(url_for("facilitator.board", workshop_id=workshop.id))
    items = access.workshops_of(identity)
    counts = workshops.participant_counts([w.id for w in items])
    programme_form = ProgrammeForm(prefix="programme")
    if request.method == "GET":
        programme_form.language.data = form.language.data
    return render_template(
        "facilitator/dashboard.html",
        form=form,
        workshops=items,
        counts=counts,
        phase_labels=PHASE_LABELS,
        programmes=access.programmes_of(identity),
        programme_form=programme_form,
    )


def _workshop_data(form: WorkshopForm) -> dict[str, object]:
    return {
        "title": form.title.data,
        "topic": form.topic.data or "",
        "place": form.place.data or "",
        "held_on": form.held_on.data.isoformat() if form.held_on.data else None,
        "facilitator_name": form.facilitator_name.data or "",
        "organisation": form.organisation.data or "",
        "language": form.language.data,
        "votes_per_participant": form.votes_per_participant.data,
        "prompts": form.prompts(request.form),
    }


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@protected(Action.WORKSHOP_MANAGE)
def edit(workshop: Workshop) -> str | BaseResponse:
    """Edit a workshop's details, language, vote budget, prompts and their translations."""
    form = WorkshopForm(obj=workshop)
    if request.method == "GET":
        # The method's prompts read in the workshop's language; kept as they are, they
        # stay the method's and reach each participant in their own language.
        form.fill_prompts(editable_lines(workshop.prompts, workshop.language))
    if form.validate_on_submit():
        try:
            publish(workshops.update_workshop(workshop, _workshop_data(form)))
        except ServiceError as error:
            flash(str(error.message), "error")
        else:
            flash(gettext("Changes saved."), "success")
            return redirect(url_for("facilitator.board", workshop_id=workshop.id))
    return render_template(
        "facilitator/edit.html",
        form=form,
        workshop=workshop,
        own_prompts=custom_prompts(workshop.prompts),
        phase_labels=PHASE_LABELS,
    )


@bp.get("/workshops/<int:workshop_id>")
@protected(Action.WORKSHOP_READ)
def board(workshop: Workshop) -> str | BaseResponse:
    """The live board: phases, wall, themes, moderation, code and exports.

    Someone who may read the workshop but not steer it (a coordinator of its
    programme) watches the room's live view instead: it has no controls.
    """
    if not access.can_manage(access.identify(), workshop):
        return redirect(url_for("facilitator.screen", workshop_id=workshop.id))
    return render_template(
        "facilitator/board.html",
        workshop=workshop,
        join_url=join_url(workshop.code),
        phases=PHASES,
        phase_labels=PHASE_LABELS,
        local_only=_local_only(join_url(workshop.code)),
    )


def _local_only(url: str) -> bool:
    # Phones cannot open a link to the laptop's loopback address.
    host = url.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host in ("127.0.0.1", "localhost", "::1", "[::1]")


@bp.get("/workshops/<int:workshop_id>/qr.svg")
@protected(Action.WORKSHOP_READ)
def qr_code(workshop: Workshop) -> Response:
    """The join link as an SVG QR code, drawn here (no external service)."""
    return svg_qr(join_url(workshop.code), gettext("Join code"))


@bp.get("/workshops/<int:workshop_id>/summary")
@protected(Action.WORKSHOP_READ)
def summary(workshop: Workshop) -> str:
    """The strategy draft as a page, as participants see it at the close."""
    return render_template(
        "summary.html", workshop=workshop, draft=build_draft(workshop), languages=LANGUAGE_NAMES
    )


@bp.get("/workshops/<int:workshop_id>/screen")
@protected(Action.WORKSHOP_READ)
def screen(workshop: Workshop) -> str:
    """The projector view: large type, no controls, the room's view of the wall.

    It speaks the workshop's language, whatever the facilitator's own, unless
    switched with ``?lang=`` (its own switcher; the choice is not remembered
    for the facilitator's other pages).
    """
    asked = request.args.get("lang")
    language = asked if languages.is_supported(asked) else workshop.language
    with force_locale(language):
        return render_template(
            "facilitator/screen.html",
            workshop=workshop,
            join_url=join_url(workshop.code),
            phase_labels=PHASE_LABELS,
        )
