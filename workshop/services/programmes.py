"""Programmes: a network's regions, members and regional workshops.

A facilitator creates a programme and becomes its coordinator; coordinators
add regions and invite members (services/invitations.py). Members place
their workshops in the programme, for one of its regions or, with none, as a
transnational session. Who may do what is decided in services/access.py;
this module keeps the data consistent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import languages
from ..extensions import db
from ..models import (
    Facilitator,
    Programme,
    ProgrammeMember,
    ProgrammeRegion,
    ProgrammeRole,
    Workshop,
)
from . import access, privacy, synthesis
from . import validation as v
from .errors import ServiceError
from .events import ProgrammeEvent
from .progress import cards

PROGRAMME_FIELDS = ("title", "description", "language")
#: What a programme's privacy notice says for each of its workshops that says nothing itself.
NOTICE_FIELDS = privacy.NOTICE_FIELDS
#: What a coordinator may edit (``PATCH /api/programmes/<id>``).
EDITABLE_FIELDS = PROGRAMME_FIELDS + NOTICE_FIELDS
REGION_FIELDS = ("name", "country", "organisation")
MAX_DESCRIPTION = 4000
MAX_REGIONS = 60
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _languages() -> tuple[str, ...]:
    return languages.CODES


def create_programme(founder: Facilitator, data: Any) -> Programme:
    """A new programme; its founder becomes its coordinator."""
    data = v.require_object(data, PROGRAMME_FIELDS, required=("title",))
    programme = Programme(
        title=v.text_field(data, "title", max_length=v.MAX_TITLE, required=True),
        description=v.text_field(data, "description", max_length=MAX_DESCRIPTION),
        language=v.choice_field(data, "language", _languages(), default="en"),
    )
    db.session.add(programme)
    db.session.flush()
    db.session.add(
        ProgrammeMember(
            programme_id=programme.id,
            facilitator_id=founder.id,
            role=ProgrammeRole.COORDINATOR.value,
        )
    )
    db.session.commit()
    return programme


def update_programme(programme: Programme, data: Any, editor: Facilitator) -> list[ProgrammeEvent]:
    """Edit the programme's title, description, language or privacy notice.

    The synthesis board and the recommendation follow (``synthesis`` with
    ``change: "programme"``). A change to the notice is logged in the record of
    processing of each of the programme's workshops, since their notices say
    what the programme says wherever they say nothing themselves.
    """
    data = v.require_object(data, EDITABLE_FIELDS)
    wanted: dict[str, Any] = {}
    if "title" in data:
        wanted["title"] = v.text_field(data, "title", max_length=v.MAX_TITLE, required=True)
    if "description" in data:
        wanted["description"] = v.text_field(data, "description", max_length=MAX_DESCRIPTION)
    if "language" in data:
        wanted["language"] = v.choice_field(data, "language", _languages())
    wanted.update(privacy.notice_settings(data))
    changed = sorted(f for f, value in wanted.items() if getattr(programme, f) != value)
    if not changed:
        return []
    seq = synthesis.advance(programme.id)
    for field in changed:
        setattr(programme, field, wanted[field])
    notice = [f for f in changed if f in NOTICE_FIELDS]
    if notice:
        for workshop_id in db.session.scalars(
            select(Workshop.id).where(Workshop.programme_id == programme.id)
        ):
            privacy.log_event(
                workshop_id,
                privacy.EventKind.NOTICE_CHANGED,
                privacy.Actor.FACILITATOR,
                editor.id,
                fields=notice,
                programme=True,
            )
    db.session.commit()
    return [synthesis.synthesis_event(programme.id, seq, "programme", fields=changed)]


def add_region(programme: Programme, data: Any) -> ProgrammeRegion:
    """A new region of the programme; names are unique within it (any case)."""
    data = v.require_object(data, REGION_FIELDS, required=("name",))
    name = v.text_field(data, "name", max_length=v.MAX_SHORT, required=True)
    country = v.text_field(data, "country", max_length=2).upper()
    if country and not _COUNTRY.match(country):
        raise ServiceError(
            "invalid_field", _l("country must be a two-letter country code, such as DE.")
        )
    organisation = v.text_field(data, "organisation", max_length=v.MAX_TITLE)
    existing = regions_of(programme)
    if len(existing) >= MAX_REGIONS:
        raise ServiceError(
            "too_many_regions",
            _l("A programme has at most %(max)d regions.", max=MAX_REGIONS),
            409,
        )
    if any(region.name.casefold() == name.casefold() for region in existing):
        raise ServiceError("region_exists", _l("The programme already has this region."), 409)
    region = ProgrammeRegion(
        programme_id=programme.id, name=name, country=country, organisation=organisation
    )
    db.session.add(region)
    db.session.commit()
    return region


def regions_of(programme: Programme) -> list[ProgrammeRegion]:
    """The programme's regions in the order they were added."""
    return list(
        db.session.scalars(
            select(ProgrammeRegion)
            .where(ProgrammeRegion.programme_id == programme.id)
            .order_by(ProgrammeRegion.id)
        )
    )


def members_of(programme: Programme) -> list[ProgrammeMember]:
    """The programme's members, coordinators first, then by when they joined."""
    members = db.session.scalars(
        select(ProgrammeMember).where(ProgrammeMember.programme_id == programme.id)
    )
    return sorted(members, key=lambda m: (m.role != ProgrammeRole.COORDINATOR, m.id))


def add_member(programme_id: int, facilitator_id: int, role: str) -> ProgrammeMember:
    """Make someone a member (in the open transaction); an existing member keeps the higher role."""
    member = db.session.scalar(
        select(ProgrammeMember).where(
            ProgrammeMember.programme_id == programme_id,
            ProgrammeMember.facilitator_id == facilitator_id,
        )
    )
    if member is None:
        member = ProgrammeMember(
            programme_id=programme_id, facilitator_id=facilitator_id, role=role
        )
        db.session.add(member)
    elif role == ProgrammeRole.COORDINATOR:
        member.role = role
    db.session.flush()
    return member


def remove_member(programme: Programme, facilitator_id: int) -> None:
    """Take someone out of the programme; their workshops stay in it.

    The last coordinator cannot leave: someone must manage the programme.
    """
    member = db.session.scalar(
        select(ProgrammeMember).where(
            ProgrammeMember.programme_id == programme.id,
            ProgrammeMember.facilitator_id == facilitator_id,
        )
    )
    if member is None:
        raise ServiceError("not_found", _l("No such member of this programme."), 404)
    if member.role == ProgrammeRole.COORDINATOR:
        coordinators = db.session.scalar(
            select(func.count(ProgrammeMember.id)).where(
                ProgrammeMember.programme_id == programme.id,
                ProgrammeMember.role == ProgrammeRole.COORDINATOR.value,
            )
        )
        if coordinators == 1:
            raise ServiceError(
                "last_coordinator",
                _l("A programme needs a coordinator: invite another one first."),
                409,
            )
    db.session.delete(member)
    db.session.commit()


# ----- placing workshops -----


def _invalid(field: str) -> ServiceError:
    return ServiceError(
        "invalid_field",
        _l("%(field)s does not name a programme or region of yours.", field=field),
    )


def placement(
    owner: Facilitator, data: Mapping[str, Any], current: Workshop | None = None
) -> tuple[int | None, int | None]:
    """The (programme_id, region_id) that ``data`` asks for, checked.

    The owner must be a member of the programme the workshop enters and of
    the one it leaves; the region must belong to the programme. On an edit
    (``current``), a field left out keeps its value, and a region is dropped
    when the workshop changes programme.
    """
    programme_id = current.programme_id if current is not None else None
    region_id = current.region_id if current is not None else None
    if "programme_id" in data:
        asked = v.id_field(data, "programme_id", required=False)
        if asked != programme_id:
            region_id = None
        programme_id = asked
    if "region_id" in data:
        region_id = v.id_field(data, "region_id", required=False)
    unchanged = current is not None and (programme_id, region_id) == (
        current.programme_id,
        current.region_id,
    )
    if unchanged:
        return programme_id, region_id
    for left_or_entered in {programme_id, current.programme_id if current else None} - {None}:
        programme = access.find(Programme, left_or_entered)
        if programme is None or not access.is_member(owner, programme):
            raise _invalid("programme_id")
    if programme_id is not None and not hold_for_placement(programme_id):
        raise refused_placement()
    if region_id is not None:
        region = access.find(ProgrammeRegion, region_id) if programme_id else None
        if region is None or region.programme_id != programme_id:
            raise _invalid("region_id")
    return programme_id, region_id


def hold_for_placement(programme_id: int) -> bool:
    """Keep the programme from being deleted until the open transaction ends; False if it is gone.

    A ``FOR KEY SHARE`` lock (PostgreSQL): a deletion waits for a workshop
    being placed in the programme, or the placement finds the programme gone,
    so no workshop lands in a programme that no longer exists. SQLite has
    no row locks; there the foreign key refuses the commit
    (``refused_placement``).
    """
    found = db.session.execute(
        select(Programme.id).where(Programme.id == programme_id).with_for_update(key_share=True)
    ).first()
    return found is not None


def refused_placement() -> ServiceError:
    """The refusal of a workshop placed in a programme deleted meanwhile."""
    return ServiceError("invalid_field", _l("This programme no longer exists."), 400)


def movable_into(identity: access.Identity, programme: Programme) -> list[Workshop]:
    """The caller's workshops that could move into the programme (those not in it yet)."""
    return [w for w in access.workshops_of(identity) if w.programme_id != programme.id]


def region_of(programme: Programme, region_id: Any) -> ProgrammeRegion | None:
    """The programme's region with this id (None for none); 400 for another programme's."""
    if region_id is None or region_id == "":
        return None
    if isinstance(region_id, str) and region_id.isdigit():
        region_id = int(region_id)
    region_id = v.id_field({"region_id": region_id}, "region_id")
    region = access.find(ProgrammeRegion, region_id)
    if region is None or region.programme_id != programme.id:
        raise _invalid("region_id")
    return region


# ----- what members see -----


def region_payload(region: ProgrammeRegion) -> dict[str, Any]:
    """A region as the API shows it."""
    return {
        "id": region.id,
        "name": region.name,
        "country": region.country,
        "organisation": region.organisation,
    }


def member_payload(member: ProgrammeMember) -> dict[str, Any]:
    """A member as the API shows it (to other members)."""
    return {
        "facilitator_id": member.facilitator_id,
        "email": member.facilitator.email,
        "name": member.facilitator.display_name,
        "role": member.role,
    }


def summary_payload(programme: Programme, role: str | None) -> dict[str, Any]:
    """The programme's own fields and the caller's role in it."""
    return {
        "id": programme.id,
        "title": programme.title,
        "description": programme.description,
        "language": programme.language,
        "role": role,
        "privacy": {field: getattr(programme, field) for field in NOTICE_FIELDS},
    }


def programme_payload(programme: Programme, identity: access.Identity) -> dict[str, Any]:
    """Everything a member's dashboard shows: regions, members, every workshop's card.

    Each card also says what the caller ``may`` do with its workshop: ``read``
    it (board, summary, exports) and ``manage`` it (steer it).
    """
    found = cards(programme_id=programme.id)
    workshops = {w.id: w for w in workshops_in(programme)}
    for card in found:
        workshop = workshops.get(card["id"])
        card["may"] = {
            "read": workshop is not None and access.can_access(identity, workshop),
            "manage": workshop is not None and access.can_manage(identity, workshop),
        }
    return {
        **summary_payload(programme, role_of(identity, programme)),
        "regions": [region_payload(r) for r in regions_of(programme)],
        "members": [member_payload(m) for m in members_of(programme)],
        "workshops": found,
    }


def workshops_in(programme: Programme) -> list[Workshop]:
    """The programme's workshops, oldest first."""
    return list(
        db.session.scalars(
            select(Workshop).where(Workshop.programme_id == programme.id).order_by(Workshop.id)
        )
    )


def role_of(identity: access.Identity, programme: Programme) -> str | None:
    """The caller's role in the programme (``coordinator``, ``facilitator``) or None."""
    return identity.membership(programme.id)
