"""Facilitator pages. The board itself talks Socket.IO (static/js/board.js)."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, gettext
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response as BaseResponse

from ..api.auth import client_address
from ..forms import LANGUAGE_NAMES, LoginForm, WorkshopForm
from ..realtime.rooms import publish
from ..services import accounts, workshops
from ..services.errors import ServiceError
from ..services.links import join_url
from ..services.method import PHASE_LABELS, PHASES
from ..services.prompts import custom_prompts, default_prompts, editable_lines
from ..services.report import build_draft
from . import bp
from .actions import svg_qr


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | BaseResponse | tuple[str, int]:
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("facilitator.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            facilitator = accounts.login(form.email.data, form.password.data, client_address())
        except ServiceError as error:
            flash(str(error.message), "error")
            return render_template("facilitator/login.html", form=form), error.status
        login_user(facilitator)
        next_url = request.args.get("next", "")
        if not next_url.startswith("/") or next_url.startswith("//"):
            next_url = url_for("facilitator.dashboard")
        return redirect(next_url)
    return render_template("facilitator/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> BaseResponse:
    """Sign out."""
    logout_user()
    flash(gettext("You are signed out."), "info")
    return redirect(url_for("facilitator.login"))


@bp.route("/dashboard", methods=["GET", "POST"])
@login_required
def dashboard() -> str | BaseResponse:
    """The facilitator's workshops, and a form to start a new one."""
    form = WorkshopForm()
    if request.method == "GET":
        # Start in the facilitator's language, with the method's prompts in it.
        locale = str(get_locale() or "en")
        form.language.data = locale if locale in LANGUAGE_NAMES else "en"
        form.fill_prompts(default_prompts(form.language.data))
    if form.validate_on_submit():
        try:
            workshop = workshops.create_workshop(current_user, _workshop_data(form))
        except ServiceError as error:
            flash(str(error.message), "error")
        else:
            flash(
                gettext("Workshop created. Share the code %(code)s.", code=workshop.code), "success"
            )
            return redirect(url_for("facilitator.board", workshop_id=workshop.id))
    items = workshops.workshops_of(current_user)
    counts = workshops.participant_counts([w.id for w in items])
    return render_template(
        "facilitator/dashboard.html",
        form=form,
        workshops=items,
        counts=counts,
        phase_labels=PHASE_LABELS,
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
@login_required
def edit(workshop_id: int) -> str | BaseResponse:
    """Edit a workshop's details, language, vote budget, prompts and their translations."""
    workshop = workshops.owned_workshop(current_user, workshop_id)
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
@login_required
def board(workshop_id: int) -> str:
    """The live board: phases, wall, themes, moderation, code and exports."""
    workshop = workshops.owned_workshop(current_user, workshop_id)
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
@login_required
def qr_code(workshop_id: int) -> Response:
    """The join link as an SVG QR code, drawn here (no external service)."""
    workshop = workshops.owned_workshop(current_user, workshop_id)
    return svg_qr(join_url(workshop.code), gettext("Join code"))


@bp.get("/workshops/<int:workshop_id>/summary")
@login_required
def summary(workshop_id: int) -> str:
    """The strategy draft as a page, as participants see it at the close."""
    workshop = workshops.owned_workshop(current_user, workshop_id)
    return render_template(
        "summary.html", workshop=workshop, draft=build_draft(workshop), languages=LANGUAGE_NAMES
    )


@bp.get("/workshops/<int:workshop_id>/screen")
@login_required
def screen(workshop_id: int) -> str:
    """The projector view: large type, no controls, the room's view of the wall.

    It speaks the workshop's language, whatever the facilitator's own, unless
    switched with ``?lang=`` (its own switcher; the choice is not remembered
    for the facilitator's other pages).
    """
    workshop = workshops.owned_workshop(current_user, workshop_id)
    asked = request.args.get("lang")
    language = asked if asked in LANGUAGE_NAMES else workshop.language
    with force_locale(language):
        return render_template(
            "facilitator/screen.html",
            workshop=workshop,
            join_url=join_url(workshop.code),
            phase_labels=PHASE_LABELS,
        )
