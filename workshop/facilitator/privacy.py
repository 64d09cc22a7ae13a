"""The facilitator's privacy page: the notice's settings, the record of processing, erasure.

Erasing a participant and deleting the workshop are forms of their own; the
deletion asks for the workshop's code, typed, so no stray click erases a
session.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse

from ..extensions import db
from ..forms import ConfirmForm, DeleteWorkshopForm, PrivacyForm
from ..http import protected
from ..models import Contribution, Participant, PrivacyEvent, Vote, Workshop
from ..realtime.erasures import deliver_deletion, deliver_departure
from ..realtime.rooms import publish
from ..services import access, erasure, privacy, workshops
from ..services.access import Action
from ..services.errors import ServiceError
from ..services.method import KIND_LABELS
from ..services.privacy import EventKind
from ..services.workshops import PRIVACY_FIELDS, normalise_code
from . import bp

EVENT_LABELS = {
    EventKind.CONSENT_CHANGED: _l("Consent changed"),
    EventKind.IDENTITY_CORRECTED: _l("Details corrected"),
    EventKind.CONTRIBUTION_WITHDRAWN: _l("Contribution withdrawn"),
    EventKind.PARTICIPANT_LEFT: _l("Participant left"),
    EventKind.PARTICIPANT_ERASED: _l("Participant erased"),
    EventKind.RETENTION_ANONYMISED: _l("Anonymised: retention period over"),
    EventKind.NOTICE_CHANGED: _l("Privacy notice changed"),
    EventKind.PROGRAMME_DELETED: _l("Programme deleted: the workshop left it"),
}
CONSENT_LABELS = {
    "named": _l("Use my name"),
    "anonymous": _l("Anonymous"),
    "private": _l("Not for publication"),
}
FIELD_LABELS = {
    "name": _l("name"),
    "organisation": _l("organisation"),
    "region": _l("region"),
    "privacy_controller": _l("who runs it"),
    "privacy_contact": _l("contact"),
    "privacy_notice": _l("purpose"),
    "retention_days": _l("retention period"),
}
#: Counts a privacy event may carry, with their labels.
COUNT_LABELS = {
    "participants": _l("participants"),
    "contributions": _l("contributions"),
    "votes": _l("votes"),
    "named_made_anonymous": _l("made anonymous"),
    "private_deleted": _l("not for publication, deleted"),
    "recommendations": _l("recommendations"),
    "portals": _l("partner portal links"),
}


def describe(event: PrivacyEvent) -> str:
    """What a privacy event changed, in the reader's language (never any content)."""
    details: dict[str, Any] = event.details or {}
    kind = details.get("contribution_kind")
    kind_label = str(KIND_LABELS.get(kind, kind)) if kind else ""
    if event.kind == EventKind.CONSENT_CHANGED:
        before = CONSENT_LABELS.get(details.get("before"), details.get("before"))
        after = CONSENT_LABELS.get(details.get("after"), details.get("after"))
        return f"{kind_label}: {before} → {after}"
    if event.kind == EventKind.CONTRIBUTION_WITHDRAWN:
        consent = CONSENT_LABELS.get(details.get("consent"), details.get("consent"))
        return f"{kind_label} ({consent})"
    if event.kind in (EventKind.NOTICE_CHANGED, EventKind.IDENTITY_CORRECTED):
        fields = ", ".join(str(FIELD_LABELS.get(f, f)) for f in details.get("fields", []))
        return (
            gettext("Programme: %(fields)s", fields=fields) if details.get("programme") else fields
        )
    return " · ".join(
        f"{label}: {details[key]}" for key, label in COUNT_LABELS.items() if key in details
    )


def actor_label(event: PrivacyEvent) -> str:
    """Who made a privacy event happen."""
    if event.actor == privacy.Actor.PARTICIPANT:
        return gettext("Participant #%(id)s", id=event.actor_id)
    if event.actor == privacy.Actor.FACILITATOR:
        return gettext("Facilitator")
    return gettext("Retention command")


def _people(workshop: Workshop) -> list[dict[str, Any]]:
    """Participants whose names the workshop holds, with what they gave."""
    gave = dict(
        db.session.execute(
            select(Contribution.participant_id, func.count(Contribution.id))
            .where(Contribution.workshop_id == workshop.id)
            .group_by(Contribution.participant_id)
        ).all()
    )
    cast = dict(
        db.session.execute(
            select(Vote.participant_id, func.count(Vote.id))
            .join(Participant, Participant.id == Vote.participant_id)
            .where(Participant.workshop_id == workshop.id)
            .group_by(Vote.participant_id)
        ).all()
    )
    people = db.session.scalars(
        select(Participant)
        .where(Participant.workshop_id == workshop.id, Participant.anonymised_at.is_(None))
        .order_by(Participant.id)
    )
    return [
        {
            "participant": person,
            "contributions": gave.get(person.id, 0),
            "votes": cast.get(person.id, 0),
        }
        for person in people
    ]


def _render(
    workshop: Workshop, form: PrivacyForm, delete_form: DeleteWorkshopForm, status: int = 200
) -> tuple[str, int]:
    events, total = privacy.privacy_events(workshop.id)
    return (
        render_template(
            "facilitator/privacy.html",
            workshop=workshop,
            form=form,
            delete_form=delete_form,
            confirm_form=ConfirmForm(),
            record=privacy.record_of_processing(workshop),
            notice=privacy.notice_for(workshop),
            programme=privacy.inherited_notice(workshop),
            people=_people(workshop),
            events=[(event, describe(event), actor_label(event)) for event in events],
            events_total=total,
            event_labels=EVENT_LABELS,
        ),
        status,
    )


@bp.route("/workshops/<int:workshop_id>/privacy", methods=["GET", "POST"])
@protected(Action.WORKSHOP_PRIVACY)
def privacy_page(workshop: Workshop) -> tuple[str, int] | BaseResponse:
    """The notice's settings, the personal data held, the record, and erasure."""
    form = PrivacyForm(obj=workshop)
    if form.validate_on_submit():
        data = {field: getattr(form, field).data for field in PRIVACY_FIELDS}
        data["privacy_notice"] = data["privacy_notice"] or ""
        try:
            publish(workshops.update_workshop(workshop, data))
        except ServiceError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(gettext("Changes saved."), "success")
            return redirect(url_for("facilitator.privacy_page", workshop_id=workshop.id))
    return _render(workshop, form, DeleteWorkshopForm())


@bp.post("/workshops/<int:workshop_id>/participants/<int:participant_id>/erase")
@protected(Action.WORKSHOP_ERASE)
def erase_participant(workshop: Workshop, participant_id: int) -> BaseResponse:
    """Delete a participant with their contributions and votes; every screen follows."""
    back = redirect(url_for("facilitator.privacy_page", workshop_id=workshop.id, _anchor="people"))
    if not ConfirmForm().validate_on_submit():
        flash(gettext("The form has expired. Try again."), "error")
        return back
    facilitator = access.identify().facilitator
    events = erasure.erase_participant(workshop, participant_id, facilitator)
    deliver_departure(workshop.id, participant_id, events)
    flash(gettext("The participant and everything they gave are erased."), "success")
    return back


@bp.post("/workshops/<int:workshop_id>/delete")
@protected(Action.WORKSHOP_ERASE)
def delete_workshop(workshop: Workshop) -> tuple[str, int] | BaseResponse:
    """Delete the workshop with everything in it, once its code is typed."""
    delete_form = DeleteWorkshopForm()
    if delete_form.validate_on_submit():
        if normalise_code(delete_form.confirm.data or "") == workshop.code:
            title = workshop.title
            deliver_deletion(erasure.delete_workshop(workshop, access.identify().facilitator))
            flash(gettext("“%(title)s” is deleted, with everything in it.", title=title), "success")
            return redirect(url_for("facilitator.dashboard"))
        delete_form.confirm.errors = [
            gettext("Type the code %(code)s to confirm.", code=workshop.code)
        ]
    return _render(workshop, PrivacyForm(obj=workshop), delete_form)
