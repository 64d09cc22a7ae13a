"""The synthesis board in a real browser: two coordinators mapping one programme's themes at once.

Regional workshops in Kranj (Slovenian) and Padova (Italian) name their
themes; coordinator A maps one regional theme onto a common theme by drag
and drop and another with the keyboard, while coordinator B's board follows
every move without reloading; a new story told in a running workshop shows
in the coverage on both. Then a recommendation is written with evidence, a
partner reads the synthesis, and every page passes axe.
"""

from __future__ import annotations

import re
import uuid

import requests
import socketio

from .pages import SCREENSHOTS, drag, expect, sign_in

SECOND_PASSWORD = "a second coordinator's password"


def _as(server, token, method, path, expect_status=200, **kwargs):
    response = requests.request(
        method,
        f"{server.url}{path}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
        **kwargs,
    )
    assert response.status_code == expect_status, f"{path}: {response.status_code} {response.text}"
    return response.json() if response.content else None


class Phone:
    """A participant joined over the API, contributing through Socket.IO (no browser needed)."""

    def __init__(self, server, code, name):
        joined = requests.post(
            f"{server.url}/api/join", json={"code": code, "name": name}, timeout=10
        ).json()
        self.client = socketio.Client(reconnection=False)
        self.client.connect(
            server.url, auth={"token": joined["token"]}, transports=["websocket"], wait_timeout=10
        )

    def say(self, kind, text, **fields):
        payload = {"client_id": str(uuid.uuid4()), "kind": kind, "text": text, **fields}
        ack = self.client.call("contribute", payload, timeout=10)
        assert ack["ok"], ack
        return ack["id"]

    def close(self):
        self.client.disconnect()


def _board_socket(server, workshop_id):
    client = socketio.Client(reconnection=False)
    client.connect(
        server.url,
        auth={"token": server.token, "workshop_id": workshop_id},
        transports=["websocket"],
        wait_timeout=10,
    )
    return client


def _programme(server):
    """A programme of the server's facilitator (coordinator A), two regions, a second coordinator."""
    pid = server.api(
        "POST", "/api/programmes", 201, json={"title": f"Network {uuid.uuid4().hex[:6]}"}
    )["id"]
    regions = {
        name: server.api(
            "POST",
            f"/api/programmes/{pid}/regions",
            201,
            json={"name": name, "country": country, "organisation": organisation},
        )["id"]
        for name, country, organisation in (
            ("Kranj", "SI", "BSC Kranj"),
            ("Padova", "IT", "Padova Chamber of Commerce"),
        )
    }
    invitation = server.api(
        "POST", f"/api/programmes/{pid}/invitations", 201, json={"role": "coordinator"}
    )
    email = f"second-{uuid.uuid4().hex[:8]}@example.org"
    joined = requests.post(
        f"{server.url}/api/invitations/{invitation['token']}/accept",
        json={"name": "Luca Bianchi", "email": email, "password": SECOND_PASSWORD},
        timeout=10,
    )
    assert joined.status_code == 201, joined.text
    return pid, regions, email


def _regional_workshop(server, pid, region_id, language, themes, stories):
    workshop = server.create_workshop(
        title=f"Focus group {language}", programme_id=pid, region_id=region_id, language=language
    )
    server.set_phase(workshop["id"], "discover")
    board = _board_socket(server, workshop["id"])
    theme_ids = [board.call("theme_create", {"name": name}, timeout=10)["id"] for name in themes]
    phone = Phone(server, workshop["code"], "Ana")
    for text, theme in stories:
        story = phone.say("story", text, consent="named")
        if theme is not None:
            ack = board.call(
                "theme_assign",
                {"theme_id": theme_ids[theme], "contribution_id": story},
                timeout=10,
            )
            assert ack["ok"], ack
    return workshop, dict(zip(themes, theme_ids, strict=True)), board, phone


def _regional(page, name):
    """A regional theme's card on a synthesis board, wherever it is."""
    return page.locator(".rtheme").filter(
        has=page.locator(".rtheme__name").filter(has_text=re.compile(rf"^{re.escape(name)}$"))
    )


def _common(page, name):
    """A common theme's box on a synthesis board."""
    return page.locator(".ptheme").filter(has=page.get_by_role("heading", name=name, exact=True))


def _tray(page, region):
    return page.locator(".tray").filter(has=page.get_by_role("heading", name=re.compile(region)))


def test_two_coordinators_map_regional_themes_live(people, live_server, a11y):
    pid, regions, second_email = _programme(live_server)
    _kranj, _kranj_themes, kranj_board, kranj_phone = _regional_workshop(
        live_server,
        pid,
        regions["Kranj"],
        "sl",
        ["Prostori za ustvarjanje", "Mladi"],
        [("Oblikovalci so prevzeli staro tovarno.", 0), ("Dijaki so oblikovali embalažo.", 1)],
    )
    _padova, padova_themes, padova_board, padova_phone = _regional_workshop(
        live_server,
        pid,
        regions["Padova"],
        "it",
        ["Design e manifattura"],
        [("Il design entra in officina.", 0)],
    )
    try:
        a = people.facilitator("coordinator A")
        a.set_viewport_size({"width": 1440, "height": 1600})
        a.goto(f"/programmes/{pid}")
        a.get_by_role("link", name="Synthesis").click()
        expect(a).to_have_url(re.compile(rf"/programmes/{pid}/synthesis$"))
        expect(a.locator("#conn")).to_have_text("Connected")
        b = people.page("coordinator B", "desktop")
        sign_in(b, second_email, SECOND_PASSWORD)
        b.goto(f"/programmes/{pid}/synthesis")
        expect(b.locator("#conn")).to_have_text("Connected")
        # Every regional theme waits in its region's tray, in its own name and language.
        for page in (a, b):
            expect(_tray(page, "Kranj").locator(".rtheme")).to_have_count(2)
            expect(_tray(page, "Padova").locator(".rtheme")).to_have_count(1)
        expect(_regional(a, "Mladi").locator(".tag")).to_have_attribute("lang", "sl")

        # A names a common theme; B's board has it at once.
        a.get_by_label("New common theme").fill("Spaces for creative work")
        a.get_by_role("button", name="Add theme").click()
        expect(_common(b, "Spaces for creative work")).to_be_visible()
        a.get_by_label("New common theme").fill("Young talent stays")
        a.get_by_role("button", name="Add theme").click()
        expect(_common(b, "Young talent stays")).to_be_visible()

        # Drag and drop: Kranj's theme onto the common theme.
        spaces_a = _common(a, "Spaces for creative work")
        drag(a, _regional(a, "Prostori za ustvarjanje"), spaces_a.locator(".rtheme-list"))
        expect(spaces_a.locator(".rtheme")).to_have_count(1)
        spaces_b = _common(b, "Spaces for creative work")
        expect(spaces_b.locator(".rtheme")).to_contain_text("Prostori za ustvarjanje")
        expect(_tray(b, "Kranj").locator(".rtheme")).to_have_count(1)
        expect(spaces_b.locator(".badge").first).to_have_text("1 story from 1 region")

        # The keyboard: Padova's theme, with the common-theme list under it.
        select = _regional(a, "Design e manifattura").get_by_label(re.compile("^Common theme"))
        select.focus()
        a.keyboard.press("ArrowDown")
        expect(spaces_a.locator(".rtheme")).to_have_count(2)
        expect(spaces_b.locator(".rtheme")).to_have_count(2)
        expect(_tray(b, "Padova").locator(".rtheme")).to_have_count(0)
        expect(spaces_b.locator(".badge").first).to_have_text("2 stories from 2 regions")
        # Keyboard users keep their place: the moved theme's list has the focus again.
        expect(
            _regional(a, "Design e manifattura").get_by_label(re.compile("^Common theme"))
        ).to_be_focused()

        # B maps too, and A sees it: two coordinators at once.
        young_b = _common(b, "Young talent stays")
        drag(b, _regional(b, "Mladi"), young_b.locator(".rtheme-list"))
        expect(_common(a, "Young talent stays").locator(".rtheme")).to_contain_text("Mladi")

        stored = _as(live_server, live_server.token, "GET", f"/api/programmes/{pid}/synthesis")
        mapped = {
            t["name"]: [r["name"] for r in t["regional_themes"]] for t in stored["programme_themes"]
        }
        assert mapped == {
            "Spaces for creative work": ["Prostori za ustvarjanje", "Design e manifattura"],
            "Young talent stays": ["Mladi"],
        }
        assert stored["unmapped"] == []

        # The coverage matrix follows a running workshop without a reload.
        row_b = b.locator("#matrix tbody tr").filter(has_text="Spaces for creative work")
        expect(row_b.locator(".matrix__cell--has")).to_have_text(["1", "1"])
        story = padova_phone.say("story", "Musei d'impresa aperti a tutti.", consent="anonymous")
        padova_board.call(
            "theme_assign",
            {"theme_id": padova_themes["Design e manifattura"], "contribution_id": story},
            timeout=10,
        )
        expect(row_b.locator(".matrix__cell--has")).to_have_text(["1", "2"])
        expect(spaces_b.locator(".badge").first).to_have_text("3 stories from 2 regions")

        # A recommendation with evidence from two regions; B sees it.
        a.get_by_text("Write a recommendation").click()
        form = a.locator(".recommendation-form")
        form.get_by_label("Title").fill("Open empty halls to creative work")
        form.get_by_label("Text").fill("Every region offers a hall on a simple contract.")
        form.get_by_label("Spaces for creative work").check()
        form.get_by_label("Find evidence").fill("officina")
        form.get_by_label(re.compile("Il design entra in officina")).check()
        form.get_by_label("Find evidence").fill("tovarno")
        form.get_by_label(re.compile("staro tovarno")).check()
        form.get_by_role("button", name="Save recommendation").click()
        recommendation_b = b.locator(".recommendation").filter(
            has_text="Open empty halls to creative work"
        )
        expect(recommendation_b).to_contain_text("Evidence from 2 regions")
        expect(recommendation_b.locator(".evidence")).to_have_count(2)

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        a.screenshot(path=str(SCREENSHOTS / "synthesis-board-desktop.png"))
        a11y.check(a, "synthesis-board")
        a11y.check(b, "synthesis-board-second-coordinator", sizes=("phone",))

        # A member who does not coordinate reads the board, without controls.
        member = _as(
            live_server,
            live_server.token,
            "POST",
            f"/api/programmes/{pid}/invitations",
            201,
            json={},
        )
        member_email = f"member-{uuid.uuid4().hex[:8]}@example.org"
        requests.post(
            f"{live_server.url}/api/invitations/{member['token']}/accept",
            json={"name": "Maja", "email": member_email, "password": SECOND_PASSWORD},
            timeout=10,
        )
        reader = people.page("member", "desktop")
        sign_in(reader, member_email, SECOND_PASSWORD)
        reader.goto(f"/programmes/{pid}/synthesis")
        expect(reader.locator("#conn")).to_have_text("Connected")
        expect(_common(reader, "Spaces for creative work").locator(".rtheme")).to_have_count(2)
        expect(reader.get_by_role("button", name="Add theme")).to_have_count(0)
        expect(reader.locator(".rtheme select")).to_have_count(0)
        a11y.check(reader, "synthesis-board-read-only", sizes=("desktop",))

        # A partner reads the synthesis behind the portal link, in Italian.
        share = live_server.api("POST", f"/api/programmes/{pid}/shares", 201)
        partner = people.page("partner", "phone")
        partner.goto(share["url"] + "?lang=it")
        partner.get_by_role("link", name=re.compile("sintesi", re.IGNORECASE)).first.click()
        expect(partner.get_by_role("heading", level=1)).to_be_visible()
        expect(partner.locator("body")).to_contain_text("Open empty halls to creative work")
        a11y.check(partner, "partner-synthesis")
        pdf = partner.locator("a[href$='export.pdf?lang=it'], a[href*='export.pdf']").first
        download = requests.get(live_server.url + pdf.get_attribute("href"), timeout=120)
        assert download.status_code == 200 and download.content.startswith(b"%PDF")
    finally:
        for client in (kranj_phone, padova_phone):
            client.close()
        for client in (kranj_board, padova_board):
            client.disconnect()
