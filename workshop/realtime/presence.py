"""Who is connected now, per workshop, and through which sockets.

A single process keeps this in memory. Several workers sharing rooms through
Redis (``SOCKETIO_MESSAGE_QUEUE=redis://…``) also share it there, so that
"online now", the pairing of online participants and the removal of a
participant cover every worker: each worker keeps one Redis hash per
workshop (socket id -> participant id) of its own sockets, and "online" is
the number of distinct participants across the workers' hashes. A worker
renews its hashes' expiry while it runs; when one is killed, its sockets
drop out after ``PRESENCE_TTL_SECONDS``.

Every read of the count (``counted``) takes a version, atomically with the
count: a number that grows with each read (at least the clock in
microseconds, so it keeps growing across a restart). ``presence`` events
carry it, and a client keeps the count with the highest version: events
that overtake each other on the way (two workers, or two announcements of
one worker) cannot leave an older count on screen.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import Counter, defaultdict
from typing import Any

from flask import Flask, current_app

from ..extensions import socketio
from ..services.participants import Online

log = logging.getLogger(__name__)


def _now_us() -> int:
    return time.time_ns() // 1000


EXTENSION = "presence"


class LocalPresence:
    """Sockets of this process, per workshop: socket id -> participant id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: dict[int, dict[str, int]] = defaultdict(dict)
        self._counts: dict[int, Counter[int]] = defaultdict(Counter)
        self._versions: dict[int, int] = {}

    def connected(self, workshop_id: int, participant_id: int, sid: str) -> None:
        """Count a participant's new socket."""
        self._add(workshop_id, participant_id, sid)

    def disconnected(self, workshop_id: int, participant_id: int, sid: str) -> None:
        """Forget a closed socket."""
        self._remove(workshop_id, participant_id, sid)

    def online(self, workshop_id: int) -> int:
        """How many participants have a socket open."""
        with self._lock:
            return len(self._counts.get(workshop_id, ()))

    def counted(self, workshop_id: int) -> Online:
        """How many participants have a socket open, with this read's version."""
        with self._lock:
            return Online(len(self._counts.get(workshop_id, ())), self._version(workshop_id))

    def _version(self, workshop_id: int) -> int:
        """The next version of a workshop's count; call with the lock held."""
        version = max(self._versions.get(workshop_id, 0) + 1, _now_us())
        self._versions[workshop_id] = version
        return version

    def online_ids(self, workshop_id: int) -> set[int]:
        """Ids of the participants with a socket open."""
        with self._lock:
            return set(self._counts.get(workshop_id, ()))

    def sockets_of(self, workshop_id: int, participant_id: int) -> list[str]:
        """Socket ids of one participant."""
        with self._lock:
            sockets = self._sockets.get(workshop_id, {})
            return [sid for sid, pid in sockets.items() if pid == participant_id]

    def _add(self, workshop_id: int, participant_id: int, sid: str) -> None:
        with self._lock:
            self._sockets[workshop_id][sid] = participant_id
            self._counts[workshop_id][participant_id] += 1

    def _remove(self, workshop_id: int, participant_id: int, sid: str) -> None:
        with self._lock:
            if self._sockets.get(workshop_id, {}).pop(sid, None) is None:
                return
            counts = self._counts[workshop_id]
            counts[participant_id] -= 1
            if counts[participant_id] <= 0:
                del counts[participant_id]
            if not counts:
                del self._counts[workshop_id], self._sockets[workshop_id]

    def _snapshot(self) -> dict[int, dict[str, int]]:
        with self._lock:
            return {wid: dict(sockets) for wid, sockets in self._sockets.items()}


# Distinct participants over the live workers' hashes. A worker whose hash
# has expired (killed, or without sockets here) leaves the registry on the way.
# 'counted' also takes the next version of the count (KEYS[2]), in the same
# atomic step: at least the previous one plus one, and at least ARGV[3] (the
# clock in microseconds), so it keeps growing if the key expires or Redis
# restarts. Lua numbers are doubles: exact for such integers.
_UNION = """
local seen, ids, count = {}, {}, 0
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. worker
  if redis.call('EXISTS', key) == 1 then
    for _, pid in ipairs(redis.call('HVALS', key)) do
      if not seen[pid] then
        seen[pid] = true
        count = count + 1
        table.insert(ids, pid)
      end
    end
  else
    redis.call('SREM', KEYS[1], worker)
  end
end
if ARGV[2] == 'count' then
  return count
end
if ARGV[2] == 'counted' then
  local version = math.max(tonumber(redis.call('GET', KEYS[2]) or '0') + 1, tonumber(ARGV[3]))
  redis.call('SET', KEYS[2], string.format('%d', version), 'EX', ARGV[4])
  return {count, string.format('%d', version)}
end
return ids
"""


class SharedPresence(LocalPresence):
    """Presence shared by every worker through Redis; this worker's own sockets stay in memory."""

    def __init__(self, url: str, prefix: str, ttl: float) -> None:
        import redis

        super().__init__()
        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._errors = (redis.RedisError, OSError)
        self._union = self._redis.register_script(_UNION)
        self._prefix = f"{prefix}:presence"
        self._worker = uuid.uuid4().hex
        self._ttl = max(int(ttl), 1)
        self._heartbeat_started = False

    def connected(self, workshop_id: int, participant_id: int, sid: str) -> None:
        """Count the socket here and in this worker's Redis hash."""
        self._start_heartbeat()
        self._add(workshop_id, participant_id, sid)
        self._write(workshop_id, add={sid: participant_id})

    def disconnected(self, workshop_id: int, participant_id: int, sid: str) -> None:
        """Forget the socket here and in Redis."""
        self._remove(workshop_id, participant_id, sid)
        self._write(workshop_id, remove=sid)

    def online(self, workshop_id: int) -> int:
        """Participants online on any worker (this worker's alone while Redis fails)."""
        try:
            return int(self._run_union(workshop_id, "count"))
        except self._errors as error:
            log.warning("Presence from this worker only (Redis: %s)", error)
            return super().online(workshop_id)

    def counted(self, workshop_id: int) -> Online:
        """Participants online on any worker, with this read's version."""
        try:
            count, version = self._union(
                keys=[self._registry(workshop_id), f"{self._prefix}:{workshop_id}:version"],
                args=[f"{self._prefix}:{workshop_id}:", "counted", _now_us(), self._ttl * 4],
            )
            return Online(int(count), int(version))
        except self._errors as error:
            log.warning("Presence from this worker only (Redis: %s)", error)
            return super().counted(workshop_id)

    def online_ids(self, workshop_id: int) -> set[int]:
        """Ids of the participants online on any worker."""
        try:
            return {int(pid) for pid in self._run_union(workshop_id, "ids")}
        except self._errors as error:
            log.warning("Presence from this worker only (Redis: %s)", error)
            return super().online_ids(workshop_id)

    def sockets_of(self, workshop_id: int, participant_id: int) -> list[str]:
        """Socket ids of one participant on any worker."""
        try:
            workers = self._redis.smembers(self._registry(workshop_id))
            with self._redis.pipeline(transaction=False) as pipe:
                for worker in workers:
                    pipe.hgetall(f"{self._prefix}:{workshop_id}:{worker.decode()}")
                hashes = pipe.execute()
        except self._errors as error:
            log.warning("Sockets on this worker only (Redis: %s)", error)
            return super().sockets_of(workshop_id, participant_id)
        wanted = str(participant_id).encode()
        return [sid.decode() for sockets in hashes for sid, pid in sockets.items() if pid == wanted]

    def _key(self, workshop_id: int) -> str:
        return f"{self._prefix}:{workshop_id}:{self._worker}"

    def _registry(self, workshop_id: int) -> str:
        return f"{self._prefix}:{workshop_id}:workers"

    def _run_union(self, workshop_id: int, what: str) -> Any:
        return self._union(
            keys=[self._registry(workshop_id)], args=[f"{self._prefix}:{workshop_id}:", what]
        )

    def _write(
        self,
        workshop_id: int,
        *,
        add: dict[str, int] | None = None,
        remove: str | None = None,
        replace: bool = False,
    ) -> None:
        """Change this worker's hash for a workshop in one transaction, renewing its expiry."""
        key, registry = self._key(workshop_id), self._registry(workshop_id)
        try:
            with self._redis.pipeline(transaction=True) as pipe:
                if replace:
                    pipe.delete(key)
                if add:
                    pipe.hset(key, mapping=add)
                if remove is not None:
                    pipe.hdel(key, remove)
                pipe.expire(key, self._ttl)
                pipe.sadd(registry, self._worker)
                pipe.expire(registry, self._ttl * 4)
                pipe.execute()
        except self._errors as error:
            log.warning("Could not share presence through Redis: %s", error)

    def _start_heartbeat(self) -> None:
        with self._lock:
            if self._heartbeat_started:
                return
            self._heartbeat_started = True
        socketio.start_background_task(self._heartbeat)

    def _heartbeat(self) -> None:
        # Rewriting the hashes (not only renewing them) also repairs what a
        # Redis restart or a failed write lost.
        while True:
            socketio.sleep(self._ttl / 3)
            for workshop_id, sockets in self._snapshot().items():
                self._write(workshop_id, add=sockets, replace=True)


def init_app(app: Flask) -> None:
    """Share presence through Redis when the workers share rooms there."""
    queue = app.config["SOCKETIO_MESSAGE_QUEUE"] or ""
    if queue.startswith(("redis://", "rediss://")):
        prefix = f"positive-core:{app.config['SOCKETIO_CHANNEL']}"
        store: LocalPresence = SharedPresence(queue, prefix, app.config["PRESENCE_TTL_SECONDS"])
    else:
        store = LocalPresence()
    app.extensions[EXTENSION] = store


def _store() -> LocalPresence:
    return current_app.extensions[EXTENSION]


def connected(workshop_id: int, participant_id: int, sid: str) -> None:
    """Count a participant's new socket."""
    _store().connected(workshop_id, participant_id, sid)


def disconnected(workshop_id: int, participant_id: int, sid: str) -> None:
    """Forget a closed socket."""
    _store().disconnected(workshop_id, participant_id, sid)


def online(workshop_id: int) -> int:
    """How many participants have a socket open, on any worker."""
    return _store().online(workshop_id)


def counted(workshop_id: int) -> Online:
    """How many participants have a socket open, on any worker, with the count's version."""
    return _store().counted(workshop_id)


def online_ids(workshop_id: int) -> set[int]:
    """Ids of the participants with a socket open, on any worker."""
    return _store().online_ids(workshop_id)


def sockets_of(workshop_id: int, participant_id: int) -> list[str]:
    """Socket ids of one participant, on any worker."""
    return _store().sockets_of(workshop_id, participant_id)
