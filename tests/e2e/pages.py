"""What people do on the app's pages, written once for every browser test.

Selectors are the ones a person uses: roles, labels and visible text, plus a
few ids the pages already have (``#conn``, ``#feed``, ``#joined``...). Each
helper waits with Playwright's ``expect`` rather than sleeping.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # the fixtures skip (or fail in CI) before any test runs
    Locator = Page = Any  # type: ignore[misc,assignment]
    expect = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[2]
#: Screenshots and measurements of a run (git-ignored).
ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

#: The label of the text box in each phase of the participant page.
TEXT_LABEL = {
    "discover": "Your story",
    "dream": "Your dream",
    "design": "Your proposition",
    "deliver": "What will you do?",
}
CONSENT_LABEL = {
    "named": "Use my name",
    "anonymous": "Anonymous",
    "private": "Not for publication",
}
PHASE_LABEL = {
    "lobby": "Lobby",
    "discover": "Discover",
    "dream": "Dream",
    "design": "Design",
    "deliver": "Deliver",
    "closed": "Closed",
}


def exactly(text: str) -> re.Pattern[str]:
    """A pattern matching the whole (trimmed) text, for names that prefix others."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


# ----- participants -----


def join_form(page: Page, name: str, organisation: str = "", region: str = "") -> None:
    """Fill the name fields of a join page (the code is already there) and join."""
    page.get_by_label("Your name").fill(name)
    if organisation:
        page.get_by_label("Organisation (optional)").fill(organisation)
    if region:
        page.get_by_label("Region (optional)").fill(region)
    page.get_by_role("button", name="Join", exact=True).click()
    # The live page's address names the workshop by its unguessable public id.
    expect(page).to_have_url(re.compile(r"/w/[A-Za-z0-9_-]{20,}$"))
    expect(page.get_by_text(f"Hello, {name}")).to_be_visible()
    connected(page)


def join_with_code(page: Page, code: str, name: str, **fields: str) -> None:
    """Open the start page, type the code as given, and join."""
    page.goto("/")
    page.get_by_label("Workshop code").fill(code)
    join_form(page, name, **fields)


def connected(page: Page) -> None:
    """The live page says it is connected (socket open and snapshot received), in any language."""
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")


def phone_phase(page: Page, phase: str) -> None:
    """The phone shows ``phase`` as the current one."""
    expect(page.locator("#phase-name")).to_have_text(PHASE_LABEL[phase])
    expect(page.get_by_label("Phases").locator('[aria-current="step"]')).to_have_text(
        PHASE_LABEL[phase]
    )


def contribute(
    page: Page,
    phase: str,
    text: str,
    consent: str = "anonymous",
    *,
    title: str = "",
    factors: str = "",
    theme: str = "",
    owner: str = "",
    due: str = "",
    proposition: str = "",
    delivered: bool = True,
) -> None:
    """Write a contribution on a phone and send it; wait until the server confirmed it."""
    if title:
        page.get_by_label("Title (optional)").fill(title)
    text_box(page, phase).fill(text)
    if factors:
        page.get_by_label(re.compile(r"What made it possible")).fill(factors)
    if theme:
        page.get_by_label("Builds on theme (optional)").select_option(label=theme)
    if owner:
        page.get_by_label("Who (optional)").fill(owner)
    if due:
        page.get_by_label("By when (optional)").fill(due)
    if proposition:
        page.get_by_label("Delivers proposition (optional)").select_option(label=proposition)
    page.get_by_label(CONSENT_LABEL[consent]).check()
    page.get_by_role("button", name="Send", exact=True).click()
    if delivered:
        card = feed_card(page, text)
        expect(card).to_be_visible()
        expect(card.get_by_text("Sent", exact=True)).to_be_visible()
        expect(text_box(page, phase)).to_have_value("")


def text_box(page: Page, phase: str) -> Locator:
    """The contribution box of ``phase`` (its label names the phase's kind)."""
    return page.get_by_role("textbox", name=TEXT_LABEL[phase], exact=True)


def feed(page: Page) -> Locator:
    """The cards of the live feed on a phone."""
    return page.locator("#feed > li")


def feed_card(page: Page, text: str) -> Locator:
    return feed(page).filter(has_text=text)


def votes_left(page: Page) -> Locator:
    return page.locator("#votes-left")


# ----- the facilitator -----


def board_phase(page: Page, phase: str) -> None:
    """The board's stepper marks ``phase`` as the current one."""
    stepper = page.get_by_role("navigation", name="Phases")
    expect(stepper.get_by_role("button", name=PHASE_LABEL[phase], exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )


def click_phase(page: Page, phase: str) -> None:
    stepper = page.get_by_role("navigation", name="Phases")
    stepper.get_by_role("button", name=PHASE_LABEL[phase], exact=True).click()
    board_phase(page, phase)


def next_phase(page: Page, phase: str) -> None:
    """Click "Next" and wait until the board shows ``phase``."""
    page.get_by_role("button", name=re.compile(r"^Next")).click()
    board_phase(page, phase)


def board_card(page: Page, text: str) -> Locator:
    """A contribution's card on the board's wall (list item or table row)."""
    wall = page.get_by_role("region", name="Live wall")
    return wall.locator("li.card, tr").filter(has_text=text)


def add_theme(page: Page, name: str) -> None:
    page.get_by_label("New theme").fill(name)
    page.get_by_role("button", name="Add theme").click()
    expect(theme_box(page, name)).to_be_visible()


def theme_box(page: Page, name: str) -> Locator:
    """The section of a theme of the positive core (a region named by its heading)."""
    return page.get_by_role("region", name=name, exact=True)


def show_view(page: Page, label: str) -> None:
    """Switch the wall to Stories, Dreams, Propositions or Commitments."""
    page.get_by_role("group", name="Show").get_by_role(
        "button", name=re.compile(rf"^{label}\b")
    ).click()


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in as a facilitator through the login form, as a person would."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your workshops", level=1)).to_be_visible()


# ----- the projector, the board, pointer gestures -----


def open_board(people: Any, workshop_id: int, label: str = "facilitator") -> Page:
    """The facilitator signs in and opens the live board of ``workshop_id``."""
    board = people.facilitator(label)
    board.goto(f"/workshops/{workshop_id}")
    connected(board)
    return board


def open_projector(people: Any, board: Page, workshop_id: int) -> Page:
    """The projector view, in another tab of the facilitator's (signed-in) browser."""
    screen = people.page("projector", context=board.context)
    screen.goto(f"/workshops/{workshop_id}/screen")
    connected(screen)
    return screen


def drag(page: Page, source: Locator, target: Locator, steps: int = 8) -> None:
    """Press on ``source``, move to ``target`` in small steps, release (real pointer moves).

    SortableJS starts a drag only after the pointer has moved with the button
    held, and decides where the item goes from the moves over the target, so
    the gesture is made of many intermediate moves, as a hand makes them.
    Both elements must fit in the viewport: the pointer does not scroll the page.
    """
    # The tab in front, as the person dragging sees it: a tab behind another of
    # its window (the projector) gets its frames late, and each move waits for one.
    page.bring_to_front()
    source.scroll_into_view_if_needed()
    start = source.bounding_box()
    assert start, "the dragged element is not on screen"
    x0, y0 = start["x"] + start["width"] / 2, start["y"] + min(start["height"] / 2, 12)
    page.mouse.move(x0, y0)
    page.mouse.down()
    # A first small move starts the drag; then the way to the target.
    page.mouse.move(x0 + 6, y0 + 6, steps=3)
    end = target.bounding_box()
    assert end, "the drop target is not on screen"
    x1, y1 = end["x"] + end["width"] / 2, end["y"] + end["height"] / 2
    page.mouse.move(x1, y1, steps=steps)
    page.mouse.move(x1 + 2, y1 + 2, steps=2)
    page.mouse.up()


def clock_seconds(text: str) -> int:
    """Seconds shown by a timer clock ("4:58", "1:02:03")."""
    parts = [int(part) for part in text.strip().split(":")]
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds
