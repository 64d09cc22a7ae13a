"""How many sockets each person and each address holds in this process, and the caps on them.

A participant's token, or a facilitator's, opens at most a few sockets at
once (``MAX_SOCKETS_PER_PARTICIPANT``, ``MAX_SOCKETS_PER_FACILITATOR``): a
new one beyond the cap closes that person's oldest, so a phone waking from
sleep while its old socket still looks open always gets in, and a token
shared out to open hundreds of sockets holds only a few. An address holds at
most ``MAX_SOCKETS_PER_ADDRESS`` (generous: a venue's NAT is one address for
thousands of phones); beyond it a new socket is refused.

Counts are this process's: with several workers each enforces them on the
sockets it holds.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict

from flask import current_app
from flask_socketio import ConnectionRefusedError


class SocketCounts:
    """Open sockets by owner (oldest first) and by address."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owners: dict[str, OrderedDict[str, None]] = {}
        self._addresses: Counter[str] = Counter()
        self._of: dict[str, tuple[str, str]] = {}

    def admit(
        self, sid: str, owner: str, address: str, per_owner: int, per_address: int
    ) -> list[str]:
        """Count a new socket; the sockets of ``owner`` to close to make room for it.

        Refuses (``too_many_connections``) when ``address`` holds its cap already.
        """
        with self._lock:
            if self._addresses[address] >= per_address:
                raise ConnectionRefusedError("too_many_connections")
            sockets = self._owners.setdefault(owner, OrderedDict())
            evicted = list(sockets)[: max(len(sockets) - per_owner + 1, 0)]
            sockets[sid] = None
            self._addresses[address] += 1
            self._of[sid] = (owner, address)
            return evicted

    def forget(self, sid: str) -> None:
        """A socket closed (or was refused after it was counted)."""
        with self._lock:
            owner, address = self._of.pop(sid, (None, None))
            if owner is None:
                return
            sockets = self._owners.get(owner)
            if sockets is not None:
                sockets.pop(sid, None)
                if not sockets:
                    del self._owners[owner]
            self._addresses[address] -= 1
            if self._addresses[address] <= 0:
                del self._addresses[address]

    def of_address(self, address: str) -> int:
        """How many sockets ``address`` holds here."""
        with self._lock:
            return self._addresses.get(address, 0)


counts = SocketCounts()


def admit(sid: str, owner: str, address: str, participant: bool) -> list[str]:
    """Count the connecting socket ``sid`` under the app's caps; the sockets to close for it."""
    config = current_app.config
    per_owner = config[
        "MAX_SOCKETS_PER_PARTICIPANT" if participant else "MAX_SOCKETS_PER_FACILITATOR"
    ]
    return counts.admit(sid, owner, address, per_owner, config["MAX_SOCKETS_PER_ADDRESS"])
