"""Programmes in a real browser: the live dashboard, invitations, imports, the partner portal.

The live server's facilitator coordinates each test's programme; a member
joins through an invitation as a new account. Every page is checked with
axe-core at phone and desktop size.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import uuid

import requests

from .pages import ROOT, SCREENSHOTS, connected, contribute, expect, join_with_code, sign_in

DEMO_PASSWORD = "demo password for the browser test"


def _network(server, regions=("Kranj", "Padova")):
    """A programme coordinated by the live server's facilitator, and a member's API token."""
    pid = server.api(
        "POST", "/api/programmes", 201, json={"title": f"Network {uuid.uuid4().hex[:6]}"}
    )["id"]
    made = [
        server.api(
            "POST", f"/api/programmes/{pid}/regions", 201, json={"name": name, "country": "SI"}
        )
        for name in regions
    ]
    invitation = server.api("POST", f"/api/programmes/{pid}/invitations", 201, json={})
    email = f"member-{uuid.uuid4().hex[:8]}@example.org"
    joined = requests.post(
        f"{server.url}/api/invitations/{invitation['token']}/accept",
        json={"name": "Maja Novak", "email": email, "password": "member password"},
        timeout=10,
    )
    assert joined.status_code == 201, joined.text
    return pid, [r["id"] for r in made], joined.json()["token"], email


def _as(server, token, method, path, expect=200, **kwargs):
    response = requests.request(
        method,
        f"{server.url}{path}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
        **kwargs,
    )
    assert response.status_code == expect, (
        f"{method} {path}: {response.status_code} {response.text}"
    )
    return response.json() if response.content else None


def _card(page, title):
    return page.locator(".programme-card").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def _count(card, label):
    return card.locator("div").filter(has=card.page.get_by_text(label, exact=True)).locator("dd")


def test_the_dashboard_follows_the_regional_workshops_live(people, live_server, a11y):
    pid, (kranj, padova), member, _email = _network(live_server)
    first = _as(
        live_server,
        member,
        "POST",
        "/api/workshops",
        201,
        json={
            "title": "Kranj focus group",
            "programme_id": pid,
            "region_id": kranj,
            "language": "sl",
        },
    )
    second = _as(
        live_server,
        member,
        "POST",
        "/api/workshops",
        201,
        json={
            "title": "Padova focus group",
            "programme_id": pid,
            "region_id": padova,
            "language": "it",
        },
    )

    dashboard = people.facilitator("coordinator")
    dashboard.goto(f"/programmes/{pid}")
    expect(dashboard.locator("#conn")).to_have_text("Connected")
    kranj_card, padova_card = (
        _card(dashboard, "Kranj focus group"),
        _card(dashboard, "Padova focus group"),
    )
    expect(kranj_card.locator('[data-field="region"]')).to_have_text("Kranj · SI")
    expect(kranj_card.locator('[data-field="phase"]')).to_have_text("Lobby")
    a11y.check(dashboard, "programme-dashboard")

    # Phases, joins and contributions move the cards without a reload.
    _as(live_server, member, "POST", f"/api/workshops/{first['id']}/phase", json={"phase": "dream"})
    expect(kranj_card.locator('[data-field="phase"]')).to_have_text("Dream")
    phone = people.page("phone")
    join_with_code(phone, first["code"], "Ana")
    expect(_count(kranj_card, "Participants")).to_have_text("1")
    contribute(phone, "dream", "Every empty factory hall becomes a studio.")
    expect(_count(kranj_card, "Dreams")).to_have_text("1")
    expect(padova_card.locator('[data-field="phase"]')).to_have_text("Lobby")

    # A workshop that arrives appears, with the links its coordinator may use.
    third = _as(
        live_server,
        member,
        "POST",
        "/api/workshops",
        201,
        json={"title": "Transnational session", "programme_id": pid},
    )
    arrived = _card(dashboard, "Transnational session")
    expect(arrived).to_be_visible()
    expect(arrived.get_by_role("link", name=re.compile("^Summary and downloads"))).to_be_visible()
    # One that leaves disappears.
    _as(live_server, member, "PATCH", f"/api/workshops/{second['id']}", json={"programme_id": None})
    expect(padova_card).to_have_count(0)
    expect(dashboard.locator(".programme-card")).to_have_count(2)

    # The coordinator watches another's session read-only.
    watch = arrived.get_by_role("link", name=re.compile("^Watch live"))
    with dashboard.context.expect_page() as opened:
        watch.click()
    screen = opened.value
    connected(screen)
    expect(screen.locator("#workshop-title")).to_have_text("Transnational session")
    board = people.page("coordinator-board", context=dashboard.context)
    board.goto(f"/workshops/{third['id']}")
    expect(board).to_have_url(re.compile(rf"/workshops/{third['id']}/screen$"))
    assert not board.get_by_role("button", name="Next").count()


def test_the_ordering_rule_holds_in_the_browser(people, live_server):
    """The dashboard's cards (ordering.js through programme-cards.js), fed every bad order."""
    pid, _regions, _member, _email = _network(live_server)
    page = people.facilitator("coordinator")
    page.goto(f"/programmes/{pid}")
    result = page.evaluate(
        """async (pid) => {
          const { ProgrammeCards } = await import("/static/js/programme-cards.js");
          const seen = [];
          const gone = [];
          const state = new ProgrammeCards(pid, {
            onCard: (c) => seen.push(c.seq),
            onGone: (id) => gone.push(id),
          });
          const card = (seq, extra = {}) => ({ workshop_id: 7, id: 7, programme_id: pid, seq,
            phase: "dream", counts: { dream: seq }, ...extra });
          state.connecting();
          state.progress(card(12));              // before the snapshot: held
          state.progress(card(9));               // older than the snapshot's card: dropped later
          const held = state.holding && state.cards.size === 0;
          state.snapshot({ workshops: [{ ...card(10), may: { read: true, manage: false } }] });
          const afterSnapshot = state.cards.get(7).seq;
          state.progress(card(12));              // a duplicate
          state.progress(card(11));              // overtaken
          state.progress(card(13));
          const may = state.cards.get(7).may;
          const counts = state.cards.get(7).counts.dream;
          state.progress(card(14, { programme_id: null }));   // left the programme
          state.progress(card(13));              // late news about it
          const departed = !state.cards.has(7);
          state.connecting();                    // the connection dropped; a new one opens
          state.progress(card(20, { programme_id: pid }));    // waits for the next snapshot
          const waiting = state.holding && !state.cards.has(7);
          state.snapshot({ workshops: [] });
          return { held, afterSnapshot, seen, may, counts, departed, gone, waiting,
                   final: state.cards.get(7) };
        }""",
        pid,
    )
    assert result["held"]
    assert result["afterSnapshot"] == 12, "the held newer event applies after the snapshot"
    assert result["seen"] == [10, 12, 13, 20]
    assert result["may"] == {"read": True, "manage": False} and result["counts"] == 13
    assert result["departed"] and result["gone"] == [7] and result["waiting"]
    assert result["final"]["seq"] == 20


def test_an_invited_person_signs_up_and_lands_on_the_programme(people, live_server, a11y):
    pid, _regions, _member, _email = _network(live_server, regions=("Limburg",))
    invitation = live_server.api(
        "POST", f"/api/programmes/{pid}/invitations", 201, json={"email": "els@example.org"}
    )
    newcomer = people.page("newcomer", "phone")
    newcomer.goto(f"/invitations/{invitation['token']}?lang=nl")
    expect(newcomer.get_by_role("heading", level=1)).to_be_visible()
    a11y.check(newcomer, "invitation-new-person")
    newcomer.goto(f"/invitations/{invitation['token']}?lang=en")
    expect(newcomer.get_by_label("Email")).to_have_value("els@example.org")
    email = f"els-{uuid.uuid4().hex[:8]}@example.org"
    newcomer.get_by_label("Your name").fill("Els Peeters")
    newcomer.get_by_label("Email").fill(email)
    newcomer.get_by_label("Password").fill("a long password")
    newcomer.get_by_role("button", name="Create account and join").click()
    expect(newcomer).to_have_url(re.compile(rf"/programmes/{pid}$"))
    expect(newcomer.get_by_role("status").filter(has_text="Welcome")).to_be_visible()
    expect(newcomer.locator("#conn")).to_have_text("Connected")
    # Used: the link now answers 410, for everyone.
    people.allow(r"status of 410")
    again = people.page("someone-else", "phone")
    assert again.goto(f"/invitations/{invitation['token']}").status == 410


def test_importing_an_export_from_the_programme_page(people, live_server, tmp_path, a11y):
    pid, _regions, _member, _email = _network(live_server)
    offline = live_server.create_workshop(title="Run at the venue, offline", language="sl")
    live_server.set_phase(offline["id"], "discover")
    export = live_server.api("GET", f"/api/workshops/{offline['id']}/export.json")
    good = tmp_path / "kranj.json"
    good.write_text(json.dumps(export), encoding="utf-8")
    bad = tmp_path / "broken.json"
    bad.write_text(
        json.dumps({**export, "contributions": [{"id": 1, "kind": "bogus"}]}), encoding="utf-8"
    )

    page = people.facilitator("coordinator")
    page.goto(f"/programmes/{pid}")
    expect(page.locator("#conn")).to_have_text("Connected")
    section = page.get_by_role("region", name="Add a workshop")
    section.get_by_text("Import a workshop run offline").click()
    a11y.check(page, "programme-add-workshop", sizes=("phone",))
    form = section.locator("form").filter(has_text="JSON export")
    form.get_by_label("JSON export").set_input_files(str(bad))
    form.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("not a valid Positive Core workshop export")
    expect(page.locator(".programme-card")).to_have_count(0)
    section.get_by_text("Import a workshop run offline").click()
    form.get_by_label("JSON export").set_input_files(str(good))
    form.get_by_label("Region").select_option(label="Kranj")
    form.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status").filter(has_text="Imported")).to_be_visible()
    card = _card(page, "Run at the venue, offline")
    expect(card.locator('[data-field="region"]')).to_have_text("Kranj · SI")
    section.get_by_text("Import a workshop run offline").click()
    form.get_by_label("JSON export").set_input_files(str(good))
    form.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status").filter(has_text="imported before")).to_be_visible()
    expect(page.locator(".programme-card")).to_have_count(1)


def test_the_partner_portal_opens_every_workshop_until_revoked(people, live_server, a11y):
    pid, (kranj, _padova), member, _email = _network(live_server)
    workshop = _as(
        live_server,
        member,
        "POST",
        "/api/workshops",
        201,
        json={
            "title": "Kranj focus group",
            "programme_id": pid,
            "region_id": kranj,
            "language": "sl",
        },
    )
    coordinator = people.facilitator("coordinator")
    coordinator.goto(f"/programmes/{pid}/manage")
    a11y.check(coordinator, "programme-manage")
    coordinator.get_by_role("button", name="Make a partner link").click()
    link = coordinator.get_by_label("Link", exact=True).input_value()
    assert "/p/pcn_" in link
    a11y.check(coordinator, "programme-manage-fresh-link", sizes=("desktop",))

    partner = people.page("partner", "phone")
    partner.goto(link + "?lang=de")
    expect(partner.get_by_role("heading", name="Kranj focus group")).to_be_visible()
    a11y.check(partner, "partner-portal")
    partner.get_by_role("link", name=re.compile("Kranj focus group")).first.click()
    expect(partner).to_have_url(re.compile(rf"/workshops/{workshop['id']}$"))
    expect(partner.get_by_role("heading", name="Kranj focus group", level=1)).to_be_visible()
    a11y.check(partner, "partner-portal-summary")
    docx = partner.get_by_role("link", name="Word (.docx)")
    assert requests.get(live_server.url + docx.get_attribute("href"), timeout=60).status_code == 200

    coordinator.goto(f"/programmes/{pid}/manage")
    portal = coordinator.get_by_role("region", name="Partner portal")
    portal.get_by_role("button", name=re.compile("^Revoke")).click()
    expect(coordinator.get_by_role("status").filter(has_text="revoked")).to_be_visible()
    people.allow(r"status of 410")
    assert partner.goto(link).status == 410
    assert partner.goto(link + f"/workshops/{workshop['id']}").status == 410


def test_the_demo_programme(browser, people_on_fresh_server, fresh_server, a11y):
    """`flask demo seed` on a running server: eight regions, each in its language, live."""
    env = {**fresh_server.process.env, "FLASK_CONFIG": "development"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "workshop",
            "demo",
            "seed",
            "--password",
            DEMO_PASSWORD,
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    dashboard_url = re.search(r"dashboard:\s+\S+(/programmes/\d+)", done.stdout).group(1)
    portal_url = re.search(r"partner portal:\s+\S+(/p/\S+)", done.stdout).group(1)
    again = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "workshop", "demo", "seed"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode != 0 and "exists already" in again.stderr

    people = people_on_fresh_server
    page = people.page("coordinator", "desktop")
    sign_in(page, "coordinator@inducci.example.org", DEMO_PASSWORD)
    page.goto(dashboard_url)
    expect(page.locator("#conn")).to_have_text("Connected")
    cards = page.locator(".programme-card")
    expect(cards).to_have_count(8)
    languages = sorted(
        cards.locator('[data-field="language"] .tag').evaluate_all("tags => tags.map(t => t.lang)")
    )
    assert languages == ["cs", "de", "de", "de", "it", "nl", "pl", "sl"]
    phases = set(
        cards.locator('[data-field="phase"]').evaluate_all("b => b.map(x => x.dataset.phase)")
    )
    assert len(phases) >= 4
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "demo-programme-dashboard-desktop.png"), full_page=True)
    a11y.check(page, "demo-programme-dashboard")

    partner = people.page("partner", "desktop")
    partner.goto(portal_url)
    expect(partner.locator(".portal-item")).to_have_count(8)
    partner.screenshot(path=str(SCREENSHOTS / "demo-partner-portal-desktop.png"), full_page=True)
    a11y.check(partner, "demo-partner-portal")

    # The seed's synthesis: every regional theme mapped, three recommendations.
    page.get_by_role("link", name="Synthesis").click()
    expect(page.locator("#conn")).to_have_text("Connected")
    expect(page.locator(".ptheme")).to_have_count(5)
    expect(page.locator("#trays .rtheme")).to_have_count(0)
    expect(page.locator(".recommendation")).to_have_count(3)
    expect(page.locator("#matrix tbody tr")).to_have_count(5)
    # The README's picture: the top of the board, as a coordinator opens it.
    page.screenshot(path=str(SCREENSHOTS / "demo-synthesis-board-top.png"))
    page.locator("#coverage").screenshot(path=str(SCREENSHOTS / "demo-synthesis-coverage.png"))
    a11y.check(page, "demo-synthesis-board")
    # The recommendation's first pages, as a partner downloads them.
    partner.goto(portal_url + "/synthesis")
    expect(partner.locator(".recommendation")).to_have_count(3)
    a11y.check(partner, "demo-partner-synthesis")
    href = partner.get_by_role("link", name="PDF").get_attribute("href")
    pdf = requests.get(fresh_server.url + href, timeout=120)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    (SCREENSHOTS / "demo-recommendation.pdf").write_bytes(pdf.content)
    if shutil.which("pdftoppm"):  # poppler-utils: the pages as pictures, for the README
        pdf_file = SCREENSHOTS / "demo-recommendation.pdf"
        pages = ["-png", "-r", "70", "-f", "1", "-l", "3"]
        subprocess.run(
            ["pdftoppm", *pages, str(pdf_file), str(SCREENSHOTS / "demo-recommendation")],
            check=True,
            timeout=60,
        )


def test_a_coordinator_sets_the_notice_and_deletes_the_programme(people, live_server, a11y):
    """The notice a programme gives its workshops, read on a Polish phone; then its deletion."""
    pid, (kranj, _padova), member, _email = _network(live_server)
    workshop = _as(
        live_server,
        member,
        "POST",
        "/api/workshops",
        201,
        json={
            "title": "Kranj focus group",
            "programme_id": pid,
            "region_id": kranj,
            "language": "sl",
        },
    )
    coordinator = people.facilitator("coordinator")
    coordinator.goto(f"/programmes/{pid}/manage")
    settings = coordinator.get_by_role("region", name="Programme and privacy notice")
    settings.get_by_label("Who runs the programme’s workshops").fill("InduCCI consortium")
    settings.get_by_label("Contact for privacy questions").fill("dpo@inducci.example.org")
    settings.get_by_role("button", name="Save changes").click()
    expect(coordinator.get_by_role("status").filter(has_text="Changes saved.")).to_be_visible()

    phone = people.page("polish phone", "phone")
    phone.goto(f"/join/{workshop['code']}/privacy?lang=pl")
    expect(phone.get_by_role("heading", name="Informacja o prywatności")).to_be_visible()
    expect(
        phone.get_by_text("InduCCI consortium prowadzi ten warsztat", exact=False)
    ).to_be_visible()
    expect(phone.get_by_role("link", name="dpo@inducci.example.org")).to_be_visible()
    expect(phone.get_by_text("Ten warsztat należy do programu", exact=False)).to_be_visible()
    a11y.check(phone, "programme-notice-pl", sizes=("phone",))

    board = people.page("synthesis board", context=coordinator.context)
    board.goto(f"/programmes/{pid}/synthesis")
    connected(board)
    title = coordinator.locator("h1").inner_text().split(": ", 1)[1]
    danger = coordinator.get_by_role("region", name="Delete the programme")
    danger.get_by_label("Type the title of the programme to confirm").fill("not the title")
    danger.get_by_role("button", name="Delete the programme for good").click()
    expect(coordinator.get_by_text(f"Type the title “{title}” to confirm.")).to_be_visible()
    a11y.check(coordinator, "programme-delete-refused", sizes=("desktop",))
    danger = coordinator.get_by_role("region", name="Delete the programme")
    danger.get_by_label("Type the title of the programme to confirm").fill(title)
    danger.get_by_role("button", name="Delete the programme for good").click()
    expect(coordinator.get_by_role("status").filter(has_text="is deleted")).to_be_visible()
    expect(board.locator("#conn")).to_have_attribute("data-state", "deleted")
    expect(board.locator("#conn")).to_have_text("Programme deleted")
    people.allow(r"status of 404")
    assert coordinator.goto(f"/programmes/{pid}").status == 404
    # The member's workshop stays theirs, outside any programme.
    snapshot = _as(live_server, member, "GET", f"/api/workshops/{workshop['id']}")
    assert snapshot["workshop"]["programme_id"] is None
