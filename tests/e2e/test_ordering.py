"""No order of snapshot, replay and live events loses or brings back an item (LiveSession).

The real ``static/js/live.js`` runs in Chromium against a stand-in socket
that delivers a scripted stream. A model of the server (Python, below) makes
a random history of changes (stories added, edited, hidden and shown again,
voted on, grouped into themes that are renamed, merged and deleted, names
shown and hidden, phases changed) and, for each connection of a client, the
stream a real server may send: live events from the moment the socket
joined its rooms, in any order a second worker or a replay may cause,
around a snapshot read at some later moment (or a replay from the client's
``since`` ending in ``resynced``), with stale presence counts among them.
Connections drop at random points, also before their snapshot arrived (a
reconnection during a reconnection). When the last connection has received
everything, the session must hold exactly the model's final state, for the
room's view (phones, projector) and the facilitator's (board); and every
connection must have asked for ``since`` = the last snapshot or resync.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from typing import Any

import pytest

SEEDS = range(120)
ROLES = ("participant", "facilitator")

#: Runs one script against a fresh LiveSession; returns what it holds and the `since`s it sent.
RUN_SCRIPT = """async ({script, role}) => {
  const { LiveSession } = await import("/static/js/live.js");
  const handlers = {};
  let auth = null;
  const socket = {
    connected: false,
    active: true,
    on(name, fn) { (handlers[name] ||= []).push(fn); return this; },
    connect() {},
    disconnect() {},
  };
  const io = (options) => { auth = options.auth; return socket; };
  const session = new LiveSession(1, { io });
  const fire = (name, data) => (handlers[name] || []).forEach((fn) => fn(data));
  const sinces = [];
  for (const [name, data] of script) {
    if (name === "@open") {
      auth((sent) => sinces.push(sent.since ?? null));
      socket.connected = true;
      fire("connect");
    } else if (name === "@drop") {
      socket.connected = false;
      fire("disconnect", "transport close");
    } else {
      fire(name, data);
    }
  }
  const state = session.state;
  return {
    sinces,
    contributions: Array.from(state.contributions.values())
      .map((c) => [c.id, c.text, c.theme_id ?? null, c.votes ?? null, Boolean(c.hidden), c.author ?? null])
      .sort((a, b) => a[0] - b[0]),
    themes: Array.from(state.themes.values()).map((t) => [t.id, t.name]).sort((a, b) => a[0] - b[0]),
    phase: state.workshop.phase,
    show_names: state.workshop.show_names,
    presence: [state.presence.joined, state.presence.online],
  };
}"""


@dataclass
class Item:
    id: int
    text: str
    theme_id: int | None = None
    votes: int = 0
    hidden: bool = False


@dataclass
class State:
    items: dict[int, Item] = field(default_factory=dict)
    themes: dict[int, str] = field(default_factory=dict)
    phase: str = "discover"
    show_names: bool = True


class Server:
    """A model of what the server stores and sends, change by change."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seq = 0
        self.state = State()
        self.states = {0: copy.deepcopy(self.state)}
        #: seq -> events: (audience, name, payload); audience "room", "facilitator" or "both".
        self.events: dict[int, list[tuple[str, str, dict[str, Any]]]] = {}
        self.next_id = 1
        self.presence_version = 0

    # ----- payloads as each viewer sees them -----

    def item_payload(self, item: Item, role: str) -> dict[str, Any]:
        named = role == "facilitator" or self.state.show_names
        return {
            "id": item.id,
            "kind": "story",
            "text": item.text,
            "theme_id": item.theme_id,
            "votes": item.votes,
            "hidden": item.hidden,
            "author": f"Author {item.id}" if named else None,
        }

    def workshop_payload(self, state: State) -> dict[str, Any]:
        return {
            "id": 1,
            "title": "Model",
            "phase": state.phase,
            "show_names": state.show_names,
            "hide_vote_counts": False,
            "votes_revealed": False,
            "votes_per_participant": 3,
            "prompts": {},
        }

    def snapshot(self, seq: int, role: str, presence: dict[str, int]) -> dict[str, Any]:
        state = self.states[seq]
        saved, self.state = self.state, state
        try:
            items = [
                self.item_payload(item, role)
                for item in sorted(state.items.values(), key=lambda i: i.id)
                if role == "facilitator" or not item.hidden
            ]
        finally:
            self.state = saved
        data = {
            "seq": seq,
            "role": role,
            "workshop": self.workshop_payload(state),
            "themes": [{"id": i, "name": n} for i, n in sorted(state.themes.items())],
            "contributions": items,
            "timer": None,
            "presence": presence,
        }
        if role == "participant":
            data["me"] = {"participant_id": 99, "votes_left": {"dream": 3, "proposition": 3}}
        else:
            data["notes"] = {}
            data["pairs"] = {"stage": None, "pairs": []}
        return data

    def presence(self) -> dict[str, int]:
        self.presence_version += 1
        online = self.rng.randint(0, 30)
        return {
            "joined": online + 5,
            "online": online,
            "seq": self.seq,
            "version": self.presence_version,
        }

    # ----- changes -----

    def _item_events(self, item: Item) -> list[tuple[str, str, dict[str, Any]]]:
        events = [("facilitator", "contribution", self.item_payload(item, "facilitator"))]
        if not item.hidden:
            events.append(("room", "contribution", self.item_payload(item, "participant")))
        return events

    def change(self) -> None:
        """One committed change, with the events it publishes."""
        rng, state = self.rng, self.state
        visible = [i for i in state.items.values() if not i.hidden]
        hidden = [i for i in state.items.values() if i.hidden]
        choices = ["add"] * 4 + ["edit", "vote", "vote", "theme", "phase"]
        if visible:
            choices += ["hide", "assign", "assign"]
        if hidden:
            choices += ["unhide"]
        if state.themes:
            choices += ["rename", "delete", "names"]
        kind = rng.choice(choices)
        events: list[tuple[str, str, dict[str, Any]]] = []
        if kind == "add":
            item = Item(self.next_id, f"story {self.next_id}")
            self.next_id += 1
            state.items[item.id] = item
            events = self._item_events(item)
        elif kind in ("edit", "vote") and state.items:
            item = rng.choice(list(state.items.values()))
            if kind == "edit":
                item.text = f"story {item.id}, edited at {self.seq + 1}"
                events = self._item_events(item)
            else:
                item.votes += 1
                events = [("both", "tally", {"contribution_id": item.id, "votes": item.votes})]
        elif kind == "hide":
            item = rng.choice(visible)
            item.hidden = True
            events = [("both", "contribution_hidden", {"id": item.id})]
        elif kind == "unhide":
            item = rng.choice(hidden)
            item.hidden = False
            events = self._item_events(item)
        elif kind == "assign":
            item = rng.choice(visible)
            item.theme_id = rng.choice([None, *state.themes])
            events = self._item_events(item)
        elif kind == "theme":
            theme_id = 100 + self.seq
            state.themes[theme_id] = f"Theme {theme_id}"
            events = [("both", "theme", {"id": theme_id, "name": state.themes[theme_id]})]
        elif kind == "rename":
            theme_id = rng.choice(list(state.themes))
            state.themes[theme_id] = f"Theme {theme_id} renamed at {self.seq + 1}"
            events = [("both", "theme", {"id": theme_id, "name": state.themes[theme_id]})]
        elif kind == "delete":
            theme_id = rng.choice(list(state.themes))
            del state.themes[theme_id]
            into = rng.choice([None, *state.themes])
            for item in state.items.values():
                if item.theme_id == theme_id:
                    item.theme_id = into
            events = [("both", "theme_deleted", {"id": theme_id, "merged_into": into})]
        elif kind == "names":
            state.show_names = not state.show_names
            events = [("both", "workshop", self.workshop_payload(state))]
            room = [
                self.item_payload(i, "participant")
                for i in sorted(state.items.values(), key=lambda i: i.id)
                if not i.hidden
            ]
            events.append(("room", "contributions", {"items": room}))
        elif kind == "phase":
            state.phase = rng.choice(["discover", "dream", "design", "deliver"])
            events = [("both", "phase", {"phase": state.phase, "prompts": []})]
        else:  # edit or vote before any story: add one
            item = Item(self.next_id, f"story {self.next_id}")
            self.next_id += 1
            state.items[item.id] = item
            events = self._item_events(item)
        self.seq += 1
        self.events[self.seq] = [(a, n, {**p, "seq": self.seq}) for a, n, p in events]
        self.states[self.seq] = copy.deepcopy(state)

    def visible(self, seq: int, role: str) -> list[tuple[str, dict[str, Any]]]:
        """The events of change ``seq`` that reach a ``role``'s socket, in the order sent."""
        audience = "facilitator" if role == "facilitator" else "room"
        return [(n, p) for a, n, p in self.events.get(seq, []) if a in ("both", audience)]

    def expected(self, role: str) -> dict[str, Any]:
        state = self.state
        return {
            "contributions": [
                [
                    i.id,
                    i.text,
                    i.theme_id,
                    i.votes,
                    i.hidden,
                    f"Author {i.id}" if role == "facilitator" or state.show_names else None,
                ]
                for i in sorted(state.items.values(), key=lambda i: i.id)
                if role == "facilitator" or not i.hidden
            ],
            "themes": [[i, n] for i, n in sorted(state.themes.items())],
            "phase": state.phase,
            "show_names": state.show_names,
        }


def _jittered(rng: random.Random, events: list[Any], spread: float) -> list[Any]:
    """Events roughly in order, some overtaking others (a second worker, a slow greenlet)."""
    keyed = [(index + rng.uniform(0, spread), index, e) for index, e in enumerate(events)]
    return [e for _, _, e in sorted(keyed)]


def scenario(seed: int, role: str) -> tuple[list[Any], list[int | None], Server, dict[str, int]]:
    """A script of connections for one client, the `since`s it must send, the model, final presence."""
    rng = random.Random(seed)
    server = Server(rng)
    for _ in range(rng.randint(0, 15)):
        server.change()
    script: list[Any] = []
    sinces: list[int | None] = []
    base: int | None = None
    connections = rng.randint(1, 4)
    for number in range(connections):
        last = number == connections - 1
        script.append(("@open", None))
        sinces.append(base if base else None)
        joined = server.seq  # the socket joins its rooms: events from here on reach it
        for _ in range(rng.randint(0, 4)):
            server.change()
        read = server.seq  # the snapshot's (or replay's) consistent read
        replay = base is not None and rng.random() < 0.6
        if replay:
            sync = [e for s in range(base + 1, read + 1) for e in server.visible(s, role)]
            sync.append(("resynced", {"seq": read, "replayed": len(sync)}))
        else:
            presence = server.presence()
            sync = [("snapshot", server.snapshot(read, role, presence))]
        for _ in range(rng.randint(0, 8)):
            server.change()
        live = [e for s in range(joined + 1, server.seq + 1) for e in server.visible(s, role)]
        live += [("presence", server.presence()) for _ in range(rng.randint(0, 3))]
        stream = _jittered(rng, live, spread=rng.choice([0.5, 3, 20]))
        position = rng.randint(0, len(stream))
        stream[position:position] = sync
        if last:
            final = server.presence()
            stream.append(("presence", final))
            # A stale count, read earlier, arrives last: it must not win.
            stream.append(("presence", {**final, "online": -1, "version": final["version"] - 1}))
            script.extend(stream)
        else:
            cut = rng.randint(0, len(stream))
            script.extend(stream[:cut])
            script.append(("@drop", None))
            if any(name in ("snapshot", "resynced") for name, _ in stream[:cut]):
                base = read
    return script, sinces, server, final


@pytest.fixture(scope="module")
def lab(browser: Any, live_server: Any) -> Any:
    """A page of the app's origin, where live.js can be imported."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/")
    yield page
    context.close()


@pytest.mark.parametrize("role", ROLES)
def test_no_order_of_events_loses_or_revives_an_item(lab, role, report):
    wrong = []
    for seed in SEEDS:
        script, sinces, server, presence = scenario(seed, role)
        held = lab.evaluate(RUN_SCRIPT, {"script": script, "role": role})
        expected = {
            **server.expected(role),
            "sinces": sinces,
            "presence": [presence["joined"], presence["online"]],
        }
        differs = {key: (held[key], value) for key, value in expected.items() if held[key] != value}
        if differs:
            wrong.append((seed, differs))
    report(
        f"ordering ({role}): {len(SEEDS) - len(wrong)} of {len(SEEDS)} random histories "
        "and deliveries end exactly as the server's state"
    )
    assert not wrong, (
        f"{len(wrong)} of {len(SEEDS)} scripts end wrong; the first (seed, held vs expected): "
        f"{wrong[0]}"
    )
