"""The ceiling: Positive Core's broadcast path on bare python-socketio, no Flask, no database.

    .venv/bin/python bench/bare_server.py [--port 5900] [--mode eventlet|gevent|threading]

It speaks the part of docs/protocol.md that ``python -m bench.load`` drives, with the
same async mode and web server as ``python wsgi.py``:

- HTTP stubs: ``POST /api/auth/token``, ``POST /api/workshops``,
  ``POST /api/workshops/<id>/phase``, ``POST /api/join``,
  ``GET /api/workshops/<id>`` (the facilitator snapshot) and ``GET /healthz``;
- Socket.IO: connect with ``{"token": ...}``, the client alone receives
  ``snapshot`` (every contribution so far), the room ``presence`` (at most
  once a second, ``--presence every`` for one per connect);
  ``contribute`` is acknowledged ``{"ok": true, "id"}`` and the room receives
  ``contribution`` with the same fields as the app's payload.

Everything lives in memory, nothing is validated beyond what the generator
needs and nothing is rate-limited: what remains is the cost of python-socketio
itself, which ``python -m bench.load --compare`` sets the app against.
"""

from __future__ import annotations

import argparse
import os
import sys


def _mode_from_argv(argv: list[str]) -> str:
    """The async mode, read before anything is imported (monkey-patching comes first)."""
    for i, arg in enumerate(argv):
        if arg == "--mode" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--mode="):
            return arg.split("=", 1)[1]
    return os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")


MODE = _mode_from_argv(sys.argv)
if MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

import datetime  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import threading  # noqa: E402
from typing import Any  # noqa: E402

import socketio  # noqa: E402

#: ``coalesce``: at most one ``presence`` per room per second with the latest counts, as the
#: app does since PRESENCE_COALESCE_SECONDS; ``every``: one per connect and disconnect, as
#: the app did before (N² frames while a room fills).
PRESENCE = "coalesce"
PRESENCE_INTERVAL = 1.0
PROMPTS = {"discover": ["Tell me about a high point."], "dream": ["Imagine our region."]}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class Room:
    """One workshop, in memory."""

    def __init__(self, workshop_id: int, title: str) -> None:
        self.id = workshop_id
        self.title = title
        self.code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        self.phase = "lobby"
        self.seq = 0
        self.joined = 0
        self.online: dict[int, int] = {}
        self.contributions: list[dict[str, Any]] = []
        self.client_ids: dict[tuple[int, str], int] = {}
        self.presence_due = False

    def workshop(self) -> dict[str, Any]:
        """The workshop object, as the app sends it."""
        return {
            "id": self.id,
            "title": self.title,
            "topic": "",
            "place": "",
            "held_on": None,
            "code": self.code,
            "join_url": f"http://127.0.0.1/join/{self.code}",
            "language": "en",
            "phase": self.phase,
            "votes_per_participant": 3,
            "show_names": True,
            "hide_vote_counts": False,
            "votes_revealed": False,
            "prompts": PROMPTS,
        }

    def presence(self) -> dict[str, int]:
        """The ``presence`` payload."""
        return {"joined": self.joined, "online": len(self.online), "seq": self.seq}

    def snapshot(self, participant_id: int | None) -> dict[str, Any]:
        """Everything a client sees on connect (the facilitator's when ``participant_id`` is None)."""
        data: dict[str, Any] = {
            "seq": self.seq,
            "role": "participant" if participant_id else "facilitator",
            "workshop": self.workshop(),
            "timer": {"state": "stopped", "duration": 0, "remaining": 0},
            "themes": [],
            "contributions": [
                {**c, "mine": c["_author"] == participant_id, "voted": False}
                for c in self.contributions
            ],
            "presence": self.presence(),
        }
        for item in data["contributions"]:
            del item["_author"]
        if participant_id:
            data["me"] = {
                "participant_id": participant_id,
                "name": f"P{participant_id}",
                "organisation": "",
                "region": "",
                "language": None,
                "votes_left": {"dream": 3, "proposition": 3},
                "pair": None,
            }
        return data


class State:
    """Every room and participant token of this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rooms: dict[int, Room] = {}
        self.by_code: dict[str, Room] = {}
        self.tokens: dict[str, tuple[int, int]] = {}
        self.sockets: dict[str, tuple[int, int]] = {}
        self.ids = itertools.count(1)
        self.room_ids = itertools.count(1)
        self.contribution_ids = itertools.count(1)


state = State()
sio = socketio.Server(async_mode=MODE, cors_allowed_origins=None)


def _room_name(workshop_id: int) -> str:
    return f"workshop:{workshop_id}"


@sio.event
def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
    """Authenticate by participant token; snapshot to the client, presence to the room."""
    token = auth.get("token") if isinstance(auth, dict) else None
    found = state.tokens.get(token) if isinstance(token, str) else None
    if found is None:
        raise socketio.exceptions.ConnectionRefusedError("unauthorized")
    workshop_id, participant_id = found
    room = state.rooms[workshop_id]
    sio.enter_room(sid, _room_name(workshop_id))
    sio.enter_room(sid, f"{_room_name(workshop_id)}:participant:{participant_id}")
    with state.lock:
        state.sockets[sid] = found
        room.online[participant_id] = room.online.get(participant_id, 0) + 1
        data = room.snapshot(participant_id)
        presence = room.presence()
    sio.emit("snapshot", data, to=sid)
    _announce(room, presence)


@sio.event
def disconnect(sid: str, reason: Any = None) -> None:
    """A participant leaves: the room receives ``presence``."""
    with state.lock:
        found = state.sockets.pop(sid, None)
        if found is None:
            return
        room = state.rooms[found[0]]
        room.online[found[1]] -= 1
        if room.online[found[1]] <= 0:
            del room.online[found[1]]
        presence = room.presence()
    _announce(room, presence)


def _announce(room: Room, presence: dict[str, int]) -> None:
    """Send ``presence`` to the room now, or once within the second (``--presence coalesce``)."""
    if PRESENCE == "every":
        sio.emit("presence", presence, to=_room_name(room.id))
        return
    with state.lock:
        if room.presence_due:
            return
        room.presence_due = True
    sio.start_background_task(_announce_later, room)


def _announce_later(room: Room) -> None:
    sio.sleep(PRESENCE_INTERVAL)
    with state.lock:
        room.presence_due = False
        presence = room.presence()
    sio.emit("presence", presence, to=_room_name(room.id))


@sio.event
def contribute(sid: str, data: Any = None) -> dict[str, Any]:
    """Store in memory, broadcast ``contribution`` to the room, acknowledge with the id."""
    found = state.sockets.get(sid)
    if found is None:
        return {"ok": False, "error": "unauthorized", "message": "Reconnect first."}
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return {"ok": False, "error": "invalid_payload", "message": "Send one JSON object."}
    workshop_id, participant_id = found
    room = state.rooms[workshop_id]
    key = (participant_id, str(data.get("client_id")))
    with state.lock:
        if key in room.client_ids:
            return {"ok": True, "id": room.client_ids[key]}
        room.seq += 1
        item = {
            "id": next(state.contribution_ids),
            "client_id": key[1],
            "kind": data.get("kind", "story"),
            "title": data.get("title", ""),
            "text": data["text"],
            "consent": data.get("consent", "anonymous"),
            "language": "en",
            "author": None,
            "organisation": None,
            "region": None,
            "theme_id": None,
            "proposition_id": None,
            "factors": "",
            "owner": "",
            "owner_organisation": "",
            "due": None,
            "votes": 0,
            "hidden": False,
            "edited": False,
            "interview": False,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        }
        room.client_ids[key] = item["id"]
        room.contributions.append({**item, "_author": participant_id})
        payload = {**item, "seq": room.seq}
    sio.emit("contribution", payload, to=_room_name(workshop_id))
    return {"ok": True, "id": item["id"]}


# -- HTTP stubs -------------------------------------------------------------------------------

PHASE_PATH = re.compile(r"^/api/workshops/(\d+)/phase$")
WORKSHOP_PATH = re.compile(r"^/api/workshops/(\d+)$")


def _answer(start_response: Any, status: str, body: Any) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def _body(environ: dict[str, Any]) -> dict[str, Any]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def http(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """The few API routes the generator calls, answered from memory."""
    method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
    if path == "/healthz":
        return _answer(start_response, "200 OK", {"status": "ok"})
    if method == "POST" and path == "/api/auth/token":
        return _answer(start_response, "200 OK", {"token": "pcf_bare"})
    if method == "POST" and path == "/api/workshops":
        with state.lock:
            room = Room(next(state.room_ids), str(_body(environ).get("title", "Bare")))
            state.rooms[room.id] = room
            state.by_code[room.code] = room
        return _answer(start_response, "201 CREATED", room.workshop())
    if method == "POST" and (match := PHASE_PATH.match(path)):
        room = state.rooms.get(int(match.group(1)))
        if room is None:
            return _answer(start_response, "404 NOT FOUND", {"error": "not_found"})
        with state.lock:
            room.phase = str(_body(environ).get("phase", "discover"))
            room.seq += 1
            payload = {"phase": room.phase, "prompts": PROMPTS, "seq": room.seq}
        sio.emit("phase", payload, to=_room_name(room.id))
        return _answer(start_response, "200 OK", {"phase": room.phase, "seq": room.seq})
    if method == "GET" and (match := WORKSHOP_PATH.match(path)):
        room = state.rooms.get(int(match.group(1)))
        if room is None:
            return _answer(start_response, "404 NOT FOUND", {"error": "not_found"})
        with state.lock:
            data = room.snapshot(None)
        return _answer(start_response, "200 OK", data)
    if method == "POST" and path == "/api/join":
        room = state.by_code.get(str(_body(environ).get("code", "")).upper())
        if room is None:
            return _answer(start_response, "404 NOT FOUND", {"error": "unknown_code"})
        with state.lock:
            participant_id = next(state.ids)
            token = f"pcp_bare_{secrets.token_urlsafe(16)}"
            state.tokens[token] = (room.id, participant_id)
            room.joined += 1
        body = {"participant_id": participant_id, "token": token, "workshop_id": room.id}
        return _answer(start_response, "201 CREATED", body)
    return _answer(start_response, "404 NOT FOUND", {"error": "not_found"})


app = socketio.WSGIApp(sio, http)


def serve(host: str, port: int) -> None:
    """Serve with the web server ``python wsgi.py`` uses in this async mode."""
    if MODE == "eventlet":
        import eventlet.wsgi

        eventlet.wsgi.server(eventlet.listen((host, port)), app, log_output=False, max_size=10000)
    elif MODE == "gevent":
        from gevent import pywsgi
        from geventwebsocket.handler import WebSocketHandler

        pywsgi.WSGIServer(
            (host, port), app, handler_class=WebSocketHandler, log=None
        ).serve_forever()
    else:
        from werkzeug.serving import run_simple

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        run_simple(host, port, app, threaded=True)


def main() -> None:
    """Parse the options and serve until killed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5900")))
    parser.add_argument("--mode", default=MODE, choices=("eventlet", "gevent", "threading"))
    parser.add_argument("--presence", default=PRESENCE, choices=("every", "coalesce"))
    args = parser.parse_args()
    globals()["PRESENCE"] = args.presence
    serve(args.host, args.port)


if __name__ == "__main__":
    main()
