"""Real-browser tests: ``python wsgi.py`` driven by Debian's Chromium through Playwright.

Everything here is real: the server runs as its own process (eventlet, a
SQLite file migrated with ``flask db upgrade``, a facilitator made with the
CLI), and each person in the room has a browser context of their own: the
facilitator at a 1440×900 laptop, participants on 390×844 touch phones.

Browser downloads cannot work on the project's machines, so Playwright never
installs a browser: it drives ``/usr/bin/chromium`` (``scripts/install-e2e-deps``
installs it and the Python packages). Without them the tests are skipped, or
fail when ``CI=true``.

Fixtures:
- ``live_server``: one server for the session; ``fresh_server``: one per test
  (for tests that kill it). Both start from ``prepared_database``, made once.
  ``postgres_server``: one per test on a fresh PostgreSQL database.
- ``browser``: the session's Chromium.
- ``people`` (``people_on_fresh_server``, ``people_on_postgres``): opens pages as the facilitator or
  a phone, collects console errors, page errors and 5xx answers per page,
  and fails the test on unexpected ones. After a failure, every open page is
  screenshotted and the server's log kept, in ``artifacts/``.
- ``a11y``: runs the vendored axe-core on a page at phone and desktop size,
  fails on serious or critical violations, keeps screenshots in
  ``artifacts/screenshots/`` and every violation in ``artifacts/axe-*.json``.
- ``report``: figures a test measured, repeated at the end of the run.

Run: ``scripts/install-e2e-deps && .venv/bin/python -m pytest tests/e2e -q``
(or ``-m e2e`` / ``-m "not e2e"`` on the whole suite).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from livekit import EMAIL, PASSWORD, postgres_database
from livekit import LiveServer as ServerProcess

from .pages import ARTIFACTS, SCREENSHOTS, sign_in

E2E_DIR = Path(__file__).resolve().parent
AXE_JS = E2E_DIR / "vendor" / "axe.min.js"

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

FACILITATOR_EMAIL, FACILITATOR_PASSWORD = EMAIL, PASSWORD

DESKTOP = {"viewport": {"width": 1440, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

#: How long `expect` waits by default (ms). Generous for a loaded CI machine;
#: a passing assertion returns as soon as it holds.
EXPECT_TIMEOUT_MS = 10_000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: real-browser test (Chromium via Playwright) against the real server"
    )


#: Figures the tests measured, shown at the end of the run (also with -q).
MEASUREMENTS: list[str] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if MEASUREMENTS:
        terminalreporter.write_sep("-", "browser measurements")
        for line in MEASUREMENTS:
            terminalreporter.write_line(line)


@pytest.fixture
def report() -> Callable[[str], None]:
    """Record a measured figure: printed now and in the run's closing summary."""

    def add(line: str) -> None:
        print(line)
        MEASUREMENTS.append(line)

    return add


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


# ----- what the tests need from the machine -----


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (run scripts/install-e2e-deps)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium is missing at {CHROMIUM} (run scripts/install-e2e-deps)"
    return None


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where a skip would hide a broken setup."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


# ----- the real server -----


class LiveServer:
    """``python wsgi.py`` (``livekit.LiveServer``) with the API calls tests use.

    On its own SQLite file, or on ``database_url`` (a PostgreSQL database).
    """

    def __init__(self, workdir: Path, database_url: str | None = None) -> None:
        self.database = workdir / "e2e.sqlite3"
        self.process = ServerProcess(
            workdir,
            mode="eventlet",
            database_url=database_url or f"sqlite:///{self.database}",
            extra_env={
                "SECRET_KEY": "e2e-secret-key-that-survives-restarts",
                # One process on its own: nothing from a developer's shell leaks in.
                "SOCKETIO_MESSAGE_QUEUE": "",
                "PUBLIC_URL": "",
                "PROXY_FIX": "0",
                "RATELIMIT_STORAGE_URI": "memory://",
                "PYTHONUNBUFFERED": "1",
            },
        )
        self._token: str | None = None

    @property
    def url(self) -> str:
        return self.process.base

    @property
    def log_path(self) -> Path:
        return self.process.log_path

    def prepare(self) -> None:
        """Migrate the database and create the facilitator, as an operator would."""
        self.process.prepare()

    def start(self) -> None:
        self.process.start()

    def kill(self) -> None:
        """SIGKILL: no goodbye to any client, as when a laptop's process dies."""
        self.process.kill()

    def stop(self) -> None:
        self.process.stop()

    # --- the JSON API, for setup and for checking what was stored ---

    @property
    def token(self) -> str:
        if self._token is None:
            response = requests.post(
                f"{self.url}/api/auth/token",
                json={"email": FACILITATOR_EMAIL, "password": FACILITATOR_PASSWORD},
                timeout=10,
            )
            assert response.status_code == 200, response.text
            self._token = response.json()["token"]
        return self._token

    def api(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        response = requests.request(
            method,
            f"{self.url}{path}",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
            **kwargs,
        )
        assert response.status_code == expect, (
            f"{method} {path}: {response.status_code} {response.text}"
        )
        return response.json() if response.content else None

    def create_workshop(self, **fields: Any) -> dict[str, Any]:
        return self.api("POST", "/api/workshops", expect=201, json=fields)

    def set_phase(self, workshop_id: int, phase: str) -> None:
        self.api("POST", f"/api/workshops/{workshop_id}/phase", json={"phase": phase})

    def snapshot(self, workshop_id: int) -> dict[str, Any]:
        return self.api("GET", f"/api/workshops/{workshop_id}")


@pytest.fixture(scope="session")
def prepared_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated and with its facilitator, made once and copied for each server."""
    if reason := _missing():
        _unavailable(reason)
    template = LiveServer(tmp_path_factory.mktemp("e2e-template"))
    template.prepare()
    return template.database


def _server(
    tmp_path_factory: pytest.TempPathFactory, name: str, database: Path
) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp(name))
    shutil.copyfile(database, server.database)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, prepared_database: Path
) -> Iterator[LiveServer]:
    """One real server for the session's tests; each test makes its own workshop."""
    yield from _server(tmp_path_factory, "e2e-server", prepared_database)


@pytest.fixture
def fresh_server(
    tmp_path_factory: pytest.TempPathFactory, prepared_database: Path
) -> Iterator[LiveServer]:
    """A server of this test's own, which it may kill and start again."""
    yield from _server(tmp_path_factory, "e2e-fresh-server", prepared_database)


@pytest.fixture
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of this test's own on a fresh PostgreSQL database, migrated, with its facilitator."""
    if reason := _missing():
        _unavailable(reason)
    url, drop = postgres_database()  # fails under CI=true when PostgreSQL is missing
    server = LiveServer(tmp_path_factory.mktemp("e2e-postgres"), database_url=url)
    try:
        server.prepare()
        server.start()
        yield server
    finally:
        server.stop()
        drop()


# ----- the browser -----


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    if reason := _missing():
        _unavailable(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


#: Console messages that are never a problem of the app.
ALWAYS_ALLOWED = (
    # Chromium asks for /favicon.ico by itself on a page that names no icon.
    re.compile(r"favicon\.ico"),
)


@dataclass
class Watch:
    """What went wrong in one page: console errors, uncaught exceptions, 5xx answers."""

    label: str
    problems: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.problems.append(f"console error: {message.text} ({where})")

    def _response(self, response: Any) -> None:
        if response.status >= 500:
            self.problems.append(f"HTTP {response.status} for {response.url}")


class People:
    """Opens pages for the people in the room, each in a browser context of their own."""

    def __init__(self, browser: Any, server: LiveServer) -> None:
        self.browser = browser
        self.server = server
        self.contexts: list[Any] = []
        self.watches: list[Watch] = []
        self.pages: list[tuple[str, Any]] = []
        #: Patterns of console errors a test expects (e.g. while the server is down).
        self.allowed: list[re.Pattern[str]] = list(ALWAYS_ALLOWED)

    def context(self, kind: str = "phone") -> Any:
        options = {"desktop": DESKTOP, "phone": PHONE}[kind]
        context = self.browser.new_context(
            base_url=self.server.url, locale="en-GB", timezone_id="Europe/Vienna", **options
        )
        context.set_default_timeout(EXPECT_TIMEOUT_MS)
        self.contexts.append(context)
        return context

    def page(self, label: str, kind: str = "phone", context: Any = None) -> Any:
        """A new page; ``label`` names it in error reports and screenshots."""
        context = context or self.context(kind)
        page = context.new_page()
        watch = Watch(label)
        watch.attach(page)
        self.watches.append(watch)
        self.pages.append((label, page))
        return page

    def facilitator(self, label: str = "facilitator") -> Any:
        """A laptop signed in through the login form."""
        page = self.page(label, "desktop")
        sign_in(page, FACILITATOR_EMAIL, FACILITATOR_PASSWORD)
        return page

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        found = []
        for watch in self.watches:
            for problem in watch.problems:
                if not any(p.search(problem) for p in self.allowed):
                    found.append(f"[{watch.label}] {problem}")
        return found

    def assert_clean(self) -> None:
        problems = self.unexpected()
        assert not problems, "unexpected browser errors:\n" + "\n".join(problems)

    def close(self) -> None:
        for context in self.contexts:
            # A context whose browser went away has nothing left to close.
            with contextlib.suppress(Exception):
                context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    result = outcome.get_result()
    if result.when == "call":
        item.e2e_failed = result.failed  # type: ignore[attr-defined]


def _file_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text)


def _keep_evidence(people: People, test_name: str) -> None:
    """After a failure: every open page as it is now, and the server's log."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = _file_name(test_name)
    for index, (label, page) in enumerate(people.pages):
        if page.is_closed():
            continue
        name = f"FAILED-{safe}-{index}-{_file_name(label)}.png"
        with contextlib.suppress(Exception):
            page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    with contextlib.suppress(OSError):
        shutil.copyfile(people.server.log_path, ARTIFACTS / f"FAILED-{safe}-server.log")


def _people(browser: Any, server: LiveServer, request: pytest.FixtureRequest) -> Iterator[People]:
    people = People(browser, server)
    try:
        yield people
        if getattr(request.node, "e2e_failed", False):
            _keep_evidence(people, request.node.name)
        problems = people.unexpected()
    finally:
        people.close()
    if problems:
        pytest.fail("unexpected browser errors:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def people(
    browser: Any, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[People]:
    """Browser contexts on the session's server; fails the test on unexpected errors."""
    yield from _people(browser, live_server, request)


@pytest.fixture
def people_on_postgres(
    browser: Any, postgres_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[People]:
    """Browser contexts on this test's own PostgreSQL-backed server."""
    yield from _people(browser, postgres_server, request)


@pytest.fixture
def people_on_fresh_server(
    browser: Any, fresh_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[People]:
    """Browser contexts on this test's own server."""
    yield from _people(browser, fresh_server, request)


# ----- screenshots and accessibility -----

SIZES = {"phone": PHONE["viewport"], "desktop": DESKTOP["viewport"]}


_AXE_RUN = """async () => {
  const result = await window.axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""

BLOCKING = ("serious", "critical")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Every axe-core violation on the page as it is now.

    axe is evaluated through the DevTools protocol (``page.evaluate``), which
    the app's ``script-src 'self'`` policy does not block, so the page keeps
    its real Content-Security-Policy while being checked.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(_AXE_RUN)


_axe_cache: list[str] = []


def _axe_source() -> str:
    if not _axe_cache:
        _axe_cache.append(AXE_JS.read_text(encoding="utf-8"))
    return _axe_cache[0]


class A11y:
    """Checks pages with axe-core at phone and desktop size, and keeps screenshots."""

    def __init__(self) -> None:
        self.checked: list[str] = []
        self.failures: list[str] = []
        #: Every violation by page and size, minor and moderate ones too.
        self.found: dict[str, list[dict[str, Any]]] = {}

    def check(
        self, page: Any, name: str, sizes: tuple[str, ...] = ("phone", "desktop")
    ) -> list[dict[str, Any]]:
        """Run axe at each size; record serious and critical violations; screenshot."""
        original = page.viewport_size
        everything = []
        for size in sizes:
            page.set_viewport_size(SIZES[size])
            # From the top: a sticky bar is drawn where it sits when the page is not scrolled.
            page.evaluate("window.scrollTo(0, 0)")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)
            violations = axe_violations(page)
            everything.extend(violations)
            self.found[f"{name}-{size}"] = violations
            for v in violations:
                if v["impact"] in BLOCKING:
                    nodes = "; ".join(f"{n['target']}" for n in v["nodes"][:5])
                    self.failures.append(
                        f"{name} ({size}): {v['impact']} {v['id']}: {v['help']} [{nodes}]"
                    )
        page.set_viewport_size(original)
        self.checked.append(name)
        return everything

    def assert_clean(self) -> None:
        assert not self.failures, "serious or critical accessibility violations:\n" + "\n".join(
            self.failures
        )


@pytest.fixture
def a11y(request: pytest.FixtureRequest) -> Iterator[A11y]:
    """axe-core checks; every violation found is kept in artifacts/axe-TEST.json."""
    checker = A11y()
    yield checker
    if checker.found:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"axe-{_file_name(request.node.name)}.json"
        path.write_text(json.dumps(checker.found, indent=1, ensure_ascii=False))
