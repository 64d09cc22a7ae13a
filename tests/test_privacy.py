"""Each privacy right end to end, through the public interfaces.

Information (the notice at join), access and portability (``GET /api/me``,
My contributions), restriction and objection (``consent_change``), erasure
(``withdraw``, ``DELETE /api/me``, the facilitator's erasures, deleting a
workshop), retention (``flask privacy enforce``) and the record of
processing (``GET /api/workshops/<id>/privacy``). What was withdrawn or
narrowed is checked where it could still leak: the live room, late
snapshots, the summary page and the text of every export format.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from conftest import PASSWORD, bearer, named, say
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import update

from workshop.extensions import db
from workshop.models import Workshop
from workshop.services.erasure import personal_data_erased

FORMATS = ("md", "json", "docx", "pdf", "xlsx", "csv")
#: Names and texts that occur nowhere else in an export, so "absent" means absent.
NAME, ORGANISATION = "Quentin Quarrie", "Quillworks Lab"
NAMED_STORY = "Quokkas painted the old brewery walls"
WITHDRAWN_STORY = "Zebras rebuilt the harbour crane"
PRIVATE_STORY = "Yaks mended the mill roof quietly"


def _live(api, workshop_id: int) -> str:
    """The participants' address of a workshop (``/w/<public_id>``)."""
    from workshop.extensions import db
    from workshop.models import Workshop

    with api.app.app_context():
        return f"/w/{db.session.get(Workshop, workshop_id).public_id}"


def export_text(fmt: str, data: bytes) -> str:
    """The readable text of a downloaded file."""
    if fmt == "docx":
        document = Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        parts += [cell.text for t in document.tables for row in t.rows for cell in row.cells]
        return "\n".join(parts)
    if fmt == "pdf":
        reader = PdfReader(io.BytesIO(data))
        return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(data))
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if fmt == "csv":
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
        return "\n".join(cell for row in rows for cell in row)
    return data.decode("utf-8")


def everything_published(api, token, wid) -> dict[str, str]:
    """The summary page and every export format, as text."""
    texts = {}
    for fmt in FORMATS:
        response = api.http.get(f"/api/workshops/{wid}/export.{fmt}", headers=bearer(token))
        assert response.status_code == 200, (fmt, response.data[:200])
        texts[fmt] = export_text(fmt, response.data)
    summary = login(api.app).get(f"/workshops/{wid}/summary")
    assert summary.status_code == 200
    texts["summary"] = summary.get_data(as_text=True)
    return texts


def snapshot_of(api, auth) -> dict:
    sio = api.socket(auth)
    return named(sio.get_received(), "snapshot")[0]


def sent_before_closing(sio, name: str) -> list[dict]:
    """Events a socket received before the server closed it (the test client keeps them)."""
    return [packet["args"][0] for packet in sio.queue if packet["name"] == name]


@pytest.fixture
def quentin(api, room):
    """A fourth participant with a distinctive name, a named story, and a phone."""
    token, wid = room["token"], room["workshop"]["id"]
    person = api.join(
        room["workshop"]["code"], NAME, organisation=ORGANISATION, region="Quarry Valley"
    )
    phone = api.socket({"token": person["token"]})
    phone.get_received()
    api.set_phase(token, wid, "discover")
    story = say(phone, "story", NAMED_STORY, title="Brewery", consent="named")
    for sio in [room["board"], *room["phones"], phone]:
        sio.get_received()
    return {**person, "phone": phone, "story": story}


def login(app, email="fac@example.org"):
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    return client


# ----- information: the notice -----


def test_the_join_page_links_to_the_notice_in_the_participants_language(api, app):
    token = api.facilitator()
    workshop = api.create_workshop(token, language="pl")
    code = workshop["code"]
    client = app.test_client()
    page = client.get(f"/join/{code}?lang=de").get_data(as_text=True)
    assert f'href="/join/{code}/privacy"' in page
    assert "Datenschutzhinweis" in page
    notice = client.get(f"/join/{code}/privacy?lang=de").get_data(as_text=True)
    # Nobody configured a controller: the facilitator's own address answers.
    assert "fac@example.org" in notice and 'href="mailto:fac@example.org"' in notice
    assert "Anonym" in notice and "Nicht zur Veröffentlichung" in notice
    assert "365 Tage" in notice
    # The generic join page links to the instance's notice, which finds a workshop by code.
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)
    found = client.get(f"/privacy?code={code.lower()}")
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/join/{code}/privacy")
    assert client.get("/privacy?code=NOPE99").status_code == 404
    assert client.get("/join/NOPE99/privacy").status_code == 404


def test_the_notice_names_who_runs_the_workshop_and_keeps_its_own_purpose(api, app):
    app.config.update(PRIVACY_CONTROLLER="InduCCI partners", PRIVACY_CONTACT="dpo@example.org")
    token = api.facilitator()
    workshop = api.create_workshop(token, language="it")
    code = workshop["code"]
    client = app.test_client()
    notice = client.get(f"/join/{code}/privacy?lang=en").get_data(as_text=True)
    assert "InduCCI partners runs this workshop" in notice and "dpo@example.org" in notice
    response = api.http.patch(
        f"/api/workshops/{workshop['id']}",
        json={
            "privacy_controller": "Comune di Padova",
            "privacy_contact": "privacy@comune.padova.it",
            "privacy_notice": "Usiamo le storie per la strategia regionale.",
            "retention_days": 90,
        },
        headers=bearer(token),
    )
    assert response.status_code == 200
    notice = client.get(f"/join/{code}/privacy?lang=en").get_data(as_text=True)
    assert "Comune di Padova runs this workshop" in notice
    assert '<p class="notice-purpose" lang="it">Usiamo le storie' in notice
    assert "erased 90 days after the workshop closes" in notice
    api.set_phase(token, workshop["id"], "closed")
    closed = client.get(f"/join/{code}/privacy?lang=en").get_data(as_text=True)
    due = (dt.datetime.now(dt.UTC) + dt.timedelta(days=90)).date()
    assert f"90 days after the workshop closed, on {due:%B} {due.day}, {due.year}" in closed


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("retention_days", 0),
        ("retention_days", 3651),
        ("retention_days", "30"),
        ("privacy_notice", 7),
    ],
)
def test_notice_settings_are_checked(api, field, value):
    token = api.facilitator()
    workshop = api.create_workshop(token)
    response = api.http.patch(
        f"/api/workshops/{workshop['id']}", json={field: value}, headers=bearer(token)
    )
    assert response.status_code == 400 and response.json["error"] == "invalid_field"


def test_joining_records_that_the_notice_was_read(api, room):
    me = api.http.get(
        f"/api/me?workshop_id={room['workshop']['id']}", headers=bearer(room["people"][0]["token"])
    ).json
    joined = dt.datetime.fromisoformat(me["participant"]["joined_at"])
    read = dt.datetime.fromisoformat(me["participant"]["notice_read_at"])
    assert abs(read - joined) < dt.timedelta(seconds=5)


# ----- access and portability -----


def test_my_data_holds_everything_mine_and_nothing_else(api, room):
    token, wid = room["token"], room["workshop"]["id"]
    board, (ana, ben, cleo) = room["board"], room["phones"]
    api.set_phase(token, wid, "discover")
    assert board.emit("pairing_start", {}, callback=True)["ok"]
    pair = named(ana.get_received(), "pair")[-1]
    interviewer = {"Ana": ana, "Ben": ben, "Cleo": cleo}[
        next(m["name"] for m in pair["members"] if m["participant_id"] == pair["interviewer_id"])
    ]
    teller_id = pair["storyteller_id"]
    told = say(interviewer, "story", "Told to my partner", told_by=teller_id, consent="named")
    own = say(ben, "story", "Ben's own story", factors="Trust")
    api.set_phase(token, wid, "dream")
    dream = say(cleo, "dream", "Cleo's dream")
    assert ana.emit("vote", {"contribution_id": dream}, callback=True)["ok"]

    teller = next(p for p in room["people"] if p["participant_id"] == teller_id)
    mine = api.http.get(f"/api/me?workshop_id={wid}", headers=bearer(teller["token"]))
    assert mine.status_code == 200
    data = mine.json
    assert set(data) >= {"participant", "contributions", "votes"}
    assert data["participant"]["id"] == teller_id
    items = {c["id"]: c for c in data["contributions"]}
    assert told in items and items[told]["interview"] is True
    assert items[told]["consent"] == "named"
    ben_id = room["people"][1]["participant_id"]
    assert (own in items) == (teller_id == ben_id)

    ana_data = api.http.get(
        f"/api/me?workshop_id={wid}", headers=bearer(room["people"][0]["token"])
    ).json
    assert ana_data["votes"] == [
        {
            "contribution_id": dream,
            "kind": "dream",
            "created_at": ana_data["votes"][0]["created_at"],
        }
    ]
    assert dream not in {c["id"] for c in ana_data["contributions"]}
    # The phone's own cookie reads the same (the page's download link).
    cleo = room["people"][2]["token"]
    phone = api.app.test_client()
    phone.set_cookie(f"pc_p{wid}", cleo)
    by_cookie = phone.get(f"/api/me?workshop_id={wid}").json
    assert by_cookie == api.http.get(f"/api/me?workshop_id={wid}", headers=bearer(cleo)).json
    assert "Cleo's dream" in [c["text"] for c in by_cookie["contributions"]]


def test_my_data_is_only_for_that_participant(api, room):
    wid = room["workshop"]["id"]
    assert api.app.test_client().get(f"/api/me?workshop_id={wid}").status_code == 404
    other = api.create_workshop(room["token"], title="Elsewhere")
    stranger = api.join(other["code"], "Sam")
    refused = api.http.get(f"/api/me?workshop_id={wid}", headers=bearer(stranger["token"]))
    assert refused.status_code == 404
    owner = api.http.get(f"/api/me?workshop_id={wid}", headers=bearer(room["token"]))
    assert owner.status_code == 403  # the owner sees the workshop, but is no participant of it
    missing = api.http.get("/api/me", headers=bearer(room["people"][0]["token"]))
    assert missing.status_code == 400 and missing.json["error"] == "missing_field"


# ----- rectification -----


def test_a_participant_corrects_their_details_and_signed_items_follow(api, room, quentin):
    wid = room["workshop"]["id"]
    url = f"/api/me?workshop_id={wid}"
    response = api.http.patch(
        url, json={"name": "Quentin Q. Quarrie", "region": ""}, headers=bearer(quentin["token"])
    )
    assert response.status_code == 200
    assert response.json["participant"]["name"] == "Quentin Q. Quarrie"
    assert response.json["participant"]["region"] == ""
    update = named(room["phones"][0].get_received(), "contribution")[-1]
    assert update["id"] == quentin["story"] and update["author"] == "Quentin Q. Quarrie"
    refused = api.http.patch(url, json={"name": ""}, headers=bearer(quentin["token"]))
    assert refused.status_code == 400
    assert (
        api.http.patch(url, json={"email": "x"}, headers=bearer(quentin["token"])).json["error"]
        == "unknown_field"
    )
    page = api.app.test_client()
    page.set_cookie(f"pc_p{wid}", quentin["token"])
    saved = page.post(
        f"{_live(api, wid)}/me/about",
        data={"name": "Q. Quarrie", "organisation": "", "region": "Kranj"},
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith("#about")
    assert named(room["board"].get_received(), "contribution")[-1]["author"] == "Q. Quarrie"
    blank = page.post(
        f"{_live(api, wid)}/me/about", data={"name": "", "organisation": "", "region": ""}
    )
    assert blank.status_code == 200 and 'aria-invalid="true"' in blank.get_data(as_text=True)
    record = api.http.get(f"/api/workshops/{wid}/privacy", headers=bearer(room["token"])).json
    assert [e["details"] for e in record["events"] if e["kind"] == "identity_corrected"] == [
        {"fields": ["name", "organisation", "region"]},
        {"fields": ["name", "region"]},
    ]
    assert "Quarrie" not in json.dumps(record["events"])


# ----- restriction and objection: consent -----


def test_named_to_anonymous_leaves_no_name_anywhere(api, room, quentin):
    token, wid = room["token"], room["workshop"]["id"]
    before = everything_published(api, token, wid)
    for fmt, text in before.items():
        assert NAMED_STORY in text and NAME in text, fmt

    ack = quentin["phone"].emit(
        "consent_change",
        {"contribution_id": quentin["story"], "consent": "anonymous"},
        callback=True,
    )
    assert ack == {"ok": True}
    for sio in [room["board"], *room["phones"]]:
        update = named(sio.get_received(), "contribution")[-1]
        assert update["id"] == quentin["story"] and update["consent"] == "anonymous"
        assert update["author"] is None and update["organisation"] is None
    late = snapshot_of(api, {"token": room["people"][0]["token"]})
    assert NAME not in json.dumps(late)
    for fmt, text in everything_published(api, token, wid).items():
        assert NAMED_STORY in text, fmt
        assert NAME not in text and ORGANISATION not in text, fmt
    # The same choice again changes nothing and tells nobody.
    again = quentin["phone"].emit(
        "consent_change",
        {"contribution_id": quentin["story"], "consent": "anonymous"},
        callback=True,
    )
    assert again == {"ok": True} and named(room["board"].get_received(), "contribution") == []


def test_not_for_publication_leaves_the_results_but_stays_in_the_session(api, room, quentin):
    token, wid = room["token"], room["workshop"]["id"]
    ack = quentin["phone"].emit(
        "consent_change", {"contribution_id": quentin["story"], "consent": "private"}, callback=True
    )
    assert ack["ok"]
    assert named(room["phones"][0].get_received(), "contribution")[-1]["consent"] == "private"
    for fmt, text in everything_published(api, token, wid).items():
        assert NAMED_STORY not in text and NAME not in text, fmt
    # And back: it may be published again, as its author now says.
    quentin["phone"].emit(
        "consent_change", {"contribution_id": quentin["story"], "consent": "named"}, callback=True
    )
    assert NAMED_STORY in everything_published(api, token, wid)["md"]


def test_nobody_changes_another_persons_item(api, room, quentin):
    story = quentin["story"]
    ana = room["phones"][0]
    for event, payload in (
        ("consent_change", {"contribution_id": story, "consent": "private"}),
        ("withdraw", {"contribution_id": story}),
    ):
        ack = ana.emit(event, payload, callback=True)
        assert ack["ok"] is False and ack["error"] == "forbidden", ack
        ack = ana.emit(event, {**payload, "contribution_id": 999_999}, callback=True)
        assert ack["error"] == "unknown_contribution"
        # The facilitator takes part in nothing: participant events are refused.
        assert room["board"].emit(event, payload, callback=True)["error"] == "forbidden"
    bad = ana.emit("consent_change", {"contribution_id": story, "consent": "public"}, callback=True)
    assert bad["error"] == "invalid_choice"
    # Nothing changed.
    board = api.http.get(
        f"/api/workshops/{room['workshop']['id']}", headers=bearer(room["token"])
    ).json
    assert [c["consent"] for c in board["contributions"] if c["id"] == story] == ["named"]


# ----- erasure: withdrawing -----


def test_a_withdrawn_item_is_gone_from_the_room_the_results_and_the_tallies(api, room, quentin):
    token, wid = room["token"], room["workshop"]["id"]
    board, (ana, ben, cleo) = room["board"], room["phones"]
    phone = quentin["phone"]
    gone = say(phone, "story", WITHDRAWN_STORY, consent="named")
    api.set_phase(token, wid, "design")
    proposition = say(phone, "proposition", "Zebra crossings for every idea")
    for sio in (ana, ben):
        assert sio.emit("vote", {"contribution_id": proposition}, callback=True)["ok"]
    api.set_phase(token, wid, "deliver")
    commitment = say(cleo, "commitment", "Paint the zebra crossing", proposition_id=proposition)
    for sio in [board, ana, ben, cleo, phone]:
        sio.get_received()

    assert phone.emit("withdraw", {"contribution_id": gone}, callback=True) == {"ok": True}
    assert phone.emit("withdraw", {"contribution_id": proposition}, callback=True)["ok"]
    for sio in [board, ana, ben, cleo]:
        received = sio.get_received()
        hidden = named(received, "contribution_hidden")
        assert [(h["id"], h["deleted"]) for h in hidden] == [(gone, True), (proposition, True)]
        relinked = [c for c in named(received, "contribution") if c["id"] == commitment]
        assert relinked and relinked[-1]["proposition_id"] is None
    # Gone for good: the facilitator's own view, late phones, and a retry.
    snapshot = api.http.get(f"/api/workshops/{wid}", headers=bearer(token)).json
    assert {gone, proposition}.isdisjoint(c["id"] for c in snapshot["contributions"])
    late = snapshot_of(api, {"token": room["people"][0]["token"]})
    assert WITHDRAWN_STORY not in json.dumps(late)
    assert late["me"]["votes_left"]["proposition"] == 3  # Ana's vote came back
    assert phone.emit("withdraw", {"contribution_id": gone}, callback=True)["error"] == (
        "unknown_contribution"
    )
    for fmt, text in everything_published(api, token, wid).items():
        assert WITHDRAWN_STORY not in text and "Zebra crossings" not in text, fmt
        assert NAMED_STORY in text, fmt


def test_rights_hold_after_the_workshop_closed(api, room, quentin):
    token, wid = room["token"], room["workshop"]["id"]
    api.set_phase(token, wid, "closed")
    phone = quentin["phone"]
    assert phone.emit(
        "consent_change",
        {"contribution_id": quentin["story"], "consent": "anonymous"},
        callback=True,
    )["ok"]
    assert phone.emit("withdraw", {"contribution_id": quentin["story"]}, callback=True)["ok"]
    page = api.app.test_client()
    page.set_cookie(f"pc_p{wid}", quentin["token"])
    assert page.get(f"{_live(api, wid)}/me").status_code == 200
    assert NAMED_STORY not in everything_published(api, token, wid)["md"]


# ----- erasure: leaving -----


def test_leaving_erases_the_name_and_keeps_what_was_published_anonymous(api, room, quentin):
    token, wid = room["token"], room["workshop"]["id"]
    phone = quentin["phone"]
    private = say(phone, "story", PRIVATE_STORY, consent="private")
    for sio in [room["board"], *room["phones"]]:
        sio.get_received()
    # A cookie alone cannot erase anything on the API (no CSRF token there).
    browser = api.app.test_client()
    browser.set_cookie(f"pc_p{wid}", quentin["token"])
    assert browser.delete(f"/api/me?workshop_id={wid}").status_code == 404

    response = api.http.delete(f"/api/me?workshop_id={wid}", headers=bearer(quentin["token"]))
    assert response.status_code == 204
    assert f"pc_p{wid}=;" in response.headers.get("Set-Cookie", "")
    assert sent_before_closing(phone, "removed")[-1]["reason"] == "left"
    assert not phone.is_connected()
    received = room["board"].get_received()
    assert named(received, "contribution_hidden") == [
        {"id": private, "deleted": True, "seq": named(received, "contribution_hidden")[0]["seq"]}
    ]
    story = [c for c in named(received, "contribution") if c["id"] == quentin["story"]][-1]
    assert story["consent"] == "anonymous" and story["author"] is None
    assert named(received, "presence")[-1]["joined"] == 3
    # The token opens nothing any more.
    assert (
        api.http.get(f"/api/me?workshop_id={wid}", headers=bearer(quentin["token"])).status_code
        == 404
    )
    assert not api.socket({"token": quentin["token"]}).is_connected()
    roster = room["board"].emit("roster", {}, callback=True)["participants"]
    assert NAME not in json.dumps(roster)
    for fmt, text in everything_published(api, token, wid).items():
        assert NAMED_STORY in text, fmt
        assert NAME not in text and ORGANISATION not in text and PRIVATE_STORY not in text, fmt


# ----- erasure by the facilitator -----


def test_the_facilitator_erases_a_participant_with_everything_they_gave(api, room, quentin):
    token, wid = room["token"], room["workshop"]["id"]
    board, (ana, ben, cleo) = room["board"], room["phones"]
    api.set_phase(token, wid, "dream")
    theirs = say(quentin["phone"], "dream", "Quarries become concert halls")
    others = say(ana, "dream", "Every town a stage")
    assert quentin["phone"].emit("vote", {"contribution_id": others}, callback=True)["ok"]
    assert ben.emit("vote", {"contribution_id": theirs}, callback=True)["ok"]
    for sio in [board, ana, ben, cleo]:
        sio.get_received()

    url = f"/api/workshops/{wid}/participants/{quentin['participant_id']}"
    assert api.http.delete(url, headers=bearer(room["people"][0]["token"])).status_code == 401
    assert api.http.delete(url, headers=bearer(token)).status_code == 204
    assert sent_before_closing(quentin["phone"], "removed")[-1]["reason"] == "erased"
    assert not quentin["phone"].is_connected()
    received = ben.get_received()
    assert {h["id"] for h in named(received, "contribution_hidden")} == {quentin["story"], theirs}
    assert named(received, "tally")[-1] == {
        "contribution_id": others,
        "votes": 0,
        "seq": named(received, "tally")[-1]["seq"],
    }
    snapshot = api.http.get(f"/api/workshops/{wid}", headers=bearer(token)).json
    assert {c["id"] for c in snapshot["contributions"]} == {others}
    assert snapshot["contributions"][0]["votes"] == 0
    assert snapshot_of(api, {"token": room["people"][1]["token"]})["me"]["votes_left"]["dream"] == 3
    for fmt, text in everything_published(api, token, wid).items():
        assert NAME not in text and NAMED_STORY not in text and "Quarries" not in text, fmt
    assert api.http.delete(url, headers=bearer(token)).status_code == 404
    record = api.http.get(f"/api/workshops/{wid}/privacy", headers=bearer(token)).json
    assert record["events"][0]["kind"] == "participant_erased"
    assert record["events"][0]["details"] == {"contributions": 2, "votes": 1}


def test_erasing_an_interview_partner_ends_the_pair(api, room):
    token, wid = room["token"], room["workshop"]["id"]
    board, phones = room["board"], room["phones"]
    api.set_phase(token, wid, "discover")
    extra = api.join(room["workshop"]["code"], "Dana")
    phones = [*phones, api.socket({"token": extra["token"]})]
    assert board.emit("pairing_start", {}, callback=True)["ok"]
    ana_id = room["people"][0]["participant_id"]
    card = named(phones[0].get_received(), "pair")[-1]
    (partner,) = [m["participant_id"] for m in card["members"] if m["participant_id"] != ana_id]
    for sio in [board, *phones]:
        sio.get_received()
    response = api.http.delete(
        f"/api/workshops/{wid}/participants/{partner}", headers=bearer(token)
    )
    assert response.status_code == 204
    seq = named(board.get_received(), "pairs")[-1]["seq"]
    assert named(phones[0].get_received(), "pair")[-1] == {"pair_id": None, "seq": seq}
    remaining = board.emit("roster", {}, callback=True)["participants"]
    assert partner not in {p["id"] for p in remaining} and len(remaining) == 3


def test_leaving_mid_interview_turns_a_trio_into_a_pair(api, room):
    token, wid = room["token"], room["workshop"]["id"]
    board, phones = room["board"], room["phones"]
    api.set_phase(token, wid, "discover")
    assert board.emit("pairing_start", {}, callback=True)["ok"]  # three people: one trio
    leaver, *stay = room["people"]
    for sio in [board, *phones]:
        sio.get_received()
    response = api.http.delete(f"/api/me?workshop_id={wid}", headers=bearer(leaver["token"]))
    assert response.status_code == 204
    (pair,) = named(board.get_received(), "pairs")[-1]["pairs"]
    members = {m["participant_id"] for m in pair["members"]}
    assert members == {p["participant_id"] for p in stay}
    for sio in phones[1:]:
        card = named(sio.get_received(), "pair")[-1]
        assert {m["participant_id"] for m in card["members"]} == members
        assert card["role"] in ("interviewer", "storyteller")
    snapshot = api.http.get(f"/api/workshops/{wid}", headers=bearer(token)).json
    stored = [{m["participant_id"] for m in p["members"]} for p in snapshot["pairs"]["pairs"]]
    assert stored == [members]


# ----- deleting a workshop -----


def _all_rows(app) -> dict[str, list[tuple]]:
    with app.app_context():
        return {
            table.name: sorted(
                tuple(repr(value) for value in row) for row in db.session.execute(table.select())
            )
            for table in db.metadata.sorted_tables
        }


def test_a_deleted_workshop_leaves_no_row_and_no_way_in(api, app):
    token = api.facilitator()
    other_token = api.facilitator("other@example.org")
    kept = api.create_workshop(other_token, title="Kept")
    keeper = api.join(kept["code"], "Kim")
    api.set_phase(other_token, kept["id"], "discover")
    say(api.socket({"token": keeper["token"]}), "story", "A story that stays")
    before = _all_rows(app)

    workshop = api.create_workshop(token, title="To delete")
    wid, code = workshop["id"], workshop["code"]
    people = [api.join(code, name, organisation="Org") for name in ("Ana", "Ben", "Cleo")]
    phones = [api.socket({"token": p["token"]}) for p in people]
    board = api.socket({"token": token, "workshop_id": wid})
    screen = api.socket({"token": token, "workshop_id": wid, "view": "screen"})
    api.set_phase(token, wid, "discover")
    assert board.emit("pairing_start", {}, callback=True)["ok"]
    story = say(phones[0], "story", "Gone with the workshop", consent="named")
    theme = board.emit("theme_create", {"name": "Theme"}, callback=True)["id"]
    board.emit("theme_assign", {"theme_id": theme, "contribution_id": story}, callback=True)
    board.emit("notes_set", {"phase": "dream", "text": "Private notes"}, callback=True)
    phones[1].emit(
        "consent_change", {"contribution_id": story, "consent": "private"}, callback=True
    )
    phones[0].emit(
        "consent_change", {"contribution_id": story, "consent": "private"}, callback=True
    )
    api.set_phase(token, wid, "design")
    proposition = say(phones[1], "proposition", "Delete me", theme_id=theme)
    phones[0].emit("vote", {"contribution_id": proposition}, callback=True)
    api.set_phase(token, wid, "deliver")
    say(phones[2], "commitment", "Commit", proposition_id=proposition, owner="Cleo")
    share = api.http.post(f"/api/workshops/{wid}/shares", headers=bearer(token)).json["token"]
    assert api.http.get(f"/s/{share}").status_code == 200
    for sio in [*phones, board, screen]:
        sio.get_received()

    assert api.http.delete(f"/api/workshops/{wid}", headers=bearer(other_token)).status_code == 404
    assert api.http.delete(f"/api/workshops/{wid}", headers=bearer(token)).status_code == 204
    for sio in [*phones, board, screen]:
        assert sent_before_closing(sio, "workshop_deleted") == [{"id": wid}]
        assert not sio.is_connected()
    assert _all_rows(app) == before
    # Every way in answers 404 now.
    owner = login(app)
    for path in (
        f"/api/workshops/{wid}",
        f"/api/workshops/{wid}/export.md",
        f"/api/workshops/{wid}/privacy",
        f"/api/workshops/{wid}/shares",
    ):
        assert api.http.get(path, headers=bearer(token)).status_code == 404, path
    for path in (f"/workshops/{wid}", f"/workshops/{wid}/privacy", f"/workshops/{wid}/summary"):
        assert owner.get(path).status_code == 404, path
    assert api.http.get(f"/s/{share}").status_code == 404
    assert api.http.get(f"/s/{share}/export.pdf").status_code == 404
    assert api.http.get(f"/join/{code}").status_code == 404
    assert api.http.delete(f"/api/workshops/{wid}", headers=bearer(token)).status_code == 404
    assert not api.socket({"token": people[0]["token"]}).is_connected()
    assert not api.socket({"token": token, "workshop_id": wid}).is_connected()
    # The other workshop is untouched.
    assert (
        api.http.get(f"/api/workshops/{kept['id']}", headers=bearer(other_token)).status_code == 200
    )


def test_erasures_tell_the_file_caches(api, room, quentin):
    seen = []

    def receiver(sender, workshop_id, deleted):
        seen.append((workshop_id, deleted))

    wid = room["workshop"]["id"]
    with personal_data_erased.connected_to(receiver):
        quentin["phone"].emit(
            "consent_change",
            {"contribution_id": quentin["story"], "consent": "private"},
            callback=True,
        )
        api.http.delete(f"/api/me?workshop_id={wid}", headers=bearer(quentin["token"]))
        api.http.delete(f"/api/workshops/{wid}", headers=bearer(room["token"]))
    assert seen == [(wid, False), (wid, False), (wid, True)]


# ----- retention -----


def _age(app, workshop_id: int, *, closed_days_ago: int | None = None, idle_days: int = 0):
    now = dt.datetime.now(dt.UTC)
    values = {"updated_at": now - dt.timedelta(days=idle_days)}
    if closed_days_ago is not None:
        values["closed_at"] = now - dt.timedelta(days=closed_days_ago)
    with app.app_context():
        db.session.execute(update(Workshop).where(Workshop.id == workshop_id).values(**values))
        db.session.commit()


def _peopled(api, token, title, **fields):
    workshop = api.create_workshop(token, title=title, **fields)
    person = api.join(workshop["code"], f"{title} person", organisation=f"{title} org")
    phone = api.socket({"token": person["token"]})
    api.set_phase(token, workshop["id"], "discover")
    say(phone, "story", f"{title} named story", consent="named")
    say(phone, "story", f"{title} private story", consent="private")
    return workshop, person


def test_retention_anonymises_exactly_the_workshops_past_their_period(api, app, runner):
    token = api.facilitator()
    past, past_person = _peopled(api, token, "Past")
    recent, recent_person = _peopled(api, token, "Recent")
    longer, _ = _peopled(api, token, "Longer", retention_days=730)
    idle, _ = _peopled(api, token, "Idle")
    busy, _ = _peopled(api, token, "Busy")
    for workshop in (past, recent, longer):
        api.set_phase(token, workshop["id"], "closed")
    _age(app, past["id"], closed_days_ago=366, idle_days=366)
    _age(app, recent["id"], closed_days_ago=364, idle_days=364)
    _age(app, longer["id"], closed_days_ago=400, idle_days=400)
    _age(app, idle["id"], idle_days=370)  # never closed: counts from its last change
    _age(app, busy["id"], idle_days=10)

    dry = runner.invoke(args=["privacy", "enforce", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would anonymise 2 workshop(s)" in dry.output and "Dry run" in dry.output
    assert "'Past'" in dry.output and "'Idle'" in dry.output and "'Recent'" not in dry.output
    assert "Past person" in _all_rows_text(app)  # nothing changed

    done = runner.invoke(args=["privacy", "enforce"])
    assert done.exit_code == 0, done.output
    assert "Anonymised 2 workshop(s)" in done.output
    assert (
        "1 participant(s) anonymised, 1 named contribution(s) made anonymous, "
        "1 private contribution(s) deleted."
    ) in done.output
    for workshop, gone in (
        (past, True),
        (idle, True),
        (recent, False),
        (longer, False),
        (busy, False),
    ):
        title = workshop["title"]
        texts = everything_published(api, token, workshop["id"])
        snapshot = api.http.get(f"/api/workshops/{workshop['id']}", headers=bearer(token)).json
        stored = json.dumps(snapshot["contributions"])
        assert f"{title} named story" in texts["md"], title
        assert (f"{title} person" in texts["md"]) is not gone, title
        assert (f"{title} private story" in stored) is not gone, title
        for fmt, text in texts.items():
            assert (f"{title} person" in text) is not gone, (title, fmt)
    assert (
        api.http.get(
            f"/api/me?workshop_id={past['id']}", headers=bearer(past_person["token"])
        ).status_code
        == 404
    )
    assert (
        api.http.get(
            f"/api/me?workshop_id={recent['id']}", headers=bearer(recent_person["token"])
        ).status_code
        == 200
    )
    record = api.http.get(f"/api/workshops/{past['id']}/privacy", headers=bearer(token)).json
    assert record["anonymised_at"] is not None
    assert record["held"]["names"] == 0 and record["held"]["tokens"] == 0
    assert record["events"][0]["kind"] == "retention_anonymised"
    again = runner.invoke(args=["privacy", "enforce"])
    assert "Nothing to do" in again.output


def _all_rows_text(app) -> str:
    return json.dumps(_all_rows(app))


def test_closing_starts_the_retention_period(api):
    token = api.facilitator()
    workshop = api.create_workshop(token)
    wid = workshop["id"]
    record = api.http.get(f"/api/workshops/{wid}/privacy", headers=bearer(token)).json
    assert record["closed_at"] is None and record["retention_starts"] == "last_change"
    api.set_phase(token, wid, "closed")
    record = api.http.get(f"/api/workshops/{wid}/privacy", headers=bearer(token)).json
    closed = dt.datetime.fromisoformat(record["closed_at"])
    assert record["retention_starts"] == "closed"
    assert dt.datetime.fromisoformat(record["anonymise_at"]) - closed == dt.timedelta(days=365)
    api.set_phase(token, wid, "closed")  # staying closed keeps the moment
    again = api.http.get(f"/api/workshops/{wid}/privacy", headers=bearer(token)).json
    assert again["closed_at"] == record["closed_at"]
    api.set_phase(token, wid, "deliver")  # reopened: the period waits for the next closing
    reopened = api.http.get(f"/api/workshops/{wid}/privacy", headers=bearer(token)).json
    assert reopened["closed_at"] is None


# ----- the record of processing -----


def test_the_record_counts_what_is_held_and_logs_without_content(api, room, quentin):
    token, wid = room["token"], room["workshop"]["id"]
    phone = quentin["phone"]
    secret = say(phone, "story", PRIVATE_STORY, consent="private")
    phone.emit(
        "consent_change",
        {"contribution_id": quentin["story"], "consent": "anonymous"},
        callback=True,
    )
    phone.emit("withdraw", {"contribution_id": secret}, callback=True)
    api.http.patch(
        f"/api/workshops/{wid}", json={"privacy_contact": "x@example.org"}, headers=bearer(token)
    )
    response = api.http.get(f"/api/workshops/{wid}/privacy", headers=bearer(token))
    assert response.status_code == 200
    record = response.json
    assert record["held"]["participants"] == 4 and record["held"]["names"] == 4
    assert record["held"]["organisations"] == 4
    assert record["held"]["contributions"] == {"named": 0, "anonymous": 1, "private": 0}
    assert record["retention_days"] == 365 and record["notice"]["contact"] == "x@example.org"
    kinds = [(e["kind"], e["actor"]) for e in record["events"]]
    assert kinds == [
        ("notice_changed", "facilitator"),
        ("contribution_withdrawn", "participant"),
        ("consent_changed", "participant"),
    ]
    assert record["events"][2]["details"] == {
        "contribution_kind": "story",
        "before": "named",
        "after": "anonymous",
    }
    text = response.get_data(as_text=True)
    assert PRIVATE_STORY not in text and NAMED_STORY not in text and NAME not in text
    for who in (room["people"][0]["token"],):
        assert api.http.get(f"/api/workshops/{wid}/privacy", headers=bearer(who)).status_code == 401


# ----- the pages -----


def test_my_contributions_page_changes_withdraws_and_leaves(api, room, quentin):
    wid = room["workshop"]["id"]
    phone = api.app.test_client()
    phone.set_cookie(f"pc_p{wid}", quentin["token"])
    page = phone.get(f"{_live(api, wid)}/me").get_data(as_text=True)
    assert NAMED_STORY in page and "Download my data" in page
    assert f'id="consent-{quentin["story"]}-named" checked' in page
    assert f"/api/me?workshop_id={wid}" in page

    changed = phone.post(
        f"{_live(api, wid)}/me/{quentin['story']}/consent", data={"consent": "anonymous"}
    )
    assert changed.status_code == 302 and changed.headers["Location"].endswith(
        f"#c-{quentin['story']}"
    )
    update = named(room["board"].get_received(), "contribution")[-1]
    assert update["consent"] == "anonymous" and update["author"] is None

    other = say(room["phones"][0], "story", "Ana's story")
    assert phone.post(f"{_live(api, wid)}/me/{other}/withdraw").status_code == 403
    assert phone.post(f"{_live(api, wid)}/me/{quentin['story']}/withdraw").status_code == 302
    assert named(room["board"].get_received(), "contribution_hidden")[-1]["id"] == quentin["story"]
    assert NAMED_STORY not in phone.get(f"{_live(api, wid)}/me").get_data(as_text=True)

    left = phone.post(f"{_live(api, wid)}/me/leave")
    assert left.status_code == 200 and "You have left the workshop" in left.get_data(as_text=True)
    assert "js/forget.js" in left.get_data(as_text=True)
    assert phone.get(f"{_live(api, wid)}/me").status_code == 302  # back to joining: nobody here now
    assert NAME not in json.dumps(room["board"].emit("roster", {}, callback=True))


def test_the_facilitators_privacy_page_saves_erases_and_deletes(api, app, room, quentin):
    wid, code = room["workshop"]["id"], room["workshop"]["code"]
    owner = login(app)
    page = owner.get(f"/workshops/{wid}/privacy")
    assert page.status_code == 200 and NAME in page.get_data(as_text=True)
    saved = owner.post(
        f"/workshops/{wid}/privacy",
        data={
            "privacy_controller": "Kranj Creative",
            "privacy_contact": "dpo@kranj.example",
            "retention_days": "180",
            "privacy_notice": "",
        },
    )
    assert saved.status_code == 302
    notice = app.test_client().get(f"/join/{code}/privacy?lang=en").get_data(as_text=True)
    assert "Kranj Creative runs this workshop" in notice and "180 days" in notice

    erased = owner.post(f"/workshops/{wid}/participants/{quentin['participant_id']}/erase")
    assert erased.status_code == 302
    assert not quentin["phone"].is_connected()
    assert NAME not in owner.get(f"/workshops/{wid}/privacy").get_data(as_text=True)

    wrong = owner.post(f"/workshops/{wid}/delete", data={"confirm": "NOTIT"})
    assert wrong.status_code == 200 and f"Type the code {code} to confirm." in wrong.get_data(
        as_text=True
    )
    assert api.http.get(f"/api/workshops/{wid}", headers=bearer(room["token"])).status_code == 200
    deleted = owner.post(f"/workshops/{wid}/delete", data={"confirm": code.lower()})
    assert deleted.status_code == 302 and deleted.headers["Location"].endswith("/dashboard")
    assert api.http.get(f"/api/workshops/{wid}", headers=bearer(room["token"])).status_code == 404


def test_the_pages_link_to_the_new_rights(api, app, room):
    wid = room["workshop"]["id"]
    phone = app.test_client()
    phone.set_cookie(f"pc_p{wid}", room["people"][0]["token"])
    assert f"{_live(api, wid)}/me" in phone.get(_live(api, wid)).get_data(as_text=True)
    owner = login(app)
    assert f"/workshops/{wid}/privacy" in owner.get(f"/workshops/{wid}").get_data(as_text=True)
    assert f"/workshops/{wid}/privacy" in owner.get("/dashboard").get_data(as_text=True)


def test_a_participant_who_left_keeps_no_open_socket(api, room, quentin):
    wid = room["workshop"]["id"]
    second = api.socket({"token": quentin["token"]})
    assert second.is_connected()
    api.http.delete(f"/api/me?workshop_id={wid}", headers=bearer(quentin["token"]))
    assert not second.is_connected() and not quentin["phone"].is_connected()
    assert not api.socket({"token": quentin["token"]}).is_connected()
