"""Privacy in a real browser: a phone's own rights, and the screens that follow them live.

A participant reads the notice before joining, then, from "My contributions",
makes one named story anonymous and withdraws another: the board and the
projector follow without a reload; then the participant leaves. A facilitator deletes a workshop with its
typed code: the phone still on it says so and forgets its drafts. The new
pages are checked with axe-core and kept as screenshots.
"""

from __future__ import annotations

import re

from .pages import (
    board_card,
    connected,
    contribute,
    expect,
    feed_card,
    join_form,
    open_board,
    open_projector,
    phone_phase,
    text_box,
)

NAME, ORGANISATION = "Quentin Quarrie", "Quillworks Lab"
KEPT = "Quokkas painted the old brewery walls"
GONE = "Zebras rebuilt the harbour crane"


def test_a_phone_narrows_one_story_and_withdraws_another_and_every_screen_follows(
    people, live_server, a11y
):
    workshop = live_server.create_workshop(title="Privacy in the room", language="de")
    wid, code = workshop["id"], workshop["code"]
    board = open_board(people, wid)
    screen = open_projector(people, board, wid)

    phone = people.page("phone")
    phone.goto(f"/join/{code}")
    phone.get_by_role("link", name="Read the privacy notice").click()
    expect(phone.get_by_role("heading", name="Privacy notice", level=1)).to_be_visible()
    expect(phone.get_by_role("heading", name="How long it is kept")).to_be_visible()
    a11y.check(phone, "privacy-notice")
    phone.get_by_role("link", name="Back to joining").click()
    join_form(phone, NAME, organisation=ORGANISATION)

    live_server.set_phase(wid, "discover")
    phone_phase(phone, "discover")
    contribute(phone, "discover", KEPT, consent="named")
    contribute(phone, "discover", GONE, consent="named")
    expect(board_card(board, KEPT)).to_contain_text(NAME)
    expect(screen.get_by_text(KEPT)).to_be_visible()
    expect(screen.get_by_text(GONE)).to_be_visible()
    expect(screen.locator("main")).to_contain_text(NAME)

    phone.get_by_role("link", name="My contributions").click()
    expect(phone.get_by_role("heading", name="My contributions", level=1)).to_be_visible()
    a11y.check(phone, "my-contributions")
    kept = phone.locator(".mine-item").filter(has_text=KEPT)
    kept.get_by_label("Anonymous").check()
    kept.get_by_role("button", name="Save my choice").click()
    expect(phone.get_by_role("status")).to_contain_text("Saved")
    # The board and the projector drop the name at once, and keep the story.
    expect(board_card(board, KEPT)).not_to_contain_text(NAME)
    expect(board_card(board, KEPT)).to_contain_text("Anonymous")
    expect(screen.locator("li").filter(has_text=KEPT)).not_to_contain_text(NAME)
    expect(screen.locator("li").filter(has_text=GONE)).to_contain_text(NAME)

    gone = phone.locator(".mine-item").filter(has_text=GONE)
    gone.get_by_text("Withdraw…").click()
    gone.get_by_role("button", name="Withdraw for good").click()
    expect(phone.get_by_role("status")).to_contain_text("Withdrawn")
    expect(phone.locator(".mine-item").filter(has_text=GONE)).to_have_count(0)
    expect(board_card(board, GONE)).to_have_count(0)
    expect(screen.get_by_text(GONE)).to_have_count(0)
    expect(screen.locator("main")).not_to_contain_text(NAME)
    expect(board_card(board, KEPT)).to_have_count(1)

    phone.get_by_role("link", name="Back to the workshop").click()
    connected(phone)
    expect(feed_card(phone, KEPT)).to_be_visible()
    expect(feed_card(phone, KEPT)).not_to_contain_text(NAME)
    expect(feed_card(phone, GONE)).to_have_count(0)

    board.goto(f"/workshops/{wid}/privacy")
    record = board.get_by_role("region", name="Record of processing")
    expect(record).to_contain_text("Consent changed")
    expect(record).to_contain_text("Contribution withdrawn")
    expect(record).not_to_contain_text(GONE)
    a11y.check(board, "privacy-page")

    # Leaving: the name goes, the published story stays anonymous, the phone forgets.
    phone.get_by_role("link", name="My contributions").click()
    phone.get_by_text("Leave…").click()
    phone.get_by_role("button", name="Leave and erase my name").click()
    expect(phone.get_by_role("heading", name="You have left the workshop", level=1)).to_be_visible()
    a11y.check(phone, "left")
    forgotten = f"() => Object.keys(localStorage).filter((k) => k.split(':')[2] === '{wid}')"
    assert phone.evaluate(forgotten) == []
    board.goto(f"/workshops/{wid}/privacy")
    expect(board.get_by_role("region", name="Erase a participant")).not_to_contain_text(NAME)
    expect(board.get_by_role("region", name="Record of processing")).to_contain_text(
        "Participant left"
    )
    a11y.assert_clean()


def test_deleting_a_workshop_disconnects_the_room_and_the_phone_forgets_it(
    people, live_server, a11y
):
    workshop = live_server.create_workshop(title="To be deleted")
    wid, code = workshop["id"], workshop["code"]
    board = open_board(people, wid)
    phone = people.page("phone")
    phone.goto(f"/join/{code}")
    join_form(phone, "Dana")
    live_server.set_phase(wid, "discover")
    phone_phase(phone, "discover")
    text_box(phone, "discover").fill("A draft that must not outlive the workshop")
    keys = f"() => Object.keys(localStorage).filter((k) => k.split(':')[2] === '{wid}')"
    assert phone.evaluate(keys), "the draft is kept on the phone while the workshop runs"

    manage = people.page("privacy page", context=board.context)
    manage.goto(f"/workshops/{wid}/privacy")
    danger = manage.get_by_role("region", name="Delete this workshop")
    danger.get_by_label("Type the code of the workshop to confirm").fill("WRONG1")
    danger.get_by_role("button", name="Delete the workshop for good").click()
    expect(manage.get_by_text(f"Type the code {code} to confirm.")).to_be_visible()
    a11y.check(manage, "privacy-delete-refused")
    manage.get_by_role("region", name="Delete this workshop").get_by_label(
        "Type the code of the workshop to confirm"
    ).fill(code.lower())
    manage.get_by_role("button", name="Delete the workshop for good").click()
    expect(manage).to_have_url(re.compile(r"/dashboard$"))
    expect(manage.get_by_role("status")).to_contain_text("is deleted")

    expect(
        phone.get_by_role("heading", name="The facilitator deleted this workshop.")
    ).to_be_visible()
    expect(phone.locator("#conn")).to_have_text("This workshop was deleted.")
    assert phone.evaluate(keys) == []
    expect(board.locator("#conn")).to_have_text("This workshop was deleted.")
    assert live_server.api("GET", f"/api/workshops/{wid}", expect=404)["error"] == "not_found"
    a11y.assert_clean()
