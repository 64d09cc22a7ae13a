"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import text

from config import TestingConfig
from workshop import create_app
from workshop.extensions import db


def test_upgrade_from_empty_matches_the_models(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    monkeypatch.setattr(TestingConfig, "SQLALCHEMY_DATABASE_URI", url)
    app = create_app("testing")
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"render_as_batch": True})
            assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()


def test_prompt_entries_migration_keeps_rows_and_marks_defaults(tmp_path, monkeypatch):
    """Texts equal to a default (in any language) become its marker; nothing else is lost."""
    from babel.messages.pofile import read_po
    from flask_migrate import downgrade
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    monkeypatch.setattr(TestingConfig, "SQLALCHEMY_DATABASE_URI", url)
    app = create_app("testing")
    vision = (
        "Imagine our region when the positive core is the norm. What do you see? "
        "Write your dream as a short vision statement."
    )
    with open("translations/pl/LC_MESSAGES/messages.po", "rb") as handle:
        polish = {m.id: m.string for m in read_po(handle)}[vision]
    with app.app_context():
        upgrade(revision="8657c8e4de1f")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO facilitators (id, email, password_hash, display_name, created_at)"
                    " VALUES (1, 'f@example.org', 'x', '', '2026-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO workshops (id, owner_id, title, topic, place, language, code, phase,"
                    " votes_per_participant, prompts, seq, show_names, hide_vote_counts,"
                    " votes_revealed, notes, created_at, updated_at) VALUES (1, 1, 'T', '', '',"
                    " 'sl', 'ABCDEF', 'lobby', 3, :prompts, 0, 1, 0, 0, '{}', '2026-01-01',"
                    " '2026-01-01')"
                ),
                {"prompts": json.dumps({"dream": ["Our own question", polish]})},
            )
            connection.execute(
                text(
                    "INSERT INTO participants (id, workshop_id, name, organisation, region,"
                    " token_hash, joined_at) VALUES (1, 1, 'Ana', '', '', 'h', '2026-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO contributions (id, workshop_id, participant_id, client_id, kind,"
                    " title, text, consent, language, factors, owner, owner_organisation, hidden,"
                    " edited, vote_count, created_at) VALUES (1, 1, 1, 'c1', 'dream', '', 'A dream',"
                    " 'anonymous', 'sl', '', '', '', 0, 0, 0, '2026-01-01')"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            prompts, furthest = connection.execute(
                text("SELECT prompts, furthest_phase FROM workshops")
            ).one()
            # Rebuilding the workshops table must not cascade to its rows.
            assert connection.execute(text("SELECT count(*) FROM contributions")).scalar() == 1
            assert connection.execute(text("SELECT approved, late FROM contributions")).one() == (
                1,
                0,
            )
        assert '{"text": "Our own question", "language": "sl"}' in prompts
        assert '{"default": "dream.vision"}' in prompts
        assert furthest == "dream"  # a dream exists: its phase was reached
        downgrade(revision="8657c8e4de1f")
        with db.engine.connect() as connection:
            prompts = connection.execute(text("SELECT prompts FROM workshops")).scalar()
            assert connection.execute(text("SELECT count(*) FROM contributions")).scalar() == 1
        assert "Our own question" in prompts and "dream.vision" not in prompts


def test_upgrading_a_database_keeps_its_rows(tmp_path, monkeypatch):
    """A SQLite table rebuilt by a migration must not take the rows that point at it along.

    The privacy revision rebuilds ``participants`` (its token may now be
    null); with foreign keys enforced, dropping the old table would delete
    every contribution and vote.
    """
    url = f"sqlite:///{tmp_path / 'kept.sqlite3'}"
    monkeypatch.setattr(TestingConfig, "SQLALCHEMY_DATABASE_URI", url)
    app = create_app("testing")
    with app.app_context():
        upgrade(revision="8657c8e4de1f")
        with db.engine.begin() as connection:
            for statement in (
                "INSERT INTO facilitators (email, password_hash, display_name, created_at) "
                "VALUES ('a@example.org', 'x', '', CURRENT_TIMESTAMP)",
                "INSERT INTO workshops (owner_id, title, topic, place, language, code, phase, "
                "votes_per_participant, prompts, seq, show_names, hide_vote_counts, "
                "votes_revealed, notes, created_at, updated_at) VALUES (1, 'T', '', '', 'en', "
                "'ABCDEF', 'closed', 3, '{}', 5, 1, 0, 0, '{}', CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP)",
                "INSERT INTO participants (workshop_id, name, organisation, region, token_hash, "
                "joined_at) VALUES (1, 'Ana', '', '', 'digest', CURRENT_TIMESTAMP)",
                "INSERT INTO contributions (workshop_id, participant_id, client_id, kind, title, "
                "text, consent, language, factors, owner, owner_organisation, hidden, edited, "
                "vote_count, created_at) VALUES (1, 1, 'c1', 'dream', '', 'A dream', 'named', "
                "'en', '', '', '', 0, 0, 1, CURRENT_TIMESTAMP)",
                "INSERT INTO votes (participant_id, contribution_id, kind, created_at) "
                "VALUES (1, 1, 'dream', CURRENT_TIMESTAMP)",
            ):
                connection.execute(text(statement))
        upgrade()
        with db.engine.connect() as connection:
            counts = [
                connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("participants", "contributions", "votes")
            ]
            closed = connection.execute(text("SELECT closed_at FROM workshops")).scalar_one()
            enforced = connection.execute(text("PRAGMA foreign_keys")).scalar_one()
        assert counts == [1, 1, 1]
        assert closed is not None  # a workshop closed before: its retention period has begun
        assert enforced == 1
        db.engine.dispose()
