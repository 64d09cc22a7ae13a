"""Paired appreciative interviews: a trio on three phones, roles, a recorded story, swaps.

Three phones are in Discover; the facilitator starts the paired interviews
on the board. Three people make one trio: each phone shows its card with
its role (interviewer, storyteller, observer) and the others' names; the
interviewer records the partner's story after asking about the name, and
the board shows it as the storyteller's. "Swap roles" rotates the roles on
every phone; "End interviews" clears the cards.
"""

from __future__ import annotations

import re

from .pages import (
    board_card,
    contribute,
    expect,
    feed_card,
    join_with_code,
    open_board,
    text_box,
)

PEOPLE = {
    "Ana": ("Kranj Creative", "Gorenjska"),
    "Ben": ("Tabakfabrik", "Upper Austria"),
    "Cleo": ("Padova Hub", "Veneto"),
}
FIRST_STORY = "When the flood came, the makers' hall fed the whole street for a week."
SECOND_STORY = "Our choir sang in three languages and the mayor joined in."
OWN_STORY = "A story of my own, written after the interviews."
ROLES = ("Interviewer", "Storyteller", "Observer")
HINTS = {
    "Interviewer": "Ask the questions below, listen, and record your partner's story.",
    "Storyteller": "Tell your partner about a high point. They record your story.",
    "Observer": "Listen and note what made the story possible. Your turn comes with the next swap.",
}


def label(name):
    """A person as the pair cards name them: "Ana (Kranj Creative, Gorenjska)"."""
    organisation, region = PEOPLE[name]
    return f"{name} ({organisation}, {region})"


def roles_on_phones(phones):
    """Who has which role now, read from each phone's card: {role: name}."""
    found = {}
    for name, phone in phones.items():
        role = phone.locator("#pair-role")
        expect(role).to_have_text(re.compile(rf"^({'|'.join(ROLES)})$"))
        found[role.inner_text().strip()] = name
    assert sorted(found) == sorted(ROLES), f"the trio's roles: {found}"
    return found


def check_card(phones, roles):
    """Each phone's card: its role, what the role asks, and who is who, "You" for itself."""
    for role, name in roles.items():
        phone = phones[name]
        card = phone.get_by_role("region", name="Your interview")
        expect(card).to_be_visible()
        expect(card.locator("#pair-role")).to_have_text(role)
        expect(card.locator("#pair-role-hint")).to_have_text(HINTS[role])
        expect(card.locator("#pair-members > li")).to_have_text(
            [
                f"{other}: {'You' if roles[other] == name else label(roles[other])}"
                for other in ROLES
            ]
        )
        # The guide carries the interview questions; the prompt panel steps aside.
        expect(card.locator("#pair-questions > li")).to_have_count(4)
        expect(card.locator("#pair-questions")).to_contain_text("Tell me about a high point")
        expect(card.locator("#pair-followups > li")).to_have_text(
            ["Tell me more…", "What made that possible?", "Who else was involved?"]
        )
        expect(phone.locator("#prompt")).to_be_hidden()
        record = phone.get_by_role("button", name=re.compile(r"^Record .*'s story$"))
        if role == "Interviewer":
            expect(record).to_be_visible()
            expect(record).to_have_text(f"Record {roles['Storyteller']}'s story")
        else:
            expect(record).to_be_hidden()
            expect(phone.get_by_role("group", name="Whose story is it?")).to_be_hidden()
            expect(text_box(phone, "discover")).to_be_visible()


def record_partner_story(phone, partner, text, consent_label):
    """The interviewer records the partner's story; the consent question must be answered."""
    phone.get_by_role("button", name=f"Record {partner}'s story").click()
    box = phone.get_by_role("textbox", name=f"{partner}'s story", exact=True)
    expect(box).to_be_focused()
    whose = phone.get_by_role("group", name="Whose story is it?")
    expect(whose.get_by_label(f"{partner}'s story")).to_be_checked()
    expect(whose.get_by_label("My own story")).not_to_be_checked()
    expect(phone.locator("#c-recording")).to_have_text(f"Recording {partner}'s story")
    consent = phone.get_by_role("group", name=f"Ask {partner}: may we use their name?")
    expect(consent).to_be_visible()
    # The partner answers for their own story: nothing is chosen for them.
    for choice in ("Use their name", "Anonymous", "Not for publication"):
        expect(consent.get_by_label(choice)).not_to_be_checked()
    box.fill(text)
    phone.get_by_role("button", name="Send", exact=True).click()
    # Said next to Send, where the eyes are.
    expect(phone.locator("#c-error")).to_have_text(
        f"Ask {partner} whether we may use their name, then choose an answer."
    )
    expect(feed_card(phone, text)).to_have_count(0)
    consent.get_by_label(consent_label).check()
    phone.get_by_role("button", name="Send", exact=True).click()
    card = feed_card(phone, text)
    expect(card.get_by_text("Sent", exact=True)).to_be_visible()
    expect(card.get_by_text("Interview", exact=True)).to_be_visible()
    expect(box).to_have_value("")


def test_paired_interviews_on_three_phones(people, live_server):
    workshop = live_server.create_workshop(title="Interviews", topic="When did we shine?")
    wid = workshop["id"]
    live_server.set_phase(wid, "discover")
    phones = {}
    for name, (organisation, region) in PEOPLE.items():
        phones[name] = people.page(name)
        join_with_code(
            phones[name], workshop["code"], name, organisation=organisation, region=region
        )
    board = open_board(people, wid)
    expect(board.locator("#online")).to_have_text("3")
    panel = board.get_by_role("region", name="Paired interviews")
    expect(panel.get_by_text("No interviews running.")).to_be_visible()
    expect(panel.get_by_role("button", name="Swap roles")).to_be_disabled()
    for phone in phones.values():
        expect(phone.locator("#pair")).to_be_hidden()

    # ----- the facilitator starts the interviews: three people make one trio -----
    panel.get_by_role("button", name="Start paired interviews").click()
    expect(panel.locator("#pairs-stage")).to_have_text("Turn 1. 1 group talking.")
    roles = roles_on_phones(phones)
    check_card(phones, roles)
    groups = panel.locator("#pairs-list > li")
    expect(groups).to_have_count(1)
    expect(groups).to_contain_text(
        f"{label(roles['Interviewer'])} interviews {label(roles['Storyteller'])}"
    )
    expect(groups).to_contain_text(f"Observing: {label(roles['Observer'])}")
    expect(panel.get_by_role("button", name="Pair again")).to_be_visible()

    # ----- the interviewer records the storyteller's story, with their name -----
    interviewer, storyteller = roles["Interviewer"], roles["Storyteller"]
    record_partner_story(phones[interviewer], storyteller, FIRST_STORY, "Use their name")
    on_board = board_card(board, FIRST_STORY)
    expect(on_board.locator(".author")).to_have_text(storyteller)
    expect(on_board).to_contain_text(", ".join(PEOPLE[storyteller]))
    expect(on_board.get_by_text("Interview", exact=True)).to_be_visible()
    expect(on_board).not_to_contain_text(interviewer)
    # The storyteller's phone, and the observer's, show it as the storyteller's.
    for name in (storyteller, roles["Observer"]):
        card = feed_card(phones[name], FIRST_STORY)
        expect(card.locator(".author")).to_have_text(storyteller)
        expect(card.get_by_text("Interview", exact=True)).to_be_visible()
    stored = {c["text"]: c for c in live_server.snapshot(wid)["contributions"]}
    assert stored[FIRST_STORY]["author"] == storyteller
    assert stored[FIRST_STORY]["consent"] == "named"
    assert stored[FIRST_STORY]["interview"] is True

    # ----- "Swap roles": the storyteller interviews, the observer tells, the interviewer observes -----
    panel.get_by_role("button", name="Swap roles").click()
    expect(panel.locator("#pairs-stage")).to_have_text("Turn 2. 1 group talking.")
    swapped = {
        "Interviewer": roles["Storyteller"],
        "Storyteller": roles["Observer"],
        "Observer": roles["Interviewer"],
    }
    for role, name in swapped.items():
        expect(phones[name].locator("#pair-role")).to_have_text(role)
    check_card(phones, swapped)
    expect(groups).to_contain_text(
        f"{label(swapped['Interviewer'])} interviews {label(swapped['Storyteller'])}"
    )
    # The previous interviewer now writes stories of their own again.
    expect(phones[interviewer].get_by_role("group", name="Whose story is it?")).to_be_hidden()

    # This time the storyteller wants no name on it.
    record_partner_story(
        phones[swapped["Interviewer"]], swapped["Storyteller"], SECOND_STORY, "Anonymous"
    )
    on_board = board_card(board, SECOND_STORY)
    expect(on_board).to_contain_text("Anonymous")
    expect(on_board.get_by_text("Interview", exact=True)).to_be_visible()
    for name in PEOPLE:
        expect(on_board).not_to_contain_text(name)
    stored = {c["text"]: c for c in live_server.snapshot(wid)["contributions"]}
    assert stored[SECOND_STORY]["author"] is None
    assert stored[SECOND_STORY]["interview"] is True

    # ----- "End interviews" (after a confirmation) clears every card -----
    board.once("dialog", lambda dialog: dialog.accept())
    panel.get_by_role("button", name="End interviews").click()
    expect(panel.get_by_text("No interviews running.")).to_be_visible()
    expect(groups).to_have_count(0)
    expect(panel.get_by_role("button", name="Start paired interviews")).to_be_visible()
    for name, phone in phones.items():
        expect(phone.locator("#pair"), name).to_be_hidden()
        expect(phone.get_by_role("button", name=re.compile(r"^Record "))).to_be_hidden()
        expect(phone.get_by_role("group", name="Whose story is it?")).to_be_hidden()
        expect(phone.locator("#prompt")).to_be_visible()
        expect(text_box(phone, "discover")).to_be_visible()
    # Back to their own stories, with their own consent choice.
    contribute(phones[swapped["Interviewer"]], "discover", OWN_STORY, "named")
    expect(board_card(board, OWN_STORY).locator(".author")).to_have_text(swapped["Interviewer"])
    expect(board_card(board, OWN_STORY).get_by_text("Interview", exact=True)).to_have_count(0)
    people.assert_clean()
