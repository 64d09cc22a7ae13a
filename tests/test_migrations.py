"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

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
