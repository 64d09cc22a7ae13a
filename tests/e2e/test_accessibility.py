"""axe-core on every page of the app, at phone and desktop size, with real content.

Each page is checked as a person meets it during a workshop (forms with
their errors, the live pages in every phase with stories, themes, votes,
hidden items), and fails on any ``serious`` or ``critical`` violation. Every
checked screen is kept as a screenshot in ``artifacts/screenshots/``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .pages import (
    add_theme,
    board_card,
    click_phase,
    connected,
    contribute,
    expect,
    feed_card,
    join_form,
    join_with_code,
    phone_phase,
    theme_box,
)

TEXTS = {
    "discover": ("The old mill became a home for 40 makers.", "Our first festival nearly failed."),
    "dream": ("Every town has a makers' hall.", "Young people stay in the region."),
    "design": ("Every region hosts a peer visit each year.", "Schools and studios share teachers."),
    "deliver": ("Organise the first peer visit.", "Map the studios of Kranj."),
}


def test_every_page_has_no_serious_accessibility_violation(people, live_server, a11y):
    # ----- pages anyone can open -----
    visitor = people.page("visitor", "desktop")
    visitor.goto("/login")
    a11y.check(visitor, "login")
    # A refused sign-in answers 401, which the browser logs.
    people.allow(r"status of 401 .*/login\)")
    visitor.get_by_label("Email").fill("nobody@example.org")
    visitor.get_by_label("Password").fill("wrong password")
    visitor.get_by_role("button", name="Sign in").click()
    expect(visitor.get_by_role("alert")).to_contain_text("Wrong email or password.")
    a11y.check(visitor, "login-refused")

    people.allow(r"status of 404 .*/s/no-such-link\)")
    missing = visitor.goto("/s/no-such-link")
    assert missing.status == 404
    expect(visitor.get_by_role("heading", level=1)).to_be_visible()
    a11y.check(visitor, "error-404")

    # ----- the facilitator's pages -----
    board = people.facilitator()
    workshop = live_server.create_workshop(
        title="Accessible regions", topic="How do we make every voice heard?"
    )
    wid, code = workshop["id"], workshop["code"]
    board.goto("/dashboard")
    expect(board.get_by_role("link", name="Accessible regions").first).to_be_visible()
    a11y.check(board, "dashboard")
    board.goto(f"/workshops/{wid}/edit")
    expect(board.get_by_role("heading", name="Edit workshop")).to_be_visible()
    a11y.check(board, "edit")
    board.get_by_label("Title", exact=True).fill("")
    board.get_by_role("button", name="Save changes").click()
    expect(board.locator("[aria-invalid=true]").first).to_be_visible()
    a11y.check(board, "edit-refused")
    board.goto(f"/workshops/{wid}")
    connected(board)
    a11y.check(board, "board-lobby")

    # ----- joining -----
    phone = people.page("phone")
    phone.goto("/")
    a11y.check(phone, "join")
    phone.get_by_role("button", name="Join", exact=True).click()
    expect(phone.locator("[aria-invalid=true]").first).to_be_visible()
    a11y.check(phone, "join-refused")
    phone.goto(f"/join/{code}")
    expect(phone.get_by_text("You are joining")).to_be_visible()
    a11y.check(phone, "join-link")
    join_form(phone, "Ana", organisation="Kranj Creative", region="Gorenjska")
    phone_phase(phone, "lobby")
    a11y.check(phone, "participant-lobby")
    other = people.page("second phone")
    join_with_code(other, code, "Ben")

    # ----- the live pages in every phase, with content -----
    for phase in ("discover", "dream", "design", "deliver"):
        click_phase(board, phase)
        phone_phase(phone, phase)
        phone_phase(other, phase)
        mine, theirs = TEXTS[phase]
        options = {}
        if phase == "design":
            options["theme"] = "Strengths we share"
        if phase == "deliver":
            options = {"owner": "Ana", "due": "2027-05-01", "proposition": TEXTS["design"][0]}
        contribute(phone, phase, mine, "named", **options)
        contribute(other, phase, theirs, "private" if phase == "discover" else "anonymous")
        expect(feed_card(phone, theirs)).to_be_visible()
        if phase == "discover":
            add_theme(board, "Strengths we share")
            board_card(board, mine).get_by_label("Theme", exact=True).select_option(
                label="Strengths we share"
            )
            expect(theme_box(board, "Strengths we share").locator("li.card")).to_have_count(1)
            board_card(board, theirs).get_by_role("button", name="Hide").click()
            expect(board_card(board, theirs).get_by_role("button", name="Unhide")).to_be_visible()
            expect(feed_card(phone, theirs)).to_have_count(0)
        if phase in ("dream", "design"):
            feed_card(phone, theirs).get_by_role("button", name="Vote").click()
            expect(feed_card(phone, theirs)).to_contain_text("1 vote")
        a11y.check(phone, f"participant-{phase}")
        expect(board_card(board, mine)).to_be_visible()
        a11y.check(board, f"board-{phase}")

    # ----- summaries while the workshop runs, and the partner's page -----
    phone.goto(f"{urlsplit(phone.url).path}/summary")
    expect(phone.get_by_text("Draft: the workshop is still running")).to_be_visible()
    a11y.check(phone, "summary-participant-draft")
    phone.go_back()
    connected(phone)
    board.goto(f"/workshops/{wid}/summary")
    expect(board.get_by_role("heading", name="Accessible regions", level=1)).to_be_visible()
    a11y.check(board, "summary-facilitator")
    share = live_server.api("POST", f"/api/workshops/{wid}/shares", expect=201)
    partner = people.page("partner", "desktop")
    partner.goto(share["url"])
    expect(partner.get_by_role("heading", name="Download the strategy draft")).to_be_visible()
    a11y.check(partner, "partner")

    # ----- the close -----
    board.goto(f"/workshops/{wid}")
    connected(board)
    click_phase(board, "closed")
    phone_phase(phone, "closed")
    expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()
    a11y.check(phone, "participant-closed")
    a11y.check(board, "board-closed")
    phone.get_by_role("link", name="See what we created together").click()
    expect(phone.get_by_role("heading", name="Strengths", exact=True)).to_be_visible()
    a11y.check(phone, "summary-participant")

    a11y.assert_clean()
    people.assert_clean()


def test_projector_screen_has_no_serious_accessibility_violation(people, live_server, a11y):
    workshop = live_server.create_workshop(title="On the big screen", topic="How do we shine?")
    board = people.facilitator()
    phone = people.page("phone")
    join_with_code(phone, workshop["code"], "Ana")
    live_server.set_phase(workshop["id"], "discover")
    contribute(phone, "discover", "A story for the wall.", "named")
    screen = people.page("projector", context=board.context)
    screen.goto(f"/workshops/{workshop['id']}/screen")
    expect(screen.get_by_text(workshop["code"]).first).to_be_visible()
    expect(screen.get_by_role("img", name="QR code of the join link")).to_be_visible()
    expect(screen.locator("#phase-name")).to_have_text("Discover")
    expect(screen.get_by_text("Tell me about a high point", exact=False)).to_be_visible()
    expect(screen.get_by_text("A story for the wall.")).to_be_visible()
    expect(screen.locator("#joined")).to_have_text("1")
    a11y.check(screen, "screen-discover", sizes=("desktop", "phone"))
    # No controls: it follows the room.
    expect(screen.get_by_role("button")).to_have_count(0)
    live_server.set_phase(workshop["id"], "dream")
    expect(screen.locator("#phase-name")).to_have_text("Dream")
    contribute(phone, "dream", "A dream for the wall.", "anonymous")
    expect(screen.get_by_text("A dream for the wall.")).to_be_visible()
    a11y.check(screen, "screen-dream", sizes=("desktop", "phone"))
    a11y.assert_clean()
    people.assert_clean()
