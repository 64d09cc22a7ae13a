"""Reading what comes over the wire: JSON from HTTP bodies, socket packets and files, and ids.

Python's ``json`` raises ``RecursionError`` (not ``ValueError``) on a document
nested a few thousand levels deep, which Flask and python-socketio do not
expect: the request answered 500. Everything here turns that into the
``ValueError`` of malformed JSON, so every reader refuses it as bad input.

Socket.IO packets are read by ``Packet``: the same JSON rule, and no binary
packets (the protocol carries JSON only; python-socketio would otherwise
keep a packet's attachments in memory until all of them arrived). A
malformed packet closes the socket that sent it (``guard_packets``).

Ids in URLs are bounded by ``IdConverter`` (installed as ``int``): an id
above PostgreSQL's ``integer`` is a 404, not a database error.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from flask.json.provider import DefaultJSONProvider
from socketio import packet as sio_packet
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

log = logging.getLogger(__name__)

#: The largest id a column of type ``integer`` holds (PostgreSQL: 4 bytes, signed).
MAX_ID = 2**31 - 1


def loads(data: str | bytes, **kwargs: Any) -> Any:
    """``json.loads`` that refuses documents nested too deeply with a ``ValueError``."""
    try:
        return json.loads(data, **kwargs)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading bodies with ``loads`` above (``request.get_json`` everywhere)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Decode JSON; too deep a document is malformed (``ValueError``)."""
        return loads(s, **kwargs)


class _PacketJSON:
    """The JSON module python-socketio uses for packets."""

    dumps = staticmethod(json.dumps)
    loads = staticmethod(loads)


class MalformedPacket(ValueError):
    """A Socket.IO packet the protocol does not allow."""


class Packet(sio_packet.Packet):
    """Socket.IO packets of this app: JSON only, never too deep."""

    json = _PacketJSON

    def decode(self, encoded_packet: Any) -> int:
        """Decode a packet; binary packets and malformed JSON are refused."""
        if not isinstance(encoded_packet, str):
            raise MalformedPacket("binary packets are not accepted")
        kind = encoded_packet[:1]
        if kind in (str(sio_packet.BINARY_EVENT), str(sio_packet.BINARY_ACK)):
            raise MalformedPacket("binary packets are not accepted")
        try:
            return super().decode(encoded_packet)
        except ValueError as error:
            raise MalformedPacket(str(error)) from None


def guard_packets(server: Any) -> None:
    """Close the socket of a client that sends a malformed packet, instead of logging a traceback.

    python-socketio decodes packets in its Engine.IO ``message`` handler; a
    decoding error there is logged with its traceback and the client goes
    on. Here the client is disconnected, and one line is logged.
    """
    eio = server.eio
    handle: Callable[[str, Any], Any] = eio.handlers["message"]

    def on_message(eio_sid: str, data: Any) -> Any:
        try:
            return handle(eio_sid, data)
        except MalformedPacket as error:
            log.warning("Closing a socket that sent a malformed packet: %s", error)
            eio.disconnect(eio_sid)
            return None

    eio.handlers["message"] = on_message


class IdConverter(IntegerConverter):
    """``<int:…>`` in routes: a whole number from 0 to ``MAX_ID``; anything larger is a 404.

    The 404 is raised here rather than by refusing the match: Werkzeug would
    then try the path's other rules and, where one URL has a rule per method
    (PATCH and DELETE of one item), answer 405 for an id that names nothing.
    """

    def to_python(self, value: str) -> int:
        """The id, or 404 when it is larger than any row's."""
        number = super().to_python(value)
        if number > MAX_ID:
            raise NotFound()
        return number
