"""Command-line tools: facilitator accounts, the demo account, translations."""

from __future__ import annotations

from workshop.extensions import db
from workshop.models import Facilitator


def test_create_facilitator(app, runner):
    result = runner.invoke(
        args=["facilitator", "create", "Lea@Example.org", "--password", "long enough"]
    )
    assert result.exit_code == 0, result.output
    assert "Created facilitator lea@example.org" in result.output
    with app.app_context():
        facilitator = db.session.scalar(db.select(Facilitator))
        assert facilitator.email == "lea@example.org"
        assert facilitator.password_hash != "long enough"


def test_create_facilitator_refusals(runner):
    short = runner.invoke(args=["facilitator", "create", "a@example.org", "--password", "short"])
    assert short.exit_code != 0 and "at least 8 characters" in short.output
    runner.invoke(args=["facilitator", "create", "a@example.org", "--password", "long enough"])
    again = runner.invoke(
        args=["facilitator", "create", "A@example.org", "--password", "long enough"]
    )
    assert again.exit_code != 0 and "exists" in again.output


def test_demo_facilitator_only_once(client, runner):
    first = runner.invoke(args=["facilitator", "demo"])
    assert "demo@positive-core.local" in first.output
    password = first.output.split("password:")[1].split()[0]
    second = runner.invoke(args=["facilitator", "demo"])
    assert second.exit_code == 0 and second.output == ""
    response = client.post(
        "/api/auth/token", json={"email": "demo@positive-core.local", "password": password}
    )
    assert response.status_code == 200


def test_translate_compile(runner):
    result = runner.invoke(args=["translate", "compile"])
    assert result.exit_code == 0 and "Compiled" in result.output


def test_delete_facilitator_with_or_without_its_workshops(app, api, runner):
    token = api.facilitator("lea@example.org")
    workshop = api.create_workshop(token)
    api.join(workshop["code"], "Ana")
    refused = runner.invoke(args=["facilitator", "delete", "lea@example.org"])
    assert refused.exit_code != 0 and "runs 1 workshop(s)" in refused.output
    done = runner.invoke(args=["facilitator", "delete", "LEA@example.org", "--with-workshops"])
    assert done.exit_code == 0, done.output
    assert "Deleted workshop 'Creative regions'" in done.output
    with app.app_context():
        for table in db.metadata.sorted_tables:
            assert db.session.execute(table.select()).all() == [], table.name
    unknown = runner.invoke(args=["facilitator", "delete", "lea@example.org"])
    assert unknown.exit_code != 0 and "No facilitator" in unknown.output
