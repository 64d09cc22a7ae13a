"""The demo programme: ``flask --app workshop demo seed``.

Builds the network of demo/content.py through the same services the app
uses (joining, contributing, grouping, voting, moving through the phases),
so what the demo shows is what a real session would have stored: a
coordinator, one facilitator per region, each region's workshop in its own
language and at its own phase, a partner portal link, and the coordinator's
finished synthesis: common themes with every regional theme mapped onto one,
and three recommendations with their evidence.

It runs once: a second run refuses, naming the existing programme.
"""

from __future__ import annotations

import dataclasses
import secrets
import uuid
from collections.abc import Sequence
from typing import Any

from flask import current_app

from ..extensions import db
from ..models import (
    Contribution,
    Facilitator,
    Participant,
    Programme,
    ProgrammeMember,
    Theme,
    Workshop,
)
from ..services import accounts, contributions, participants, portal, programmes, themes, votes
from ..services import synthesis as synthesis_service
from ..services import workshops as workshop_service
from ..services.errors import ServiceError
from ..services.method import default_prompts
from .content import COORDINATOR, PROGRAMME, SYNTHESIS, WORKSHOPS

#: The address demo participants join from (only failed joins count against it).
DEMO_ADDRESS = "demo-seed"


class AlreadySeeded(Exception):
    """The demo programme exists: seeding again would duplicate it."""

    def __init__(self, programme: Programme) -> None:
        super().__init__(programme.title)
        self.programme = programme


@dataclasses.dataclass
class Seeded:
    """What the seed made, to print how to sign in."""

    programme: Programme
    password: str
    accounts: list[tuple[str, str, str]]  # (email, name, what)
    portal_token: str


def existing_demo() -> Programme | None:
    """The demo programme, if its coordinator already coordinates one."""
    coordinator = accounts.find_facilitator(COORDINATOR[0])
    if coordinator is None:
        return None
    return db.session.scalar(
        db.select(Programme)
        .join(ProgrammeMember, ProgrammeMember.programme_id == Programme.id)
        .where(ProgrammeMember.facilitator_id == coordinator.id)
        .where(Programme.title == PROGRAMME["title"])
    )


def seed(password: str | None = None) -> Seeded:
    """Create the demo programme; raise ``AlreadySeeded`` if it exists."""
    found = existing_demo()
    if found is not None:
        raise AlreadySeeded(found)
    for email, _name in [COORDINATOR, *(w["facilitator"] for w in WORKSHOPS)]:
        if accounts.find_facilitator(email) is not None:
            raise ServiceError(
                "email_taken", f"An account {email} exists but the demo programme does not."
            )
    password = password or secrets.token_urlsafe(9)
    coordinator = accounts.create_facilitator(COORDINATOR[0], password, COORDINATOR[1])
    made = [(COORDINATOR[0], COORDINATOR[1], "coordinator")]
    programme = programmes.create_programme(coordinator, PROGRAMME)
    workshops: dict[str, Workshop] = {}
    for spec in WORKSHOPS:
        name, country, organisation = spec["region"]
        region = programmes.add_region(
            programme, {"name": name, "country": country, "organisation": organisation}
        )
        email, display = spec["facilitator"]
        facilitator = accounts.create_facilitator(email, password, display)
        programmes.add_member(programme.id, facilitator.id, "facilitator")
        db.session.commit()
        made.append((email, display, f"facilitator, {name}"))
        workshops[name] = _run_workshop(facilitator, programme, region.id, spec)
    _synthesise(programme, workshops)
    _link, token = portal.create_portal(programme)
    return Seeded(programme, password, made, token)


def _run_workshop(
    facilitator: Facilitator, programme: Programme, region_id: int, spec: dict[str, Any]
) -> Workshop:
    """One regional focus group, from the lobby to its phase, as the room would have run it."""
    language = spec["language"]
    workshop = workshop_service.create_workshop(
        facilitator,
        {
            "title": spec["title"],
            "topic": spec["topic"],
            "place": spec["place"],
            "held_on": spec["held_on"],
            "language": language,
            "prompts": default_prompts(language),
            "programme_id": programme.id,
            "region_id": region_id,
        },
        fields=workshop_service.WORKSHOP_FIELDS + workshop_service.PLACEMENT_FIELDS,
    )
    people = [
        participants.join(
            {
                "code": workshop.code,
                "name": name,
                "organisation": organisation,
                "region": spec["region"][0],
                "language": own_language or language,
            },
            DEMO_ADDRESS,
        )[0]
        for name, organisation, own_language in spec["people"]
    ]
    phases = ("discover", "dream", "design", "deliver")
    target = spec["phase"]
    reach = (
        len(phases) if target == "closed" else phases.index(target) + 1 if target in phases else 0
    )
    theme_ids: list[int] = []
    made: dict[str, list[int]] = {}
    for phase in phases[:reach]:
        _set_phase(workshop, phase)
        if phase == "discover":
            theme_ids = [
                themes.create_theme(workshop.id, {"name": name})[0].id for name in spec["themes"]
            ]
            made["story"] = _contribute(workshop, people, "story", spec["stories"], theme_ids)
        elif phase == "dream":
            made["dream"] = _contribute(workshop, people, "dream", spec["dreams"], theme_ids)
            _vote(workshop, people, made["dream"], spec["dreams"])
        elif phase == "design":
            made["proposition"] = _contribute(
                workshop, people, "proposition", spec["propositions"], theme_ids
            )
            _vote(workshop, people, made["proposition"], spec["propositions"])
        else:
            _contribute(
                workshop,
                people,
                "commitment",
                spec["commitments"],
                theme_ids,
                made.get("proposition", []),
            )
    _set_phase(workshop, target)
    return workshop


def _set_phase(workshop: Workshop, phase: str) -> None:
    if workshop.phase != phase:
        workshop_service.set_phase(workshop, {"phase": phase})


def _contribute(
    workshop: Workshop,
    people: list[Participant],
    kind: str,
    items: Sequence[dict[str, Any]],
    theme_ids: list[int],
    proposition_ids: Sequence[int] = (),
) -> list[int]:
    ids = []
    for item in items:
        data: dict[str, Any] = {
            "client_id": str(uuid.uuid4()),
            "kind": kind,
            "text": item["text"],
            "consent": item["consent"],
        }
        if kind == "story":
            data.update(title=item["title"], factors=item["factors"])
        if kind == "proposition" and item.get("theme") is not None:
            data["theme_id"] = theme_ids[item["theme"]]
        if kind == "commitment":
            data.update(
                owner=item["owner"],
                owner_organisation=item["owner_organisation"],
                due=item["due"],
                proposition_id=proposition_ids[item["proposition"]],
            )
        contribution, _events = contributions.contribute(people[item["by"]], data)
        if kind == "story" and item.get("theme") is not None:
            contributions.assign_theme(
                workshop,
                {"theme_id": theme_ids[item["theme"]], "contribution_id": contribution.id},
            )
        ids.append(contribution.id)
    return ids


def _vote(
    workshop: Workshop, people: list[Participant], ids: list[int], items: Sequence[dict[str, Any]]
) -> None:
    """Dot votes: each item gets its number, from the participants with the most dots left.

    Nobody dots what they wrote themselves (the workshops' default).
    """
    left = {person.id: workshop.votes_per_participant for person in people}
    for contribution_id, item in zip(ids, items, strict=True):
        others = [p for p in people if p is not people[item["by"]]]
        voters = sorted(others, key=lambda p: -left[p.id])[: item["votes"]]
        for person in voters:
            votes.vote(person, {"contribution_id": contribution_id})
            left[person.id] -= 1


def _synthesise(programme: Programme, workshops: dict[str, Workshop]) -> None:
    """The coordinator's synthesis: common themes, every regional theme mapped, recommendations."""
    common = []
    for name, regional in SYNTHESIS["themes"]:
        theme, _events = synthesis_service.create_theme(programme, {"name": name})
        common.append(theme.id)
        for region, theme_name in regional:
            theme_id = db.session.scalar(
                db.select(Theme.id).where(
                    Theme.workshop_id == workshops[region].id, Theme.name == theme_name
                )
            )
            synthesis_service.map_theme(
                programme, {"theme_id": theme_id, "programme_theme_id": theme.id}
            )
    for spec in SYNTHESIS["recommendations"]:
        synthesis_service.create_recommendation(
            programme,
            {
                "title": spec["title"],
                "text": spec["text"],
                "programme_theme_ids": [common[i] for i in spec["themes"]],
                "evidence_ids": [
                    _contribution(workshops[region], kind, index)
                    for region, kind, index in spec["evidence"]
                ],
            },
        )


def _contribution(workshop: Workshop, kind: str, index: int) -> int:
    """The id of a workshop's ``index``-th contribution of ``kind``, in the order made."""
    ids = db.session.scalars(
        db.select(Contribution.id)
        .where(Contribution.workshop_id == workshop.id, Contribution.kind == kind)
        .order_by(Contribution.id)
    ).all()
    return ids[index]


def sign_in_base() -> str:
    """Where people open the app: ``PUBLIC_URL``, else the address ``python wsgi.py`` serves."""
    public = current_app.config.get("PUBLIC_URL")
    if public:
        return public.rstrip("/")
    host = current_app.config["HOST"]
    host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"http://{host}:{current_app.config['PORT']}"
