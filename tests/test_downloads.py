"""Downloads through HTTP: the export cache, the rate limits, the render queue and its answers."""

from __future__ import annotations

import threading
from urllib.parse import unquote

import pytest
from conftest import bearer, say
from sqlalchemy import event

from workshop.exports import forget_workshop
from workshop.exports import renders as renders_module
from workshop.exports.cache import ExportCache, ExportKey, cache_of
from workshop.exports.renders import renders_of
from workshop.extensions import db


@pytest.fixture
def shared(api, room):
    """The room's workshop with a story, a share link, and the API's download URL."""
    token, wid = room["token"], room["workshop"]["id"]
    api.set_phase(token, wid, "discover")
    say(room["phones"][0], "story", "Makers took over the old mill", consent="named")
    link = api.http.post(f"/api/workshops/{wid}/shares", headers=bearer(token)).json["token"]
    return {"token": token, "wid": wid, "link": link, "room": room}


class CountingRenders:
    """Wraps the renderer the server calls: counts renders, and can hold them at a gate."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, str]] = []
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()
        real = renders_module.render

        def render(draft, fmt, language, base_url=None):
            self.calls.append((fmt, language))
            self.entered.set()
            assert self.gate.wait(30), "the test never opened the gate"
            return real(draft, fmt, language, base_url)

        monkeypatch.setattr(renders_module, "render", render)

    def hold(self) -> None:
        self.gate.clear()

    def release(self) -> None:
        self.gate.set()


@pytest.fixture
def counting(monkeypatch):
    return CountingRenders(monkeypatch)


def download(api, shared, fmt="md", lang=None, **kwargs):
    url = f"/s/{shared['link']}/export.{fmt}" + (f"?lang={lang}" if lang else "")
    return api.app.test_client().get(url, **kwargs)


def test_an_unchanged_workshop_is_served_from_the_cache(api, shared, counting):
    first = download(api, shared)
    second = download(api, shared)
    assert first.status_code == second.status_code == 200
    assert second.data == first.data  # the same file, made once: its "generated" time too
    assert counting.calls == [("md", "en")]

    assert download(api, shared, lang="de").status_code == 200  # another language: another file
    assert counting.calls == [("md", "en"), ("md", "de")]

    say(shared["room"]["phones"][1], "story", "A festival in the tram depot")
    third = download(api, shared)
    assert b"tram depot" in third.data and len(counting.calls) == 3

    # Joining changes the title page's counts without raising the workshop's seq.
    api.join(shared["room"]["workshop"]["code"], "Dora")
    fourth = download(api, shared)
    assert len(counting.calls) == 4 and fourth.data != third.data


def test_json_is_one_file_for_every_language(api, shared, counting):
    assert download(api, shared, "json", lang="pl").status_code == 200
    assert download(api, shared, "json", lang="it").status_code == 200
    assert counting.calls == [("json", "en")]  # rendered once, in the workshop's language


def test_a_deleted_workshops_files_can_be_forgotten(api, app, shared, counting):
    assert download(api, shared).status_code == 200
    folder = cache_of(app).folder / str(shared["wid"])
    assert [p.suffix for p in folder.iterdir()] == [".md"]
    with app.app_context():
        forget_workshop(shared["wid"])
    assert not folder.exists()
    assert download(api, shared).status_code == 200
    assert len(counting.calls) == 2


def test_the_cache_keeps_only_current_files_within_its_bound(tmp_path):
    cache = ExportCache(tmp_path, max_bytes=3000)

    def key(workshop_id, seq, fmt="pdf"):
        return ExportKey(workshop_id, seq, "state", fmt, "en", None)

    cache.store(key(1, 5), b"a" * 1000)
    cache.store(key(1, 5, "docx"), b"b" * 1000)
    cache.store(key(1, 6), b"c" * 1000)  # a newer state: the seq-5 files can never be asked for
    assert sorted(p.name.split("-")[0] for p in (tmp_path / "1").iterdir()) == ["0000000006"]
    cache.store(key(2, 1), b"d" * 1000)
    cache.store(key(3, 1), b"e" * 1000)
    with cache.open(key(1, 6)) as used:  # served recently: kept
        assert used.read() == b"c" * 1000
    cache.store(key(4, 1), b"f" * 1500)
    assert cache.size() <= 3000
    assert cache.open(key(2, 1)) is None  # the least recently used went first
    for kept in (key(1, 6), key(4, 1)):
        with cache.open(kept) as handle:
            assert handle.read()


def test_a_share_link_is_limited_per_link_and_per_address(api, shared):
    elsewhere = {"REMOTE_ADDR": "10.0.0.9"}
    for _ in range(30):
        assert download(api, shared).status_code == 200
    refused = download(api, shared, environ_base=elsewhere)
    assert refused.status_code == 429  # the link's limit, from any address
    assert int(refused.headers["Retry-After"]) >= 1
    assert "text/html" in refused.content_type and "Refresh" in refused.headers

    def new_link():
        response = api.http.post(
            f"/api/workshops/{shared['wid']}/shares", headers=bearer(shared["token"])
        )
        return f"/s/{response.json['token']}/export.md"

    partner = api.app.test_client()
    second, third = new_link(), new_link()
    for _ in range(29):
        assert partner.get(second).status_code == 200
    assert partner.get(third).status_code == 200
    # The 61st download from 127.0.0.1 in a minute: the address's limit, whatever the link.
    assert partner.get(third).status_code == 429
    assert partner.get(third, environ_base=elsewhere).status_code == 200


def test_the_owner_is_limited_per_workshop(api, shared):
    url = f"/api/workshops/{shared['wid']}/export.csv"
    for _ in range(30):
        assert api.http.get(url, headers=bearer(shared["token"])).status_code == 200
    refused = api.http.get(url, headers=bearer(shared["token"]))
    assert refused.status_code == 429 and refused.json["error"] == "rate_limited"
    assert refused.json["retry_after"] == int(refused.headers["Retry-After"])


def test_renders_are_capped_and_queued_with_a_clear_answer(api, app, shared, counting):
    app.config.update(EXPORT_MAX_RENDERS=1, EXPORT_MAX_QUEUED=1, EXPORT_WAIT_SECONDS=0.2)
    url = f"/api/workshops/{shared['wid']}/export.md"
    owner = bearer(shared["token"])
    counting.hold()

    running = api.http.get(url + "?lang=en", headers=owner)
    assert running.status_code == 503 and running.json["error"] == "export_pending"
    assert running.headers["Retry-After"] == str(app.config["EXPORT_RETRY_AFTER"])
    assert counting.entered.wait(30)  # the English file holds the only slot
    queued = api.http.get(url + "?lang=de", headers=owner)
    assert queued.status_code == 503 and queued.json["error"] == "export_pending"
    full = api.http.get(url + "?lang=pl", headers=owner)
    assert full.status_code == 503 and full.json["error"] == "export_busy"
    assert "Retry-After" in full.headers
    again = api.http.get(url + "?lang=en", headers=owner)  # joins the render in flight
    assert again.status_code == 503 and again.json["error"] == "export_pending"
    assert counting.calls == [("md", "en")]

    # A partner's browser gets a page that says so and tries again by itself.
    page = download(api, shared, lang="en", headers={"Accept": "text/html"})
    assert page.status_code == 503
    assert page.headers["Refresh"].startswith(page.headers["Retry-After"] + "; url=/s/")
    assert "being prepared" in page.get_data(as_text=True)
    # A browser following the owner's download link gets the page too.
    browser = api.http.get(url + "?lang=en", headers={**owner, "Accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 503 and "text/html" in browser.content_type

    counting.release()
    assert renders_of(app).wait_idle(30)
    app.config["EXPORT_WAIT_SECONDS"] = 600  # from here on, downloads wait for their files
    for lang in ("en", "de", "pl"):
        response = api.http.get(f"{url}?lang={lang}", headers=owner)
        assert response.status_code == 200, (lang, response.data[:200])
    assert sorted(counting.calls) == [("md", "de"), ("md", "en"), ("md", "pl")]


def test_no_database_connection_is_held_while_a_file_is_made(api, app, shared, counting):
    """The request waits for the render, and the render lays out, with no pooled connection."""
    held = {"now": 0}
    with app.app_context():
        engine = db.engine
    event.listen(engine, "checkout", lambda *a: held.update(now=held["now"] + 1))
    event.listen(engine, "checkin", lambda *a: held.update(now=held["now"] - 1))
    counting.hold()
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(download(api, shared, "md")))
    waiting.start()
    assert counting.entered.wait(30)
    assert held["now"] == 0
    counting.release()
    waiting.join(30)
    assert answers and answers[0].status_code == 200


def test_a_failed_render_answers_500_and_the_next_download_tries_again(
    api, app, shared, monkeypatch
):
    real = renders_module.render
    failures = iter([RuntimeError("layout crashed")])

    def flaky(draft, fmt, language, base_url=None):
        error = next(failures, None)
        if error:
            raise error
        return real(draft, fmt, language, base_url)

    monkeypatch.setattr(renders_module, "render", flaky)
    failed = api.http.get(
        f"/api/workshops/{shared['wid']}/export.md", headers=bearer(shared["token"])
    )
    assert failed.status_code == 500 and failed.json["error"] == "export_failed"
    again = api.http.get(
        f"/api/workshops/{shared['wid']}/export.md", headers=bearer(shared["token"])
    )
    assert again.status_code == 200


@pytest.mark.parametrize(
    ("title", "lang", "plain", "original"),
    [
        (
            "Zażółć: Łódź/Kraków",
            None,
            "zazolc-lodz-krakow-2026-11-20-en.pdf",
            "Zażółć Łódź Kraków 2026-11-20 en.pdf",
        ),
        (
            "Größere Werkstätten in Chemnitz",
            "de",
            "grossere-werkstatten-in-chemnitz-2026-11-20-de.pdf",
            "Größere Werkstätten in Chemnitz 2026-11-20 de.pdf",
        ),
        ("«»", "sl", "strategy-draft-2026-11-20-sl.pdf", "«» 2026-11-20 sl.pdf"),
    ],
)
def test_file_names_follow_title_date_and_language(api, shared, title, lang, plain, original):
    api.http.patch(
        f"/api/workshops/{shared['wid']}",
        json={"title": title, "held_on": "2026-11-20"},
        headers=bearer(shared["token"]),
    )
    response = download(api, shared, "pdf", lang=lang)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{plain}"; ')
    assert disposition.isascii()
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == original


def test_a_queued_render_is_brought_up_to_date_rather_than_made_twice(api, app, shared, counting):
    app.config.update(EXPORT_MAX_RENDERS=1, EXPORT_MAX_QUEUED=1, EXPORT_WAIT_SECONDS=0.2)
    counting.hold()
    assert download(api, shared, lang="en").status_code == 503  # running, held at the gate
    assert counting.entered.wait(30)
    assert download(api, shared, lang="de").status_code == 503  # queued
    say(shared["room"]["phones"][1], "story", "Written while the file was waiting")
    # The queue is full, yet the newer German file is not refused: the queued render makes it.
    again = download(api, shared, lang="de")
    assert again.status_code == 503
    assert "Many files are being prepared" not in again.get_data(as_text=True)
    counting.release()
    assert renders_of(app).wait_idle(30)
    app.config["EXPORT_WAIT_SECONDS"] = 600  # from here on, downloads wait for their files
    german = download(api, shared, lang="de")
    assert german.status_code == 200 and b"Written while the file was waiting" in german.data
    assert counting.calls == [("md", "en"), ("md", "de")]


def test_a_download_told_to_wait_gets_its_file_though_the_room_moved_on(api, app, shared, counting):
    """A live room changes faster than a long file is made: the ticket finds the file made."""
    app.config.update(EXPORT_WAIT_SECONDS=0.2)
    counting.hold()
    first = download(api, shared, headers={"Accept": "text/html"})
    assert first.status_code == 503
    refresh = first.headers["Refresh"].split("; url=", 1)[1]
    assert "ticket=" in refresh and "lang=" not in refresh
    assert counting.entered.wait(30)
    say(shared["room"]["phones"][1], "story", "Written while the file was being made")
    counting.release()
    assert renders_of(app).wait_idle(30)
    app.config["EXPORT_WAIT_SECONDS"] = 600  # from here on, downloads wait for their files

    again = api.app.test_client().get(refresh)  # what the page's Refresh does
    assert again.status_code == 200 and b"Makers took over the old mill" in again.data
    assert len(counting.calls) == 1
    # Without the ticket, the workshop as it is now: a new file.
    fresh = download(api, shared)
    assert fresh.status_code == 200 and b"Written while the file was being made" in fresh.data
    assert len(counting.calls) == 2
    # A ticket of another document (or an unknown one) is ignored.
    other = api.app.test_client().get(refresh.replace("export.md", "export.csv"))
    assert other.status_code == 200 and len(counting.calls) == 3
    assert download(api, shared, lang="en").status_code == 200


def test_an_api_client_gets_its_ticket_in_json(api, app, shared, counting):
    app.config.update(EXPORT_WAIT_SECONDS=0.2)
    counting.hold()
    url = f"/api/workshops/{shared['wid']}/export.md"
    pending = api.http.get(url, headers=bearer(shared["token"]))
    assert pending.status_code == 503 and pending.json["ticket"]
    counting.release()
    assert renders_of(app).wait_idle(30)
    app.config["EXPORT_WAIT_SECONDS"] = 600  # from here on, downloads wait for their files
    done = api.http.get(f"{url}?ticket={pending.json['ticket']}", headers=bearer(shared["token"]))
    assert done.status_code == 200 and len(counting.calls) == 1
