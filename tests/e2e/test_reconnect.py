"""Never lose a story: the server dies mid-workshop and comes back.

A phone and the board are connected; the server process is killed (SIGKILL,
no goodbye) and started again on the same port and database. The pages show
that they are reconnecting, then recover by themselves; a story written
while the server was down waits on the phone and is stored exactly once.
"""

from __future__ import annotations

import re
import time

from .pages import (
    board_card,
    connected,
    contribute,
    expect,
    feed,
    feed_card,
    join_with_code,
    text_box,
)

BEFORE = "Our textile museum reopened as a coworking space."
DURING = "Written while the server was down: the harbour festival brought 30 regions together."

#: socket.io-client keeps retrying with a growing delay (at most 5 s, ±50 %).
RECOVERY_MS = 25_000


def test_a_phone_recovers_after_the_server_restarts(people_on_fresh_server, fresh_server, report):
    people, server = people_on_fresh_server, fresh_server
    workshop = server.create_workshop(title="Outage", topic="How do we keep going?")
    server.set_phase(workshop["id"], "discover")

    phone = people.page("phone")
    join_with_code(phone, workshop["code"], "Ana", organisation="Kranj Creative")
    board = people.facilitator("facilitator")
    board.goto(f"/workshops/{workshop['id']}")
    connected(board)
    contribute(phone, "discover", BEFORE, "named")
    expect(board_card(board, BEFORE)).to_have_count(1)

    # While the server is gone the browser logs its failed connection attempts.
    people.allow(r"socket\.io/\?EIO=")
    people.allow(r"ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE")
    server.kill()

    for page in (phone, board):
        conn = page.locator("#conn")
        expect(conn).to_have_text("Reconnecting…")
        expect(conn).to_have_attribute("data-state", "reconnecting")
    expect(board.get_by_role("button", name=re.compile(r"^Next"))).to_be_disabled()

    # The story typed now cannot reach the server: it waits on the phone.
    text_box(phone, "discover").fill(DURING)
    phone.get_by_label("Anonymous").check()
    phone.get_by_role("button", name="Send", exact=True).click()
    outbox = phone.get_by_role("region", name="Waiting on this phone")
    expect(outbox).to_be_visible()
    expect(outbox).to_contain_text(DURING)
    expect(outbox).to_contain_text("Sending…")
    expect(text_box(phone, "discover")).to_have_value("")
    expect(feed_card(phone, DURING)).to_have_count(0)

    server.start()
    restarted = time.perf_counter()

    for page in (phone, board):
        expect(page.locator("#conn")).to_have_text("Connected", timeout=RECOVERY_MS)
    recovered_s = time.perf_counter() - restarted
    expect(outbox).to_be_hidden()
    delivered = feed_card(phone, DURING)
    expect(delivered).to_have_count(1)
    expect(delivered.get_by_text("Sent", exact=True)).to_be_visible()
    expect(feed(phone)).to_have_count(2)
    expect(board_card(board, DURING)).to_have_count(1)
    expect(board.get_by_role("button", name=re.compile(r"^Next"))).to_be_enabled()
    delivered_s = time.perf_counter() - restarted
    report(
        f"reconnect: phone and board connected {recovered_s:.1f} s after the server was back; "
        f"the waiting story was on the board after {delivered_s:.1f} s"
    )

    def stored(text):
        contributions = server.snapshot(workshop["id"])["contributions"]
        return [c for c in contributions if c["text"] == text]

    assert len(stored(DURING)) == 1
    assert stored(DURING)[0]["consent"] == "anonymous"
    assert len(stored(BEFORE)) == 1

    # Reloading the phone afterwards sends nothing again.
    phone.reload()
    connected(phone)
    expect(feed(phone)).to_have_count(2)
    expect(phone.get_by_role("region", name="Waiting on this phone")).to_be_hidden()
    assert len(stored(DURING)) == 1
    assert len(server.snapshot(workshop["id"])["contributions"]) == 2
    people.assert_clean()
