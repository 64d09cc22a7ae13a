"""Seven languages: complete catalogues, translated pages, plurals, locale choice everywhere."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from conftest import PASSWORD, bearer, named, new_client_id

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("de", "pl", "cs", "it", "sl", "nl")
DOMAINS = ("messages", "js")


def _catalog(locale: str, domain: str):
    path = ROOT / "translations" / locale / "LC_MESSAGES" / f"{domain}.po"
    assert path.exists(), f"missing catalogue {path}"
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _template(domain: str):
    with (ROOT / "translations" / f"{domain}.pot").open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete(locale, domain):
    catalog = _catalog(locale, domain)
    template_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _template(domain) if m.id}
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    assert template_ids <= ids, f"untranslated: {sorted(template_ids - ids)[:10]}"
    expected_plurals = get_plural(locale).num_plurals
    assert catalog.num_plurals == expected_plurals
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        assert all(s and s.strip() for s in strings), f"empty translation: {message.id!r}"
        if isinstance(message.id, (list, tuple)):
            assert len(strings) == expected_plurals, message.id
        for placeholder in ("%(num)d", "%(name)s", "%(field)s", "%(n)d", "%(phase)s", "%(code)s"):
            source = message.id if isinstance(message.id, str) else message.id[0]
            if placeholder in source:
                assert all(placeholder in s for s in strings), (message.id, strings)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "placeholder", "title", "alt") and value:
                self.texts.add(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.add(" ".join(data.split()))


def _visible(html: str) -> set[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.texts


@pytest.fixture
def pages(api, app):
    token = api.facilitator("lea@example.org")
    workshop = api.create_workshop(token)
    wid = workshop["id"]
    person = api.join(workshop["code"], "Ana")
    share = api.http.post(f"/api/workshops/{wid}/shares", headers=bearer(token)).json["token"]
    facilitator = app.test_client()
    facilitator.post("/login", data={"email": "lea@example.org", "password": PASSWORD})
    phone = app.test_client()
    phone.set_cookie(f"pc_p{wid}", person["token"])
    anonymous = app.test_client()
    pid = api.http.post("/api/programmes", json={"title": "Net"}, headers=bearer(token)).json["id"]
    api.http.post(f"/api/programmes/{pid}/regions", json={"name": "Kranj"}, headers=bearer(token))
    api.create_workshop(token, title="In the programme", programme_id=pid)
    invitation = api.http.post(f"/api/programmes/{pid}/invitations", headers=bearer(token)).json
    portal = api.http.post(f"/api/programmes/{pid}/shares", headers=bearer(token)).json["token"]
    return [
        (facilitator, f"/programmes/{pid}"),
        (facilitator, f"/programmes/{pid}/manage"),
        (anonymous, f"/invitations/{invitation['token']}"),
        (facilitator, f"/invitations/{invitation['token']}"),
        (anonymous, f"/p/{portal}"),
        (anonymous, f"/p/{portal}/workshops/{wid + 1}"),
        (anonymous, "/login"),
        (anonymous, "/"),
        (anonymous, f"/join/{workshop['code']}"),
        (anonymous, "/no-such-page"),
        (anonymous, f"/s/{share}"),
        (facilitator, "/dashboard"),
        (facilitator, f"/workshops/{wid}"),
        (facilitator, f"/workshops/{wid}/edit"),
        (facilitator, f"/workshops/{wid}/screen"),
        (facilitator, f"/workshops/{wid}/summary"),
        (phone, person["live_url"]),
        (phone, f"{person['live_url']}/summary"),
        (facilitator, "/account/tokens"),
        (anonymous, "/privacy"),
        (anonymous, f"/join/{workshop['code']}/privacy"),
        (phone, f"{person['live_url']}/me"),
        (facilitator, f"/workshops/{wid}/privacy"),
    ]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_is_translated(app, pages, locale):
    from workshop.services.method import default_prompts

    source = _template("messages")
    translated = {m.id: m.string for m in _catalog(locale, "messages") if isinstance(m.id, str)}
    with app.test_request_context("/"):
        # A workshop's prompts are its content, kept in the workshop's language.
        content = {text for texts in default_prompts("en").values() for text in texts}
    candidates = {
        m.id
        for m in source
        if isinstance(m.id, str) and m.id and "%" not in m.id and any(c.isalpha() for c in m.id)
    } - content
    for client, path in pages:
        english = _visible(client.get(f"{path}?lang=en").get_data(as_text=True))
        local = _visible(client.get(f"{path}?lang={locale}").get_data(as_text=True))
        leaks = {
            text
            for text in english & local
            if text in candidates and translated.get(text, text) != text
        }
        assert not leaks, f"{path} in {locale} still shows: {sorted(leaks)}"
    # Leave the clients in English for other tests.
    for client, _ in pages:
        client.get("/login?lang=en")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("pl", {1: "1 głos", 2: "2 głosy", 5: "5 głosów", 22: "22 głosy"}),
        ("cs", {1: "1 hlas", 2: "2 hlasy", 5: "5 hlasů"}),
        ("sl", {1: "1 glas", 2: "2 glasova", 3: "3 glasovi", 5: "5 glasov", 101: "101 glas"}),
    ],
)
def test_plural_forms(app, locale, expected):
    from flask_babel import force_locale

    from workshop.exports.labels import votes_text

    with app.test_request_context("/"), force_locale(locale):
        assert {n: votes_text(n) for n in expected} == expected


def test_js_catalogue_is_served_per_locale(client):
    body = client.get("/i18n/pl.json").json
    assert body["locale"] == "pl" and body["plural_index"]["few"] == 1
    assert len(body["messages"]) > 50
    assert client.get("/i18n/en.json").json["messages"] == {}
    assert client.get("/i18n/xx.json").status_code == 404


def test_locale_order(client):
    accept = {"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"}
    assert 'lang="de"' in client.get("/login", headers=accept).get_data(as_text=True)
    assert 'lang="it"' in client.get("/login?lang=it", headers=accept).get_data(as_text=True)
    # The choice is remembered: the next page keeps Italian despite the browser.
    assert 'lang="it"' in client.get("/login", headers=accept).get_data(as_text=True)
    assert 'lang="nl"' in client.get("/login?lang=nl").get_data(as_text=True)


def test_socket_acks_speak_the_phones_language(api, room):
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    polish = api.join(room["workshop"]["code"], "Ola", language="pl")
    phone = api.socket({"token": polish["token"]})
    ack = phone.emit(
        "contribute", {"client_id": new_client_id(), "kind": "dream", "text": "x"}, callback=True
    )
    assert ack["error"] == "wrong_kind"
    assert (
        ack["message"] != "The Discover phase collects dreams." and "Odkrywanie" in ack["message"]
    )
    english = room["phones"][0].emit(
        "contribute", {"client_id": new_client_id(), "kind": "dream", "text": "x"}, callback=True
    )
    assert english["message"] == "The Discover phase collects stories."
    # Broadcasts carry data, not text: the same event reaches both phones unchanged.
    phone.emit(
        "contribute",
        {"client_id": new_client_id(), "kind": "story", "text": "Historia"},
        callback=True,
    )
    assert named(room["phones"][0].get_received(), "contribution")[-1]["language"] == "pl"


def test_the_methods_prompts_come_in_each_readers_language(api, app):
    from workshop.extensions import db
    from workshop.models import Workshop
    from workshop.services.prompts import prompts_in

    token = api.facilitator()
    created = api.create_workshop(token, language="pl")
    with app.app_context():
        workshop = db.session.get(Workshop, created["id"])
        polish, slovenian = prompts_in(workshop, "pl"), prompts_in(workshop, "sl")
    assert len(polish["discover"]) == len(slovenian["discover"]) == 4
    assert polish["discover"] != slovenian["discover"]
    assert all(text.strip() for text in polish["discover"] + slovenian["discover"])


@pytest.mark.parametrize("locale", LOCALES)
def test_exports_follow_the_chosen_language(api, room, locale):
    wid, token = room["workshop"]["id"], room["token"]
    english = api.http.get(
        f"/api/workshops/{wid}/export.md?lang=en", headers=bearer(token)
    ).get_data(as_text=True)
    local = api.http.get(
        f"/api/workshops/{wid}/export.md?lang={locale}", headers=bearer(token)
    ).get_data(as_text=True)
    assert "## Strengths: the positive core" in english
    assert "## Strengths: the positive core" not in local
