"""What every screen shows equals what the database holds, on PostgreSQL (issue 11).

Six phones write stories over Socket.IO, as a busy room does, while the
room's screens keep connecting: participant pages reload (a fresh
snapshot), go offline and come back (a replay of what they missed, or a
snapshot after a long gap), and the board and the projector do the same.
When the writing stops, every page must show exactly the stories the
database holds: none missing, none extra.

Before the fix, an event committed between a socket joining its room and
its snapshot being sent reached the page first and was dropped (no state to
apply it to), and the older snapshot then replaced the state: the story was
missing from that screen until a reload. PostgreSQL shows it because every
round trip of the snapshot's reads lets other writers commit meanwhile.
"""

from __future__ import annotations

import random
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests
import socketio

from .pages import connected, expect, join_with_code

#: Phones writing at once, each just under its rate limit (20 stories in 10 s):
#: about 11 stories a second in all.
WRITERS = 6
#: Rounds of reconnections while the phones write.
ROUNDS = 10
#: A writer's pause between two stories (s).
WRITE_EVERY_S = 0.55
#: How long a page may take to come back and catch up after the writing stops:
#: socket.io-client's reconnection delay is at most 10 s.
SETTLE_MS = 30_000
#: A phone's feed shows this many newest stories, and more on request (participant/feed.js).
FEED_PAGE = 30

#: The ids of the stories a page shows, read from the DOM.
SHOWN_IDS = """(selector) => Array.from(document.querySelectorAll(selector))
  .map((node) => Number(node.dataset.key.slice(2)))
  .sort((a, b) => a - b)"""

#: True once a page shows exactly ``expected`` (sorted ids).
SHOWS_EXACTLY = """([selector, expected]) => {
  const shown = Array.from(document.querySelectorAll(selector))
    .map((node) => Number(node.dataset.key.slice(2)))
    .sort((a, b) => a - b);
  return shown.length === expected.length && shown.every((id, i) => id === expected[i]);
}"""

#: The projector's count of loose stories ("240 stories").
PROJECTOR_COUNT = """() => {
  const count = document.querySelector(".screen-theme--loose .screen-count");
  return count ? count.textContent.trim() : "";
}"""


@dataclass
class Reader:
    """A screen in the room: a page in a browser context of its own."""

    label: str
    page: Any
    #: CSS selector of the story cards it shows (each has ``data-key="c:<id>"``).
    cards: str
    projector: bool = False
    #: A phone's windowed feed: the newest stories, "Show more" for the rest.
    feed: bool = False


@dataclass
class Writer:
    """A phone writing stories over Socket.IO until told to stop."""

    client: socketio.Client
    acked: list[int] = field(default_factory=list)
    refused: list[Any] = field(default_factory=list)
    error: BaseException | None = None

    def run(self, name: str, stop: threading.Event) -> None:
        try:
            n = 0
            while not stop.is_set():
                n += 1
                ack = self.client.call(
                    "contribute",
                    {"client_id": str(uuid.uuid4()), "kind": "story", "text": f"{name} {n}"},
                    timeout=15,
                )
                if ack.get("ok"):
                    self.acked.append(ack["id"])
                else:
                    self.refused.append(ack)
                stop.wait(WRITE_EVERY_S)
        except BaseException as error:  # reported by the test, not lost in the thread
            self.error = error


def _writers(server: Any, code: str) -> list[Writer]:
    writers = []
    for n in range(WRITERS):
        joined = requests.post(
            f"{server.url}/api/join", json={"code": code, "name": f"Writer {n}"}, timeout=10
        )
        token = joined.json()["token"]
        client = socketio.Client(reconnection=False)
        client.connect(server.url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
        writers.append(Writer(client))
    return writers


def _churn(readers: list[Reader], rng: random.Random, pause: threading.Event) -> int:
    """One round: two screens go offline while the others reload at once; returns reconnections."""
    away = rng.sample(readers, 2)
    for reader in away:
        reader.page.context.set_offline(True)
    for reader in readers:
        if reader not in away:
            reader.page.reload(wait_until="commit")
    pause.wait(rng.uniform(0.3, 1.5))  # offline for a moment longer: more events missed
    for reader in away:
        reader.page.context.set_offline(False)
    for reader in readers:
        expect(reader.page.locator("#conn")).to_have_text("Connected", timeout=SETTLE_MS)
    return len(readers)


def _mismatch(reader: Reader, expected: list[int]) -> str:
    shown = reader.page.evaluate(SHOWN_IDS, reader.cards)
    missing = sorted(set(expected) - set(shown))
    extra = sorted(set(shown) - set(expected))
    return f"{reader.label}: {len(missing)} missing {missing[:10]}, {len(extra)} extra {extra[:10]}"


def test_every_screen_shows_what_the_database_holds(people_on_postgres, postgres_server, report):
    people, server = people_on_postgres, postgres_server
    workshop = server.create_workshop(title="Busy room", topic="How do we keep every story?")
    server.set_phase(workshop["id"], "discover")
    # Pages offline for a moment log their failed requests.
    people.allow(r"ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|ERR_CONNECTION")
    people.allow(r"socket\.io/\?EIO=")

    readers = []
    for n in range(3):
        phone = people.page(f"phone {n}")
        join_with_code(phone, workshop["code"], f"Reader {n}")
        readers.append(Reader(f"phone {n}", phone, "#feed > li[data-key^='c:']", feed=True))
    board = people.facilitator("board")
    board.goto(f"/workshops/{workshop['id']}")
    connected(board)
    readers.append(Reader("board", board, "#ungrouped > li[data-key^='c:']"))
    projector = people.facilitator("projector")
    projector.goto(f"/workshops/{workshop['id']}/screen")
    connected(projector)
    readers.append(Reader("projector", projector, ".screen-story[data-key]", projector=True))

    writers = _writers(server, workshop["code"])
    stop, pause = threading.Event(), threading.Event()
    threads = [
        threading.Thread(target=w.run, args=(f"Writer {i}", stop), daemon=True)
        for i, w in enumerate(writers)
    ]
    rng = random.Random(11)
    reconnections = 0
    try:
        for thread in threads:
            thread.start()
        for _round in range(ROUNDS):
            reconnections += _churn(readers, rng, pause)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        for writer in writers:
            writer.client.disconnect()
    problems = [w.error for w in writers if w.error] + [r for w in writers for r in w.refused]
    assert not problems, problems

    stored = sorted(c["id"] for c in server.snapshot(workshop["id"])["contributions"])
    assert stored == sorted(i for w in writers for i in w.acked)
    mismatches = []
    for reader in readers:
        expected = stored
        if reader.projector:
            count = f"{len(stored)} stories"
            try:
                reader.page.wait_for_function(
                    f"() => ({PROJECTOR_COUNT})() === {count!r}", timeout=SETTLE_MS
                )
            except Exception:
                shown = reader.page.evaluate(PROJECTOR_COUNT)
                mismatches.append(f"projector: shows {shown!r}, the database holds {count!r}")
                continue
        if reader.feed:
            # The newest page first, with the rest counted; then every page of it.
            try:
                reader.page.wait_for_function(
                    SHOWS_EXACTLY, arg=[reader.cards, stored[-FEED_PAGE:]], timeout=SETTLE_MS
                )
            except Exception:
                mismatches.append(_mismatch(reader, stored[-FEED_PAGE:]))
                continue
            rest = f"{len(stored) - FEED_PAGE} more not shown."
            expect(reader.page.locator("#feed-more-count")).to_have_text(rest)
            more = reader.page.locator("#feed-more")
            while more.is_visible():
                more.click()
        try:
            reader.page.wait_for_function(
                SHOWS_EXACTLY, arg=[reader.cards, expected], timeout=SETTLE_MS
            )
        except Exception:
            mismatches.append(_mismatch(reader, expected))
    report(
        f"sync on PostgreSQL: {len(stored)} stories from {WRITERS} phones, "
        f"{reconnections} reconnections of {len(readers)} screens, "
        f"{len(readers) - len(mismatches)} of {len(readers)} screens equal the database"
    )
    assert not mismatches, "screens that differ from the database:\n" + "\n".join(mismatches)
