"""Flood benchmark: another room's acks while one room is flooded (issue 12, findings 3, 6).

Oversized Socket.IO messages and reconnects asking for snapshots hit one
room; another room's acks are measured before, during and after.

    .venv/bin/python -m bench.flood                    # eventlet, temporary SQLite
    .venv/bin/python -m bench.flood --seconds 60 --json out.json --markdown

One server (``python wsgi.py``, as ``HOST=0.0.0.0 make run`` serves it, no
nginx in front) holds two workshops:

- the *quiet* room: ``--probes`` phones, each sending a story every
  ``--interval`` seconds (under the per-phone limit), whose ack latency is
  the figure that matters;
- the *attacked* room, seeded with ``--contributions`` stories of 200
  characters (a snapshot of about 1 MB), where ``--flooders`` phones send
  ``contribute`` messages just under ``SOCKETIO_MAX_MESSAGE_BYTES`` without
  pause, every 20th one above it (the server closes that socket; the phone
  comes straight back), and ``--reconnectors`` phones connect and disconnect
  in a loop asking for the whole snapshot each time.

The quiet room is measured three times in the same run: before the flood
(the reference), during it, and after it. The target: the quiet room's ack
p95 during the flood stays under 1 s. The exit status is 1 when it is missed.

Phones, the server runner and the figures are ``bench.load``'s (phone,
server, api, stats, report); the seeding writes straight into the SQLite
file, since the benchmark measures the flood, not the seeding.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from socketio import packet as sio

from bench.load.api import join, phone_http
from bench.load.phone import Phone, Tally, frame
from bench.load.report import render_table, say
from bench.load.server import Database, Target
from bench.load.stats import cost, loadavg, machine, sample, self_cpu, summarize

#: The message cap the app runs with (config.py: SOCKETIO_MAX_MESSAGE_BYTES).
MESSAGE_CAP = 256 * 1024
TARGET_P95_MS = 1000.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The benchmark's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", default="eventlet", help="SOCKETIO_ASYNC_MODE of the server")
    parser.add_argument("--seconds", type=float, default=30, help="length of each phase")
    parser.add_argument("--probes", type=int, default=10, help="phones measured in the quiet room")
    parser.add_argument(
        "--interval", type=float, default=1.0, help="seconds between a probe's stories"
    )
    parser.add_argument("--flooders", type=int, default=4, help="phones sending oversized messages")
    parser.add_argument(
        "--reconnectors", type=int, default=8, help="phones reconnecting for snapshots"
    )
    parser.add_argument(
        "--contributions", type=int, default=5000, help="stories seeded in the attacked room"
    )
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    return parser.parse_args(argv)


# -- the attack ------------------------------------------------------------------------------


class Flood:
    """The attackers' phones and what they managed, until ``stop`` is set."""

    def __init__(self, port: int, flooders: list[str], reconnectors: list[str]) -> None:
        self.port = port
        self.flooders = flooders
        self.reconnectors = reconnectors
        self.stop = asyncio.Event()
        self.tally = Tally()  # the attackers' own, never mixed with the probes'
        self.sent = {"messages": 0, "megabytes": 0.0, "over_cap": 0}
        self.connects = {"snapshots": 0, "refused": 0, "reopened": 0}

    def _message(self, size: int) -> str:
        text = "x" * size
        payload = {"client_id": uuid.uuid4().hex, "kind": "story", "text": text}
        return frame(sio.Packet(sio.EVENT, ["contribute", payload]))

    async def _open(self, idx: int, token: str) -> Phone | None:
        phone = Phone(self.tally, idx, self.port, token)
        try:
            await phone.open()
        except Exception:  # refused (rate_limited, too_many_connections) or closed
            self.connects["refused"] += 1
            await phone.close()
            return None
        return phone

    async def flooder(self, idx: int, token: str) -> None:
        """Messages just under the cap without pause; every 20th above it."""
        under = self._message(MESSAGE_CAP - 1024)
        over = self._message(MESSAGE_CAP + 1024)
        phone = None
        count = 0
        while not self.stop.is_set():
            if phone is None or phone.closed:
                if phone is not None:
                    await phone.close()
                    self.connects["reopened"] += 1
                phone = await self._open(idx, token)
                if phone is None:
                    await asyncio.sleep(0.2)
                    continue
            count += 1
            message = over if count % 20 == 0 else under
            try:
                await phone.ws.send(message)
            except Exception:  # closed by the server (the message above the cap)
                phone.closed = True
                continue
            self.sent["messages"] += 1
            self.sent["megabytes"] += len(message) / 1e6
            self.sent["over_cap"] += message is over
        if phone is not None:
            await phone.close()

    async def reconnector(self, idx: int, token: str) -> None:
        """Connect without ``since`` (a whole snapshot each time), disconnect, again."""
        while not self.stop.is_set():
            phone = await self._open(idx, token)
            if phone is None:
                await asyncio.sleep(0.05)  # refused: straight back, as the attack did
                continue
            self.connects["snapshots"] += phone.got_snapshot
            await phone.close()

    async def run(self) -> None:
        """Every attacker at once, until ``stop``."""
        tasks = [self.flooder(n, t) for n, t in enumerate(self.flooders)]
        tasks += [
            self.reconnector(len(self.flooders) + n, t) for n, t in enumerate(self.reconnectors)
        ]
        await asyncio.gather(*tasks)


# -- the measured room -----------------------------------------------------------------------


async def probe(phones: list[Phone], tally: Tally, seconds: float, interval: float) -> None:
    """Each probe phone sends a story every ``interval`` seconds for ``seconds``."""
    deadline = time.time() + seconds
    count = 0

    async def one(phone: Phone, offset: float) -> None:
        nonlocal count
        await asyncio.sleep(offset)
        while time.time() < deadline:
            count += 1
            await phone.contribute(count, "probe")
            await asyncio.sleep(interval)

    stagger = interval / max(len(phones), 1)
    await asyncio.gather(*(one(phone, n * stagger) for n, phone in enumerate(phones)))
    # The last acks: wait for them (up to 10 s), then whatever is missing counts as unacked.
    end = time.time() + 10
    while tally.pending and time.time() < end:
        await asyncio.sleep(0.05)


def figures(tally: Tally) -> dict[str, Any]:
    """What one phase of the quiet room measured."""
    return {
        "acks_ms": summarize(tally.acks),
        "sent": tally.sent,
        "unacked": len(tally.pending),
        "refusals": dict(tally.refusals),
    }


# -- the run ---------------------------------------------------------------------------------


def seed(database: str, workshop_id: int, participant_id: int, count: int) -> None:
    """``count`` stories of 200 characters in the attacked room, straight into SQLite."""
    path = database.removeprefix("sqlite:///")
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.executemany(
            "INSERT INTO contributions (workshop_id, participant_id, client_id, kind, title, text,"
            " consent, language, factors, owner, owner_organisation, hidden, edited, vote_count,"
            " created_at) VALUES (?, ?, ?, 'story', '', ?, 'anonymous', 'en', '', '', '', 0, 0,"
            " 0, '2026-11-25 10:00:00')",
            [(workshop_id, participant_id, uuid.uuid4().hex, "s" * 200) for _ in range(count)],
        )


async def measure(target: Target, args: argparse.Namespace) -> dict[str, Any]:
    """Set the rooms up, then measure the quiet room before, during and after the flood."""
    api = target.api()
    port = target.ports[0]
    quiet = api.workshop("Quiet room")
    attacked = api.workshop("Attacked room")
    async with phone_http() as http:

        async def joined(code: str, count: int, prefix: str) -> list[dict[str, Any]]:
            answers = await asyncio.gather(
                *(join(http, port, code, f"{prefix} {n}") for n in range(count))
            )
            return [answer for status, answer in answers if status == 201]

        probe_tokens = [p["token"] for p in await joined(quiet["code"], args.probes, "Probe")]
        attackers = await joined(
            attacked["code"], args.flooders + args.reconnectors + 1, "Attacker"
        )
    tokens = [p["token"] for p in attackers[1:]]
    flooders, reconnectors = tokens[: args.flooders], tokens[args.flooders :]
    seed(target.database_url, attacked["id"], attackers[0]["participant_id"], args.contributions)
    say(f"seeded {args.contributions} stories in the attacked room")

    tally = Tally()
    phones = [Phone(tally, n, port, token) for n, token in enumerate(probe_tokens)]
    for phone in phones:
        await phone.open()
    phases: dict[str, Any] = {}
    flood = Flood(port, flooders, reconnectors)
    attack: asyncio.Task | None = None
    for phase in ("before", "during", "after"):
        if phase == "during":
            attack = asyncio.create_task(flood.run())
            await asyncio.sleep(1)  # the flood under way before the first probe
        if phase == "after":
            flood.stop.set()
            await attack
            await asyncio.sleep(2)
        tally.reset(phones)
        say(f"phase {phase}: {args.seconds:.0f} s")
        start, cpu = sample(target.pids), self_cpu()
        await probe(phones, tally, args.seconds, args.interval)
        phases[phase] = {
            **figures(tally),
            "cost": cost(start, sample(target.pids), self_cpu() - cpu),
        }
        if phase == "during":
            phases[phase]["flood"] = {**flood.sent, **flood.connects}
            phases[phase]["flood"]["megabytes"] = round(flood.sent["megabytes"], 1)
    for phone in phones:
        await phone.close()
    return phases


def report(phases: dict[str, Any], markdown: bool) -> tuple[str, bool]:
    """The tables, and whether the target is met."""
    rows = []
    for name, phase in phases.items():
        acks = phase["acks_ms"]
        rows.append(
            [
                name,
                str(acks["count"]),
                *(f"{acks[k]:.0f}" if acks[k] is not None else "-" for k in ("p50", "p95", "p99")),
                f"{acks['max']:.0f}" if acks["max"] is not None else "-",
                str(phase["unacked"]),
                f"{phase['cost'].get('server_cores', 0):.2f}",
            ]
        )
    header = [
        "quiet room",
        "acks",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "unacked",
        "server cores",
    ]
    flood = phases["during"]["flood"]
    attack = render_table(
        ["flood", "value"],
        [[key.replace("_", " "), str(value)] for key, value in flood.items()],
        markdown,
    )
    p95 = phases["during"]["acks_ms"]["p95"]
    met = p95 is not None and p95 < TARGET_P95_MS and phases["during"]["unacked"] == 0
    verdict = (
        f"target: quiet room's ack p95 during the flood < {TARGET_P95_MS:.0f} ms: "
        f"{p95} ms, {'met' if met else 'MISSED'}"
    )
    return "\n\n".join([render_table(header, rows, markdown), attack, verdict]), met


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when the target is met."""
    args = parse_args(argv)
    with contextlib.ExitStack() as cleanup:
        folder = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="pc-flood-")))
        database = Database("sqlite", folder)
        target = Target(kind="app", mode=args.mode, database_url=database.url, folder=folder)
        target.prepare()
        target.start()
        cleanup.callback(target.stop)
        say(f"server on port {target.ports[0]} ({args.mode}), load average {loadavg():.2f}")
        phases = asyncio.run(measure(target, args))
    text, met = report(phases, args.markdown)
    print(text)
    if args.json:
        result = {"options": vars(args) | {"json": str(args.json)}, "machine": machine()}
        args.json.write_text(json.dumps({**result, "phases": phases}, indent=1))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
