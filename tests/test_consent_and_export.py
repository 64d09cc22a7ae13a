"""Consent and moderation in snapshots, broadcasts and exports; the exports' content."""

from __future__ import annotations

import json

import pytest
from conftest import bearer, named, say


@pytest.fixture
def results(api, room):
    """A workshop with an item of every consent in every phase, one of them hidden."""
    token, wid = room["token"], room["workshop"]["id"]
    ana, ben, cleo = room["phones"]
    ids = {}
    api.set_phase(token, wid, "discover")
    ids["named_story"] = say(
        ana, "story", "Named story from Ana.", title="The mill", consent="named"
    )
    ids["anon_story"] = say(ben, "story", "Anonymous story from Ben.", consent="anonymous")
    ids["private_story"] = say(cleo, "story", "Private story from Cleo.", consent="private")
    ids["hidden_story"] = say(cleo, "story", "Hidden story, off-topic.", consent="named")
    theme = room["board"].emit("theme_create", {"name": "Open factories"}, callback=True)["id"]
    room["board"].emit(
        "theme_assign", {"theme_id": theme, "contribution_id": ids["named_story"]}, callback=True
    )
    assert room["board"].emit("hide", {"contribution_id": ids["hidden_story"]}, callback=True)["ok"]
    api.set_phase(token, wid, "dream")
    ids["dream_low"] = say(ana, "dream", "A dream with one vote.")
    ids["dream_high"] = say(ben, "dream", "A dream with two votes.", consent="named")
    for sio in (ana, cleo):
        sio.emit("vote", {"contribution_id": ids["dream_high"]}, callback=True)
    ben.emit("vote", {"contribution_id": ids["dream_low"]}, callback=True)
    api.set_phase(token, wid, "design")
    ids["proposition"] = say(
        cleo, "proposition", "Every region hosts a peer visit.", theme_id=theme
    )
    api.set_phase(token, wid, "deliver")
    ids["commitment"] = say(
        ana,
        "commitment",
        "Organise the Kranj visit.",
        owner="Ana",
        due="2027-03-01",
        proposition_id=ids["proposition"],
    )
    for sio in [room["board"], *room["phones"]]:
        sio.get_received()
    return {**room, "ids": ids, "theme": theme}


def test_hidden_items_leave_participants_screens_live(api, room):
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    story = say(room["phones"][0], "story", "Off topic.")
    for sio in [room["board"], *room["phones"]]:
        sio.get_received()
    room["board"].emit("hide", {"contribution_id": story}, callback=True)
    assert named(room["phones"][1].get_received(), "contribution_hidden") == [
        {"id": story, "seq": pytest.approx(0, abs=10**9)}
    ]
    late = api.socket({"token": room["people"][1]["token"]})
    snapshot = named(late.get_received(), "snapshot")[0]
    assert story not in [c["id"] for c in snapshot["contributions"]]
    board_view = api.http.get(
        f"/api/workshops/{room['workshop']['id']}", headers=bearer(room["token"])
    ).json
    assert [c["hidden"] for c in board_view["contributions"] if c["id"] == story] == [True]
    # Regrouping a hidden story tells only the facilitators.
    theme = room["board"].emit("theme_create", {"name": "T"}, callback=True)["id"]
    for sio in [room["board"], *room["phones"]]:
        sio.get_received()
    room["board"].emit("theme_assign", {"theme_id": theme, "contribution_id": story}, callback=True)
    assert named(room["phones"][1].get_received(), "contribution") == []
    assert named(room["board"].get_received(), "contribution")[0]["id"] == story
    # Unhiding brings it back for everyone.
    room["board"].emit("unhide", {"contribution_id": story}, callback=True)
    assert named(room["phones"][1].get_received(), "contribution")[0]["id"] == story


def test_names_only_where_the_author_chose_named(api, results):
    late = api.socket({"token": results["people"][2]["token"]})
    contributions = named(late.get_received(), "snapshot")[0]["contributions"]
    by_id = {c["id"]: c for c in contributions}
    ids = results["ids"]
    assert by_id[ids["named_story"]]["author"] == "Ana"
    assert by_id[ids["named_story"]]["organisation"] == "Kranj Creative"
    for key in ("anon_story", "private_story", "dream_low"):
        assert by_id[ids[key]]["author"] is None
        assert by_id[ids[key]]["organisation"] is None and by_id[ids[key]]["region"] is None
    # Private items are seen in the session, hidden ones are not.
    assert ids["private_story"] in by_id and ids["hidden_story"] not in by_id
    assert "Tabakfabrik" not in json.dumps(by_id[ids["anon_story"]])


def test_markdown_export_is_a_soar_draft(api, results):
    wid, token = results["workshop"]["id"], results["token"]
    response = api.http.get(f"/api/workshops/{wid}/export.md", headers=bearer(token))
    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    assert "attachment" in response.headers["Content-Disposition"]
    md = response.get_data(as_text=True)
    assert md.startswith("# Creative regions")
    assert "Draft" in md  # not closed yet
    assert "How do we grow CCI?" in md
    order = [
        md.index(h) for h in ("## Strengths", "## Opportunities and aspirations", "## Results")
    ]
    assert order == sorted(order)
    assert "### Open factories (1 story)" in md
    assert "Named story from Ana." in md and "Anna" not in md and "— Ana, Kranj Creative" in md
    assert "Anonymous story from Ben." in md
    assert "Private story" not in md and "Hidden story" not in md
    assert md.index("A dream with two votes.") < md.index("A dream with one vote.")
    assert "**2 votes**" in md and "**1 vote**" in md
    assert "Every region hosts a peer visit." in md and "Theme: Open factories" in md
    assert "*Grounded in:* The mill" in md
    assert "| Organise the Kranj visit. | Ana |" in md
    assert "Cleo" not in md  # Cleo never chose to be named


def test_markdown_escapes_participant_text(api, room):
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    say(
        room["phones"][0],
        "story",
        "[click](javascript:alert(1)) <script>x</script> | # not a heading",
    )
    md = api.http.get(
        f"/api/workshops/{room['workshop']['id']}/export.md", headers=bearer(room["token"])
    ).get_data(as_text=True)
    assert "[click](javascript" not in md and "<script>" not in md
    assert r"\[click\](javascript:alert(1)) \<script\>x\</script\> \| # not a heading" in md


def test_markdown_headings_follow_the_chosen_language(api, results):
    wid, token = results["workshop"]["id"], results["token"]
    md = api.http.get(f"/api/workshops/{wid}/export.md?lang=en", headers=bearer(token)).get_data(
        as_text=True
    )
    assert "## Strengths: the positive core" in md


def test_json_export_is_complete_and_respects_consent(api, results):
    wid, token = results["workshop"]["id"], results["token"]
    response = api.http.get(f"/api/workshops/{wid}/export.json", headers=bearer(token))
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = json.loads(response.get_data(as_text=True))
    assert data["schema"] == "positive-core/workshop" and data["version"] == 1
    assert data["workshop"]["title"] == "Creative regions" and data["workshop"]["participants"] == 3
    assert data["draft"] is True
    assert data["themes"] == [{"id": results["theme"], "name": "Open factories"}]
    ids = results["ids"]
    exported = {c["id"]: c for c in data["contributions"]}
    assert set(exported) == {ids[k] for k in ids if k not in ("private_story", "hidden_story")}
    assert exported[ids["named_story"]]["author"] == "Ana"
    assert exported[ids["anon_story"]]["author"] is None
    assert exported[ids["dream_high"]]["votes"] == 2
    assert exported[ids["commitment"]]["due"] == "2027-03-01"
    assert exported[ids["commitment"]]["proposition_id"] == ids["proposition"]


def test_exports_are_available_in_every_phase(api):
    token = api.facilitator()
    workshop = api.create_workshop(token)
    for phase in ("lobby", "discover", "dream", "design", "deliver", "closed"):
        api.set_phase(token, workshop["id"], phase)
        for ext in ("md", "json"):
            response = api.http.get(
                f"/api/workshops/{workshop['id']}/export.{ext}", headers=bearer(token)
            )
            assert response.status_code == 200
    closed = api.http.get(
        f"/api/workshops/{workshop['id']}/export.json", headers=bearer(token)
    ).json
    assert closed["draft"] is False
