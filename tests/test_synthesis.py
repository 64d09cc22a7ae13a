"""The transnational synthesis through its public contract: a three-region programme.

Kranj (Slovenian), Padova (Italian) and Limburg (Dutch, a room that shows no
names) run their focus groups; the coordinators map their themes onto common
ones, read coverage and vote shares, write recommendations with evidence, and
download the recommendation in every format. Consent holds everywhere.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import bearer, events, say
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from workshop.exports import renders as renders_module

PRIVATE = "Zasebno: tega ne objavite nikjer"
HIDDEN = "Skrito: moderator je to skril"
KRANJ_STORY = "Oblikovalci so prevzeli staro tovarno v Kranju"
PADOVA_STORY = "Il design entra in officina a Padova"
LIMBURG_STORY = "Van steenkool naar ontwerp in Genk"
FORMATS = ("md", "json", "docx", "pdf", "xlsx", "csv")


def _ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    return response.json if response.is_json else response


class Room:
    """A regional workshop driven through the API and the phones' sockets."""

    def __init__(self, api, token, pid, region_id, language, people, **fields):
        self.api, self.token = api, token
        self.workshop = api.create_workshop(
            token,
            title=f"Focus group {language}",
            programme_id=pid,
            region_id=region_id,
            language=language,
            # The votes below are the room's as a whole (authors included): what
            # is measured here is the share of a room, not the self-vote rule.
            self_votes=True,
            **fields,
        )
        self.id = self.workshop["id"]
        self.phones = []
        for name in people:
            joined = api.join(self.workshop["code"], name, organisation=f"{name}'s studio")
            self.phones.append(api.socket({"token": joined["token"]}))
        self.board = api.socket({"token": token, "workshop_id": self.id})
        self.themes = {}

    def phase(self, phase):
        self.api.set_phase(self.token, self.id, phase)

    def theme(self, name):
        ack = self.board.emit("theme_create", {"name": name}, callback=True)
        assert ack["ok"], ack
        self.themes[name] = ack["id"]
        return ack["id"]

    def story(self, by, text, theme=None, consent="anonymous", **fields):
        item = say(self.phones[by], "story", text, consent=consent, **fields)
        if theme:
            ack = self.board.emit(
                "theme_assign",
                {"theme_id": self.themes[theme], "contribution_id": item},
                callback=True,
            )
            assert ack["ok"], ack
        return item

    def votes(self, item, voters):
        for phone in self.phones[:voters]:
            assert phone.emit("vote", {"contribution_id": item}, callback=True)["ok"]


@pytest.fixture
def network(api):
    """Three regions, their workshops run to Deliver, a second coordinator, a member, an outsider."""
    coordinator = api.facilitator("coord@example.org")
    second = api.facilitator("second@example.org")
    member = api.facilitator("member@example.org")
    outsider = api.facilitator("outsider@example.org")
    pid = _ok(
        api.http.post(
            "/api/programmes",
            json={"title": "InduCCI", "language": "en"},
            headers=bearer(coordinator),
        ),
        201,
    )["id"]
    regions = {}
    for name, country, organisation in (
        ("Kranj", "SI", "BSC Kranj"),
        ("Padova", "IT", "Padova Chamber of Commerce"),
        ("Limburg", "BE", "STEBO"),
    ):
        regions[name] = _ok(
            api.http.post(
                f"/api/programmes/{pid}/regions",
                json={"name": name, "country": country, "organisation": organisation},
                headers=bearer(coordinator),
            ),
            201,
        )["id"]
    for token, role in ((member, "facilitator"), (second, "coordinator")):
        invitation = _ok(
            api.http.post(
                f"/api/programmes/{pid}/invitations",
                json={"role": role},
                headers=bearer(coordinator),
            ),
            201,
        )
        _ok(api.http.post(f"/api/invitations/{invitation['token']}/accept", headers=bearer(token)))
    api.facilitator("elsewhere@example.org")

    kranj = Room(api, member, pid, regions["Kranj"], "sl", ["Ana", "Bor", "Cvet"])
    padova = Room(api, coordinator, pid, regions["Padova"], "it", [f"P{n}" for n in range(10)])
    limburg = Room(api, member, pid, regions["Limburg"], "nl", ["Els", "Jan"], show_names=False)
    stories = {}
    for room in (kranj, padova, limburg):
        room.phase("discover")
    kranj.theme("Prostori za ustvarjanje")
    kranj.theme("Mladi")
    padova.theme("Design e manifattura")
    limburg.theme("Mijnerfgoed als motor")
    limburg.theme("Creativiteit in de wijk")
    stories["kranj"] = kranj.story(0, KRANJ_STORY, "Prostori za ustvarjanje", "named")
    stories["kranj_2"] = kranj.story(
        1, "Festival v starem mestnem jedru", "Prostori za ustvarjanje"
    )
    stories["private"] = kranj.story(2, PRIVATE, "Mladi", "private")
    stories["hidden"] = kranj.story(0, HIDDEN, "Mladi", "named")
    assert kranj.board.emit("hide", {"contribution_id": stories["hidden"]}, callback=True)["ok"]
    stories["padova"] = padova.story(
        0, PADOVA_STORY, "Design e manifattura", "named", title="Officina"
    )
    stories["limburg"] = limburg.story(0, LIMBURG_STORY, "Mijnerfgoed als motor", "named")

    for room in (kranj, padova, limburg):
        room.phase("dream")
    dreams = {
        "kranj": say(kranj.phones[0], "dream", "Vsaka stara tovarna postane studio"),
        "kranj_2": say(kranj.phones[1], "dream", "Mladi ostanejo v regiji"),
        "padova": say(padova.phones[0], "dream", "Ogni officina apre le porte ai designer"),
        "padova_private": say(padova.phones[1], "dream", "Un sogno privato", consent="private"),
    }
    kranj.votes(dreams["kranj"], 3)  # 3 of 3 voters: 100%
    kranj.votes(dreams["kranj_2"], 1)  # 1 of 3: 33%
    padova.votes(dreams["padova"], 6)  # 6 of 10 voters: 60%, more votes but a smaller share
    padova.votes(dreams["padova_private"], 10)

    for room in (kranj, padova, limburg):
        room.phase("design")
    propositions = {
        "kranj": say(
            kranj.phones[0],
            "proposition",
            "Vsaka regija vsako leto gosti obisk",
            theme_id=kranj.themes["Prostori za ustvarjanje"],
        ),
        "padova": say(
            padova.phones[0],
            "proposition",
            "Ogni azienda ospita un designer per un anno",
            theme_id=padova.themes["Design e manifattura"],
        ),
    }
    kranj.votes(propositions["kranj"], 2)
    padova.votes(propositions["padova"], 2)

    for room in (kranj, padova, limburg):
        room.phase("deliver")
    commitments = {
        "kranj": say(
            kranj.phones[0],
            "commitment",
            "Prvi obisk gostimo spomladi",
            owner="Ana",
            owner_organisation="BSC Kranj",
            due="2027-04-30",
            proposition_id=propositions["kranj"],
        ),
        "limburg": say(
            limburg.phones[1],
            "commitment",
            "We openen de mijnsite voor ontwerpers",
            owner="Jan",
            due="2027-06-30",
        ),
    }
    return {
        "pid": pid,
        "coordinator": coordinator,
        "second": second,
        "member": member,
        "outsider": outsider,
        "regions": regions,
        "rooms": {"kranj": kranj, "padova": padova, "limburg": limburg},
        "stories": stories,
        "dreams": dreams,
        "propositions": propositions,
        "commitments": commitments,
    }


def _synthesis(api, network, token=None):
    return _ok(
        api.http.get(
            f"/api/programmes/{network['pid']}/synthesis",
            headers=bearer(token or network["coordinator"]),
        )
    )


def _theme(api, network, name, token=None, status=201):
    response = api.http.post(
        f"/api/programmes/{network['pid']}/themes",
        json={"name": name},
        headers=bearer(token or network["coordinator"]),
    )
    assert response.status_code == status, response.json
    return response.json


def _map(api, network, theme_id, programme_theme_id, token=None, status=200):
    response = api.http.post(
        f"/api/programmes/{network['pid']}/mapping",
        json={"theme_id": theme_id, "programme_theme_id": programme_theme_id},
        headers=bearer(token or network["coordinator"]),
    )
    assert response.status_code == status, response.json
    return response.json


def _mapped(api, network):
    """Two common themes, four regional themes mapped onto them; returns the common themes' ids."""
    rooms = network["rooms"]
    spaces = _theme(api, network, "Spaces for creative work")["id"]
    youth = _theme(api, network, "Young talent stays", token=network["second"])["id"]
    _map(api, network, rooms["kranj"].themes["Prostori za ustvarjanje"], spaces)
    _map(api, network, rooms["padova"].themes["Design e manifattura"], spaces)
    _map(api, network, rooms["limburg"].themes["Mijnerfgoed als motor"], spaces)
    _map(api, network, rooms["kranj"].themes["Mladi"], youth, token=network["second"])
    return spaces, youth


def _recommendation(api, network, token=None, status=201, **body):
    response = api.http.post(
        f"/api/programmes/{network['pid']}/recommendations",
        json=body,
        headers=bearer(token or network["coordinator"]),
    )
    assert response.status_code == status, response.json
    return response.json


# ----- common themes -----


def test_common_themes_are_made_renamed_and_removed_by_coordinators(api, network):
    pid = network["pid"]
    made = _theme(api, network, "Spaces for creative work")
    assert set(made) >= {"id", "name"} and made["name"] == "Spaces for creative work"
    duplicate = _theme(api, network, "spaces FOR creative work", status=409)
    assert duplicate["error"] == "theme_exists"
    assert _theme(api, network, "Other", token=network["member"], status=403)["error"] == (
        "forbidden"
    )
    assert _theme(api, network, "Other", token=network["outsider"], status=404)
    assert api.http.post(f"/api/programmes/{pid}/themes", json={"name": "x"}).status_code == 401
    other = _theme(api, network, "Young talent")
    url = f"/api/programmes/{pid}/themes/{made['id']}"
    renamed = api.http.patch(
        url, json={"name": "Spaces to make"}, headers=bearer(network["second"])
    )
    assert renamed.status_code == 200 and renamed.json == {
        "id": made["id"],
        "name": "Spaces to make",
    }
    clash = api.http.patch(url, json={"name": "young TALENT"}, headers=bearer(network["second"]))
    assert clash.status_code == 409 and clash.json["error"] == "theme_exists"
    assert (
        api.http.patch(url, json={"name": "x"}, headers=bearer(network["member"])).status_code
        == 403
    )
    for body in ({"name": ""}, {"name": "x" * 121}, {"title": "x"}, [], {"name": 3}):
        assert (
            api.http.patch(url, json=body, headers=bearer(network["coordinator"])).status_code
            == 400
        )
    for missing in (other["id"] + 1000, 10**12, 2**64):
        gone = f"/api/programmes/{pid}/themes/{missing}"
        answer = api.http.patch(gone, json={"name": "x"}, headers=bearer(network["coordinator"]))
        assert answer.status_code == 404, missing
        gone = f"/api/programmes/{pid}/recommendations/{missing}"
        assert api.http.delete(gone, headers=bearer(network["coordinator"])).status_code == 404
    assert api.http.delete(url, headers=bearer(network["member"])).status_code == 403
    assert api.http.delete(url, headers=bearer(network["outsider"])).status_code == 404
    assert api.http.delete(url, headers=bearer(network["coordinator"])).status_code == 204
    assert api.http.delete(url, headers=bearer(network["coordinator"])).status_code == 404
    names = [t["name"] for t in _synthesis(api, network)["programme_themes"]]
    assert names == ["Young talent"]


# ----- mapping and coverage -----


def test_mapping_regional_themes_gives_coverage_and_leaves_the_rest_in_trays(api, network):
    spaces, youth = _mapped(api, network)
    rooms, regions, stories = network["rooms"], network["regions"], network["stories"]
    synthesis = _synthesis(api, network)
    by_id = {t["id"]: t for t in synthesis["programme_themes"]}
    common = by_id[spaces]
    # Each regional theme keeps its own name and language.
    assert [(t["name"], t["language"], t["region_id"]) for t in common["regional_themes"]] == [
        ("Prostori za ustvarjanje", "sl", regions["Kranj"]),
        ("Design e manifattura", "it", regions["Padova"]),
        ("Mijnerfgoed als motor", "nl", regions["Limburg"]),
    ]
    assert common["coverage"] == {
        str(regions["Kranj"]): {"stories": 2, "workshops": 1},
        str(regions["Padova"]): {"stories": 1, "workshops": 1},
        str(regions["Limburg"]): {"stories": 1, "workshops": 1},
    }
    # Quotes: one per region first, tagged with region and language.
    quotes = common["quotes"]
    assert len(quotes) == 3
    assert {(q["region_id"], q["language"]) for q in quotes} == {
        (regions["Kranj"], "sl"),
        (regions["Padova"], "it"),
        (regions["Limburg"], "nl"),
    }
    # The Kranj story quoted is the one whose theme's proposition drew votes, the longest.
    assert stories["kranj"] in {q["id"] for q in quotes}
    # Kranj's "Mladi" holds only a private and a hidden story: mapped, but no story counts.
    assert by_id[youth]["coverage"] == {str(regions["Kranj"]): {"stories": 0, "workshops": 1}}
    assert by_id[youth]["quotes"] == []
    # The regional theme not mapped waits in its region's tray.
    assert [(t["name"], t["region_id"], t["workshop_id"]) for t in synthesis["unmapped"]] == [
        ("Creativiteit in de wijk", regions["Limburg"], rooms["limburg"].id)
    ]
    # Unmapping puts it back in the tray.
    result = _map(api, network, rooms["kranj"].themes["Mladi"], None)
    assert result["programme_theme_id"] is None and isinstance(result["seq"], int)
    synthesis = _synthesis(api, network)
    assert {t["name"] for t in synthesis["unmapped"]} == {"Mladi", "Creativiteit in de wijk"}
    assert synthesis["seq"] == result["seq"]


def test_mapping_refuses_themes_outside_the_programme(api, network):
    spaces, _youth = _mapped(api, network)
    own = api.create_workshop(network["member"], title="Not in the programme")
    board = api.socket({"token": network["member"], "workshop_id": own["id"]})
    foreign_theme = board.emit("theme_create", {"name": "Elsewhere"}, callback=True)["id"]
    error = _map(api, network, foreign_theme, spaces, status=400)
    assert error["error"] == "invalid_field"
    other = _ok(
        api.http.post(
            "/api/programmes", json={"title": "Another"}, headers=bearer(network["coordinator"])
        ),
        201,
    )["id"]
    foreign_common = _ok(
        api.http.post(
            f"/api/programmes/{other}/themes",
            json={"name": "Theirs"},
            headers=bearer(network["coordinator"]),
        ),
        201,
    )["id"]
    theme = network["rooms"]["kranj"].themes["Mladi"]
    assert _map(api, network, theme, foreign_common, status=400)["error"] == "invalid_field"
    assert _map(api, network, 10**12, spaces, status=400)["error"] == "invalid_field"
    assert _map(api, network, theme, spaces, token=network["member"], status=403)
    assert _map(api, network, theme, spaces, token=network["outsider"], status=404)
    url = f"/api/programmes/{network['pid']}/mapping"
    for body in (
        {"theme_id": theme},
        {"programme_theme_id": spaces},
        {"theme_id": "x", "programme_theme_id": None},
    ):
        response = api.http.post(url, json=body, headers=bearer(network["coordinator"]))
        assert response.status_code == 400, body


def test_deleting_a_common_theme_sends_its_regional_themes_back(api, network):
    spaces, youth = _mapped(api, network)
    made = _recommendation(
        api, network, title="Open the halls", text="…", programme_theme_ids=[spaces, youth]
    )
    url = f"/api/programmes/{network['pid']}/themes/{spaces}"
    assert api.http.delete(url, headers=bearer(network["coordinator"])).status_code == 204
    synthesis = _synthesis(api, network)
    assert [t["id"] for t in synthesis["programme_themes"]] == [youth]
    assert len(synthesis["unmapped"]) == 4
    assert synthesis["recommendations"][0]["id"] == made["id"]
    assert synthesis["recommendations"][0]["programme_theme_ids"] == [youth]


# ----- across regions -----


def test_dreams_and_propositions_rank_by_vote_share_within_their_own_workshop(api, network):
    synthesis = _synthesis(api, network)
    dreams, regions = network["dreams"], network["regions"]
    ranked = [(d["id"], d["votes"], d["vote_share"]) for d in synthesis["dreams"]]
    # Kranj's 3 votes of 3 voters (100%) rank above Padova's 6 votes of 10 (60%).
    assert ranked == [
        (dreams["kranj"], 3, 1.0),
        (dreams["padova"], 6, 0.6),
        (dreams["kranj_2"], 1, 0.3333),
    ]
    first = synthesis["dreams"][0]
    assert first["workshop_id"] == network["rooms"]["kranj"].id
    assert first["region_id"] == regions["Kranj"] and first["language"] == "sl"
    # A private dream never appears, though its votes count its voters.
    assert dreams["padova_private"] not in {d["id"] for d in synthesis["dreams"]}
    shares = {p["id"]: p["vote_share"] for p in synthesis["propositions"]}
    props = network["propositions"]
    assert shares == {props["kranj"]: pytest.approx(2 / 3, abs=1e-4), props["padova"]: 0.2}
    assert [p["id"] for p in synthesis["propositions"]] == [props["kranj"], props["padova"]]
    # Commitments by region, with owner, organisation and due date.
    commitments = [
        (c["region_id"], c["owner"], c["owner_organisation"], c["due"])
        for c in synthesis["commitments"]
    ]
    assert commitments == [
        (regions["Kranj"], "Ana", "BSC Kranj", "2027-04-30"),
        (regions["Limburg"], "Jan", "", "2027-06-30"),
    ]


def test_names_follow_consent_and_the_rooms_anonymity(api, network):
    synthesis = _synthesis(api, network)
    stories = {s["id"]: s for s in synthesis["stories"]}
    assert stories[network["stories"]["kranj"]]["author"] == "Ana"
    assert stories[network["stories"]["kranj"]]["organisation"] == "Ana's studio"
    assert stories[network["stories"]["kranj_2"]]["author"] is None
    # Limburg shows no names: its named story stays nameless beyond the room too.
    assert stories[network["stories"]["limburg"]]["author"] is None
    assert network["stories"]["private"] not in stories
    assert network["stories"]["hidden"] not in stories
    text = json.dumps(synthesis)
    assert PRIVATE not in text and HIDDEN not in text and "Els" not in text


# ----- recommendations -----


def test_recommendations_with_evidence_from_several_regions(api, network):
    spaces, youth = _mapped(api, network)
    stories, props, commitments = (
        network["stories"],
        network["propositions"],
        network["commitments"],
    )
    first = _recommendation(
        api,
        network,
        title="Open empty factory halls to creative work",
        text="Every region offers at least one hall on a simple interim-use contract.",
        programme_theme_ids=[spaces],
        evidence_ids=[stories["kranj"], stories["padova"], props["padova"], commitments["limburg"]],
    )
    assert first["number"] == 1 and first["regions"] == 3
    assert first["evidence_ids"] == [
        stories["kranj"],
        stories["padova"],
        props["padova"],
        commitments["limburg"],
    ]
    assert {e["language"] for e in first["evidence"]} == {"sl", "it", "nl"}
    second = _recommendation(
        api,
        network,
        title="Keep young talent",
        text="Schools and firms work together.",
        token=network["second"],
        programme_theme_ids=[youth],
    )
    assert second["number"] == 2 and second["regions"] == 0 and second["evidence"] == []
    # Evidence that may not be published, or comes from elsewhere, is refused.
    own = api.create_workshop(network["member"], title="Not in the programme")
    api.set_phase(network["member"], own["id"], "discover")
    person = api.join(own["code"], "Zoe")
    outside = say(api.socket({"token": person["token"]}), "story", "Outside the programme")
    for bad in (
        [stories["private"]],
        [stories["hidden"]],
        [outside],
        [10**12],
        "x",
        [True],
        list(range(1, 300)),
    ):
        error = _recommendation(api, network, status=400, title="Bad", text="Bad", evidence_ids=bad)
        assert error["error"] == "invalid_field", bad
    error = _recommendation(
        api, network, status=400, title="Bad", text="x", programme_theme_ids=[10**9]
    )
    assert error["error"] == "invalid_field"
    for body in ({"title": "No text"}, {"text": "No title"}, {"title": "", "text": "x"}):
        assert _recommendation(api, network, status=400, **body)
    assert _recommendation(api, network, token=network["member"], status=403, title="x", text="y")
    assert _recommendation(api, network, token=network["outsider"], status=404, title="x", text="y")

    # Editing: new evidence, a new place in the list.
    url = f"/api/programmes/{network['pid']}/recommendations/{second['id']}"
    patched = api.http.patch(
        url,
        json={
            "evidence_ids": [stories["kranj_2"]],
            "number": 1,
            "text": "Schools, firms, studios.",
        },
        headers=bearer(network["coordinator"]),
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["number"] == 1 and patched.json["regions"] == 1
    assert patched.json["text"] == "Schools, firms, studios."
    assert (
        api.http.patch(url, json={"title": "x"}, headers=bearer(network["member"])).status_code
        == 403
    )
    bad = api.http.patch(
        url, json={"evidence_ids": [stories["private"]]}, headers=bearer(network["coordinator"])
    )
    assert bad.status_code == 400 and bad.json["error"] == "invalid_field"
    listed = _synthesis(api, network)["recommendations"]
    assert [(r["id"], r["number"]) for r in listed] == [(second["id"], 1), (first["id"], 2)]

    # Evidence hidden later drops out of the synthesis (and so of every document).
    kranj = network["rooms"]["kranj"]
    assert kranj.board.emit("hide", {"contribution_id": stories["kranj"]}, callback=True)["ok"]
    listed = _synthesis(api, network)["recommendations"]
    assert listed[1]["evidence_ids"] == [stories["padova"], props["padova"], commitments["limburg"]]
    assert listed[1]["regions"] == 2

    assert api.http.delete(url, headers=bearer(network["member"])).status_code == 403
    assert api.http.delete(url, headers=bearer(network["coordinator"])).status_code == 204
    assert api.http.delete(url, headers=bearer(network["coordinator"])).status_code == 404
    listed = _synthesis(api, network)["recommendations"]
    assert [(r["id"], r["number"]) for r in listed] == [(first["id"], 1)]


# ----- who may read -----


def test_members_read_the_synthesis_and_outsiders_get_404_everywhere(api, network):
    pid = network["pid"]
    assert _synthesis(api, network, network["member"])["id"] == pid
    outsider = bearer(network["outsider"])
    for method, path in (
        ("get", f"/api/programmes/{pid}/synthesis"),
        ("post", f"/api/programmes/{pid}/themes"),
        ("patch", f"/api/programmes/{pid}/themes/1"),
        ("delete", f"/api/programmes/{pid}/themes/1"),
        ("post", f"/api/programmes/{pid}/mapping"),
        ("post", f"/api/programmes/{pid}/recommendations"),
        ("patch", f"/api/programmes/{pid}/recommendations/1"),
        ("delete", f"/api/programmes/{pid}/recommendations/1"),
        ("get", f"/api/programmes/{pid}/export.md"),
        ("get", f"/api/programmes/{pid}/export.pdf"),
    ):
        response = getattr(api.http, method)(path, json={}, headers=outsider)
        assert response.status_code == 404, (method, path)
    page = api.app.test_client()
    page.post("/login", data={"email": "outsider@example.org", "password": "correct horse battery"})
    assert page.get(f"/programmes/{pid}/synthesis").status_code == 404
    assert not api.socket(
        {"token": network["outsider"], "programme_id": pid, "view": "synthesis"}
    ).is_connected()


# ----- live -----


def test_the_programme_room_hears_every_change_to_the_synthesis_in_order(api, network):
    pid, rooms = network["pid"], network["rooms"]
    board = api.socket({"token": network["second"], "programme_id": pid, "view": "synthesis"})
    assert board.is_connected()
    assert events(board) == []  # a synthesis board reads the synthesis itself
    dashboard = api.socket({"token": network["member"], "programme_id": pid})
    events(dashboard)
    seen = []

    def heard(change, **fields):
        found = [e for e in events(board, "synthesis")]
        assert found, change
        assert found[-1]["change"] == change, found
        for key, value in fields.items():
            assert found[-1][key] == value, found
        seen.extend(e["seq"] for e in found)
        return found[-1]

    theme = _theme(api, network, "Spaces for creative work")
    assert heard("theme", theme={"id": theme["id"], "name": "Spaces for creative work"})
    mapped = _map(api, network, rooms["kranj"].themes["Mladi"], theme["id"])
    assert heard("mapping", theme_id=rooms["kranj"].themes["Mladi"])["seq"] == mapped["seq"]
    made = _recommendation(api, network, title="Open halls", text="Now.")
    heard("recommendation", id=made["id"])
    # A new story in a running regional workshop reaches the board too.
    rooms["padova"].phase("discover")
    heard("contents", workshop_id=rooms["padova"].id)
    say(rooms["padova"].phones[3], "story", "Una nuova storia", consent="anonymous")
    latest = heard("contents", workshop_id=rooms["padova"].id)
    assert _synthesis(api, network)["seq"] >= latest["seq"]
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    # Every member's dashboard hears the same events (the programme room).
    assert [e["seq"] for e in events(dashboard, "synthesis")] == seen
    # Members read; only members connect.
    assert api.socket(
        {"token": network["member"], "programme_id": pid, "view": "synthesis"}
    ).is_connected()


# ----- the document -----


def _download(api, network, fmt, lang=None, token=None):
    url = f"/api/programmes/{network['pid']}/export.{fmt}" + (f"?lang={lang}" if lang else "")
    response = api.http.get(url, headers=bearer(token or network["coordinator"]))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert "attachment" in response.headers["Content-Disposition"]
    return response.data


def _text(fmt, data):
    if fmt == "docx":
        document = Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join(parts)
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(data))
        return "\n".join(
            str(c)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for c in row
            if c is not None
        )
    if fmt == "csv":
        return "\n".join(
            c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row
        )
    return data.decode("utf-8")


@pytest.fixture
def written(api, network):
    spaces, _youth = _mapped(api, network)
    stories = network["stories"]
    _recommendation(
        api,
        network,
        title="Open empty factory halls to creative work",
        text="Every region offers at least one hall.",
        programme_theme_ids=[spaces],
        evidence_ids=[
            stories["kranj"],
            stories["padova"],
            stories["limburg"],
            network["propositions"]["padova"],
        ],
    )
    return network


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_holds_the_recommendation_and_respects_consent(api, written, fmt):
    text = _text(fmt, _download(api, written, fmt))
    assert "Open empty factory halls to creative work" in text
    assert KRANJ_STORY in text and PADOVA_STORY in text and LIMBURG_STORY in text
    assert PRIVATE not in text, fmt
    assert HIDDEN not in text, fmt
    assert "Un sogno privato" not in text, fmt
    if fmt != "csv":  # the CSV holds the evidence rows
        assert "Spaces for creative work" in text
        assert "Prostori za ustvarjanje" in text and "Mijnerfgoed als motor" in text
    if fmt in ("md", "docx", "pdf"):
        # Named, from a room that shows names; Limburg's named story stays nameless.
        assert "Ana" in text and "Els" not in text
        for region in ("Kranj", "Padova", "Limburg"):
            assert region in text


def test_the_document_follows_lang_and_has_its_sections(api, written):
    md = _download(api, written, "md").decode()
    for heading in (
        "Transnational recommendation",
        "## Recommendations",
        "## SOAR across regions",
        "## Coverage matrix",
        "## Annex: Kranj · SI",
        "## Annex: Padova · IT",
        "## Annex: Limburg · BE",
    ):
        assert heading in md, heading
    assert "\\[Kranj · sl\\]" in md  # quotes tagged with region and language
    assert "Evidence from 3 regions" in md
    german = _download(api, written, "md", lang="de").decode()
    assert "Transnationale Empfehlung" in german and "Abdeckungsmatrix" in german
    # The coverage matrix marks the theme one region carries alone.
    assert "only Kranj" in md


def test_spreadsheets_have_a_sheet_per_section_and_evidence_rows(api, written):
    book = load_workbook(io.BytesIO(_download(api, written, "xlsx")))
    names = book.sheetnames
    assert len(names) == 8 and "Coverage matrix" in names and "Evidence" in names
    matrix = [list(r) for r in book["Coverage matrix"].iter_rows(values_only=True)]
    assert matrix[0] == ["Theme", "Kranj", "Padova", "Limburg", "Regions"]
    assert matrix[1] == ["Spaces for creative work", 2, 1, 1, "3"]
    assert matrix[2] == ["Young talent stays", 0, None, None, "1 (only Kranj)"]
    evidence = [list(r) for r in book["Evidence"].iter_rows(values_only=True)]
    assert len(evidence) == 5 and evidence[1][0] == 1
    share = next(row for row in evidence if row[3] == "Provocative proposition")
    assert share[13] == pytest.approx(0.2)
    assert book["Evidence"].cell(row=2 + evidence[1:].index(share), column=14).number_format == "0%"
    rows = list(
        csv.reader(
            io.StringIO(_download(api, written, "csv", lang="de").decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert len(rows) == 5 and rows[0][0] == "Nummer"
    assert any(row[13] == "20,0" for row in rows[1:])


def test_json_is_documented_data(api, written):
    document = json.loads(_download(api, written, "json"))
    assert document["schema"] == "positive-core/recommendation" and document["version"] == 1
    assert {r["name"] for r in document["regions"]} == {"Kranj", "Padova", "Limburg"}
    assert len(document["workshops"]) == 3
    theme = document["programme_themes"][0]
    assert set(theme) == {"id", "name", "regional_theme_ids", "coverage", "quote_ids"}
    ids = {c["id"] for c in document["contributions"]}
    rec = document["recommendations"][0]
    assert set(rec["evidence_ids"]) <= ids and len(rec["region_ids"]) == 3
    assert written["stories"]["private"] not in ids and written["stories"]["hidden"] not in ids
    # The same file in every language.
    assert _download(api, written, "json", lang="pl") == _download(api, written, "json")


def test_the_document_is_cached_until_something_it_shows_changes(api, written, monkeypatch):
    calls = []
    real = renders_module.render

    def counting(model, fmt, language, base_url=None):
        calls.append(fmt)
        return real(model, fmt, language, base_url)

    monkeypatch.setattr(renders_module, "render", counting)
    first = _download(api, written, "md")
    assert _download(api, written, "md", token=written["member"]) == first
    assert calls == ["md"]
    # A change to the synthesis: a new file.
    _theme(api, written, "Culture of enterprise")
    assert b"Culture of enterprise" in _download(api, written, "md")
    assert calls == ["md", "md"]
    # A change in a regional workshop: a new file too.
    padova = written["rooms"]["padova"]
    padova.phase("design")
    say(padova.phones[5], "proposition", "Ogni museo d'impresa apre la domenica")
    assert b"Ogni museo" in _download(api, written, "md")
    assert len(calls) == 3


def test_partners_get_the_recommendation_and_a_read_only_synthesis(api, written):
    pid = written["pid"]
    token = _ok(
        api.http.post(f"/api/programmes/{pid}/shares", headers=bearer(written["coordinator"])), 201
    )["token"]
    partner = api.app.test_client()
    page = partner.get(f"/p/{token}/synthesis?lang=it")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Open empty factory halls to creative work" in html and KRANJ_STORY in html
    assert PRIVATE not in html and HIDDEN not in html
    for fmt in FORMATS:
        response = partner.get(f"/p/{token}/export.{fmt}")
        assert response.status_code == 200, fmt
    assert "Raccomandazione transnazionale" in partner.get(f"/p/{token}").get_data(as_text=True)
    api.http.delete(f"/api/programmes/{pid}/shares/{token}", headers=bearer(written["coordinator"]))
    assert partner.get(f"/p/{token}/synthesis").status_code == 410
    assert partner.get(f"/p/{token}/export.pdf").status_code == 410


def _programme_room(api, network):
    """A coordinator's synthesis board on the programme's socket, drained."""
    board = api.socket(
        {"token": network["coordinator"], "programme_id": network["pid"], "view": "synthesis"}
    )
    assert board.is_connected()
    events(board)
    return board


@pytest.mark.parametrize("right", ["withdraw", "private"])
def test_a_participants_right_reaches_the_synthesis_and_every_format(api, written, right):
    """Withdrawn, or made not for publication from the phone: gone from the synthesis everywhere."""
    padova = written["rooms"]["padova"]
    story = written["stories"]["padova"]
    before = {fmt: _text(fmt, _download(api, written, fmt)) for fmt in FORMATS}
    assert all(PADOVA_STORY in text for text in before.values())
    board = _programme_room(api, written)
    phone = padova.phones[0]  # P0 wrote the Padova story
    if right == "withdraw":
        ack = phone.emit("withdraw", {"contribution_id": story}, callback=True)
    else:
        ack = phone.emit(
            "consent_change", {"contribution_id": story, "consent": "private"}, callback=True
        )
    assert ack == {"ok": True}
    heard = [e for e in events(board, "synthesis") if e.get("workshop_id") == padova.id]
    assert heard and heard[-1]["change"] == "contents"
    synthesis = _synthesis(api, written)
    assert synthesis["seq"] >= heard[-1]["seq"]
    assert story not in {s["id"] for s in synthesis["stories"]}
    assert story not in synthesis["recommendations"][0]["evidence_ids"]
    assert PADOVA_STORY not in json.dumps(synthesis, ensure_ascii=False)
    for fmt in FORMATS:
        text = _text(fmt, _download(api, written, fmt))
        assert PADOVA_STORY not in text, fmt
        assert KRANJ_STORY in text, fmt  # the rest of the evidence stays
    # The partners' portal shows the same.
    token = _ok(
        api.http.post(
            f"/api/programmes/{written['pid']}/shares", headers=bearer(written["coordinator"])
        ),
        201,
    )["token"]
    assert PADOVA_STORY not in api.app.test_client().get(f"/p/{token}/synthesis").get_data(
        as_text=True
    )


def test_client_ids_stay_out_of_the_synthesis(api, network):
    payload = _synthesis(api, network)
    assert "client_id" not in json.dumps(payload)
