"""What the security fixes look like to people, in a real browser.

API tokens are made, shown once and revoked on their page, and a workshop's
numbered address opens nothing (no code either) without joining.
"""

from __future__ import annotations

import re

import requests

from .pages import expect, join_form


def test_a_facilitator_makes_sees_once_and_revokes_an_api_token(people, live_server, a11y):
    page = people.facilitator()
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    page.get_by_label("What is it for? (optional)").fill("Laptop export script")
    page.get_by_role("button", name="Make a token").click()
    shown = page.get_by_role("textbox", name="Your new token")
    expect(shown).to_have_value(re.compile(r"^pcf_"))
    token = shown.input_value()
    a11y.check(page, "api-tokens-new")
    works = requests.get(
        f"{live_server.url}/api/workshops", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert works.status_code == 200

    # Shown once: the list names it and shows its first characters only.
    page.goto("/account/tokens?lang=de")
    row = page.get_by_role("row").filter(has_text="Laptop export script")
    expect(row).to_contain_text(f"{token[:8]}…")
    expect(page.get_by_role("textbox", name="Ihr neuer Token")).to_have_count(0)
    assert token not in page.content()
    a11y.check(page, "api-tokens-list-de")
    row.get_by_role("button", name=re.compile("^Widerrufen")).click()
    expect(page.get_by_role("status").first).to_contain_text("widerrufen")
    expect(page.get_by_role("row").filter(has_text="Laptop export script")).to_have_count(0)
    refused = requests.get(
        f"{live_server.url}/api/workshops", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert refused.status_code == 401


def test_a_workshops_address_opens_nothing_without_joining(people, live_server):
    workshop = live_server.create_workshop(title="Closed doors")
    phone = people.page("stranger")
    phone.goto(f"/w/{workshop['id']}")
    expect(phone).to_have_url(re.compile(r"/join$"))
    expect(phone.get_by_text("Join the workshop first.")).to_be_visible()
    expect(phone.get_by_label("Workshop code")).to_have_value("")
    assert workshop["code"] not in phone.content()
    # With the code (from the screen), the phone joins and gets an address of its own.
    phone.get_by_label("Workshop code").fill(workshop["code"])
    join_form(phone, "Ana")
    assert str(workshop["id"]) != phone.url.rsplit("/", 1)[1]
