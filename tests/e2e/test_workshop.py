"""A whole workshop in real browsers: a facilitator's laptop and three phones.

The facilitator signs in and creates the workshop through the forms; three
participants join in the three ways a room does (the join link, the code
typed on the start page, the code typed in lowercase); every phase is moved
by clicking; contributions, grouping, votes, moderation and the close are
done on the pages, and each screen is checked for what it shows.
"""

from __future__ import annotations

import re

from .pages import (
    add_theme,
    board_card,
    board_phase,
    click_phase,
    connected,
    contribute,
    expect,
    feed,
    feed_card,
    join_form,
    join_with_code,
    next_phase,
    phone_phase,
    show_view,
    theme_box,
    votes_left,
)

TITLE = "Kranj and Linz: creative regions"
TOPIC = "How do we let culture and creativity renew our industrial towns?"

ANA_STORY_TITLE = "The open studio night"
ANA_STORY = "Forty makers opened their studios in the old textile mill and 2,000 people came."
BEN_STORY = "The Tabakfabrik turned a cigarette factory into a home for 200 creative firms."
CLEO_STORY = "Our hub's first grant failed, and the second one worked because of it."
OFF_TOPIC = "The coffee at this venue is terrible, somebody fix it."

DREAMS = {
    "ana": "Every industrial town has a makers' hall open to all.",
    "ben": "Creative firms and old industry share one campus.",
    "cleo": "Young people stay because the region makes room for their ideas.",
}
PROPOSITION = "Every partner region hosts a peer visit each year."
COMMITMENT = "Organise the first peer visit to Linz."
COMMITMENT_OWNER = "Ben and the Tabakfabrik team"

MAKERS = "Makers' spaces"
PARTNERS = "Cross-border partnerships"


def test_a_whole_workshop_from_sign_in_to_summary(people, live_server):
    # ----- the facilitator signs in and creates the workshop on the dashboard -----
    board = people.facilitator("facilitator")
    board.get_by_label("Title", exact=True).fill(TITLE)
    board.get_by_label("Affirmative topic").fill(TOPIC)
    board.get_by_label("Votes per participant").fill("2")
    board.get_by_role("button", name="Create workshop").click()

    expect(board.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    created = board.get_by_role("status").filter(has_text="Workshop created")
    expect(created).to_be_visible()
    code = re.search(r"code ([A-Z0-9]{6})", created.inner_text()).group(1)
    workshop_id = int(re.search(r"/workshops/(\d+)$", board.url).group(1))
    expect(board.locator(".join-code")).to_contain_text(code)
    join_link = board.get_by_role("link", name=re.compile(rf"\/join\/{code}$"))
    expect(join_link).to_be_visible()
    join_url = join_link.get_attribute("href")
    assert join_url.endswith(f"/join/{code}")
    expect(board.get_by_role("img", name="QR code of the join link")).to_be_visible()
    connected(board)
    board_phase(board, "lobby")
    expect(board.locator("#joined")).to_have_text("0")

    # The dashboard lists it, in the lobby, with nobody yet.
    dashboard = people.page("facilitator dashboard", context=board.context)
    dashboard.goto("/dashboard")
    item = dashboard.get_by_role("listitem").filter(
        has=dashboard.get_by_role("link", name=TITLE, exact=True)
    )
    expect(item).to_contain_text(code)
    expect(item).to_contain_text("Lobby")
    expect(item).to_contain_text("0 participants joined")
    dashboard.close()

    # ----- three participants join from their phones -----
    ana = people.page("Ana (join link)")
    ana.goto(join_url)
    expect(ana.get_by_text("You are joining")).to_be_visible()
    expect(ana.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(ana.get_by_text(TOPIC)).to_be_visible()
    join_form(ana, "Ana", organisation="Kranj Creative", region="Gorenjska")

    ben = people.page("Ben (typed code)")
    join_with_code(ben, code, "Ben", organisation="Tabakfabrik", region="Upper Austria")

    cleo = people.page("Cleo (lowercase code)")
    join_with_code(cleo, code.lower(), "Cleo", organisation="Padova Hub", region="Veneto")

    phones = {"ana": ana, "ben": ben, "cleo": cleo}
    for phone in phones.values():
        phone_phase(phone, "lobby")
        expect(phone.get_by_role("heading", name="You are in!")).to_be_visible()
        expect(phone.get_by_role("button", name="Send", exact=True)).to_be_hidden()
    expect(board.locator("#joined")).to_have_text("3")
    expect(board.locator("#online")).to_have_text("3")

    # ----- Discover: stories, named, anonymous and private -----
    next_phase(board, "discover")
    for phone in phones.values():
        phone_phase(phone, "discover")
        expect(phone.get_by_role("heading", name="Share a story")).to_be_visible()
        expect(phone.locator("#prompt-texts li")).to_have_count(4)
        expect(phone.locator("#prompt-texts")).to_contain_text("Tell me about a high point")
    expect(board.locator("#prompt-texts")).to_contain_text("Tell me about a high point")

    contribute(ana, "discover", ANA_STORY, "named", title=ANA_STORY_TITLE)
    contribute(ben, "discover", BEN_STORY, "anonymous")
    contribute(cleo, "discover", CLEO_STORY, "private")
    contribute(ben, "discover", OFF_TOPIC, "anonymous")

    for phone in phones.values():
        expect(feed(phone)).to_have_count(4)
    # A signed story carries its author; the others never do, not even on the board.
    on_ben = feed_card(ben, ANA_STORY)
    expect(on_ben).to_contain_text(ANA_STORY_TITLE)
    expect(on_ben).to_contain_text("Ana")
    expect(on_ben).to_contain_text("Kranj Creative, Gorenjska")
    expect(feed_card(ana, BEN_STORY)).to_contain_text("Anonymous")
    expect(feed_card(ana, BEN_STORY)).not_to_contain_text("Ben")
    expect(feed_card(ana, CLEO_STORY)).to_contain_text("Not for publication")
    expect(feed_card(ana, CLEO_STORY)).not_to_contain_text("Cleo")
    expect(board.locator('[data-count="story"]')).to_have_text("(4)")
    expect(board_card(board, ANA_STORY)).to_contain_text("Ana")
    expect(board_card(board, BEN_STORY)).to_contain_text("Anonymous")
    expect(board_card(board, CLEO_STORY)).not_to_contain_text("Cleo")

    # ----- the facilitator groups the stories into the positive core -----
    add_theme(board, MAKERS)
    add_theme(board, PARTNERS)
    ungrouped = theme_box(board, "Not grouped")
    expect(ungrouped.locator("li.card")).to_have_count(4)

    # With the keyboard: focus the story's theme list and arrow down to the first theme.
    ana_select = board_card(board, ANA_STORY).get_by_label("Theme", exact=True)
    ana_select.focus()
    board.keyboard.press("ArrowDown")
    expect(theme_box(board, MAKERS).locator("li.card").filter(has_text=ANA_STORY)).to_be_visible()
    # The same control, chosen by name.
    board_card(board, BEN_STORY).get_by_label("Theme", exact=True).select_option(label=MAKERS)
    board_card(board, CLEO_STORY).get_by_label("Theme", exact=True).select_option(label=PARTNERS)

    makers = theme_box(board, MAKERS)
    expect(makers.locator("li.card")).to_have_count(2)
    expect(makers).to_contain_text("2 stories")
    expect(makers.locator("li.card").filter(has_text=BEN_STORY)).to_be_visible()
    partners = theme_box(board, PARTNERS)
    expect(partners.locator("li.card")).to_have_count(1)
    expect(partners).to_contain_text("1 story")
    expect(ungrouped.locator("li.card")).to_have_count(1)
    expect(ungrouped.locator("li.card")).to_contain_text(OFF_TOPIC)
    # Grouping survives a reload of the board (it was stored, not only drawn).
    board.reload()
    connected(board)
    expect(theme_box(board, MAKERS).locator("li.card")).to_have_count(2)

    # ----- moderation: the off-topic story is hidden from every phone -----
    off_topic = board_card(board, OFF_TOPIC)
    off_topic.get_by_role("button", name="Hide", exact=True).click()
    expect(off_topic.get_by_text("Hidden", exact=True)).to_be_visible()
    expect(off_topic.get_by_role("button", name="Unhide")).to_be_visible()
    expect(board.locator('[data-count="story"]')).to_have_text("(3)")
    for phone in phones.values():
        expect(feed_card(phone, OFF_TOPIC)).to_have_count(0)
        expect(feed(phone)).to_have_count(3)

    # ----- Dream: dreams and dot votes -----
    next_phase(board, "dream")
    for name, phone in phones.items():
        phone_phase(phone, "dream")
        expect(phone.get_by_role("heading", name="Share a dream")).to_be_visible()
        expect(votes_left(phone)).to_have_text("You have 2 votes left.")
        contribute(phone, "dream", DREAMS[name], "named" if name == "ana" else "anonymous")
    for phone in phones.values():
        expect(feed(phone)).to_have_count(3)

    def vote_button(phone, text):
        return feed_card(phone, text).get_by_role("button", name="Vote")

    # Her own dream is for the others to vote on.
    expect(vote_button(cleo, DREAMS["cleo"])).to_have_count(0)
    expect(feed_card(cleo, DREAMS["cleo"])).to_contain_text("Your own")
    vote_button(cleo, DREAMS["ana"]).click()
    expect(votes_left(cleo)).to_have_text("You have 1 vote left.")
    expect(vote_button(cleo, DREAMS["ana"])).to_have_attribute("aria-pressed", "true")
    expect(vote_button(cleo, DREAMS["ana"])).to_have_text(re.compile(r"Voted"))
    expect(feed_card(cleo, DREAMS["ana"])).to_contain_text("1 vote")
    vote_button(cleo, DREAMS["ben"]).click()
    expect(votes_left(cleo)).to_have_text("You have 0 votes left.")
    # No votes left: the page says why; given votes can be withdrawn.
    expect(cleo.get_by_text("No votes left")).to_be_visible()
    expect(vote_button(cleo, DREAMS["ana"])).to_be_enabled()
    vote_button(cleo, DREAMS["ana"]).click()
    expect(votes_left(cleo)).to_have_text("You have 1 vote left.")
    expect(vote_button(cleo, DREAMS["ana"])).to_have_attribute("aria-pressed", "false")
    expect(feed_card(cleo, DREAMS["ana"])).to_contain_text("0 votes")
    expect(cleo.get_by_text("No votes left")).to_be_hidden()
    vote_button(ana, DREAMS["ben"]).click()
    expect(votes_left(ana)).to_have_text("You have 1 vote left.")
    # Everybody sees the count; the most voted dream leads the feed and the board.
    expect(feed_card(ben, DREAMS["ben"])).to_contain_text("2 votes")
    expect(feed(ben).first).to_contain_text(DREAMS["ben"])
    expect(votes_left(ben)).to_have_text("You have 2 votes left.")
    dreams = board.locator("#dreams > li")
    expect(dreams).to_have_count(3)
    expect(dreams.first).to_contain_text(DREAMS["ben"])
    expect(dreams.first).to_contain_text("2 votes")
    expect(board.locator('[data-count="dream"]')).to_have_text("(3)")

    # ----- Design: a provocative proposition built on a theme -----
    next_phase(board, "design")
    for phone in phones.values():
        phone_phase(phone, "design")
        expect(phone.get_by_role("heading", name="Write a provocative proposition")).to_be_visible()
        expect(votes_left(phone)).to_have_text("You have 2 votes left.")
    theme_choices = ana.get_by_label("Builds on theme (optional)").locator("option")
    expect(theme_choices).to_have_text(["No theme", MAKERS, PARTNERS])
    contribute(ana, "design", PROPOSITION, "named", theme=MAKERS)
    expect(feed_card(ben, PROPOSITION)).to_contain_text(f"Builds on: {MAKERS}")
    vote_button(ben, PROPOSITION).click()
    expect(votes_left(ben)).to_have_text("You have 1 vote left.")
    expect(feed_card(cleo, PROPOSITION)).to_contain_text("1 vote")
    proposition_card = board.locator("#propositions > li").filter(has_text=PROPOSITION)
    expect(proposition_card).to_contain_text("1 vote")
    expect(
        proposition_card.get_by_label("Builds on theme", exact=True).locator("option:checked")
    ).to_have_text(MAKERS)

    # ----- Deliver: a commitment with an owner and a date -----
    next_phase(board, "deliver")
    for phone in phones.values():
        phone_phase(phone, "deliver")
        expect(phone.get_by_role("heading", name="Make a commitment")).to_be_visible()
        expect(phone.locator("#vote-info")).to_be_hidden()
    contribute(
        ben,
        "deliver",
        COMMITMENT,
        "named",
        owner=COMMITMENT_OWNER,
        due="2027-03-31",
        proposition=PROPOSITION,
    )
    on_cleo = feed_card(cleo, COMMITMENT)
    expect(on_cleo).to_contain_text(f"Who: {COMMITMENT_OWNER}")
    expect(on_cleo).to_contain_text(re.compile(r"By when: Mar 31, 2027"))
    expect(on_cleo).to_contain_text(f"Delivers: {PROPOSITION}")
    expect(on_cleo).to_contain_text("Ben")
    row = board.locator("#commitments > tr").filter(has_text=COMMITMENT)
    expect(row).to_contain_text(COMMITMENT_OWNER)
    expect(row.locator("time")).to_have_attribute("datetime", "2027-03-31")
    expect(row).to_contain_text(PROPOSITION)

    # Every view of the wall still holds what the room made.
    show_view(board, "Stories")
    expect(theme_box(board, MAKERS).locator("li.card")).to_have_count(2)
    show_view(board, "Dreams")
    expect(dreams.first).to_contain_text(DREAMS["ben"])

    # ----- the facilitator closes the workshop -----
    click_phase(board, "closed")
    for phone in phones.values():
        phone_phase(phone, "closed")
        expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()
        expect(phone.get_by_role("button", name="Send", exact=True)).to_be_hidden()
        expect(phone.get_by_role("link", name="See what we created together")).to_be_visible()

    # ----- the participants open what they created together -----
    for name, phone in phones.items():
        phone.get_by_role("link", name="See what we created together").click()
        expect(phone).to_have_url(re.compile(r"/w/[A-Za-z0-9_-]{20,}/summary$"))
        check_summary(phone, f"summary seen by {name}")

    # The facilitator's own summary page shows the same draft.
    board.get_by_role("link", name="Summary page").click()
    expect(board).to_have_url(re.compile(rf"/workshops/{workshop_id}/summary$"))
    check_summary(board, "facilitator's summary")

    # What the pages showed is what the server stored.
    stored = live_server.snapshot(workshop_id)
    assert stored["workshop"]["phase"] == "closed"
    by_text = {c["text"]: c for c in stored["contributions"]}
    assert by_text[OFF_TOPIC]["hidden"] is True
    assert by_text[ANA_STORY]["consent"] == "named"
    assert by_text[BEN_STORY]["consent"] == "anonymous" and by_text[BEN_STORY]["author"] is None
    assert by_text[CLEO_STORY]["consent"] == "private"
    assert by_text[COMMITMENT]["due"] == "2027-03-31"
    assert len(stored["contributions"]) == 4 + 3 + 1 + 1
    people.assert_clean()


def check_summary(page, label):
    """The strategy draft as a page: themes, authors where signed, nothing hidden or private."""
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text(TOPIC)).to_be_visible()
    expect(page.get_by_text("Draft: the workshop is still running")).to_have_count(0)
    expect(page.get_by_text("3 participants", exact=True)).to_be_visible()

    strengths = page.get_by_role("region", name="Strengths")
    expect(strengths.get_by_role("heading", level=3)).to_have_text([MAKERS, PARTNERS])
    quotes = strengths.locator(".quote")
    expect(quotes).to_have_count(2)
    ana_quote = quotes.filter(has_text=ANA_STORY)
    expect(ana_quote).to_contain_text(ANA_STORY_TITLE)
    expect(ana_quote.locator("footer")).to_contain_text("Ana, Kranj Creative")
    expect(quotes.filter(has_text=BEN_STORY).locator("footer")).to_contain_text("Anonymous")
    # Cleo's only story was private: her theme has none to publish.
    expect(strengths).to_contain_text("No stories in this theme yet.")

    dreams = page.get_by_role("region", name="Opportunities and Aspirations").locator("ol").first
    expect(dreams.locator("li")).to_have_count(3)
    expect(dreams.locator("li").first).to_contain_text(DREAMS["ben"])
    expect(dreams.locator("li").first).to_contain_text("2 votes")
    expect(dreams.locator("li").filter(has_text=DREAMS["ana"])).to_contain_text("Ana")
    proposition = page.locator(".quote").filter(has_text=PROPOSITION)
    expect(proposition).to_contain_text("1 vote")
    expect(proposition).to_contain_text(f"Builds on: {MAKERS}")
    expect(proposition).to_contain_text("Ana, Kranj Creative")

    results = page.get_by_role("region", name="Results")
    row = results.get_by_role("row").filter(has_text=COMMITMENT)
    expect(row).to_contain_text(COMMITMENT_OWNER)
    expect(row.locator("time")).to_have_attribute("datetime", "2027-03-31")
    expect(row).to_contain_text(PROPOSITION)

    # Hidden and private stories never appear, nor the name of who only wrote those.
    main = page.locator("main")
    for left_out in (CLEO_STORY, OFF_TOPIC, "Cleo", "Padova Hub"):
        expect(main, f"{label} shows {left_out!r}").not_to_contain_text(left_out)
