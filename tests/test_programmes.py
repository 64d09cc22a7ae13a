"""Programmes through the public contract: regions, members, invitations, workshops, portal."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PASSWORD, bearer, events, say

from workshop.extensions import db
from workshop.models import Invitation, ProgrammeShare, Workshop


@pytest.fixture
def network(api):
    """A programme with two regions, its coordinator, a member and an outsider."""
    coordinator = api.facilitator("coord@example.org")
    member = api.facilitator("member@example.org")
    outsider = api.facilitator("outsider@example.org")
    programme = api.http.post(
        "/api/programmes",
        json={"title": "InduCCI", "description": "Eight regions", "language": "en"},
        headers=bearer(coordinator),
    )
    assert programme.status_code == 201, programme.json
    pid = programme.json["id"]
    regions = [
        api.http.post(
            f"/api/programmes/{pid}/regions",
            json={"name": name, "country": country, "organisation": organisation},
            headers=bearer(coordinator),
        ).json
        for name, country, organisation in (
            ("Kranj", "si", "Business support centre Kranj"),
            ("Padova", "IT", "Padova Chamber of Commerce"),
        )
    ]
    invitation = api.http.post(
        f"/api/programmes/{pid}/invitations", json={}, headers=bearer(coordinator)
    ).json
    accepted = api.http.post(
        f"/api/invitations/{invitation['token']}/accept", headers=bearer(member)
    )
    assert accepted.status_code == 200 and accepted.json == {
        "programme_id": pid,
        "role": "facilitator",
    }
    return {
        "pid": pid,
        "coordinator": coordinator,
        "member": member,
        "outsider": outsider,
        "regions": regions,
    }


def _workshop(api, token, **fields):
    response = api.http.post(
        "/api/workshops", json={"title": "Focus group", **fields}, headers=bearer(token)
    )
    assert response.status_code == 201, response.json
    return response.json


def test_creating_and_listing_programmes(api, network):
    created = api.http.get(
        f"/api/programmes/{network['pid']}", headers=bearer(network["coordinator"])
    )
    assert created.status_code == 200
    body = created.json
    assert body["title"] == "InduCCI" and body["language"] == "en" and body["role"] == "coordinator"
    assert [r["name"] for r in body["regions"]] == ["Kranj", "Padova"]
    assert body["regions"][0] == {
        "id": network["regions"][0]["id"],
        "name": "Kranj",
        "country": "SI",
        "organisation": "Business support centre Kranj",
    }
    assert [(m["email"], m["role"]) for m in body["members"]] == [
        ("coord@example.org", "coordinator"),
        ("member@example.org", "facilitator"),
    ]
    assert body["workshops"] == []
    listed = api.http.get("/api/programmes", headers=bearer(network["member"])).json
    assert [(p["id"], p["role"]) for p in listed["programmes"]] == [(network["pid"], "facilitator")]
    assert api.http.get("/api/programmes", headers=bearer(network["outsider"])).json == {
        "programmes": []
    }
    assert api.http.post("/api/programmes", json={"title": "x"}).status_code == 401
    bad = api.http.post(
        "/api/programmes",
        json={"title": "x", "language": "xx"},
        headers=bearer(network["outsider"]),
    )
    assert bad.status_code == 400 and bad.json["error"] == "invalid_choice"


def test_outsiders_get_404_and_members_403(api, network):
    pid = network["pid"]
    for token in (network["outsider"],):
        assert api.http.get(f"/api/programmes/{pid}", headers=bearer(token)).status_code == 404
    assert (
        api.http.get(
            f"/api/programmes/{pid + 1000}", headers=bearer(network["coordinator"])
        ).status_code
        == 404
    )
    region = api.http.post(
        f"/api/programmes/{pid}/regions", json={"name": "Linz"}, headers=bearer(network["member"])
    )
    assert region.status_code == 403 and region.json["error"] == "forbidden"
    region = api.http.post(
        f"/api/programmes/{pid}/regions", json={"name": "Linz"}, headers=bearer(network["outsider"])
    )
    assert region.status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"name": "kranj"}, 409, "region_exists"),
        ({"name": "Linz", "country": "AUT"}, 400, "text_too_long"),
        ({"name": "Linz", "country": "4x"}, 400, "invalid_field"),
        ({"name": ""}, 400, "empty_text"),
        ({"country": "AT"}, 400, "missing_field"),
        ({"name": "Linz", "colour": "red"}, 400, "unknown_field"),
    ],
)
def test_region_refusals(api, network, body, status, error):
    response = api.http.post(
        f"/api/programmes/{network['pid']}/regions",
        json=body,
        headers=bearer(network["coordinator"]),
    )
    assert (response.status_code, response.json["error"]) == (status, error)


def test_invitations_are_single_use_expiring_revocable_and_stored_as_digests(api, app, network):
    pid, coordinator = network["pid"], network["coordinator"]
    made = api.http.post(
        f"/api/programmes/{pid}/invitations",
        json={"role": "coordinator", "email": "Lea@Example.org"},
        headers=bearer(coordinator),
    )
    assert made.status_code == 201
    token = made.json["token"]
    assert made.json["url"].endswith(f"/invitations/{token}")
    expires = dt.datetime.fromisoformat(made.json["expires_at"])
    assert (
        dt.timedelta(days=13, hours=23) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=14)
    )
    with app.app_context():
        stored = db.session.scalars(db.select(Invitation)).all()
        assert all(token not in (i.token_hash, i.email) for i in stored)
    # A new person: name, email and password make an account and its API token.
    joined = api.http.post(
        f"/api/invitations/{token}/accept",
        json={"name": "Lea", "email": "lea@example.org", "password": PASSWORD},
    )
    assert joined.status_code == 201
    assert joined.json["programme_id"] == pid and joined.json["role"] == "coordinator"
    lea = joined.json["token"]
    assert api.http.get(f"/api/programmes/{pid}", headers=bearer(lea)).json["role"] == "coordinator"
    again = api.http.post(f"/api/invitations/{token}/accept", headers=bearer(network["outsider"]))
    assert again.status_code == 410 and again.json["error"] == "invitation_gone"
    # Revoked, expired, unknown.
    revoked = api.http.post(f"/api/programmes/{pid}/invitations", headers=bearer(coordinator)).json
    assert (
        api.http.delete(
            f"/api/programmes/{pid}/invitations/{revoked['token']}", headers=bearer(coordinator)
        ).status_code
        == 204
    )
    gone = api.http.post(
        f"/api/invitations/{revoked['token']}/accept", headers=bearer(network["outsider"])
    )
    assert gone.status_code == 410
    assert api.http.get(f"/invitations/{revoked['token']}").status_code == 410
    late = api.http.post(
        f"/api/programmes/{pid}/invitations", json={"days": 1}, headers=bearer(coordinator)
    ).json
    with app.app_context():
        invitation = db.session.scalars(
            db.select(Invitation).order_by(Invitation.id.desc())
        ).first()
        invitation.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        db.session.commit()
    assert (
        api.http.post(
            f"/api/invitations/{late['token']}/accept", headers=bearer(network["outsider"])
        ).status_code
        == 410
    )
    assert (
        api.http.post(
            "/api/invitations/pci_unknown/accept", headers=bearer(network["outsider"])
        ).status_code
        == 404
    )
    assert (
        api.http.get(f"/api/programmes/{pid}", headers=bearer(network["outsider"])).status_code
        == 404
    )


def test_accepting_refuses_bad_new_accounts_and_keeps_the_invitation(api, network):
    invitation = api.http.post(
        f"/api/programmes/{network['pid']}/invitations", headers=bearer(network["coordinator"])
    ).json
    url = f"/api/invitations/{invitation['token']}/accept"
    taken = api.http.post(
        url, json={"name": "X", "email": "member@example.org", "password": PASSWORD}
    )
    assert taken.status_code == 409 and taken.json["error"] == "email_taken"
    short = api.http.post(url, json={"name": "X", "email": "x@example.org", "password": "short"})
    assert short.status_code == 400 and short.json["error"] == "weak_password"
    missing = api.http.post(url, json={"email": "x@example.org"})
    assert missing.status_code == 400
    participant = api.http.post(url, headers=bearer("pcp_not-a-facilitator"))
    assert participant.status_code == 401
    assert api.http.post(url, headers=bearer(network["outsider"])).status_code == 200


def test_removing_members_keeps_their_workshops(api, network):
    pid, coordinator, member = network["pid"], network["coordinator"], network["member"]
    workshop = _workshop(api, member, programme_id=pid, region_id=network["regions"][0]["id"])
    programme = api.http.get(f"/api/programmes/{pid}", headers=bearer(coordinator)).json
    member_id = next(
        m["facilitator_id"] for m in programme["members"] if m["role"] == "facilitator"
    )
    coordinator_id = next(
        m["facilitator_id"] for m in programme["members"] if m["role"] == "coordinator"
    )
    assert (
        api.http.delete(
            f"/api/programmes/{pid}/members/{member_id}", headers=bearer(member)
        ).status_code
        == 403
    )
    last = api.http.delete(
        f"/api/programmes/{pid}/members/{coordinator_id}", headers=bearer(coordinator)
    )
    assert last.status_code == 409 and last.json["error"] == "last_coordinator"
    assert (
        api.http.delete(
            f"/api/programmes/{pid}/members/{member_id}", headers=bearer(coordinator)
        ).status_code
        == 204
    )
    assert (
        api.http.delete(
            f"/api/programmes/{pid}/members/{member_id}", headers=bearer(coordinator)
        ).status_code
        == 404
    )
    after = api.http.get(f"/api/programmes/{pid}", headers=bearer(coordinator)).json
    assert [w["id"] for w in after["workshops"]] == [workshop["id"]]
    assert api.http.get(f"/api/programmes/{pid}", headers=bearer(member)).status_code == 404
    # The former member still runs their workshop, but cannot take it out.
    assert api.set_phase(member, workshop["id"], "discover")["phase"] == "discover"
    out = api.http.patch(
        f"/api/workshops/{workshop['id']}", json={"programme_id": None}, headers=bearer(member)
    )
    assert out.status_code == 400 and out.json["error"] == "invalid_field"


def test_placing_workshops(api, network):
    pid, member = network["pid"], network["member"]
    kranj, padova = (r["id"] for r in network["regions"])
    inside = _workshop(api, member, programme_id=pid, region_id=kranj, language="sl")
    assert inside["programme_id"] == pid and inside["region_id"] == kranj
    transnational = _workshop(api, member, programme_id=pid)
    assert transnational["region_id"] is None
    refused = api.http.post(
        "/api/workshops",
        json={"title": "x", "programme_id": pid},
        headers=bearer(network["outsider"]),
    )
    assert refused.status_code == 400 and refused.json["error"] == "invalid_field"
    other = api.http.post("/api/programmes", json={"title": "Other"}, headers=bearer(member)).json
    foreign = api.http.post(
        "/api/workshops",
        json={"title": "x", "programme_id": other["id"], "region_id": kranj},
        headers=bearer(member),
    )
    assert foreign.status_code == 400 and foreign.json["error"] == "invalid_field"
    # Move an existing workshop in, change its region, take it out again.
    own = _workshop(api, member)
    path = f"/api/workshops/{own['id']}"
    moved = api.http.patch(
        path, json={"programme_id": pid, "region_id": padova}, headers=bearer(member)
    )
    assert moved.status_code == 200 and (moved.json["programme_id"], moved.json["region_id"]) == (
        pid,
        padova,
    )
    region = api.http.patch(path, json={"region_id": kranj}, headers=bearer(member))
    assert region.json["region_id"] == kranj
    wrong = api.http.patch(
        path, json={"region_id": network["regions"][1]["id"] + 100}, headers=bearer(member)
    )
    assert wrong.status_code == 400 and wrong.json["error"] == "invalid_field"
    out = api.http.patch(path, json={"programme_id": None}, headers=bearer(member))
    assert (
        out.status_code == 200
        and out.json["programme_id"] is None
        and out.json["region_id"] is None
    )
    # Someone else's workshop cannot be moved by the coordinator: steering is the owner's.
    steal = api.http.patch(
        f"/api/workshops/{inside['id']}",
        json={"programme_id": None},
        headers=bearer(network["coordinator"]),
    )
    assert steal.status_code == 403


def test_coordinators_read_every_workshop_but_steer_only_their_own(api, network):
    pid, coordinator, member, outsider = (
        network["pid"],
        network["coordinator"],
        network["member"],
        network["outsider"],
    )
    theirs = _workshop(api, member, programme_id=pid, region_id=network["regions"][0]["id"])
    mine = _workshop(api, coordinator, programme_id=pid)
    wid = theirs["id"]
    assert api.http.get(f"/api/workshops/{wid}", headers=bearer(coordinator)).status_code == 200
    for fmt in ("md", "json", "csv"):
        assert (
            api.http.get(
                f"/api/workshops/{wid}/export.{fmt}", headers=bearer(coordinator)
            ).status_code
            == 200
        )
    phase = api.http.post(
        f"/api/workshops/{wid}/phase", json={"phase": "dream"}, headers=bearer(coordinator)
    )
    assert phase.status_code == 403 and phase.json["error"] == "forbidden"
    assert (
        api.http.post(f"/api/workshops/{wid}/shares", headers=bearer(coordinator)).status_code
        == 403
    )
    # A facilitator member sees the card, not the results of another's workshop.
    assert api.http.get(f"/api/workshops/{mine['id']}", headers=bearer(member)).status_code == 403
    assert (
        api.http.get(f"/api/workshops/{mine['id']}/export.md", headers=bearer(member)).status_code
        == 403
    )
    # Outsiders: 404 everywhere.
    for path in (f"/api/workshops/{wid}", f"/api/workshops/{wid}/export.md"):
        assert api.http.get(path, headers=bearer(outsider)).status_code == 404
    # On the socket: the coordinator's board is read-only.
    board = api.socket({"token": coordinator, "workshop_id": wid})
    assert board.is_connected()
    snapshot = events(board, "snapshot")[0]
    assert snapshot["role"] == "facilitator"
    ack = board.emit("set_phase", {"phase": "dream"}, callback=True)
    assert ack["ok"] is False and ack["error"] == "forbidden"
    assert not api.socket({"token": member, "workshop_id": mine["id"]}).is_connected()
    assert not api.socket({"token": outsider, "workshop_id": wid}).is_connected()


def test_cards_count_what_the_room_made(api, network):
    pid, member = network["pid"], network["member"]
    workshop = _workshop(api, member, programme_id=pid, region_id=network["regions"][0]["id"])
    person = api.join(workshop["code"], "Ana")
    api.join(workshop["code"], "Ben")
    api.set_phase(member, workshop["id"], "discover")
    phone = api.socket({"token": person["token"]})
    say(phone, "story", "The old cotton mill became a makers' space.")
    hidden = say(phone, "story", "Spam")
    board = api.socket({"token": member, "workshop_id": workshop["id"]})
    assert board.emit("hide", {"contribution_id": hidden}, callback=True)["ok"]
    card = api.http.get(f"/api/programmes/{pid}", headers=bearer(network["coordinator"])).json[
        "workshops"
    ][0]
    assert card["id"] == workshop["id"] and card["region_id"] == network["regions"][0]["id"]
    assert card["phase"] == "discover" and card["participants"] == 2
    assert card["counts"] == {"story": 1, "dream": 0, "proposition": 0, "commitment": 0}
    assert (
        card["owner_id"]
        and card["language"] == "en"
        and card["may"] == {"read": True, "manage": False}
    )


def test_the_programme_room_hears_every_change(api, network):
    pid, coordinator, member = network["pid"], network["coordinator"], network["member"]
    dashboard = api.socket({"token": coordinator, "programme_id": pid})
    assert dashboard.is_connected()
    snapshot = events(dashboard, "programme")
    assert len(snapshot) == 1 and snapshot[0]["id"] == pid and snapshot[0]["workshops"] == []
    workshop = _workshop(api, member, programme_id=pid, region_id=network["regions"][1]["id"])
    wid = workshop["id"]
    seqs = []

    def progress():
        found = events(dashboard, "workshop_progress")
        assert found and all(p["workshop_id"] == wid for p in found)
        seqs.extend(p["seq"] for p in found)
        return found[-1]

    assert progress()["phase"] == "lobby"
    person = api.join(workshop["code"], "Ana")
    assert progress()["participants"] == 1
    api.set_phase(member, wid, "dream")
    assert progress()["phase"] == "dream"
    phone = api.socket({"token": person["token"]})
    item = say(phone, "dream", "Every mill a studio")
    assert progress()["counts"]["dream"] == 1
    board = api.socket({"token": member, "workshop_id": wid})
    board.emit("hide", {"contribution_id": item}, callback=True)
    assert progress()["counts"]["dream"] == 0
    board.emit("unhide", {"contribution_id": item}, callback=True)
    latest = progress()
    assert latest["counts"]["dream"] == 1
    assert set(latest) >= {"workshop_id", "phase", "participants", "counts", "seq"}
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), seqs
    # Moving the workshop out tells the dashboard it left.
    api.http.patch(f"/api/workshops/{wid}", json={"programme_id": None}, headers=bearer(member))
    left = progress()
    assert left["programme_id"] is None
    # Members and tokens only: outsiders, phones and strangers are refused.
    assert api.socket({"token": member, "programme_id": pid}).is_connected()
    assert not api.socket({"token": network["outsider"], "programme_id": pid}).is_connected()
    assert not api.socket({"token": person["token"], "programme_id": pid}).is_connected()
    assert not api.socket({"programme_id": pid}).is_connected()
    other = api.socket({"token": network["outsider"], "workshop_id": wid})
    assert not other.is_connected()


def test_the_programme_room_by_login_session(api, app, network):
    browser = app.test_client()
    browser.post("/login", data={"email": "member@example.org", "password": PASSWORD})
    from workshop.extensions import socketio

    sio = socketio.test_client(
        app, auth={"programme_id": network["pid"]}, flask_test_client=browser
    )
    try:
        assert sio.is_connected()
        assert events(sio, "programme")[0]["role"] == "facilitator"
        ack = sio.emit("set_phase", {"phase": "dream"}, callback=True)
        assert ack["ok"] is False
    finally:
        sio.disconnect()


def test_partner_portal(api, app, network):
    pid, coordinator, member = network["pid"], network["coordinator"], network["member"]
    workshop = _workshop(
        api, member, programme_id=pid, region_id=network["regions"][0]["id"], language="sl"
    )
    elsewhere = _workshop(api, member, title="Not in the programme")
    assert api.http.post(f"/api/programmes/{pid}/shares", headers=bearer(member)).status_code == 403
    made = api.http.post(f"/api/programmes/{pid}/shares", headers=bearer(coordinator))
    assert made.status_code == 201
    token = made.json["token"]
    assert made.json["url"].endswith(f"/p/{token}")
    with app.app_context():
        assert [link.token_hash for link in db.session.scalars(db.select(ProgrammeShare))] != [
            token
        ]
    partner = app.test_client()
    page = partner.get(f"/p/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Focus group" in html and "Kranj" in html and 'lang="sl"' in html
    assert "Not in the programme" not in html
    assert partner.get(f"/p/{token}/workshops/{workshop['id']}").status_code == 200
    download = partner.get(f"/p/{token}/workshops/{workshop['id']}/export.md")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert partner.get(f"/p/{token}/workshops/{elsewhere['id']}").status_code == 404
    assert partner.get(f"/p/{token}/workshops/{elsewhere['id']}/export.md").status_code == 404
    assert partner.get("/p/pcn_unknown").status_code == 404
    # Revoking closes all of it.
    assert (
        api.http.delete(
            f"/api/programmes/{pid}/shares/{token}", headers=bearer(coordinator)
        ).status_code
        == 204
    )
    for path in (
        f"/p/{token}",
        f"/p/{token}/workshops/{workshop['id']}",
        f"/p/{token}/workshops/{workshop['id']}/export.md",
    ):
        assert partner.get(path).status_code == 410, path
    assert (
        api.http.delete(
            f"/api/programmes/{pid}/shares/{token}", headers=bearer(coordinator)
        ).status_code
        == 404
    )


def test_a_workshop_leaving_the_programme_leaves_the_portal(api, network):
    pid, coordinator, member = network["pid"], network["coordinator"], network["member"]
    workshop = _workshop(api, member, programme_id=pid)
    token = api.http.post(f"/api/programmes/{pid}/shares", headers=bearer(coordinator)).json[
        "token"
    ]
    assert api.http.get(f"/p/{token}/workshops/{workshop['id']}").status_code == 200
    api.http.patch(
        f"/api/workshops/{workshop['id']}", json={"programme_id": None}, headers=bearer(member)
    )
    assert api.http.get(f"/p/{token}/workshops/{workshop['id']}").status_code == 404


def test_workshop_rows_know_their_programme(api, app, network):
    workshop = _workshop(api, network["member"], programme_id=network["pid"])
    with app.app_context():
        row = db.session.get(Workshop, workshop["id"])
        assert row.programme_id == network["pid"] and row.region_id is None
