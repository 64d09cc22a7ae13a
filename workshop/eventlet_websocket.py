"""WebSocket frames under eventlet, read at C speed and bounded per message.

python-engineio serves WebSockets under eventlet with eventlet's RFC 6455
implementation, which has two weaknesses a hostile phone can use:

- it unmasks every frame byte by byte in Python (about 0.85 s of CPU per
  MB on this project's machines), and eventlet runs one thing at a time,
  so one large message delays every other room's acks;
- ``max_frame_length`` bounds each frame, not the message: a message split
  into continuation frames grows without limit.

``BoundedWebSocketWSGI`` (given to python-engineio as its WebSocket class by
``install``) keeps eventlet's protocol code and changes only those: masks
are applied with one big-integer XOR, a message whose frames together pass
the limit closes the socket (1009, as a frame above it does), and after each
message the reader yields, so a client that sends without pause cannot hold
the event loop. The threading mode (simple-websocket over wsproto) already
unmasks in C and bounds whole messages.
"""

from __future__ import annotations

from typing import Any

import eventlet
from engineio.async_drivers.eventlet import WebSocketWSGI
from eventlet.websocket import FailedConnectionError, RFC6455WebSocket


def apply_mask(data: bytes, mask: Any, length: int | None = None, offset: int = 0) -> bytes:
    """XOR ``data`` with the 4-byte ``mask``, starting ``offset`` bytes into the frame."""
    if length is None:
        length = len(data)
    if not length:
        return b""
    key = bytes(mask[(offset + i) % 4] for i in range(4))
    stream = (key * (length // 4 + 1))[:length]
    masked = int.from_bytes(data[:length], "little") ^ int.from_bytes(stream, "little")
    return masked.to_bytes(length, "little")


class BoundedWebSocket(RFC6455WebSocket):
    """eventlet's RFC 6455 socket with fast unmasking and a bound on whole messages."""

    _apply_mask = staticmethod(apply_mask)

    class Message(RFC6455WebSocket.Message):
        """A message being received; its frames together stay under the frame limit."""

        size = 0

        def push(self, data: bytes, final: bool = False) -> None:
            """Add a frame's bytes; close with 1009 once the message passes the limit."""
            self.size += len(data)
            if self.size > self.max_frame_length:
                raise FailedConnectionError(
                    1009, f"Message above the limit of {self.max_frame_length} bytes."
                )
            super().push(data, final)

    def wait(self) -> Any:
        """The next message, after letting every other green thread run once."""
        message = super().wait()
        eventlet.sleep(0)
        return message


class BoundedWebSocketWSGI(WebSocketWSGI):
    """python-engineio's eventlet WebSocket handler, speaking through ``BoundedWebSocket``."""

    def _handle_hybi_request(self, environ: dict[str, Any]) -> Any:
        ws = super()._handle_hybi_request(environ)
        # Same object, same state: only the methods above change.
        ws.__class__ = BoundedWebSocket
        return ws


def install(server: Any) -> None:
    """Make python-engineio use ``BoundedWebSocketWSGI`` for this Socket.IO server's WebSockets.

    python-engineio has no option for the class; it keeps its async mode's
    drivers in ``_async``, where its eventlet driver names its own.
    """
    eio = server.eio
    eio._async = {**eio._async, "websocket": BoundedWebSocketWSGI}
