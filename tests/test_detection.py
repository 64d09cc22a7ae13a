"""A transnational room: each reader's prompts in their language, each text tagged with its own."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD, bearer, named, new_client_id

from workshop.extensions import socketio

POLISH_STORY = (
    "Czterdziestu twórców otworzyło swoje pracownie w starej przędzalni i przyszło dwa "
    "tysiące osób z całego regionu."
)
CZECH_STORY = "Čtyřicet tvůrců otevřelo své dílny ve staré textilce a přišly dva tisíce lidí."


def _join_page(app, code, name, browser_languages="", headers=None):
    """Join through the page, as a phone does (its script fills in navigator.languages)."""
    phone = app.test_client()
    response = phone.post(
        "/join",
        data={"code": code, "name": name, "browser_languages": browser_languages},
        headers=headers or {},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    public_id = re.search(r"/w/([\w-]+)$", response.headers["Location"]).group(1)
    from workshop.extensions import db
    from workshop.models import Workshop

    with app.app_context():
        workshop_id = db.session.query(Workshop.id).filter_by(public_id=public_id).scalar()
    return phone, workshop_id


def _participant(app, workshop_id, name):
    from workshop.extensions import db
    from workshop.models import Participant

    with app.app_context():
        return db.session.query(Participant).filter_by(workshop_id=workshop_id, name=name).one()


def test_a_phone_keeps_its_browsers_language_from_the_join(api, app):
    token = api.facilitator()
    workshop = api.create_workshop(token, language="sl")
    _join_page(app, workshop["code"], "Ola", browser_languages="pl-PL,en-GB")
    _join_page(app, workshop["code"], "Max", browser_languages="fr-FR,de-AT")
    _join_page(app, workshop["code"], "Eva", headers={"Accept-Language": "cs-CZ,cs;q=0.9"})
    chooser = app.test_client()
    chooser.get("/?lang=it")  # the language switcher: an explicit choice beats the browser
    chooser.post(
        "/join", data={"code": workshop["code"], "name": "Gio", "browser_languages": "pl-PL"}
    )
    _join_page(app, workshop["code"], "Zed", browser_languages="fr-FR")
    languages = {
        name: _participant(app, workshop["id"], name).language
        for name in ("Ola", "Max", "Eva", "Gio", "Zed")
    }
    assert languages == {"Ola": "pl", "Max": "de", "Eva": "cs", "Gio": "it", "Zed": None}


def test_a_polish_phone_in_a_slovenian_room_reads_polish_prompts(api, app):
    token = api.facilitator()
    workshop = api.create_workshop(token, language="sl")
    api.set_phase(token, workshop["id"], "discover")
    phone, wid = _join_page(app, workshop["code"], "Ola", browser_languages="pl-PL")
    page = phone.get(f"/w/{wid}", follow_redirects=True).get_data(as_text=True)
    assert '<html lang="pl"' in page
    # The first interview question, in Polish, before any script runs.
    assert "Opowiedz mi o" in page or "Opowiedz o" in page
    catalogue = phone.get("/i18n/pl.json").json
    assert catalogue["prompts"]["discover.high_point"] in page
    slovenian = phone.get("/i18n/sl.json").json["prompts"]["discover.high_point"]
    assert slovenian not in page
    # The room's events carry the entries, never a text in one language.
    board = api.socket({"token": token, "workshop_id": wid})
    board.get_received()
    board.emit("set_phase", {"phase": "dream"}, callback=True)
    assert named(board.get_received(), "phase")[0]["prompts"] == [{"default": "dream.vision"}]


def test_own_prompts_stay_as_written_with_the_translations_added(api, app):
    token = api.facilitator("lea@example.org")
    workshop = api.create_workshop(token, language="sl")
    wid = workshop["id"]
    facilitator = app.test_client()
    facilitator.post("/login", data={"email": "lea@example.org", "password": PASSWORD})
    fields = {
        "title": "Kranj",
        "language": "sl",
        "votes_per_participant": "3",
        "prompt_discover": "Kdaj ste bili najbolj ponosni na svojo regijo?",
        "prompt_dream": "",
        "prompt_design": "",
        "prompt_deliver": "",
    }
    assert facilitator.post(f"/workshops/{wid}/edit", data=fields).status_code == 302
    edit = facilitator.get(f"/workshops/{wid}/edit").get_data(as_text=True)
    assert 'name="translation-discover-0-pl"' in edit
    assert 'name="translation-discover-0-sl"' not in edit  # its own language needs none
    translated = {
        **fields,
        "translation-discover-0-source": "Kdaj ste bili najbolj ponosni na svojo regijo?",
        "translation-discover-0-pl": "Kiedy byłeś najbardziej dumny ze swojego regionu?",
    }
    assert facilitator.post(f"/workshops/{wid}/edit", data=translated).status_code == 302
    stored = facilitator.get(f"/api/workshops/{wid}").json["workshop"]["prompts"]
    assert stored["discover"] == [
        {
            "text": "Kdaj ste bili najbolj ponosni na svojo regijo?",
            "language": "sl",
            "translations": {"pl": "Kiedy byłeś najbardziej dumny ze swojego regionu?"},
        }
    ]
    assert stored["dream"] == []  # emptied: no prompt in Dream
    api.set_phase(token, wid, "discover")
    polish, _ = _join_page(app, workshop["code"], "Ola", browser_languages="pl")
    german, _ = _join_page(app, workshop["code"], "Max", browser_languages="de")
    assert "Kiedy byłeś najbardziej dumny" in polish.get(
        f"/w/{wid}", follow_redirects=True
    ).get_data(as_text=True)
    # Without a German translation, the German phone reads it as written, marked as Slovenian.
    page = german.get(f"/w/{wid}", follow_redirects=True).get_data(as_text=True)
    assert '<li lang="sl">Kdaj ste bili najbolj ponosni na svojo regijo?</li>' in page
    # Changing the text drops the translations of the old one.
    changed = {**translated, "prompt_discover": "Kdaj ste bili ponosni?"}
    assert facilitator.post(f"/workshops/{wid}/edit", data=changed).status_code == 302
    stored = facilitator.get(f"/api/workshops/{wid}").json["workshop"]["prompts"]
    assert stored["discover"] == [{"text": "Kdaj ste bili ponosni?", "language": "sl"}]


def test_the_projector_speaks_the_workshops_language_unless_switched(api, app):
    token = api.facilitator("lea@example.org")
    workshop = api.create_workshop(token, language="sl")
    facilitator = app.test_client()
    facilitator.post("/login", data={"email": "lea@example.org", "password": PASSWORD})
    facilitator.get("/dashboard?lang=de")  # the facilitator's own language
    screen = f"/workshops/{workshop['id']}/screen"
    assert '<html lang="sl"' in facilitator.get(screen).get_data(as_text=True)
    assert '<html lang="it"' in facilitator.get(f"{screen}?lang=it").get_data(as_text=True)
    # Switching the projector leaves the facilitator's own pages as they were.
    assert '<html lang="de"' in facilitator.get("/dashboard").get_data(as_text=True)


@pytest.mark.parametrize(
    ("text", "browser", "expected"),
    [
        (POLISH_STORY, "en", "pl"),  # the text tells, whatever the phone speaks
        (CZECH_STORY, "en", "cs"),  # a guest's language, not the room's
        ("Super!", "pl", "pl"),  # too short to tell: the writer's language
        ("Super!", "", "sl"),  # nothing known of the writer: the workshop's
    ],
)
def test_each_text_is_tagged_with_the_language_it_is_written_in(api, app, text, browser, expected):
    token = api.facilitator()
    workshop = api.create_workshop(token, language="sl")
    api.set_phase(token, workshop["id"], "discover")
    phone, wid = _join_page(app, workshop["code"], "Ola", browser_languages=browser)
    sock = socketio.test_client(app, auth={"workshop_id": wid}, flask_test_client=phone)
    try:
        ack = sock.emit(
            "contribute",
            {"client_id": new_client_id(), "kind": "story", "text": text},
            callback=True,
        )
        assert ack["ok"], ack
        stored = api.http.get(f"/api/workshops/{wid}", headers=bearer(token)).json
        assert stored["contributions"][0]["language"] == expected
    finally:
        sock.disconnect()


def test_the_facilitator_corrects_a_language_tag(api, room):
    wid, token = room["workshop"]["id"], room["token"]
    api.set_phase(token, wid, "discover")
    phone = room["phones"][0]
    ack = phone.emit(
        "contribute", {"client_id": new_client_id(), "kind": "story", "text": "Ja"}, callback=True
    )
    board = api.socket({"token": token, "workshop_id": wid})
    board.get_received()
    phone.get_received()
    answer = board.emit(
        "set_language", {"contribution_id": ack["id"], "language": "nl"}, callback=True
    )
    assert answer == {"ok": True}
    assert named(phone.get_received(), "contribution")[-1]["language"] == "nl"
    assert named(board.get_received(), "contribution")[-1]["language"] == "nl"
    refused = board.emit(
        "set_language", {"contribution_id": ack["id"], "language": "fr"}, callback=True
    )
    assert refused["ok"] is False and refused["error"] == "invalid_choice"
    from_phone = phone.emit(
        "set_language", {"contribution_id": ack["id"], "language": "pl"}, callback=True
    )
    assert from_phone["error"] == "forbidden"
