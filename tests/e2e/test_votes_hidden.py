"""Secret dot votes: the room votes without seeing counts until the facilitator reveals them.

The facilitator ticks "Hide vote counts until revealed" on the board and
moves to Dream. Three phones vote; the phones and the projector show no
number at all while the board shows the real counts. "Reveal votes" shows
the right counts everywhere at once, live votes keep counting in the open,
and the next voting round (Design) starts secret again.
"""

from __future__ import annotations

import re

from .pages import (
    click_phase,
    contribute,
    expect,
    feed,
    feed_card,
    join_with_code,
    open_board,
    open_projector,
    phone_phase,
    votes_left,
)

DREAMS = {
    "ana": "A makers' hall in every town.",
    "ben": "Night trains link our creative quarters.",
    "cleo": "Schools open their workshops to neighbours.",
}
PROPOSITION = "Each town opens one empty building to makers every year."
#: A vote count as people read it ("1 vote", "12 votes").
A_COUNT = re.compile(r"\d+\s+votes?\b")


def vote(phone, text):
    button = feed_card(phone, text).get_by_role("button", name="Vote")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def test_hidden_vote_counts_until_the_facilitator_reveals_them(people, live_server):
    # In this room people may vote for their own dreams too (the default forbids it).
    workshop = live_server.create_workshop(
        title="Secret ballot", topic="What might our towns be?", self_votes=True
    )
    wid = workshop["id"]
    board = open_board(people, wid)
    phones = {}
    for name in ("ana", "ben", "cleo"):
        phones[name] = people.page(name.title())
        join_with_code(phones[name], workshop["code"], name.title())
    ana, ben, cleo = phones["ana"], phones["ben"], phones["cleo"]
    screen = open_projector(people, board, wid)

    # ----- the facilitator hides the counts, then opens Dream -----
    hide = board.get_by_label("Hide vote counts until revealed")
    expect(hide).not_to_be_checked()
    expect(board.locator("#votes-status")).to_have_text("The room sees the vote counts live.")
    # A click, as a person ticks it; the box shows the ticked state once the server agreed.
    hide.click()
    expect(hide).to_be_checked()
    expect(board.locator("#votes-status")).to_have_text(
        "The room does not see the vote counts of this round."
    )
    reveal = board.get_by_role("button", name="Reveal votes")
    # Nothing is voted on in the lobby: nothing to reveal yet.
    expect(reveal).to_be_hidden()
    click_phase(board, "dream")
    expect(reveal).to_be_visible()

    for name, phone in phones.items():
        phone_phase(phone, "dream")
        contribute(phone, "dream", DREAMS[name], "anonymous")
    for phone in phones.values():
        expect(feed(phone)).to_have_count(3)

    # Ana's dream gets three votes, Ben's one, Cleo's none.
    vote(ana, DREAMS["ana"])
    vote(ben, DREAMS["ana"])
    vote(ben, DREAMS["ben"])
    vote(cleo, DREAMS["ana"])
    expect(votes_left(ben)).to_have_text("You have 1 vote left.")
    expect(votes_left(cleo)).to_have_text("You have 2 votes left.")

    # ----- the board sees the real counts, ranked -----
    dreams = board.locator("#dreams > li")
    expect(dreams).to_have_count(3)
    expect(dreams.nth(0)).to_contain_text(DREAMS["ana"])
    expect(dreams.nth(0).locator(".votebar__count")).to_have_text("3 votes")
    expect(dreams.filter(has_text=DREAMS["ben"]).locator(".votebar__count")).to_have_text("1 vote")
    expect(dreams.filter(has_text=DREAMS["cleo"]).locator(".votebar__count")).to_have_text(
        "0 votes"
    )
    expect(
        board.get_by_text("The room does not see these counts until you reveal the votes.").first
    ).to_be_visible()

    # ----- phones and projector show no number -----
    for name, phone in phones.items():
        expect(phone.locator("#votes-hidden-note"), name).to_be_visible()
        expect(phone.locator("#votes-hidden-note")).to_contain_text(
            "Vote counts are hidden until the facilitator reveals them."
        )
        for text in DREAMS.values():
            expect(feed_card(phone, text).locator(".votes")).to_have_text("Votes hidden")
        expect(phone.locator("#feed"), name).not_to_contain_text(A_COUNT)
        # No order that would give the counts away: the dreams stay in the order they came.
        expect(feed(phone).locator(".card__text")).to_have_text(list(DREAMS.values()))
    # A phone's own vote is still marked as given.
    expect(feed_card(ben, DREAMS["ben"]).get_by_role("button", name="Vote")).to_have_attribute(
        "aria-pressed", "true"
    )

    items = screen.locator(".screen-ranked__item")
    expect(items).to_have_count(3)
    expect(screen.locator("#votes-hidden-note")).to_be_visible()
    expect(screen.locator("#votes-hidden-note")).to_have_text(
        "Votes are hidden until the facilitator reveals them"
    )
    expect(items.locator(".screen-ranked__text")).to_have_text(list(DREAMS.values()))
    expect(screen.locator("#wall")).not_to_contain_text(A_COUNT)
    for index in range(3):
        expect(items.nth(index).locator(".screen-bar")).to_be_hidden()
        expect(items.nth(index).locator(".screen-bar__count")).to_have_text("")

    stored = {c["text"]: c for c in live_server.snapshot(wid)["contributions"]}
    assert [stored[DREAMS[n]]["votes"] for n in ("ana", "ben", "cleo")] == [3, 1, 0]

    # ----- the facilitator reveals the votes -----
    reveal.click()
    expect(reveal).to_be_hidden()
    expect(board.locator("#votes-status")).to_have_text("Vote counts are revealed to the room.")
    expect(hide).to_be_checked()
    expected = {DREAMS["ana"]: "3 votes", DREAMS["ben"]: "1 vote", DREAMS["cleo"]: "0 votes"}
    for name, phone in phones.items():
        expect(phone.locator("#votes-hidden-note"), name).to_be_hidden()
        for text, count in expected.items():
            expect(feed_card(phone, text).locator(".votes")).to_have_text(count)
        # Now ranked by votes.
        expect(feed(phone).first).to_contain_text(DREAMS["ana"])
        expect(feed(phone).locator(".card__text")).to_have_text(
            [DREAMS["ana"], DREAMS["ben"], DREAMS["cleo"]]
        )
    expect(screen.locator("#votes-hidden-note")).to_be_hidden()
    expect(items.locator(".screen-ranked__text")).to_have_text(
        [DREAMS["ana"], DREAMS["ben"], DREAMS["cleo"]]
    )
    expect(items.locator(".screen-bar__count")).to_have_text(["3 votes", "1 vote", "0 votes"])
    expect(items.first.locator(".screen-bar")).to_be_visible()
    # The leader's bar is full, the others in proportion.
    expect(items.nth(0).locator(".screen-bar__fill")).to_have_attribute("style", "width: 100%;")
    expect(items.nth(1).locator(".screen-bar__fill")).to_have_attribute("style", "width: 33%;")

    # Votes given from now on are counted in the open, everywhere.
    vote(cleo, DREAMS["cleo"])
    expect(feed_card(ana, DREAMS["cleo"]).locator(".votes")).to_have_text("1 vote")
    expect(feed_card(cleo, DREAMS["cleo"]).locator(".votes")).to_have_text("1 vote")
    expect(items.filter(has_text=DREAMS["cleo"]).locator(".screen-bar__count")).to_have_text(
        "1 vote"
    )
    expect(dreams.filter(has_text=DREAMS["cleo"]).locator(".votebar__count")).to_have_text("1 vote")
    snapshot = live_server.snapshot(wid)
    assert snapshot["workshop"]["votes_revealed"] is True

    # ----- the next round (Design) is secret again -----
    click_phase(board, "design")
    expect(reveal).to_be_visible()
    expect(board.locator("#votes-status")).to_have_text(
        "The room does not see the vote counts of this round."
    )
    phone_phase(ben, "design")
    contribute(ben, "design", PROPOSITION, "anonymous")
    vote(ana, PROPOSITION)
    expect(
        board.locator("#propositions > li").filter(has_text=PROPOSITION).locator(".votebar__count")
    ).to_have_text("1 vote")
    for phone in phones.values():
        expect(feed_card(phone, PROPOSITION).locator(".votes")).to_have_text("Votes hidden")
    expect(screen.locator("#votes-hidden-note")).to_be_visible()
    expect(screen.locator("#wall")).not_to_contain_text(A_COUNT)
    people.assert_clean()
