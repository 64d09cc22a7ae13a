"""Findings 5 and 7: sessions, tokens, sign-in guessing, share links and redirects.

Sessions end on the server when their account signs out; API tokens expire
and can be listed and revoked; sign-in guessing is limited without locking
the owner out; share tokens are stored as digests; and the sign-in page
sends nobody to another site.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from urllib.parse import urlsplit

import pytest
import requests
from conftest import PASSWORD, bearer, from_address
from livekit import EMAIL, LiveServer, redis_url
from livekit import PASSWORD as LIVE_PASSWORD
from sqlalchemy import inspect, text

from workshop.extensions import db
from workshop.models import ApiToken

LEA = "lea@example.org"


def sign_in(client, email=LEA, password=PASSWORD, **query):
    return client.post("/login", data={"email": email, "password": password}, query_string=query)


# ----- logout ends the session on the server -----


def test_a_session_saved_before_signing_out_opens_nothing(api):
    api.facilitator(LEA)
    browser = api.app.test_client()
    assert sign_in(browser).status_code == 302
    saved = browser.get_cookie("session").value
    assert browser.get("/dashboard").status_code == 200
    assert browser.post("/logout").status_code == 302
    # Someone who copied the cookie before the sign-out replays it.
    thief = api.app.test_client()
    thief.set_cookie("session", saved)
    refused = thief.get("/dashboard")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    assert thief.get("/api/workshops").status_code == 401
    # Signing in again works, with a new session.
    assert sign_in(browser).status_code == 302 and browser.get("/dashboard").status_code == 200


def test_signing_out_ends_the_accounts_other_sessions_too(api):
    api.facilitator(LEA)
    laptop, tablet = api.app.test_client(), api.app.test_client()
    sign_in(laptop), sign_in(tablet)
    laptop.post("/logout")
    assert tablet.get("/dashboard").status_code == 302


# ----- API tokens: expiry, list, revoke -----


def test_api_tokens_expire(api, app, monkeypatch):
    token = api.facilitator(LEA)
    listed = api.http.get("/api/auth/tokens", headers=bearer(token)).json["tokens"]
    expires = dt.datetime.fromisoformat(listed[0]["expires_at"])
    days = app.config["API_TOKEN_DAYS"]
    assert abs(expires - dt.datetime.now(dt.UTC) - dt.timedelta(days=days)) < dt.timedelta(
        minutes=1
    )
    with app.app_context():
        db.session.execute(ApiToken.__table__.update().values(expires_at=dt.datetime.now(dt.UTC)))
        db.session.commit()
    assert api.http.get("/api/workshops", headers=bearer(token)).status_code == 401


def test_api_tokens_are_listed_and_revoked(api):
    token = api.facilitator(LEA)
    made = api.http.post(
        "/api/auth/token", json={"email": LEA, "password": PASSWORD, "name": "export script"}
    ).json
    assert made["token"].startswith("pcf_") and made["name"] == "export script"
    listed = api.http.get("/api/auth/tokens", headers=bearer(token)).json["tokens"]
    assert [(t["id"], t["name"], t["current"]) for t in listed] == [
        (made["id"], "export script", False),
        (listed[1]["id"], "", True),
    ]
    assert made["token"] not in str(listed) and token not in str(listed)
    assert listed[0]["hint"] == made["token"][:8]
    # Another account cannot see or revoke them.
    other = api.facilitator("other@example.org")
    assert [t["id"] for t in api.http.get("/api/auth/tokens", headers=bearer(other)).json["tokens"]]
    assert (
        api.http.delete(f"/api/auth/tokens/{made['id']}", headers=bearer(other)).status_code == 404
    )
    assert api.http.get("/api/workshops", headers=bearer(made["token"])).status_code == 200
    # Revoked: it stops working at once.
    assert (
        api.http.delete(f"/api/auth/tokens/{made['id']}", headers=bearer(token)).status_code == 204
    )
    assert api.http.get("/api/workshops", headers=bearer(made["token"])).status_code == 401
    assert (
        api.http.delete(f"/api/auth/tokens/{made['id']}", headers=bearer(token)).status_code == 404
    )
    # A token can revoke itself (signing a script out).
    assert (
        api.http.delete(f"/api/auth/tokens/{listed[1]['id']}", headers=bearer(token)).status_code
        == 204
    )
    assert api.http.get("/api/auth/tokens", headers=bearer(token)).status_code == 401


def test_the_tokens_page_makes_lists_and_revokes(api):
    api.facilitator(LEA)
    browser = api.app.test_client()
    sign_in(browser)
    made = browser.post("/account/tokens", data={"name": "Laptop script"})
    assert made.status_code == 200
    token = re.search(r'value="(pcf_[^"]+)"', made.get_data(as_text=True)).group(1)
    assert api.http.get("/api/workshops", headers=bearer(token)).status_code == 200
    # Shown once: the list shows its name and first characters only.
    listing = browser.get("/account/tokens").get_data(as_text=True)
    assert "Laptop script" in listing and token[:8] in listing and token not in listing
    token_id = api.http.get("/api/auth/tokens", headers=bearer(token)).json["tokens"][0]["id"]
    revoked = browser.post(f"/account/tokens/{token_id}/revoke")
    assert revoked.status_code == 302
    assert api.http.get("/api/workshops", headers=bearer(token)).status_code == 401
    assert "Laptop script" not in browser.get("/account/tokens").get_data(as_text=True)


# ----- sign-in guessing -----


def guess(client, email=LEA, password="wrong password"):
    return client.post("/api/auth/token", json={"email": email, "password": password})


def test_guessers_elsewhere_cannot_lock_the_owner_out_of_their_address(api):
    api.facilitator(LEA)
    office = from_address(api.app, "198.51.100.7")
    assert guess(office, password=PASSWORD).status_code == 200  # the owner's usual address
    attacker = from_address(api.app, "203.0.113.66")
    statuses = [guess(attacker).status_code for _ in range(12)]
    # Ten attempts from unknown addresses (the owner's own first sign-ins among them).
    assert statuses[-2:] == [429, 429] and set(statuses) == {401, 429}
    assert guess(attacker, password=PASSWORD).status_code == 429
    # From an address the account never signed in from, the account is protected...
    stranger = from_address(api.app, "203.0.113.99")
    assert guess(stranger, password=PASSWORD).status_code == 429
    # ...and from its owner's address, the right password still works.
    assert guess(office, password=PASSWORD).status_code == 200
    assert sign_in(office).status_code == 302


def test_guessing_from_a_known_address_is_limited_too(api):
    api.facilitator(LEA)
    office = from_address(api.app, "198.51.100.7")
    assert guess(office, password=PASSWORD).status_code == 200
    for _ in range(10):
        assert guess(office).status_code == 401
    assert guess(office, password=PASSWORD).status_code == 429


def test_one_address_guessing_many_accounts_is_limited(api):
    api.facilitator(LEA)
    spray = from_address(api.app, "203.0.113.5")
    statuses = [guess(spray, email=f"user{n}@example.org").status_code for n in range(101)]
    assert statuses[:100] == [401] * 100 and statuses[100] == 429


@pytest.mark.parametrize("storage", ["memory", "redis"])
def test_parallel_guesses_never_pass_the_limit(tmp_path, storage):
    """40 guesses at once on the real server: exactly the limit gets a password check."""
    env = {"RATELIMIT_STORAGE_URI": "memory://" if storage == "memory" else redis_url()}
    server = LiveServer(tmp_path, extra_env=env).prepare().start()
    try:
        barrier = threading.Barrier(40)
        statuses: list[int] = []

        def attempt() -> None:
            barrier.wait()
            response = requests.post(
                f"{server.base}/api/auth/token",
                json={"email": EMAIL, "password": "not the password"},
                timeout=60,
            )
            statuses.append(response.status_code)

        threads = [threading.Thread(target=attempt) for _ in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
        assert len(statuses) == 40
        assert statuses.count(401) == 10 and statuses.count(429) == 30, sorted(statuses)
    finally:
        server.stop()


def test_the_owners_known_address_signs_in_on_the_real_server(tmp_path):
    """Behind a proxy (PROXY_FIX), addresses come from X-Forwarded-For."""
    server = LiveServer(tmp_path, extra_env={"PROXY_FIX": "1"}).prepare().start()

    def attempt(address: str, password: str) -> int:
        return requests.post(
            f"{server.base}/api/auth/token",
            json={"email": EMAIL, "password": password},
            headers={"X-Forwarded-For": address},
            timeout=30,
        ).status_code

    try:
        assert attempt("198.51.100.7", LIVE_PASSWORD) == 200
        guesses = [attempt("203.0.113.66", "x" * 10) for _ in range(11)]
        assert guesses.count(401) == 9 and guesses[-1] == 429  # 9 + the owner's first
        assert attempt("203.0.113.99", LIVE_PASSWORD) == 429
        assert attempt("198.51.100.7", LIVE_PASSWORD) == 200
    finally:
        server.stop()


# ----- share links are stored as digests -----


def test_share_tokens_are_stored_only_as_digests(api, app):
    token = api.facilitator(LEA)
    wid = api.create_workshop(token)["id"]
    created = api.http.post(f"/api/workshops/{wid}/shares", headers=bearer(token)).json
    link = created["token"]
    with app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("share_links")}
        assert "token" not in columns
        rows = db.session.execute(text("SELECT * FROM share_links")).all()
    assert rows and all(link not in [str(value) for value in row] for row in rows)
    assert api.app.test_client().get(f"/s/{link}").status_code == 200
    listed = api.http.get(f"/api/workshops/{wid}/shares", headers=bearer(token)).json["shares"]
    assert listed == [
        {
            "id": created["id"],
            "hint": link[:8],
            "created_at": created["created_at"],
            "expires_at": None,
        }
    ]
    assert (
        api.http.delete(
            f"/api/workshops/{wid}/shares/{created['id']}", headers=bearer(token)
        ).status_code
        == 204
    )
    assert api.app.test_client().get(f"/s/{link}").status_code == 410


# ----- sign-in redirects stay on the site -----


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/x",
        "/\t/evil.example/x",
        "/\n/evil.example/x",
        "//evil.example/x",
        "///evil.example/x",
        "/\\evil.example/x",
        "\\\\evil.example/x",
        "/%5Cevil.example/x",
        "/%2F/evil.example",
        " //evil.example",
        "\x00//evil.example",
        "https://evil.example/",
        "https:evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "",
    ],
)
def test_sign_in_never_sends_to_another_site(api, target):
    api.facilitator(LEA)
    response = api.app.test_client().post(
        "/login?next=" + target, data={"email": LEA, "password": PASSWORD}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    # Read as a browser reads it: no host, one leading slash.
    as_browser = location.strip().replace("\t", "").replace("\n", "").replace("\\", "/")
    parts = urlsplit(as_browser)
    assert not parts.scheme and not parts.netloc, location
    assert as_browser.startswith("/") and not as_browser.startswith("//"), location


@pytest.mark.parametrize("target", ["/workshops/1", "/dashboard?lang=de#new-workshop"])
def test_sign_in_returns_to_the_page_asked_for(api, target):
    api.facilitator(LEA)
    client = api.app.test_client()
    response = client.post(
        "/login", query_string={"next": target}, data={"email": LEA, "password": PASSWORD}
    )
    assert response.headers["Location"] == target
