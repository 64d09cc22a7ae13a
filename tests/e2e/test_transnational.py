"""A transnational room in real browsers: each phone in its own language, nothing stranded.

A Slovenian workshop; a phone whose browser speaks Polish; a facilitator who
moves on while a phone is offline; a partner link made, copied and revoked
from the board.
"""

from __future__ import annotations

import re

import requests

from .conftest import PHONE
from .pages import (
    SCREENSHOTS,
    board_card,
    click_phase,
    connected,
    expect,
    join_with_code,
    open_board,
    show_view,
    text_box,
)

POLISH_STORY = (
    "Czterdziestu twórców otworzyło swoje pracownie w starej przędzalni i przyszło dwa "
    "tysiące osób z całego regionu."
)
OFFLINE_STORY = "Our makers' night, written on the train while the network was gone."


def _polish_phone(people):
    """A phone whose browser speaks Polish (navigator.languages and Accept-Language)."""
    context = people.browser.new_context(
        base_url=people.server.url, locale="pl-PL", timezone_id="Europe/Warsaw", **PHONE
    )
    people.contexts.append(context)
    return people.page("Ola (Polish phone)", context=context)


def test_a_polish_phone_in_a_slovenian_room(people, live_server):
    workshop = live_server.create_workshop(title="Kranj", language="sl")
    wid = workshop["id"]
    live_server.set_phase(wid, "discover")
    board = open_board(people, wid)
    phone = _polish_phone(people)
    phone.goto(f"/join/{workshop['code']}")
    phone.locator('input[name="name"]').fill("Ola")
    phone.locator('button[type="submit"]').click()
    expect(phone).to_have_url(re.compile(r"/w/[\w-]{16,}$"))
    expect(phone.locator("#conn[data-state='connected']")).to_have_count(1)

    # The interview questions in Polish, although the room is Slovenian.
    polish = requests.get(f"{live_server.url}/i18n/pl.json", timeout=10).json()["prompts"]
    slovenian = requests.get(f"{live_server.url}/i18n/sl.json", timeout=10).json()["prompts"]
    questions = phone.locator("#prompt-texts li")
    expect(questions).to_have_count(4)
    expect(questions.first).to_have_text(polish["discover.high_point"])
    expect(phone.locator("#prompt-texts")).not_to_contain_text(slovenian["discover.high_point"])
    expect(phone.locator("html")).to_have_attribute("lang", "pl")

    # Her story is tagged with the language it is written in.
    phone.locator("#c-text").fill(POLISH_STORY)
    phone.locator("#c-send").click()
    expect(phone.locator("#feed > li").filter(has_text="Czterdziestu")).to_contain_text("Wysłano")
    stored = live_server.snapshot(wid)["contributions"]
    assert [c["language"] for c in stored] == ["pl"]
    card = board_card(board, "Czterdziestu")
    expect(card.locator('.tag[lang="pl"]')).to_be_visible()
    # The facilitator can still correct a tag.
    card.get_by_label("Language", exact=True).select_option("cs")
    expect(card.locator('.tag[lang="cs"]')).to_be_visible()
    assert live_server.snapshot(wid)["contributions"][0]["language"] == "cs"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.evaluate("window.scrollTo(0, 0)")
    phone.screenshot(path=str(SCREENSHOTS / "participant-polish-in-slovenian-room-phone.png"))
    people.assert_clean()


def test_a_story_written_offline_arrives_after_the_phase_changed(people, live_server):
    workshop = live_server.create_workshop(title="Nothing stranded")
    wid = workshop["id"]
    live_server.set_phase(wid, "discover")
    board = open_board(people, wid)
    phone = people.page("Ana (on a train)")
    join_with_code(phone, workshop["code"], "Ana")
    people.allow(r"ERR_INTERNET_DISCONNECTED|net::ERR_")

    phone.context.set_offline(True)
    expect(phone.locator("#conn")).not_to_have_text("Connected")
    text_box(phone, "discover").fill(OFFLINE_STORY)
    phone.get_by_role("button", name="Send", exact=True).click()
    outbox = phone.get_by_role("region", name="Waiting on this phone")
    expect(outbox).to_contain_text(OFFLINE_STORY)

    # Meanwhile the facilitator moves the room on to Dream.
    click_phase(board, "dream")
    phone.context.set_offline(False)
    connected(phone)
    expect(outbox).to_be_hidden()
    stored = live_server.snapshot(wid)["contributions"]
    assert len(stored) == 1 and stored[0]["late"] is True and stored[0]["written_at"]
    # The board shows it with the stories, marked as late.
    show_view(board, "Stories")
    card = board_card(board, OFFLINE_STORY)
    expect(card.get_by_text("Late", exact=True)).to_be_visible()
    people.assert_clean()


def test_an_error_after_send_appears_next_to_the_button(people, live_server):
    workshop = live_server.create_workshop(title="Errors in view")
    live_server.set_phase(workshop["id"], "discover")
    phone = people.page("Ben")
    join_with_code(phone, workshop["code"], "Ben")
    send = phone.get_by_role("button", name="Send", exact=True)
    send.scroll_into_view_if_needed()
    send.click()
    error = phone.locator("#c-error")
    expect(error).to_have_text("Write something first.")
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_be_in_viewport()
    expect(send).to_be_in_viewport()
    # Right above the button that caused it, not at the top of the page.
    error_box, send_box = error.bounding_box(), send.bounding_box()
    assert 0 <= send_box["y"] - (error_box["y"] + error_box["height"]) < 40
    expect(phone.locator("#errors")).to_have_text("")
    # Fixed, it goes.
    text_box(phone, "discover").fill("Now there is a story.")
    send.click()
    expect(error).to_be_hidden()
    people.assert_clean()


def test_the_share_panel_creates_copies_and_revokes_a_link(people, live_server):
    workshop = live_server.create_workshop(title="Shared with Linz")
    board = open_board(people, workshop["id"])
    board.context.grant_permissions(["clipboard-read", "clipboard-write"])
    panel = board.get_by_role("region", name="Partner links")
    expect(panel.get_by_text("No live links.")).to_be_visible()
    panel.get_by_label("Expires on (optional)").fill("2099-12-31")
    panel.get_by_role("button", name="Create a link").click()
    link = panel.locator(".share-url")
    expect(link).to_have_count(1)
    url = link.inner_text()
    assert re.search(r"/s/pcs_[\w-]+$", url), url
    expect(panel).to_contain_text("Works until")

    panel.get_by_role("button", name="Copy link").click()
    expect(panel.get_by_role("status")).to_have_text("Link copied.")
    assert board.evaluate("navigator.clipboard.readText()") == url

    partner = people.page("partner", "desktop")
    partner.goto(url)
    expect(partner.get_by_role("heading", name="Shared with Linz", level=1)).to_be_visible()

    panel.get_by_role("button", name="QR code").click()
    expect(panel.get_by_role("img", name="QR code of the partner link")).to_be_visible()

    board.once("dialog", lambda dialog: dialog.accept())
    panel.get_by_role("button", name="Revoke").click()
    expect(panel.get_by_text("No live links.")).to_be_visible()
    people.allow(r"status of 410")
    assert requests.get(url, timeout=10).status_code == 410
    assert live_server.api("GET", f"/api/workshops/{workshop['id']}/shares") == {"shares": []}
    people.assert_clean()


def test_pre_moderation_from_phone_to_board_to_room(people, live_server):
    workshop = live_server.create_workshop(title="Approved first", premoderation=True)
    wid = workshop["id"]
    live_server.set_phase(wid, "dream")
    board = open_board(people, wid)
    ana = people.page("Ana")
    join_with_code(ana, workshop["code"], "Ana")
    ben = people.page("Ben")
    join_with_code(ben, workshop["code"], "Ben")
    dream = "A makers' hall in every town, open day and night."
    text_box(ana, "dream").fill(dream)
    ana.get_by_role("button", name="Send", exact=True).click()
    # The author sees it at once, waiting; the other phone does not.
    mine = ana.locator("#feed > li").filter(has_text=dream)
    expect(mine.get_by_text("Waiting for approval")).to_be_visible()
    expect(ben.locator("#feed > li").filter(has_text=dream)).to_have_count(0)
    expect(board.get_by_text("1 contribution waits for your approval")).to_be_visible()
    board_card(board, dream).get_by_role("button", name="Approve").click()
    expect(ben.locator("#feed > li").filter(has_text=dream)).to_be_visible()
    expect(mine.get_by_text("Waiting for approval")).to_have_count(0)
    expect(mine.get_by_text("Sent", exact=True)).to_be_visible()
    expect(board.locator("#waiting-note")).to_be_hidden()
    people.assert_clean()
