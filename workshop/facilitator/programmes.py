"""Programme pages: the live dashboard, managing members and regions, invitations.

The dashboard's cards update through the programme's Socket.IO room
(static/js/programme.js). Forms post here (CSRF-protected) and come back to
the page they were sent from; links shown once (an invitation, a portal
link) wait in the session until the next page shows them.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext, ngettext
from flask_login import login_user
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SelectChoice

from ..extensions import db
from ..forms import (
    LANGUAGE_NAMES,
    ButtonForm,
    DeleteProgrammeForm,
    ImportForm,
    InvitationForm,
    MoveWorkshopForm,
    ProgrammeForm,
    ProgrammeSettingsForm,
    ProgrammeWorkshopForm,
    RegionForm,
    SignUpForm,
)
from ..http import body_limit, protected
from ..models import Programme, ProgrammeRegion, ProgrammeRole
from ..realtime import progress
from ..realtime.erasures import deliver_programme_deletion
from ..realtime.rooms import publish, publish_programme
from ..services import access, erasure, importer, invitations, portal, programmes, workshops
from ..services.access import Action
from ..services.errors import ServiceError
from ..services.links import external_url
from ..services.method import PHASE_LABELS, default_prompts
from . import bp

#: The session key of a link to show once on the next page.
FRESH_LINK = "fresh_link"


def _region_choices(regions: list[ProgrammeRegion]) -> list[SelectChoice]:
    none = SelectChoice("", gettext("No region: a transnational session"))
    return [none, *(SelectChoice(str(r.id), r.name) for r in regions)]


def _refused(error: ServiceError) -> None:
    db.session.rollback()
    flash(str(error.message), "error")


@bp.post("/programmes")
@protected(Action.ACCOUNT)
def create_programme() -> BaseResponse:
    """Create a programme from the dashboard's form; its founder coordinates it."""
    form = ProgrammeForm(prefix="programme")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return redirect(url_for("facilitator.dashboard"))
    data = {
        "title": form.title.data,
        "description": form.description.data or "",
        "language": form.language.data,
    }
    try:
        programme = programmes.create_programme(access.identify().facilitator, data)
    except ServiceError as error:
        _refused(error)
        return redirect(url_for("facilitator.dashboard"))
    flash(gettext("Programme created. Add its regions and invite the facilitators."), "success")
    return redirect(url_for("facilitator.programme_manage", programme_id=programme.id))


@bp.get("/programmes/<int:programme_id>")
@protected(Action.PROGRAMME_READ)
def programme(programme: Programme) -> str:
    """The programme's dashboard: every workshop as a live card; adding workshops."""
    identity = access.identify()
    regions = programmes.regions_of(programme)
    choices = _region_choices(regions)
    new_form = ProgrammeWorkshopForm(prefix="new", language=programme.language)
    move_form = MoveWorkshopForm(prefix="move")
    import_form = ImportForm(prefix="import")
    for form in (new_form, move_form, import_form):
        form.region.choices = choices
    movable = programmes.movable_into(identity, programme)
    move_form.workshop.choices = [SelectChoice(w.id, w.title) for w in movable]
    payload = programmes.programme_payload(programme, identity)
    return render_template(
        "programmes/dashboard.html",
        programme=programme,
        role=payload["role"],
        regions={r.id: r for r in regions},
        region_list=regions,
        members=programmes.members_of(programme),
        cards=payload["workshops"],
        can_manage=access.can_manage(identity, programme),
        new_form=new_form,
        move_form=move_form if movable else None,
        import_form=import_form,
        phase_labels=PHASE_LABELS,
        languages=LANGUAGE_NAMES,
    )


def _back(programme: Programme) -> BaseResponse:
    return redirect(url_for("facilitator.programme", programme_id=programme.id))


def _region_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@bp.post("/programmes/<int:programme_id>/workshops")
@protected(Action.PROGRAMME_CONTRIBUTE)
def programme_new_workshop(programme: Programme) -> BaseResponse:
    """Start a new workshop in the programme, in the method's prompts of its language."""
    form = ProgrammeWorkshopForm(prefix="new")
    form.region.choices = _region_choices(programmes.regions_of(programme))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return _back(programme)
    data = {
        "title": form.title.data,
        "language": form.language.data,
        "held_on": form.held_on.data.isoformat() if form.held_on.data else None,
        "programme_id": programme.id,
        "region_id": _region_id(form.region.data),
        "prompts": default_prompts(form.language.data),
    }
    fields = workshops.WORKSHOP_FIELDS + workshops.PLACEMENT_FIELDS
    try:
        workshop = workshops.create_workshop(access.identify().facilitator, data, fields=fields)
    except ServiceError as error:
        _refused(error)
        return _back(programme)
    progress.workshop_changed(workshop.id)
    flash(gettext("Workshop created. Share the code %(code)s.", code=workshop.code), "success")
    return redirect(url_for("facilitator.board", workshop_id=workshop.id))


@bp.post("/programmes/<int:programme_id>/workshops/move")
@protected(Action.PROGRAMME_CONTRIBUTE)
def programme_move_workshop(programme: Programme) -> BaseResponse:
    """Move one of the caller's workshops into the programme, for a region."""
    form = MoveWorkshopForm(prefix="move")
    if not form.validate_on_submit() or not form.workshop.data:
        flash(gettext("Choose one of your workshops."), "error")
        return _back(programme)
    identity = access.identify()
    try:
        workshop = access.workshop_for(identity, Action.WORKSHOP_MANAGE, form.workshop.data)
        left = workshop.programme_id
        data = {"programme_id": programme.id, "region_id": _region_id(form.region.data)}
        fields = workshops.WORKSHOP_FIELDS + workshops.PLACEMENT_FIELDS
        publish(workshops.update_workshop(workshop, data, fields=fields))
    except ServiceError as error:
        _refused(error)
        return _back(programme)
    progress.workshop_changed(workshop.id, left_programme_id=left)
    flash(gettext("“%(title)s” is now part of the programme.", title=workshop.title), "success")
    return _back(programme)


@bp.post("/programmes/<int:programme_id>/imports")
@body_limit("IMPORT_MAX_BYTES")
@protected(Action.PROGRAMME_CONTRIBUTE)
def programme_import(programme: Programme) -> BaseResponse:
    """Upload a JSON export into a region of the programme."""
    form = ImportForm(prefix="import")
    form.region.choices = _region_choices(programmes.regions_of(programme))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return _back(programme)
    limit = current_app.config["IMPORT_MAX_BYTES"]
    raw = form.file.data.read(limit + 1)
    try:
        if len(raw) > limit:
            raise ServiceError("too_large", gettext("The file is too large."), 413)
        region = programmes.region_of(programme, form.region.data or None)
        workshop, created = importer.import_workshop(
            importer.parse(raw), access.identify().facilitator, programme=programme, region=region
        )
    except ServiceError as error:
        _refused(error)
        return _back(programme)
    if created:
        progress.workshop_changed(workshop.id)
        flash(gettext("Imported “%(title)s”.", title=workshop.title), "success")
    else:
        flash(
            gettext("This export was imported before: “%(title)s”.", title=workshop.title),
            "info",
        )
    return _back(programme)


# ----- managing (coordinators) -----


@bp.get("/programmes/<int:programme_id>/manage")
@protected(Action.PROGRAMME_MANAGE)
def programme_manage(programme: Programme) -> str:
    """Settings and notice, regions, members, invitations, portal links, deletion."""
    return _manage_page(programme)[0]


def _manage_page(
    programme: Programme,
    settings_form: ProgrammeSettingsForm | None = None,
    delete_form: DeleteProgrammeForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    me = access.identify().facilitator
    own = [w for w in programmes.workshops_in(programme) if w.owner_id == me.id]
    return (
        render_template(
            "programmes/manage.html",
            programme=programme,
            regions=programmes.regions_of(programme),
            members=programmes.members_of(programme),
            pending=invitations.pending(programme),
            portals=portal.portals_of(programme),
            fresh_link=session.pop(FRESH_LINK, None),
            settings_form=settings_form or ProgrammeSettingsForm(prefix="settings", obj=programme),
            delete_form=delete_form or DeleteProgrammeForm(prefix="delete"),
            own_workshops=own,
            region_form=RegionForm(prefix="region"),
            invitation_form=InvitationForm(prefix="invite"),
            button=ButtonForm(),
            me=me,
        ),
        status,
    )


@bp.post("/programmes/<int:programme_id>/settings")
@protected(Action.PROGRAMME_MANAGE)
def programme_settings(programme: Programme) -> tuple[str, int] | BaseResponse:
    """Save the programme's title, description, language and privacy notice."""
    form = ProgrammeSettingsForm(prefix="settings")
    if not form.validate_on_submit():
        return _manage_page(programme, settings_form=form)
    data = {field: getattr(form, field).data or "" for field in programmes.EDITABLE_FIELDS}
    try:
        publish_programme(
            programmes.update_programme(programme, data, access.identify().facilitator)
        )
    except ServiceError as error:
        _refused(error)
        return _manage_page(programme, settings_form=form, status=error.status)
    flash(gettext("Changes saved."), "success")
    return _to_manage(programme)


@bp.post("/programmes/<int:programme_id>/delete")
@protected(Action.PROGRAMME_ERASE)
def programme_delete(programme: Programme) -> tuple[str, int] | BaseResponse:
    """Delete the programme once its title is typed; its workshops stay with their owners."""
    form = DeleteProgrammeForm(prefix="delete")
    if form.validate_on_submit():
        if _same_title(form.confirm.data or "", programme.title):
            title = programme.title
            deleted = erasure.delete_programme(
                programme,
                access.identify().facilitator,
                with_own_workshops=bool(form.with_own_workshops.data),
            )
            deliver_programme_deletion(deleted)
            flash(
                gettext("The programme “%(title)s” is deleted.", title=title)
                + " "
                + ngettext(
                    "%(num)d workshop stays with its facilitator.",
                    "%(num)d workshops stay with their facilitators.",
                    len(deleted.detached),
                ),
                "success",
            )
            return redirect(url_for("facilitator.dashboard"))
        form.confirm.errors = [
            gettext("Type the title “%(title)s” to confirm.", title=programme.title)
        ]
    return _manage_page(programme, delete_form=form)


def _same_title(typed: str, title: str) -> bool:
    """Titles match in any case and spacing (a confirmation, not a password)."""
    return " ".join(typed.split()).casefold() == " ".join(title.split()).casefold()


def _on_button(action: Callable[[], object], done: str) -> None:
    """Run a one-button form's action once its CSRF token checks out; flash the outcome."""
    if not ButtonForm().validate_on_submit():
        return
    try:
        action()
    except ServiceError as error:
        _refused(error)
    else:
        flash(done, "success")


def _to_manage(programme: Programme) -> BaseResponse:
    return redirect(url_for("facilitator.programme_manage", programme_id=programme.id))


@bp.post("/programmes/<int:programme_id>/regions")
@protected(Action.PROGRAMME_MANAGE)
def programme_add_region(programme: Programme) -> BaseResponse:
    """Add a region."""
    form = RegionForm(prefix="region")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return _to_manage(programme)
    data = {
        "name": form.name.data,
        "country": (form.country.data or "").upper(),
        "organisation": form.organisation.data or "",
    }
    try:
        region = programmes.add_region(programme, data)
    except ServiceError as error:
        _refused(error)
    else:
        flash(gettext("Region “%(name)s” added.", name=region.name), "success")
    return _to_manage(programme)


@bp.post("/programmes/<int:programme_id>/invitations")
@protected(Action.PROGRAMME_MANAGE)
def programme_invite(programme: Programme) -> BaseResponse:
    """Make an invitation link, shown once."""
    form = InvitationForm(prefix="invite")
    if not form.validate_on_submit():
        flash(gettext("Check the invitation's fields."), "error")
        return _to_manage(programme)
    data = {"role": form.role.data, "email": form.email.data or ""}
    try:
        invitation, token = invitations.create_invitation(
            programme, access.identify().facilitator, data
        )
    except ServiceError as error:
        _refused(error)
        return _to_manage(programme)
    session[FRESH_LINK] = {
        "kind": "invitation",
        "url": external_url("facilitator.invitation", token=token),
        "expires": invitation.expires_at.date().isoformat(),
    }
    return _to_manage(programme)


@bp.post("/programmes/<int:programme_id>/invitations/<int:invitation_id>/revoke")
@protected(Action.PROGRAMME_MANAGE)
def programme_revoke_invitation(programme: Programme, invitation_id: int) -> BaseResponse:
    """Revoke an open invitation."""
    _on_button(
        lambda: invitations.revoke(programme, invitation_id=invitation_id),
        gettext("Invitation revoked."),
    )
    return _to_manage(programme)


@bp.post("/programmes/<int:programme_id>/members/<int:facilitator_id>/remove")
@protected(Action.PROGRAMME_MANAGE)
def programme_remove_member(programme: Programme, facilitator_id: int) -> BaseResponse:
    """Take a member out of the programme; their workshops stay."""
    _on_button(
        lambda: programmes.remove_member(programme, facilitator_id),
        gettext("Member removed. Their workshops stay in the programme."),
    )
    return _to_manage(programme)


@bp.post("/programmes/<int:programme_id>/shares")
@protected(Action.PROGRAMME_MANAGE)
def programme_share(programme: Programme) -> BaseResponse:
    """Make a partner portal link, shown once."""
    if ButtonForm().validate_on_submit():
        _link, token = portal.create_portal(programme)
        session[FRESH_LINK] = {"kind": "portal", "url": external_url("portal.index", token=token)}
    return _to_manage(programme)


@bp.post("/programmes/<int:programme_id>/shares/<int:link_id>/revoke")
@protected(Action.PROGRAMME_MANAGE)
def programme_revoke_share(programme: Programme, link_id: int) -> BaseResponse:
    """Close a partner portal link: the portal and its downloads answer 410."""
    _on_button(
        lambda: portal.revoke_portal(programme, link_id=link_id),
        gettext("Partner link revoked."),
    )
    return _to_manage(programme)


# ----- invitations -----


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@protected(Action.PROGRAMME_JOIN)
def invitation(programme: Programme, token: str) -> str | BaseResponse:
    """Accept an invitation: signed in, with one button; else as a new account."""
    identity = access.identify()
    invite = identity.invitation
    assert invite is not None
    button, signup = ButtonForm(), SignUpForm()
    if request.method == "GET" and invite.email:
        signup.email.data = invite.email
    try:
        if identity.facilitator is not None and button.validate_on_submit():
            invitations.accept(invite, identity.facilitator)
            return _welcome(programme)
        if identity.facilitator is None and signup.validate_on_submit():
            data = {
                "name": signup.name.data,
                "email": signup.email.data,
                "password": signup.password.data,
            }
            _member, facilitator, _token = invitations.accept_as_new(invite, data)
            login_user(facilitator)
            return _welcome(programme)
    except ServiceError as error:
        db.session.rollback()
        if error.status == 410:
            raise
        flash(str(error.message), "error")
    return render_template(
        "programmes/invitation.html",
        programme=programme,
        invitation=invite,
        coordinator=invite.role == ProgrammeRole.COORDINATOR,
        button=button,
        signup=signup,
        signed_in=identity.facilitator,
        token=token,
    )


def _welcome(programme: Programme) -> BaseResponse:
    flash(gettext("Welcome to “%(title)s”.", title=programme.title), "success")
    return redirect(url_for("facilitator.programme", programme_id=programme.id))
