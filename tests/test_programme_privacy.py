"""A programme's part in privacy: the notice it gives its workshops, and its deletion.

A coordinator sets who runs the programme's workshops, a contact and a
purpose once, for every workshop that says nothing itself; and deletes the
programme for real: its synthesis, links, invitations, members and regions
go, its workshops stay with their owners outside any programme, and every
open dashboard and synthesis board hears it and closes.
"""

from __future__ import annotations

import pytest
from conftest import PASSWORD, bearer, say

from workshop.extensions import db

#: The tables that hold only a programme's own data.
PROGRAMME_TABLES = (
    "programmes",
    "programme_regions",
    "programme_members",
    "invitations",
    "programme_shares",
    "programme_themes",
    "recommendations",
    "recommendation_themes",
    "recommendation_evidence",
)
STORY = "Die alte Spinnerei wurde ein Atelierhaus"


def _ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    return response.json


def _rows(app, tables=PROGRAMME_TABLES) -> dict[str, list[tuple]]:
    with app.app_context():
        return {
            name: sorted(
                tuple(repr(value) for value in row)
                for row in db.session.execute(db.metadata.tables[name].select())
            )
            for name in tables
        }


def _login(app, email):
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    return client


@pytest.fixture
def network(api, app):
    """A programme with a region, a member's and the coordinator's workshops, a synthesis."""
    coordinator = api.facilitator("coord@example.org")
    member = api.facilitator("member@example.org")
    outsider = api.facilitator("outsider@example.org")
    # Another programme, which nothing below may touch.
    kept = _ok(
        api.http.post("/api/programmes", json={"title": "Kept"}, headers=bearer(outsider)), 201
    )
    api.http.post(
        f"/api/programmes/{kept['id']}/regions", json={"name": "Linz"}, headers=bearer(outsider)
    )
    before = _rows(app)

    pid = _ok(
        api.http.post(
            "/api/programmes", json={"title": "Creative Regions"}, headers=bearer(coordinator)
        ),
        201,
    )["id"]
    region = _ok(
        api.http.post(
            f"/api/programmes/{pid}/regions",
            json={"name": "Chemnitz", "country": "DE"},
            headers=bearer(coordinator),
        ),
        201,
    )["id"]
    invitation = _ok(
        api.http.post(f"/api/programmes/{pid}/invitations", headers=bearer(coordinator)), 201
    )
    _ok(api.http.post(f"/api/invitations/{invitation['token']}/accept", headers=bearer(member)))
    pending = _ok(
        api.http.post(f"/api/programmes/{pid}/invitations", headers=bearer(coordinator)), 201
    )
    members = api.create_workshop(
        member, title="Chemnitz focus group", language="de", programme_id=pid, region_id=region
    )
    mine = api.create_workshop(coordinator, title="Transnational session", programme_id=pid)
    person = api.join(members["code"], "Greta")
    phone = api.socket({"token": person["token"]})
    api.set_phase(member, members["id"], "discover")
    story = say(phone, "story", STORY, consent="named")
    board = api.socket({"token": member, "workshop_id": members["id"]})
    regional = board.emit("theme_create", {"name": "Räume"}, callback=True)["id"]
    board.emit("theme_assign", {"theme_id": regional, "contribution_id": story}, callback=True)
    common = _ok(
        api.http.post(
            f"/api/programmes/{pid}/themes", json={"name": "Spaces"}, headers=bearer(coordinator)
        ),
        201,
    )["id"]
    _ok(
        api.http.post(
            f"/api/programmes/{pid}/mapping",
            json={"theme_id": regional, "programme_theme_id": common},
            headers=bearer(coordinator),
        )
    )
    _ok(
        api.http.post(
            f"/api/programmes/{pid}/recommendations",
            json={
                "title": "Open the halls",
                "text": "Every region opens one.",
                "programme_theme_ids": [common],
                "evidence_ids": [story],
            },
            headers=bearer(coordinator),
        ),
        201,
    )
    portal = _ok(api.http.post(f"/api/programmes/{pid}/shares", headers=bearer(coordinator)), 201)
    return {
        "pid": pid,
        "coordinator": coordinator,
        "member": member,
        "outsider": outsider,
        "before": before,
        "members_workshop": members,
        "coordinators_workshop": mine,
        "regional_theme": regional,
        "story": story,
        "phone": phone,
        "portal": portal["token"],
        "invitation": pending["token"],
    }


def _programme_sockets(api, network):
    pid = network["pid"]
    dashboard = api.socket({"token": network["member"], "programme_id": pid})
    synthesis = api.socket(
        {"token": network["coordinator"], "programme_id": pid, "view": "synthesis"}
    )
    assert dashboard.is_connected() and synthesis.is_connected()
    dashboard.get_received()
    synthesis.get_received()
    return dashboard, synthesis


def _closing_events(sio, name):
    return [packet["args"][0] for packet in sio.queue if packet["name"] == name]


# ----- deletion -----


def test_a_deleted_programme_leaves_no_row_and_its_workshops_stay_with_their_owners(
    api, app, network
):
    pid, coordinator, member = network["pid"], network["coordinator"], network["member"]
    members_wid = network["members_workshop"]["id"]
    # The cached recommendation is rendered once, to see that it goes too.
    assert (
        api.http.get(f"/api/programmes/{pid}/export.md", headers=bearer(coordinator)).status_code
        == 200
    )
    with app.app_context():
        from workshop.exports.cache import PROGRAMME, cache_of, folder_name

        cached = cache_of(app).folder / folder_name(pid, PROGRAMME)
    assert any(cached.iterdir())
    dashboard, synthesis = _programme_sockets(api, network)

    # Only a coordinator deletes; outside the programme it does not exist.
    assert api.http.delete(f"/api/programmes/{pid}", headers=bearer(member)).status_code == 403
    assert (
        api.http.delete(f"/api/programmes/{pid}", headers=bearer(network["outsider"])).status_code
        == 404
    )
    refused = api.http.delete(
        f"/api/programmes/{pid}?with_own_workshops=maybe", headers=bearer(coordinator)
    )
    assert refused.status_code == 400 and refused.json["error"] == "invalid_field"
    assert api.http.delete(f"/api/programmes/{pid}", headers=bearer(coordinator)).status_code == 204

    for sio in (dashboard, synthesis):
        assert _closing_events(sio, "programme_deleted") == [{"id": pid}]
        assert not sio.is_connected()
    assert _rows(app) == network["before"]
    assert not cached.exists()
    with app.app_context():
        from workshop.models import Theme, Workshop

        for wid in (members_wid, network["coordinators_workshop"]["id"]):
            workshop = db.session.get(Workshop, wid)
            assert (workshop.programme_id, workshop.region_id) == (None, None)
        assert db.session.get(Theme, network["regional_theme"]).programme_theme_id is None

    # Every way into the programme answers 404 (its links 404 or 410).
    for path in (f"/api/programmes/{pid}", f"/api/programmes/{pid}/synthesis"):
        assert api.http.get(path, headers=bearer(coordinator)).status_code == 404, path
    coordinator_pages = _login(app, "coord@example.org")
    for path in (f"/programmes/{pid}", f"/programmes/{pid}/manage", f"/programmes/{pid}/synthesis"):
        assert coordinator_pages.get(path).status_code == 404, path
    assert api.http.get(f"/p/{network['portal']}").status_code in (404, 410)
    assert api.http.get(f"/invitations/{network['invitation']}").status_code in (404, 410)
    assert not api.socket({"token": coordinator, "programme_id": pid}).is_connected()
    assert api.http.delete(f"/api/programmes/{pid}", headers=bearer(coordinator)).status_code == 404

    # The member's workshop is theirs as before, story and all; the coordinator
    # no longer reads it, since nothing links them now.
    assert api.http.get(f"/api/workshops/{members_wid}", headers=bearer(member)).status_code == 200
    assert STORY in api.http.get(
        f"/api/workshops/{members_wid}/export.md", headers=bearer(member)
    ).get_data(as_text=True)
    assert (
        api.http.get(f"/api/workshops/{members_wid}", headers=bearer(coordinator)).status_code
        == 404
    )
    ack = network["phone"].emit(
        "contribute", {"client_id": "after", "kind": "story", "text": "Still here"}, callback=True
    )
    assert ack["ok"], ack
    # Its record of processing says the programme went, without content.
    record = _ok(api.http.get(f"/api/workshops/{members_wid}/privacy", headers=bearer(member)))
    gone = [e for e in record["events"] if e["kind"] == "programme_deleted"]
    assert len(gone) == 1 and gone[0]["actor"] == "facilitator"
    assert gone[0]["details"] == {"recommendations": 1, "portals": 1}


def test_a_coordinator_may_delete_their_own_workshops_with_the_programme(api, app, network):
    pid, coordinator = network["pid"], network["coordinator"]
    mine = network["coordinators_workshop"]
    watcher = api.socket({"token": coordinator, "workshop_id": mine["id"]})
    watcher.get_received()
    assert (
        api.http.delete(
            f"/api/programmes/{pid}?with_own_workshops=true", headers=bearer(coordinator)
        ).status_code
        == 204
    )
    assert _closing_events(watcher, "workshop_deleted") == [{"id": mine["id"]}]
    assert (
        api.http.get(f"/api/workshops/{mine['id']}", headers=bearer(coordinator)).status_code == 404
    )
    assert api.http.get(f"/join/{mine['code']}").status_code == 404
    # Someone else's workshop is never deleted with it.
    members = network["members_workshop"]
    assert (
        api.http.get(
            f"/api/workshops/{members['id']}", headers=bearer(network["member"])
        ).status_code
        == 200
    )


def test_the_manage_page_deletes_only_once_the_title_is_typed(api, app, network):
    pid = network["pid"]
    page = _login(app, "coord@example.org")
    html = page.get(f"/programmes/{pid}/manage").get_data(as_text=True)
    assert 'id="delete"' in html and "delete-with_own_workshops" in html
    wrong = page.post(f"/programmes/{pid}/delete", data={"delete-confirm": "Creative"})
    assert wrong.status_code == 200
    assert "Type the title “Creative Regions” to confirm." in wrong.get_data(as_text=True)
    assert (
        api.http.get(f"/api/programmes/{pid}", headers=bearer(network["coordinator"])).status_code
        == 200
    )
    # The member's own page has no deletion.
    assert (
        _login(app, "member@example.org")
        .post(f"/programmes/{pid}/delete", data={"delete-confirm": "Creative Regions"})
        .status_code
        == 403
    )
    done = page.post(f"/programmes/{pid}/delete", data={"delete-confirm": "  creative   regions "})
    assert done.status_code == 302 and done.headers["Location"].endswith("/dashboard")
    assert "is deleted" in page.get("/dashboard").get_data(as_text=True)
    assert page.get(f"/programmes/{pid}").status_code == 404
    # The coordinator's own workshop stayed (the box was not ticked).
    mine = network["coordinators_workshop"]["id"]
    assert page.get(f"/workshops/{mine}").status_code == 200


# ----- the notice -----


def test_the_programme_notice_fills_what_a_workshop_leaves_empty(api, app, network):
    pid, coordinator, member = network["pid"], network["coordinator"], network["member"]
    members = network["members_workshop"]
    settings = {
        "privacy_controller": "Creative Regions Consortium",
        "privacy_contact": "dpo@creative-regions.example",
        "privacy_notice": "We use the stories to write a common recommendation for the network.",
    }
    # Members do not edit the programme; bad fields are refused with nothing saved.
    assert (
        api.http.patch(f"/api/programmes/{pid}", json=settings, headers=bearer(member)).status_code
        == 403
    )
    for bad in (
        {"privacy_contact": "x" * 201},
        {"colour": "red"},
        {"title": ""},
        {"language": "xx"},
    ):
        response = api.http.patch(f"/api/programmes/{pid}", json=bad, headers=bearer(coordinator))
        assert response.status_code == 400, bad
        assert response.json["error"], bad
    board = api.socket({"token": coordinator, "programme_id": pid, "view": "synthesis"})
    board.get_received()
    saved = _ok(
        api.http.patch(f"/api/programmes/{pid}", json=settings, headers=bearer(coordinator))
    )
    assert saved["privacy"] == settings
    heard = [m["args"][0] for m in board.get_received() if m["name"] == "synthesis"]
    assert heard and heard[-1]["change"] == "programme"

    notice = api.http.get(f"/join/{members['code']}/privacy?lang=pl").get_data(as_text=True)
    assert "Creative Regions Consortium" in notice
    assert "dpo@creative-regions.example" in notice
    assert 'lang="en">We use the stories' in notice  # written in the programme's language
    assert "Creative Regions" in notice  # it says which programme quotes the stories
    # The workshop's own settings win where it has them.
    _ok(
        api.http.patch(
            f"/api/workshops/{members['id']}",
            json={"privacy_controller": "Stadt Chemnitz"},
            headers=bearer(member),
        )
    )
    notice = api.http.get(f"/join/{members['code']}/privacy").get_data(as_text=True)
    assert "Stadt Chemnitz" in notice and "Creative Regions Consortium" not in notice
    assert "dpo@creative-regions.example" in notice
    # Each workshop's record of processing logs the programme's change, without its text.
    record = _ok(api.http.get(f"/api/workshops/{members['id']}/privacy", headers=bearer(member)))
    changed = [e for e in record["events"] if e["details"].get("programme")]
    assert len(changed) == 1 and changed[0]["kind"] == "notice_changed"
    assert "Consortium" not in str(record["events"])
    # The same settings through the manage page's form.
    page = _login(app, "coord@example.org")
    form = {
        "settings-title": "Creative Regions",
        "settings-language": "de",
        "settings-privacy_controller": "Netzwerk Kreative Regionen",
        "settings-privacy_contact": "dpo@creative-regions.example",
    }
    assert page.post(f"/programmes/{pid}/settings", data=form).status_code == 302
    programme = _ok(api.http.get(f"/api/programmes/{pid}", headers=bearer(coordinator)))
    assert programme["language"] == "de"
    assert programme["privacy"]["privacy_controller"] == "Netzwerk Kreative Regionen"
    empty_title = page.post(f"/programmes/{pid}/settings", data={**form, "settings-title": ""})
    assert empty_title.status_code == 200 and 'aria-invalid="true"' in empty_title.get_data(
        as_text=True
    )
    assert _ok(api.http.get(f"/api/programmes/{pid}", headers=bearer(coordinator)))["title"]
    # A workshop's privacy page shows what it inherits.
    html = (
        _login(app, "member@example.org")
        .get(f"/workshops/{members['id']}/privacy")
        .get_data(as_text=True)
    )
    assert "Creative Regions" in html and 'placeholder="dpo@creative-regions.example"' in html
