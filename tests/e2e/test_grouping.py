"""Grouping the positive core by drag and drop, as a facilitator does it with a mouse.

Stories are dragged onto themes on the board (SortableJS, real pointer moves),
a theme is dragged by its handle onto another to merge them, and a story
goes back to "Not grouped" with the keyboard. After each step the board, the
projector and the server's snapshot (the JSON API) agree.
"""

from __future__ import annotations

import re

from .pages import (
    add_theme,
    board_card,
    connected,
    contribute,
    drag,
    expect,
    join_with_code,
    open_board,
    open_projector,
    theme_box,
)

STORIES = {
    "mill": "The old mill became a home for forty makers.",
    "festival": "Our street festival brought three towns together.",
    "school": "A school and a studio now share their teachers.",
}
MAKERS = "Makers' spaces"
NETWORKS = "Networks across towns"


def screen_theme(screen, name):
    """A theme's box on the projector's wall, found by its heading."""
    return screen.locator(".screen-theme").filter(
        has=screen.locator(".screen-theme__name > span").filter(
            has_text=re.compile(rf"^{re.escape(name)}$")
        )
    )


def test_drag_stories_onto_themes_and_merge_themes(people, live_server):
    workshop = live_server.create_workshop(title="Grouping", topic="What makes our towns strong?")
    wid = workshop["id"]
    live_server.set_phase(wid, "discover")

    ana = people.page("Ana")
    join_with_code(ana, workshop["code"], "Ana", organisation="Kranj Creative")
    ben = people.page("Ben")
    join_with_code(ben, workshop["code"], "Ben")
    contribute(ana, "discover", STORIES["mill"], "named")
    contribute(ben, "discover", STORIES["festival"], "anonymous")
    contribute(ana, "discover", STORIES["school"], "named")

    board = open_board(people, wid)
    # A laptop's window: the tray of ungrouped stories and the themes sit side by
    # side and fit it, so a drag never needs the page to scroll.
    board.get_by_role("heading", name="Stories and the positive core").scroll_into_view_if_needed()
    grouping = board.locator(".grouping").bounding_box()
    assert grouping["height"] <= 900
    tray = board.locator(".grouping__tray").bounding_box()
    themes = board.locator(".grouping__themes").bounding_box()
    assert tray["x"] + tray["width"] <= themes["x"] and abs(tray["y"] - themes["y"]) < 2
    screen = open_projector(people, board, wid)
    add_theme(board, MAKERS)
    add_theme(board, NETWORKS)
    ungrouped = theme_box(board, "Not grouped")
    expect(ungrouped.locator("li.card")).to_have_count(3)
    # The projector skips themes with no story yet.
    expect(screen_theme(screen, MAKERS)).to_have_count(0)

    # ----- a story dragged onto a theme -----
    makers_id = next(t["id"] for t in live_server.snapshot(wid)["themes"] if t["name"] == MAKERS)
    networks_id = next(
        t["id"] for t in live_server.snapshot(wid)["themes"] if t["name"] == NETWORKS
    )
    mill_card = board_card(board, STORIES["mill"])
    drag(board, mill_card.locator(".card__text"), theme_box(board, MAKERS).locator(".empty"))

    makers = theme_box(board, MAKERS)
    expect(makers.locator("li.card").filter(has_text=STORIES["mill"])).to_be_visible()
    expect(makers).to_contain_text("1 story")
    expect(ungrouped.locator("li.card")).to_have_count(2)
    expect(ungrouped.locator("li.card").filter(has_text=STORIES["mill"])).to_have_count(0)
    # The story's own theme list follows the drag.
    expect(
        board_card(board, STORIES["mill"])
        .get_by_label("Theme", exact=True)
        .locator("option:checked")
    ).to_have_text(MAKERS)
    expect(screen_theme(screen, MAKERS)).to_contain_text(STORIES["mill"])
    expect(screen_theme(screen, MAKERS)).to_contain_text("1 story")
    expect(screen.locator(".screen-theme--loose")).not_to_contain_text(STORIES["mill"])
    stored = {c["text"]: c for c in live_server.snapshot(wid)["contributions"]}
    assert stored[STORIES["mill"]]["theme_id"] == makers_id
    assert stored[STORIES["festival"]]["theme_id"] is None

    # A second story onto the other theme, then a third onto the first.
    drag(
        board,
        board_card(board, STORIES["festival"]).locator(".card__text"),
        theme_box(board, NETWORKS).locator(".empty"),
    )
    networks = theme_box(board, NETWORKS)
    expect(networks.locator("li.card").filter(has_text=STORIES["festival"])).to_be_visible()
    drag(
        board,
        board_card(board, STORIES["school"]).locator(".card__text"),
        makers.locator("li.card").first,
    )
    expect(makers.locator("li.card")).to_have_count(2)
    expect(makers).to_contain_text("2 stories")
    expect(ungrouped.locator("li.card")).to_have_count(0)
    expect(board.get_by_text("No stories waiting to be grouped.")).to_be_visible()
    expect(screen_theme(screen, NETWORKS)).to_contain_text(STORIES["festival"])
    expect(screen_theme(screen, MAKERS)).to_contain_text("2 stories")
    # "Not grouped" stays on the wall, empty.
    expect(screen.locator(".screen-theme--loose")).to_contain_text("0 stories")
    stored = {c["text"]: c for c in live_server.snapshot(wid)["contributions"]}
    assert stored[STORIES["festival"]]["theme_id"] == networks_id
    assert stored[STORIES["school"]]["theme_id"] == makers_id

    # ----- a theme dragged by its handle onto another: merged after a confirmation -----
    questions = []

    def accept(dialog):
        questions.append(dialog.message)
        dialog.accept()

    board.once("dialog", accept)
    drag(board, networks.locator(".theme-grip"), makers.locator(".theme-box__head h4"))
    expect(theme_box(board, NETWORKS)).to_have_count(0)
    assert questions == [
        f"Merge “{NETWORKS}” into “{MAKERS}”? Its stories move to “{MAKERS}” "
        f"and “{NETWORKS}” is removed."
    ]
    expect(makers.locator("li.card")).to_have_count(3)
    expect(makers).to_contain_text("3 stories")
    expect(makers.locator("li.card").filter(has_text=STORIES["festival"])).to_be_visible()
    expect(board.locator("#themes > .theme-box")).to_have_count(1)
    expect(screen_theme(screen, NETWORKS)).to_have_count(0)
    expect(screen_theme(screen, MAKERS)).to_contain_text("3 stories")
    snapshot = live_server.snapshot(wid)
    assert [t["name"] for t in snapshot["themes"]] == [MAKERS]
    assert {c["theme_id"] for c in snapshot["contributions"]} == {makers_id}

    # ----- back to "Not grouped" with the keyboard: the story's own theme list -----
    select = board_card(board, STORIES["school"]).get_by_label("Theme", exact=True)
    select.focus()
    board.keyboard.press("ArrowUp")
    expect(ungrouped.locator("li.card").filter(has_text=STORIES["school"])).to_be_visible()
    expect(makers.locator("li.card")).to_have_count(2)
    expect(makers).to_contain_text("2 stories")
    expect(
        board_card(board, STORIES["school"])
        .get_by_label("Theme", exact=True)
        .locator("option:checked")
    ).to_have_text("Not grouped")
    # Keyboard users keep their place: the moved story's list has the focus again.
    expect(board_card(board, STORIES["school"]).get_by_label("Theme", exact=True)).to_be_focused()
    loose = screen.locator(".screen-theme--loose")
    expect(loose).to_contain_text("Not grouped yet")
    expect(loose).to_contain_text(STORIES["school"])
    expect(screen_theme(screen, MAKERS)).not_to_contain_text(STORIES["school"])
    stored = {c["text"]: c for c in live_server.snapshot(wid)["contributions"]}
    assert stored[STORIES["school"]]["theme_id"] is None
    assert stored[STORIES["mill"]]["theme_id"] == makers_id

    # What was stored is what a reloaded board draws.
    board.reload()
    connected(board)
    expect(theme_box(board, MAKERS).locator("li.card")).to_have_count(2)
    expect(theme_box(board, "Not grouped").locator("li.card")).to_have_count(1)
    people.assert_clean()
