"""Shared fixtures: an app per test on a fresh database, and helpers to drive it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_socketio.test_client import SocketIOTestClient

from workshop import create_app
from workshop.extensions import db, socketio
from workshop.realtime import history
from workshop.services import accounts, ratelimit

PASSWORD = "correct horse battery"


@pytest.fixture
def app(tmp_path) -> Iterator[Flask]:
    app = create_app("testing")
    # Rendered downloads are cached per test: ids and seqs repeat from one test to the next.
    app.config["EXPORT_CACHE_DIR"] = str(tmp_path / "exports")
    with app.app_context():
        db.create_all()
        ratelimit.reset()
    history.clear()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


class Api:
    """Drives the JSON API and Socket.IO as outside clients do."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.http = app.test_client()
        self._sockets: list[SocketIOTestClient] = []

    def facilitator(self, email: str = "fac@example.org") -> str:
        """Create an account and return its bearer token."""
        with self.app.app_context():
            accounts.create_facilitator(email, PASSWORD)
        response = self.http.post("/api/auth/token", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.json
        return response.json["token"]

    def create_workshop(self, token: str, **fields: Any) -> dict[str, Any]:
        body = {"title": "Creative regions", "topic": "How do we grow CCI?", **fields}
        response = self.http.post("/api/workshops", json=body, headers=bearer(token))
        assert response.status_code == 201, response.json
        return response.json

    def join(self, code: str, name: str, **fields: Any) -> dict[str, Any]:
        response = self.http.post("/api/join", json={"code": code, "name": name, **fields})
        assert response.status_code == 201, response.json
        return response.json

    def set_phase(self, token: str, workshop_id: int, phase: str) -> dict[str, Any]:
        response = self.http.post(
            f"/api/workshops/{workshop_id}/phase", json={"phase": phase}, headers=bearer(token)
        )
        assert response.status_code == 200, response.json
        return response.json

    def socket(self, auth: dict[str, Any] | None) -> SocketIOTestClient:
        sio = socketio.test_client(self.app, auth=auth, flask_test_client=self.app.test_client())
        self._sockets.append(sio)
        return sio

    def close(self) -> None:
        for sio in self._sockets:
            if sio.is_connected():
                sio.disconnect()


@pytest.fixture
def api(app: Flask) -> Iterator[Api]:
    helper = Api(app)
    yield helper
    helper.close()


def from_address(app: Flask, address: str, use_cookies: bool = True) -> FlaskClient:
    """A test client whose requests come from ``address``."""
    client = app.test_client(use_cookies=use_cookies)
    client.environ_base["REMOTE_ADDR"] = address
    return client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_client_id() -> str:
    return str(uuid.uuid4())


def say(sio: SocketIOTestClient, kind: str, text: str, **fields: Any) -> int:
    """Contribute through a socket and return the stored id (the ack must be ok)."""
    payload = {"client_id": new_client_id(), "kind": kind, "text": text, **fields}
    ack = sio.emit("contribute", payload, callback=True)
    assert ack["ok"], ack
    return ack["id"]


def events(sio: SocketIOTestClient, name: str | None = None) -> list[dict[str, Any]]:
    """Drain what a client received; only the ``name`` events when given."""
    received = sio.get_received()
    return [msg["args"][0] for msg in received if name is None or msg["name"] == name]


def named(received: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [msg["args"][0] for msg in received if msg["name"] == name]


@pytest.fixture
def room(api: Api) -> dict[str, Any]:
    """A workshop with its facilitator socket and three participant sockets, drained."""
    token = api.facilitator()
    workshop = api.create_workshop(token)
    people = [
        api.join(workshop["code"], "Ana", organisation="Kranj Creative", region="Gorenjska"),
        api.join(workshop["code"], "Ben", organisation="Tabakfabrik", region="Upper Austria"),
        api.join(workshop["code"], "Cleo", organisation="Padova Hub", region="Veneto"),
    ]
    board = api.socket({"token": token, "workshop_id": workshop["id"]})
    phones = [api.socket({"token": p["token"]}) for p in people]
    for sio in [board, *phones]:
        sio.get_received()
    return {
        "token": token,
        "workshop": workshop,
        "people": people,
        "board": board,
        "phones": phones,
    }
