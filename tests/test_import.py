"""Importing JSON exports: into a programme region over HTTP, and from the CLI.

An export is validated against its schema, with the limits of live input,
before anything is written; the same export twice makes one workshop.
"""

from __future__ import annotations

import copy
import json

import pytest
from conftest import bearer, say

from workshop.extensions import db
from workshop.models import Contribution, Participant, Theme, Workshop


@pytest.fixture
def programme(api):
    coordinator = api.facilitator("coord@example.org")
    pid = api.http.post(
        "/api/programmes", json={"title": "InduCCI"}, headers=bearer(coordinator)
    ).json["id"]
    region = api.http.post(
        f"/api/programmes/{pid}/regions", json={"name": "Kranj"}, headers=bearer(coordinator)
    ).json
    return {"pid": pid, "token": coordinator, "region": region["id"]}


@pytest.fixture
def export(api, programme):
    """The JSON export of a workshop run elsewhere: themes, votes, consent, languages."""
    token = api.facilitator("laptop@example.org")
    workshop = api.create_workshop(token, title="Kranj focus group", language="sl")
    wid = workshop["id"]
    people = [
        api.join(workshop["code"], n, organisation=o, language=lang)
        for n, o, lang in (("Ana", "BSC", "sl"), ("Bor", "Iskra", "en"))
    ]
    phones = [api.socket({"token": p["token"]}) for p in people]
    board = api.socket({"token": token, "workshop_id": wid})
    api.set_phase(token, wid, "discover")
    story = say(
        phones[0],
        "story",
        "Stara tovarna je postala ustvarjalni center.",
        consent="named",
    )
    say(phones[1], "story", "Anonymous story", consent="anonymous")
    say(phones[1], "story", "Private story", consent="private")
    theme = board.emit("theme_create", {"name": "Spaces"}, callback=True)["id"]
    board.emit("theme_assign", {"theme_id": theme, "contribution_id": story}, callback=True)
    api.set_phase(token, wid, "dream")
    dream = say(phones[0], "dream", "Vsaka tovarna atelje")
    phones[1].emit("vote", {"contribution_id": dream}, callback=True)
    api.set_phase(token, wid, "design")
    proposition = say(phones[0], "proposition", "Every region hosts a peer visit", theme_id=theme)
    api.set_phase(token, wid, "deliver")
    say(
        phones[1],
        "commitment",
        "Open the mill",
        owner="Bor",
        due="2027-03-01",
        proposition_id=proposition,
    )
    data = api.http.get(f"/api/workshops/{wid}/export.json", headers=bearer(token)).json
    return data


def _import(api, programme, body, region=None, **kwargs):
    query = f"?region_id={region}" if region else ""
    return api.http.post(
        f"/api/programmes/{programme['pid']}/imports{query}",
        data=body if isinstance(body, (bytes, str)) else json.dumps(body),
        content_type=kwargs.pop("content_type", "application/json"),
        headers=bearer(kwargs.pop("token", programme["token"])),
    )


def _counts(app):
    with app.app_context():
        return tuple(
            db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (Workshop, Participant, Contribution, Theme)
        )


def test_the_same_export_twice_makes_one_workshop(api, app, programme, export):
    first = _import(api, programme, export, region=programme["region"])
    assert first.status_code == 201, first.json
    wid = first.json["workshop_id"]
    before = _counts(app)
    again = _import(api, programme, export, region=programme["region"])
    assert again.status_code == 200 and again.json["workshop_id"] == wid
    # Downloaded again later, unchanged: the same export.
    later = dict(export, generated_at="2030-01-01T00:00:00+00:00")
    assert _import(api, programme, later).json["workshop_id"] == wid
    assert _counts(app) == before
    card = api.http.get(
        f"/api/programmes/{programme['pid']}", headers=bearer(programme["token"])
    ).json
    assert [(w["id"], w["region_id"], w["language"]) for w in card["workshops"]] == [
        (wid, programme["region"], "sl")
    ]


def test_an_import_keeps_contributions_themes_votes_consent_and_languages(api, programme, export):
    wid = _import(api, programme, export).json["workshop_id"]
    again = api.http.get(
        f"/api/workshops/{wid}/export.json", headers=bearer(programme["token"])
    ).json

    def normalise(doc):
        doc = copy.deepcopy(doc)
        ids = {c["id"]: n for n, c in enumerate(doc["contributions"])}
        themes = {t["id"]: n for n, t in enumerate(doc["themes"])}
        for c in doc["contributions"]:
            c["id"] = ids[c["id"]]
            c["theme_id"] = themes.get(c["theme_id"])
            c["proposition_id"] = ids.get(c["proposition_id"])
        for t in doc["themes"]:
            t["id"] = themes[t["id"]]
        for key in ("id", "facilitators"):
            doc["workshop"].pop(key)
        doc.pop("generated_at")
        return doc

    assert normalise(again) == normalise(export)
    texts = {c["text"]: c for c in again["contributions"]}
    assert "Private story" not in texts
    assert texts["Stara tovarna je postala ustvarjalni center."]["author"] == "Ana"
    assert texts["Stara tovarna je postala ustvarjalni center."]["language"] == "sl"
    assert texts["Anonymous story"]["author"] is None
    assert texts["Vsaka tovarna atelje"]["votes"] == 1


def _broken(export, change):
    doc = copy.deepcopy(export)
    change(doc)
    return doc


CORRUPTIONS = {
    "not an object": lambda d: d.clear() or d.update({"schema": "positive-core/workshop"}),
    "another schema": lambda d: d.update({"schema": "something/else"}),
    "another version": lambda d: d.update({"version": 2}),
    "bogus kind": lambda d: d["contributions"][0].update({"kind": "bogus"}),
    "unknown language": lambda d: d["workshop"].update({"language": "xx"}),
    "script as language": lambda d: d["contributions"][0].update(
        {"language": "javascript:alert(1)"}
    ),
    "unknown phase": lambda d: d["workshop"].update({"phase": "party"}),
    "bad prompts": lambda d: d["workshop"].update({"prompts": {"discover": "not a list"}}),
    "prompts for no phase": lambda d: d["workshop"].update({"prompts": {"later": ["x"]}}),
    "3 MB title": lambda d: d["workshop"].update({"title": "x" * 3_000_000}),
    "long text": lambda d: d["contributions"][0].update({"text": "x" * 2001}),
    "empty text": lambda d: d["contributions"][0].update({"text": "   "}),
    "200,000 participants": lambda d: d["workshop"].update({"participants": 200_000}),
    "more votes than people": lambda d: d["contributions"][3].update({"votes": 50}),
    "more regions than people": lambda d: d["workshop"].update({"regions": 500}),
    "unknown theme": lambda d: d["contributions"][0].update({"theme_id": 999}),
    "unknown proposition": lambda d: d["contributions"][-1].update({"proposition_id": 999}),
    "duplicate ids": lambda d: d["contributions"][1].update({"id": d["contributions"][0]["id"]}),
    "bad date": lambda d: d["contributions"][-1].update({"due": "2027-13-45"}),
    "bad time": lambda d: d["contributions"][0].update({"created_at": "yesterday at noon"}),
    "huge id": lambda d: d["contributions"][0].update({"id": 2**64 + 1}),
    "missing themes": lambda d: d.pop("themes"),
    "text is a number": lambda d: d["contributions"][0].update({"text": 42}),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_a_bad_export_is_refused_with_nothing_stored(api, app, programme, export, corruption):
    before = _counts(app)
    response = _import(api, programme, _broken(export, CORRUPTIONS[corruption]))
    assert response.status_code == 400, response.json
    assert response.json["error"] == "invalid_export"
    assert response.json["message"].startswith(
        "This file is not a valid Positive Core workshop export"
    )
    assert _counts(app) == before


def test_a_tiny_file_claiming_a_huge_room_is_refused(api, app, programme):
    tiny = {
        "schema": "positive-core/workshop",
        "version": 1,
        "workshop": {
            "title": "Huge",
            "language": "en",
            "participants": 200_000,
            "organisations": 1,
        },
        "themes": [],
        "contributions": [],
    }
    body = json.dumps(tiny)
    assert len(body) < 2048
    before = _counts(app)
    response = _import(api, programme, body)
    assert response.status_code == 400 and "participants" in response.json["message"]
    assert _counts(app) == before


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("[" * 100_000 + "]" * 100_000, "application/json", 400),
        (b"\xff\xfe\x00", "application/json", 400),
        ('{"schema": "positive-core/workshop"}', "text/plain", 415),
    ],
)
def test_bodies_that_are_not_exports(api, app, programme, body, content_type, status):
    before = _counts(app)
    response = _import(api, programme, body, content_type=content_type)
    assert response.status_code == status, response.json
    assert _counts(app) == before


def test_import_limits_and_access(api, app, programme, export):
    app.config["IMPORT_MAX_BYTES"] = 1000
    assert _import(api, programme, export).status_code == 413
    app.config["IMPORT_MAX_BYTES"] = 16 * 1024 * 1024
    other = api.http.post(
        "/api/programmes", json={"title": "Other"}, headers=bearer(programme["token"])
    ).json
    foreign = api.http.post(
        f"/api/programmes/{other['id']}/regions",
        json={"name": "Elsewhere"},
        headers=bearer(programme["token"]),
    ).json
    wrong = _import(api, programme, export, region=foreign["id"])
    assert wrong.status_code == 400 and wrong.json["error"] == "invalid_field"
    outsider = api.facilitator("outsider@example.org")
    assert _import(api, programme, export, token=outsider).status_code == 404
    assert (
        api.http.post(f"/api/programmes/{programme['pid']}/imports", json=export).status_code == 401
    )


def test_the_cli_uses_the_same_validation(api, runner, export, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(_broken(export, CORRUPTIONS["bogus kind"])))
    result = runner.invoke(args=["workshop", "import", str(path), "--owner", "coord@example.org"])
    assert result.exit_code != 0 and "not a valid Positive Core workshop export" in result.output
    path.write_text(json.dumps(export))
    first = runner.invoke(args=["workshop", "import", str(path), "--owner", "coord@example.org"])
    assert first.exit_code == 0 and "Imported workshop" in first.output, first.output
    again = runner.invoke(args=["workshop", "import", str(path), "--owner", "coord@example.org"])
    assert again.exit_code == 0 and "Already imported as workshop" in again.output
