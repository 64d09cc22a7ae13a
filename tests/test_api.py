"""The JSON API: tokens, workshops, phases, joining, and who may do what."""

from __future__ import annotations

import pytest
from conftest import PASSWORD, bearer, named

from workshop.services.workshops import CODE_ALPHABET


def test_factory_builds_the_testing_app(app):
    assert app.testing
    assert app.config["SOCKETIO_ASYNC_MODE"] == "threading"


def test_production_refuses_a_default_secret(monkeypatch):
    from config import ProductionConfig
    from workshop import create_app

    monkeypatch.setattr(ProductionConfig, "SOCKETIO_ASYNC_MODE", "threading")
    for secret in ("", "development-only-secret", "short"):
        monkeypatch.setattr(ProductionConfig, "SECRET_KEY", secret)
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app("production")
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "a-long-and-random-production-secret")
    assert create_app("production").config["SECRET_KEY"].startswith("a-long")


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_token_for_right_credentials_only(api):
    api.facilitator("fac@example.org")
    ok = api.http.post("/api/auth/token", json={"email": "FAC@example.org ", "password": PASSWORD})
    assert ok.status_code == 200 and ok.json["token"].startswith("pcf_")
    for body in (
        {"email": "fac@example.org", "password": "wrong password"},
        {"email": "nobody@example.org", "password": PASSWORD},
    ):
        refused = api.http.post("/api/auth/token", json=body)
        assert refused.status_code == 401 and refused.json["error"] == "invalid_credentials"
    for body in ({}, {"email": "fac@example.org"}, "text", None):
        assert api.http.post("/api/auth/token", json=body).status_code == 400
    assert (
        api.http.post(
            "/api/auth/token", data="{not json", content_type="application/json"
        ).status_code
        == 400
    )


def test_create_workshop(api):
    token = api.facilitator()
    body = api.create_workshop(
        token, title="Kranj focus group", language="sl", votes_per_participant=5
    )
    assert set(body) >= {"id", "code", "join_url", "phase", "prompts"}
    assert body["phase"] == "lobby" and body["votes_per_participant"] == 5
    assert len(body["code"]) == 6 and set(body["code"]) <= set(CODE_ALPHABET)
    assert body["join_url"].endswith(f"/join/{body['code']}")
    assert len(body["prompts"]["discover"]) == 4


def test_create_workshop_with_own_prompts(api):
    token = api.facilitator()
    body = api.create_workshop(token, language="sl", prompts={"dream": ["Picture 2035."]})
    # The facilitator's own text stays as written, tagged with the workshop's language.
    assert body["prompts"]["dream"] == [{"text": "Picture 2035.", "language": "sl"}]
    # The other phases keep the method's prompts, which every reader gets in their language.
    assert body["prompts"]["discover"] == [
        {"default": "discover.high_point"},
        {"default": "discover.values"},
        {"default": "discover.enablers"},
        {"default": "discover.wishes"},
    ]


def test_prompts_given_as_entries_with_translations(api):
    token = api.facilitator()
    body = api.create_workshop(
        token,
        language="sl",
        prompts={
            "dream": [
                {
                    "text": "Predstavljajte si leto 2035.",
                    "translations": {"pl": "Wyobraź sobie rok 2035."},
                },
                {"default": "dream.vision"},
                # A default's text, in any of the languages, is the default.
                "Wyobraź sobie nasz region w czasach, gdy pozytywny rdzeń jest normą. Co "
                "widzisz? Zapisz swoje marzenie w formie krótkiej wizji.",
            ]
        },
    )
    assert body["prompts"]["dream"][0] == {
        "text": "Predstavljajte si leto 2035.",
        "language": "sl",
        "translations": {"pl": "Wyobraź sobie rok 2035."},
    }
    assert body["prompts"]["dream"][1] == {"default": "dream.vision"}
    assert body["prompts"]["dream"][2] == {"default": "dream.vision"}


@pytest.mark.parametrize(
    "prompts",
    [
        {"dream": [{"default": "no.such.prompt"}]},
        {"dream": [{"default": "discover.values"}]},  # not a prompt of this phase
        {"dream": [{"text": "x", "translations": {"xx": "y"}}]},
        {"dream": [{"text": "x", "colour": "red"}]},
        {"dream": [42]},
    ],
)
def test_bad_prompt_entries_are_refused(api, prompts):
    token = api.facilitator()
    response = api.http.post(
        "/api/workshops", json={"title": "x", "prompts": prompts}, headers=bearer(token)
    )
    assert response.status_code == 400, response.json


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "missing_field"),
        ({"title": ""}, "empty_text"),
        ({"title": "x", "language": "fr"}, "invalid_choice"),
        ({"title": "x", "votes_per_participant": 0}, "invalid_field"),
        ({"title": "x", "votes_per_participant": "3"}, "invalid_field"),
        ({"title": "x", "prompts": {"brainstorm": ["?"]}}, "invalid_field"),
        ({"title": "x", "owner": 3}, "unknown_field"),
        ([1, 2], "invalid_payload"),
    ],
)
def test_create_workshop_refuses_bad_input(api, body, error):
    token = api.facilitator()
    response = api.http.post("/api/workshops", json=body, headers=bearer(token))
    assert response.status_code == 400 and response.json["error"] == error
    assert api.http.get("/api/workshops", headers=bearer(token)).json["workshops"] == []


def test_creating_needs_a_facilitator_token(api):
    token = api.facilitator()
    workshop = api.create_workshop(token)
    participant = api.join(workshop["code"], "Ana")
    for headers in (
        {},
        bearer("pcf_forged"),
        bearer(participant["token"]),
        {"Authorization": "Basic x"},
    ):
        response = api.http.post("/api/workshops", json={"title": "x"}, headers=headers)
        assert response.status_code == 401 and response.json["error"] == "unauthorized"


def test_other_facilitators_are_locked_out(api):
    owner = api.facilitator("owner@example.org")
    other = api.facilitator("other@example.org")
    workshop = api.create_workshop(owner)
    wid = workshop["id"]
    assert api.http.get(f"/api/workshops/{wid}", headers=bearer(owner)).status_code == 200
    for method, path, body in (
        ("get", f"/api/workshops/{wid}", None),
        ("patch", f"/api/workshops/{wid}", {"title": "mine"}),
        ("post", f"/api/workshops/{wid}/phase", {"phase": "dream"}),
        ("get", f"/api/workshops/{wid}/export.md", None),
        ("get", f"/api/workshops/{wid}/export.json", None),
    ):
        response = getattr(api.http, method)(path, json=body, headers=bearer(other))
        assert response.status_code in (403, 404)
    assert api.http.get("/api/workshops", headers=bearer(other)).json["workshops"] == []
    snapshot = api.http.get(f"/api/workshops/{wid}", headers=bearer(owner)).json
    assert (
        snapshot["workshop"]["phase"] == "lobby"
        and snapshot["workshop"]["title"] == "Creative regions"
    )


def test_phase_change_over_http_reaches_the_room(api):
    token = api.facilitator()
    workshop = api.create_workshop(token)
    person = api.join(workshop["code"], "Ana")
    phone = api.socket({"token": person["token"]})
    phone.get_received()
    body = api.set_phase(token, workshop["id"], "discover")
    assert body["phase"] == "discover"
    phase = named(phone.get_received(), "phase")
    assert phase == [
        {"phase": "discover", "prompts": workshop["prompts"]["discover"], "seq": body["seq"]}
    ]
    # Back again: phases move both ways.
    assert api.set_phase(token, workshop["id"], "lobby")["phase"] == "lobby"


def test_phase_change_refusals(api):
    token = api.facilitator()
    workshop = api.create_workshop(token)
    person = api.join(workshop["code"], "Ana")
    url = f"/api/workshops/{workshop['id']}/phase"
    assert api.http.post(
        url, json={"phase": "dream"}, headers=bearer(person["token"])
    ).status_code in (401, 403)
    assert api.http.post(url, json={"phase": "dream"}).status_code == 401
    bad = api.http.post(url, json={"phase": "later"}, headers=bearer(token))
    assert bad.status_code == 400 and bad.json["error"] == "invalid_choice"
    assert api.http.post(url, data="x", headers=bearer(token)).status_code == 400


def test_join(api):
    token = api.facilitator()
    workshop = api.create_workshop(token)
    response = api.http.post(
        "/api/join",
        json={
            "code": workshop["code"].lower(),
            "name": "Ana",
            "organisation": "Kranj",
            "language": "sl",
        },
    )
    assert response.status_code == 201
    body = response.json
    assert body["workshop_id"] == workshop["id"] and body["token"].startswith("pcp_")
    assert f"pc_p{workshop['id']}=" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    spaced = api.http.post(
        "/api/join",
        json={"code": f" {workshop['code'][:3]}-{workshop['code'][3:]} ", "name": "Ben"},
    )
    assert spaced.status_code == 201


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"code": "ZZZZZZ", "name": "Ana"}, 404, "unknown_code"),
        ({"name": "Ana"}, 400, "missing_field"),
        ({"code": "{code}"}, 400, "missing_field"),
        ({"code": "{code}", "name": "  "}, 400, "empty_text"),
        ({"code": "{code}", "name": "A" * 81}, 400, "text_too_long"),
        ({"code": "{code}", "name": "Ana", "language": "xx"}, 400, "invalid_choice"),
        ({"code": "{code}", "name": "Ana", "age": 3}, 400, "unknown_field"),
    ],
)
def test_join_refusals(api, body, status, error):
    token = api.facilitator()
    workshop = api.create_workshop(token)
    body = {
        k: (v.format(code=workshop["code"]) if isinstance(v, str) else v) for k, v in body.items()
    }
    response = api.http.post("/api/join", json=body)
    assert response.status_code == status and response.json["error"] == error


def test_join_a_closed_workshop_is_a_conflict(api):
    token = api.facilitator()
    workshop = api.create_workshop(token)
    api.set_phase(token, workshop["id"], "closed")
    response = api.http.post("/api/join", json={"code": workshop["code"], "name": "Late"})
    assert response.status_code == 409 and response.json["error"] == "workshop_closed"


def test_edit_workshop_reaches_the_room(api):
    token = api.facilitator()
    workshop = api.create_workshop(token)
    phone = api.socket({"token": api.join(workshop["code"], "Ana")["token"]})
    phone.get_received()
    response = api.http.patch(
        f"/api/workshops/{workshop['id']}",
        json={"title": "Renamed", "votes_per_participant": 5},
        headers=bearer(token),
    )
    assert response.status_code == 200 and response.json["title"] == "Renamed"
    update = named(phone.get_received(), "workshop")[0]
    assert update["title"] == "Renamed" and update["votes_per_participant"] == 5


def test_unknown_api_routes_answer_json(api):
    response = api.http.get("/api/nothing-here")
    assert response.status_code == 404 and response.json["error"] == "not_found"
    response = api.http.delete("/api/join")
    assert response.status_code == 405 and "message" in response.json
