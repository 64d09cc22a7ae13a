"""The facilitator's countdown, the same on the board, every phone and the projector.

The facilitator starts a 5-minute timer on the board; the phones (390×844)
and the projector show the same time left, within 2 s of each other, read
from their timer elements, and count down. Pause freezes it everywhere at
the same value, resume continues from there, stop clears it. A phone that
joins while the timer runs shows the same time too (from its snapshot).
"""

from __future__ import annotations

import re

from .pages import (
    clock_seconds,
    expect,
    join_with_code,
    open_board,
    open_projector,
)

#: How far apart two screens may be (s): each rounds up its own second.
AGREE_S = 2
CLOCK = re.compile(r"^\d{1,2}:\d{2}$")


def clock(page):
    return page.locator("#timer-clock")


def read_clocks(pages):
    """The seconds each page's clock shows, read one right after the other."""
    for page in pages.values():
        expect(clock(page)).to_have_text(CLOCK)
    return {name: clock_seconds(clock(page).inner_text()) for name, page in pages.items()}


def assert_agree(seconds, low, high):
    assert max(seconds.values()) - min(seconds.values()) <= AGREE_S, seconds
    assert all(low <= s <= high for s in seconds.values()), (seconds, low, high)


def test_timer_is_the_same_on_board_phones_and_projector(people, live_server, report):
    workshop = live_server.create_workshop(title="Countdown", topic="How do we use our time?")
    wid = workshop["id"]
    live_server.set_phase(wid, "discover")
    ana = people.page("Ana")
    join_with_code(ana, workshop["code"], "Ana")
    ben = people.page("Ben")
    join_with_code(ben, workshop["code"], "Ben")
    board = open_board(people, wid)
    screen = open_projector(people, board, wid)
    assert ana.viewport_size == {"width": 390, "height": 844}

    # No timer yet: the board says so, phones and projector show none.
    expect(clock(board)).to_have_text("–:––")
    expect(board.locator("#timer-label")).to_have_text("No timer running")
    pause = board.get_by_role("button", name="Pause", exact=True)
    resume = board.get_by_role("button", name="Resume", exact=True)
    stop = board.get_by_role("button", name="Stop", exact=True)
    expect(pause).to_be_disabled()
    expect(stop).to_be_disabled()
    for page in (ana, ben, screen):
        expect(page.locator("#timer")).to_be_hidden()

    # ----- a 5-minute timer -----
    board.get_by_role("group", name="Start a timer").get_by_role(
        "button", name="5 min", exact=True
    ).click()
    shown = {"board": board, "Ana": ana, "Ben": ben, "projector": screen}
    for name, page in shown.items():
        expect(page.locator("#timer"), name).to_be_visible()
        expect(page.locator("#timer"), name).to_have_attribute("data-state", "running")
        expect(page.locator("#timer-label"), name).to_have_text("Time left")
        expect(page.get_by_role("timer")).to_have_text(CLOCK)
    assert_agree(read_clocks(shown), 290, 300)
    expect(pause).to_be_enabled()
    expect(resume).to_be_disabled()

    # It counts down by itself on every screen.
    before = read_clocks(shown)
    for name, page in shown.items():
        expect(clock(page), name).not_to_have_text(
            re.compile(rf"^{before[name] // 60}:{before[name] % 60:02d}$")
        )
    running = read_clocks(shown)
    assert all(running[name] < before[name] for name in shown), (before, running)
    assert_agree(running, 285, 299)

    # A phone that joins now starts from its snapshot and agrees with the others.
    cleo = people.page("Cleo")
    join_with_code(cleo, workshop["code"], "Cleo")
    expect(cleo.locator("#timer")).to_be_visible()
    shown["Cleo"] = cleo
    late = read_clocks(shown)
    assert_agree(late, 280, 299)
    report(f"timer: seconds left as each screen showed them, read in turn: {late}")

    # ----- pause freezes it everywhere, at the same value -----
    pause.click()
    for name, page in shown.items():
        expect(page.locator("#timer"), name).to_have_attribute("data-state", "paused")
        expect(page.locator("#timer-label"), name).to_have_text("Paused")
    paused = read_clocks(shown)
    assert len(set(paused.values())) == 1, paused
    assert_agree(paused, 280, 299)
    expect(resume).to_be_enabled()
    expect(pause).to_be_disabled()
    # A running clock would have moved by now: this wait is the clock's, not a guess.
    board.wait_for_timeout(2500)
    assert read_clocks(shown) == paused

    # ----- resume continues from where it stood -----
    resume.click()
    for name, page in shown.items():
        expect(page.locator("#timer-label"), name).to_have_text("Time left")
    resumed = read_clocks(shown)
    value = paused["board"]
    assert_agree(resumed, value - 3, value)
    expect(clock(ana)).not_to_have_text(f"{value // 60}:{value % 60:02d}")

    # ----- stop clears it -----
    stop.click()
    expect(clock(board)).to_have_text("–:––")
    expect(board.locator("#timer-label")).to_have_text("No timer running")
    expect(board.locator("#timer")).to_have_attribute("data-state", "stopped")
    expect(pause).to_be_disabled()
    expect(stop).to_be_disabled()
    for name, page in (("Ana", ana), ("Ben", ben), ("Cleo", cleo), ("projector", screen)):
        expect(page.locator("#timer"), name).to_be_hidden()
        expect(page.locator("#timer"), name).to_have_attribute("data-state", "stopped")
    snapshot = live_server.snapshot(wid)
    assert snapshot["timer"]["state"] == "stopped"
    people.assert_clean()
