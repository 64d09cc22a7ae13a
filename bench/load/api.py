"""HTTP to the server under test, as outside clients: ``requests`` blocking, ``aiohttp`` for phones.

The orchestrating process makes a few blocking calls (sign in, create a
workshop, poll ``/healthz``, time the facilitator's snapshot) with
``requests``; the generator's processes join hundreds of phones at once with
``aiohttp``. Neither reuses connections: each request opens its own, as from
phones and browsers that are different devices.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import requests

ACCEPT_JSON = {"Accept": "application/json"}


def base_url(port: int) -> str:
    """The server on ``port`` of 127.0.0.1 (the only host benchmarks target)."""
    return f"http://127.0.0.1:{port}"


class Api:
    """The JSON API of one server, from the orchestrating process (blocking)."""

    def __init__(self, port: int, token: str = "") -> None:
        self.base = base_url(port)
        self.token = token

    def request(self, method: str, path: str, body: Any = None) -> requests.Response:
        """One request on its own connection, with the bearer token once signed in."""
        headers = {**ACCEPT_JSON, "Connection": "close"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return requests.request(
            method, self.base + path, json=body, headers=headers, timeout=(30, 60)
        )

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """A call that must succeed; its JSON answer."""
        response = self.request(method, path, body)
        if response.status_code >= 300:
            raise RuntimeError(
                f"{method} {path}: {response.status_code} {response.content[:300]!r}"
            )
        return response.json()

    def healthy(self) -> bool:
        """Whether ``GET /healthz`` answers 200 now."""
        try:
            return self.request("GET", "/healthz").status_code == 200
        except requests.RequestException:
            return False

    def login(self, email: str, password: str) -> None:
        """``POST /api/auth/token``: later calls carry the facilitator's token."""
        self.token = self.call("POST", "/api/auth/token", {"email": email, "password": password})[
            "token"
        ]

    def workshop(self, title: str, phase: str = "discover") -> dict[str, Any]:
        """A new workshop, moved to ``phase`` (Discover takes stories)."""
        created = self.call("POST", "/api/workshops", {"title": title})
        self.call("POST", f"/api/workshops/{created['id']}/phase", {"phase": phase})
        return created


def phone_http() -> aiohttp.ClientSession:
    """The session a generator process's phones share (on its event loop): no keep-alive."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(force_close=True, limit=0),
        timeout=aiohttp.ClientTimeout(sock_connect=30, total=90),
        headers=ACCEPT_JSON,
    )


async def join(
    http: aiohttp.ClientSession, port: int, code: str, name: str, organisation: str = "Bench"
) -> tuple[int, dict[str, Any] | None]:
    """``POST /api/join``: (status, answer); the answer carries the participant's ``token``."""
    body = {"code": code, "name": name, "organisation": organisation}
    async with http.post(base_url(port) + "/api/join", json=body) as response:
        if response.status != 201:
            await response.read()
            return response.status, None
        return response.status, await response.json()
