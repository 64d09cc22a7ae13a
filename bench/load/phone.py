"""A simulated phone: one WebSocket speaking Engine.IO v4 / Socket.IO v5, light enough for thousands.

The frames are built and, where it is cheap, read with python-engineio's and
python-socketio's own packet classes. The frames that arrive by the hundred
thousand (``contribution``, ``presence``, pings) are recognised by how they
start, a prefix also built with those classes, and never JSON-decoded: the
send time travels inside a contribution's text (``@@<epoch>|<phone>|<n>@@``),
so a receiver finds it with a string search, and a ``contribution`` event
carrying a list of contributions is read the same way.

python-socketio's ``AsyncClient`` is not used: it decodes every frame and
costs several times the CPU per delivery (bench/README.md has the figures),
and the generator shares the machine's cores with the server it measures.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from engineio import packet as eio
from socketio import packet as sio
from websockets.asyncio.client import ClientConnection, connect


def frame(packet: sio.Packet) -> str:
    """A Socket.IO packet as the Engine.IO text frame that carries it."""
    return eio.Packet(eio.MESSAGE, packet.encode()).encode()


def event_prefix(name: str) -> str:
    """How every frame carrying event ``name`` starts (``42["name"``)."""
    return frame(sio.Packet(sio.EVENT, [name]))[:-1]


def read(message: str) -> sio.Packet | None:
    """The Socket.IO packet in an Engine.IO text frame (None for other Engine.IO packets)."""
    outer = eio.Packet(encoded_packet=message)
    if outer.packet_type != eio.MESSAGE:
        return None
    return sio.Packet(encoded_packet=outer.data)


PING = eio.Packet(eio.PING).encode()
PONG = eio.Packet(eio.PONG).encode()
CONTRIBUTION = event_prefix("contribution")
PRESENCE = event_prefix("presence")
SNAPSHOT = event_prefix("snapshot")
MARK = "@@"


def stamp(sent: float, phone: int, number: int) -> str:
    """The marker a contribution's text carries: when it was sent, by whom, which."""
    return f"{MARK}{sent:.6f}|{phone}|{number}{MARK}"


@dataclass
class Tally:
    """What the phones of one process received and sent, for the measured phase."""

    last_rx: float = 0.0
    presence: int = 0
    received: int = 0
    duplicates: int = 0
    own: int = 0
    sent: int = 0
    latencies: list[float] = field(default_factory=list)
    acks: list[float] = field(default_factory=list)
    refusals: Counter = field(default_factory=Counter)
    other: Counter = field(default_factory=Counter)
    pending: dict[int, tuple[float, asyncio.Future]] = field(default_factory=dict)
    next_ack: int = 1

    def on_contribution(self, phone: Phone, message: str, now: float) -> None:
        """Count each contribution in the event (one object or a list) once, and time it."""
        position = 0
        while (start := message.find(MARK, position)) >= 0:
            end = message.find(MARK, start + 2)
            if end < 0:
                break
            position = end + 2
            sent, sender, number = message[start + 2 : end].split("|")
            key = int(sender) * 1_000_000 + int(number)
            if key in phone.seen:
                self.duplicates += 1
                continue
            phone.seen.add(key)
            self.received += 1
            if int(sender) == phone.idx:
                self.own += 1
            else:
                self.latencies.append((now - float(sent)) * 1000)

    def on_ack(self, ack_id: int | None, data: Any, now: float) -> None:
        """Resolve the ack's future; keep its latency and any refusal code."""
        entry = self.pending.pop(ack_id, None) if ack_id is not None else None
        if entry is None:
            return
        sent, future = entry
        self.acks.append((now - sent) * 1000)
        answer = data[0] if isinstance(data, list) and data else None
        ok = isinstance(answer, dict) and answer.get("ok") is True
        if not ok:
            error = answer.get("error", "?") if isinstance(answer, dict) else "unreadable"
            self.refusals[error] += 1
        if not future.done():
            future.set_result(ok)

    def reset(self, phones: list[Phone]) -> None:
        """Start a new measured phase."""
        self.received = self.duplicates = self.own = self.sent = self.presence = 0
        self.latencies, self.acks = [], []
        self.refusals, self.other = Counter(), Counter()
        self.pending.clear()  # acks an earlier phase still waits for were counted there
        for phone in phones:
            phone.seen.clear()

    def result(self, expected: int) -> dict[str, Any]:
        """The phase's figures, as the orchestrator sums them over processes."""
        return {
            "sent": self.sent,
            "received": self.received,
            "expected": expected,
            "duplicates": self.duplicates,
            "own": self.own,
            "latencies": self.latencies,
            "acks": self.acks,
            "unacked": len(self.pending),
            "refusals": dict(self.refusals),
            "other": dict(self.other),
            "last_rx": self.last_rx,
        }


class Phone:
    """One participant's socket, counting what it receives into a shared ``Tally``."""

    def __init__(self, tally: Tally, idx: int, port: int, token: str) -> None:
        self.tally = tally
        self.idx = idx
        self.port = port
        self.token = token
        self.ws: ClientConnection | None = None
        self.task: asyncio.Task | None = None
        self.ready: asyncio.Future = asyncio.get_running_loop().create_future()
        self.snapshot_at = 0.0
        self.snapshot_bytes = 0
        self.got_snapshot = False
        self.got_connect = False
        self.seen: set[int] = set()
        self.last_presence = ""
        self.closed = False

    async def open(self) -> float:
        """Open the socket and join the namespace; returns when the snapshot is in (send time)."""
        self.ws = await connect(
            f"ws://127.0.0.1:{self.port}/socket.io/?EIO=4&transport=websocket",
            compression=None,
            max_size=None,
            max_queue=None,
            ping_interval=None,
            open_timeout=60,
            close_timeout=2,
            user_agent_header=None,
        )
        opening = eio.Packet(encoded_packet=await asyncio.wait_for(self.ws.recv(), 30))
        if opening.packet_type != eio.OPEN:
            raise RuntimeError(f"unexpected Engine.IO packet {opening.packet_type} on open")
        sent = time.time()
        await self.ws.send(frame(sio.Packet(sio.CONNECT, {"token": self.token})))
        self.task = asyncio.create_task(self.read_loop())
        await asyncio.wait_for(self.ready, 120)
        return sent

    async def read_loop(self) -> None:
        """Read every frame; decode only what is rare and small."""
        tally = self.tally
        try:
            async for message in self.ws:
                if message == PING:  # not counted as traffic (settle)
                    await self.ws.send(PONG)
                    continue
                now = time.time()
                tally.last_rx = now
                if message.startswith(CONTRIBUTION):
                    tally.on_contribution(self, message, now)
                elif message.startswith(PRESENCE):
                    tally.presence += 1
                    self.last_presence = message  # decoded when asked (status)
                elif message.startswith(SNAPSHOT):
                    self.snapshot_at = now
                    self.snapshot_bytes = len(message)
                    self.got_snapshot = True
                    self._check_ready()
                else:
                    self._on_packet(message, now)
        except Exception as error:  # a closed or broken socket ends the loop
            tally.other[f"closed: {type(error).__name__}"] += 1
        finally:
            self.closed = True
            if not self.ready.done():
                self.ready.set_exception(RuntimeError("socket closed before the snapshot"))

    def _on_packet(self, message: str, now: float) -> None:
        try:
            packet = read(message)
        except (ValueError, IndexError):
            self.tally.other["unreadable"] += 1
            return
        kind = packet.packet_type if packet else None
        if kind == sio.ACK:
            self.tally.on_ack(packet.id, packet.data, now)
        elif kind == sio.CONNECT:
            self.got_connect = True
            self._check_ready()
        elif kind == sio.CONNECT_ERROR:
            if not self.ready.done():
                self.ready.set_exception(RuntimeError(f"connect_error {packet.data!r:.200}"))
        elif kind == sio.DISCONNECT:
            self.tally.other["disconnect"] += 1
        elif kind == sio.EVENT and isinstance(packet.data, list) and packet.data:
            self.tally.other[str(packet.data[0])[:40]] += 1
        else:
            self.tally.other[f"packet {kind}"] += 1

    def _check_ready(self) -> None:
        if self.got_snapshot and self.got_connect and not self.ready.done():
            self.ready.set_result(None)

    def online(self) -> int | None:
        """The ``online`` count of the last ``presence`` received."""
        try:
            return read(self.last_presence).data[1]["online"]
        except (AttributeError, ValueError, IndexError, KeyError, TypeError):
            return None  # none received yet

    async def contribute(self, number: int, padding: str) -> asyncio.Future:
        """Send one story carrying its send time; the future resolves with the ack."""
        tally = self.tally
        ack_id = tally.next_ack
        tally.next_ack += 1
        sent = time.time()
        text = f"Story {stamp(sent, self.idx, number)} {padding}"
        payload = {"client_id": uuid.uuid4().hex, "kind": "story", "text": text}
        future = asyncio.get_running_loop().create_future()
        tally.pending[ack_id] = (sent, future)
        await self.ws.send(frame(sio.Packet(sio.EVENT, ["contribute", payload], id=ack_id)))
        tally.sent += 1
        return future

    async def close(self) -> None:
        """Close the socket and stop reading."""
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(BaseException):
                await self.task
