"""The projector's wall fits any room: every theme is shown or paged through, the ranked list fits.

A workshop is filled through the real socket API (a phone and the board as
python-socketio clients), then the projector is opened at 1280×720 and
1920×1080. Paging is driven by the page's own timer, which Playwright's
clock moves forward instead of the test waiting.
"""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from .pages import SCREENSHOTS, connected, expect

#: Themes and how many stories each gets; the empty one must not be shown.
THEMES = {
    "Makers' spaces": 7,
    "Old mills, new uses": 6,
    "Schools open their workshops": 5,
    "Cross-border partnerships": 5,
    "Festivals that stay": 4,
    "Young talent stays": 4,
    "Craft meets industry": 3,
    "Public money, private courage": 3,
    "Nobody wrote about this": 0,
}
LOOSE = 6
STORY = (
    "Forty makers opened their studios in the old textile mill, and two thousand people "
    "came to see what the town could make again. Story {n}."
)


def _fill(live_server, phase):
    """A workshop in ``phase`` with the themes above, or with 20 dreams in Dream."""
    workshop = live_server.create_workshop(title="A wall that fits", language="en")
    wid = workshop["id"]
    live_server.set_phase(wid, "discover")
    # Several phones: one phone may send 20 contributions in 10 seconds.
    tokens = [
        requests.post(
            f"{live_server.url}/api/join",
            json={"code": workshop["code"], "name": f"P{n}"},
            timeout=10,
        ).json()["token"]
        for n in range(4)
    ]
    phones = [live_server.process.client({"token": token})[0] for token in tokens]
    board, _ = live_server.process.client({"token": live_server.token, "workshop_id": wid})
    try:
        n = 0

        def story():
            nonlocal n
            n += 1
            ack = phones[n % 3].call(
                "contribute",
                {"client_id": str(uuid.uuid4()), "kind": "story", "text": STORY.format(n=n)},
                timeout=10,
            )
            assert ack["ok"], ack
            return ack["id"]

        if phase == "discover":
            for name, count in THEMES.items():
                theme = board.call("theme_create", {"name": name}, timeout=10)["id"]
                for _ in range(count):
                    ack = board.call(
                        "theme_assign", {"theme_id": theme, "contribution_id": story()}, timeout=10
                    )
                    assert ack["ok"], ack
            for _ in range(LOOSE):
                story()
        else:
            live_server.set_phase(wid, "dream")
            voter = phones[3]
            try:
                dreams = [
                    phones[d % 3].call(
                        "contribute",
                        {
                            "client_id": str(uuid.uuid4()),
                            "kind": "dream",
                            "text": f"Dream {d}: every industrial town has a makers' hall open "
                            "to all, day and night.",
                        },
                        timeout=10,
                    )["id"]
                    for d in range(1, 21)
                ]
                for dream in dreams[:3]:
                    assert voter.call("vote", {"contribution_id": dream}, timeout=10)["ok"]
            finally:
                voter.disconnect()
    finally:
        for client in [*phones, board]:
            if client.connected:
                client.disconnect()
    return wid


def _projector(people, wid, size):
    page = people.facilitator("projector laptop")
    page.set_viewport_size(size)
    page.clock.install()
    page.goto(f"/workshops/{wid}/screen")
    connected(page)
    return page


def _inside(box, frame):
    return (
        box["x"] >= frame["x"] - 1
        and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
        and box["y"] + box["height"] <= frame["y"] + frame["height"] + 1
    )


def _seen_themes(page):
    """The theme headings wholly inside the wall as it shows now."""
    frame = page.locator("#wall-body").bounding_box()
    seen = set()
    for heading in page.locator(".screen-stories__themes .screen-theme__name").all():
        box = heading.bounding_box()
        if box and _inside(box, frame):
            seen.add(heading.locator("span").first.inner_text())
    return seen


@pytest.mark.parametrize(
    "size", [{"width": 1280, "height": 720}, {"width": 1920, "height": 1080}], ids=["720p", "1080p"]
)
def test_the_wall_shows_every_theme_or_pages_through_them(people, live_server, size, report):
    wid = _fill(live_server, "discover")
    screen = _projector(people, wid, size)
    wall = screen.locator("#wall-body")
    expect(wall.get_by_text("Not grouped yet")).to_be_visible()
    expect(wall).not_to_contain_text("Nobody wrote about this")  # empty themes are skipped
    expect(screen.locator(".screen-stories__themes .screen-theme")).to_have_count(len(THEMES) - 1)
    pager = screen.locator("#wall-pager")
    pages = 1
    if pager.is_visible():
        match = re.search(r"Page 1 of (\d+)", pager.inner_text())
        assert match, pager.inner_text()
        pages = int(match.group(1))
    seen = _seen_themes(screen)
    name = f"screen-paged-{size['width']}x{size['height']}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screen.screenshot(path=str(SCREENSHOTS / f"{name}-1.png"))
    for number in range(2, pages + 1):
        screen.clock.run_for(10_000)
        expect(pager).to_contain_text(f"Page {number} of {pages}")
        # "Not grouped" stays on every page.
        expect(wall.get_by_text("Not grouped yet")).to_be_in_viewport()
        seen |= _seen_themes(screen)
        screen.screenshot(path=str(SCREENSHOTS / f"{name}-{number}.png"))
    expected = {theme for theme, count in THEMES.items() if count}
    assert seen == expected, f"never shown whole: {sorted(expected - seen)}"
    report(f"projector {size['width']}x{size['height']}: {len(expected)} themes on {pages} page(s)")


def test_the_ranked_list_fits_and_counts_the_rest(people, live_server):
    wid = _fill(live_server, "dream")
    screen = _projector(people, wid, {"width": 1280, "height": 720})
    items = screen.locator(".screen-ranked__item:visible")
    more = screen.locator(".screen-more")
    expect(more).to_be_visible()
    shown = items.count()
    assert 1 < shown < 20
    expect(more).to_have_text(f"and {20 - shown} more")
    frame = screen.locator("#wall-body").bounding_box()
    assert _inside(more.bounding_box(), frame)
    assert _inside(items.last.bounding_box(), frame)
    screen.screenshot(path=str(SCREENSHOTS / "screen-ranked-1280x720.png"))
