"""Headers, cookies, CSRF, password hashing and rate limits."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD, new_client_id

import config
from config import TestingConfig
from workshop import create_app
from workshop.extensions import db
from workshop.services import accounts, ratelimit


def test_security_headers(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy
        and "unsafe-eval" not in policy
    )
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts(api):
    token = api.facilitator()
    workshop = api.create_workshop(token)
    html = api.http.get(f"/join/{workshop['code']}").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_session_and_participant_cookies_are_httponly_and_lax(api):
    api.facilitator("lea@example.org")
    response = api.http.post("/login", data={"email": "lea@example.org", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    token = api.facilitator("other@example.org")
    workshop = api.create_workshop(token)
    joined = api.http.post("/api/join", json={"code": workshop["code"], "name": "Ana"})
    assert (
        "HttpOnly" in joined.headers["Set-Cookie"]
        and "SameSite=Lax" in joined.headers["Set-Cookie"]
    )


@pytest.fixture
def csrf_app(monkeypatch):
    monkeypatch.setattr(TestingConfig, "WTF_CSRF_ENABLED", True)
    app = create_app("testing")
    with app.app_context():
        db.create_all()
        accounts.create_facilitator("lea@example.org", PASSWORD)
        ratelimit.reset()
    yield app
    with app.app_context():
        db.drop_all()


def test_forms_need_a_csrf_token(csrf_app):
    client = csrf_app.test_client()
    refused = client.post("/login", data={"email": "lea@example.org", "password": PASSWORD})
    assert refused.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post(
        "/login", data={"email": "lea@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert accepted.status_code == 302
    assert client.post("/logout").status_code == 400
    assert client.post("/join", data={"code": "ABCDEF", "name": "x"}).status_code == 400


def test_the_pages_own_calls_need_the_csrf_token(csrf_app):
    """The share panel and the projector's reveal use the login session: a token guards them."""
    from workshop.services import workshops

    with csrf_app.app_context():
        owner = accounts.find_facilitator("lea@example.org")
        wid = workshops.create_workshop(owner, {"title": "Kranj"}).id
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    form_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/login", data={"email": "lea@example.org", "password": PASSWORD, "csrf_token": form_token}
    )
    board = client.get(f"/workshops/{wid}").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', board).group(1)
    for path in (f"/workshops/{wid}/shares", f"/workshops/{wid}/votes/reveal"):
        assert client.post(path, json={}).status_code == 400
        assert client.post(path, json={}, headers={"X-CSRFToken": token}).status_code < 300
    link = client.get(f"/workshops/{wid}/shares").json["shares"][0]["id"]
    assert client.delete(f"/workshops/{wid}/shares/{link}").status_code == 400
    assert (
        client.delete(f"/workshops/{wid}/shares/{link}", headers={"X-CSRFToken": token}).status_code
        == 204
    )


def test_api_needs_no_csrf_token_but_a_bearer(csrf_app):
    client = csrf_app.test_client()
    response = client.post(
        "/api/auth/token", json={"email": "lea@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200


def test_production_hashes_passwords_with_scrypt(monkeypatch):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setattr(config.ProductionConfig, "SQLALCHEMY_DATABASE_URI", "sqlite://")
    app = create_app("production")
    with app.app_context():
        db.create_all()
        try:
            stored = accounts.create_facilitator("lea@example.org", PASSWORD).password_hash
            # scrypt:N:r:p$salt$hash, memory-hard at werkzeug's default cost.
            assert stored.startswith("scrypt:32768:8:1$")
            assert accounts.authenticate("lea@example.org", PASSWORD) is not None
            assert accounts.authenticate("lea@example.org", PASSWORD + "!") is None
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def test_login_attempts_are_limited_per_account(api):
    api.facilitator("lea@example.org")
    for _ in range(10):
        wrong = api.http.post(
            "/api/auth/token", json={"email": "lea@example.org", "password": "nope nope"}
        )
        assert wrong.status_code == 401
    limited = api.http.post(
        "/api/auth/token", json={"email": "lea@example.org", "password": PASSWORD}
    )
    assert limited.status_code == 429 and limited.json["error"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0
    # Another account from the same address is not locked out by Lea's guesser.
    api.facilitator("max@example.org")
    assert (
        api.http.post(
            "/api/auth/token", json={"email": "max@example.org", "password": PASSWORD}
        ).status_code
        == 200
    )


def test_join_code_guessing_is_limited_but_a_venue_joins_freely(api, monkeypatch):
    monkeypatch.setitem(ratelimit.RULES, "join_failures", "20/minute")
    ratelimit._rule.cache_clear()
    token = api.facilitator()
    workshop = api.create_workshop(token)
    # A whole room behind one NAT address: successful joins never count.
    for n in range(60):
        assert (
            api.http.post("/api/join", json={"code": workshop["code"], "name": f"P{n}"}).status_code
            == 201
        )
    for _ in range(20):
        assert (
            api.http.post("/api/join", json={"code": "ZZZZZZ", "name": "Guess"}).status_code == 404
        )
    limited = api.http.post("/api/join", json={"code": workshop["code"], "name": "Late"})
    assert limited.status_code == 429 and limited.json["error"] == "rate_limited"
    ratelimit._rule.cache_clear()


def test_a_flooding_phone_slows_itself_not_the_room(api, room):
    api.set_phase(room["token"], room["workshop"]["id"], "discover")
    ana, ben = room["phones"][:2]
    sent = [new_client_id() for _ in range(25)]
    acks = [
        ana.emit("contribute", {"client_id": cid, "kind": "story", "text": f"{n}"}, callback=True)
        for n, cid in enumerate(sent)
    ]
    assert [a["ok"] for a in acks].count(True) == 20
    assert acks[-1] == {"ok": False, "error": "rate_limited", "message": acks[-1]["message"]}
    ok = ben.emit(
        "contribute", {"client_id": new_client_id(), "kind": "story", "text": "Ben"}, callback=True
    )
    assert ok["ok"] is True
    # A retry of an already stored contribution is never limited.
    again = ana.emit(
        "contribute", {"client_id": sent[0], "kind": "story", "text": "0"}, callback=True
    )
    assert again == {"ok": True, "id": acks[0]["id"]}
