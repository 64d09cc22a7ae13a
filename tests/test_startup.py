"""``python wsgi.py`` never serves degraded: catalogues get compiled, unmigrated databases are refused."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from livekit import ROOT, LiveServer, free_port

import config
from workshop import create_app
from workshop.startup import (
    COMPILE_COMMAND,
    UPGRADE_COMMAND,
    NotReady,
    check_migrated,
    ensure_catalogues,
)


def _env(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "PORT": str(free_port()),
        "FLASK_CONFIG": "development",
        "SOCKETIO_MESSAGE_QUEUE": "",
    }


def _serve(database: Path) -> subprocess.CompletedProcess[str]:
    """``python wsgi.py`` on ``database``; it must stop by itself."""
    return subprocess.run(
        [sys.executable, "wsgi.py"],
        env=_env(database),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _flask(database: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "workshop", *args],
        env=_env(database),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def test_an_empty_database_is_refused_with_the_command_to_run(tmp_path):
    result = _serve(tmp_path / "fresh.sqlite3")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "no schema yet" in lines[0] and UPGRADE_COMMAND in lines[0]


def test_a_database_behind_the_newest_migration_is_refused(tmp_path):
    database = tmp_path / "behind.sqlite3"
    _flask(database, "db", "upgrade", "42bf144f44ef")  # the first migration only
    result = _serve(database)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "not fully migrated" in lines[0] and "42bf144f44ef" in lines[0]
    assert UPGRADE_COMMAND in lines[0]


def test_a_database_from_a_newer_version_is_refused(tmp_path, monkeypatch):
    database = tmp_path / "newer.sqlite3"
    _flask(database, "db", "upgrade")
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    monkeypatch.setattr(config.TestingConfig, "SQLALCHEMY_DATABASE_URI", f"sqlite:///{database}")
    app = create_app("testing")
    with pytest.raises(NotReady, match=r"ffffffffffff.*does not know"):
        check_migrated(app)


def test_a_migrated_database_is_served(tmp_path, monkeypatch):
    database = tmp_path / "ready.sqlite3"
    _flask(database, "db", "upgrade")
    monkeypatch.setattr(config.TestingConfig, "SQLALCHEMY_DATABASE_URI", f"sqlite:///{database}")
    check_migrated(create_app("testing"))  # no refusal
    server = LiveServer(tmp_path, database_url=f"sqlite:///{database}").start()  # answers /healthz
    server.stop()


@pytest.fixture
def translations(tmp_path, monkeypatch):
    """A copy of the catalogues' sources only, as in a fresh clone; the app reads it."""
    directory = tmp_path / "translations"
    for po in (ROOT / "translations").glob("*/LC_MESSAGES/*.po"):
        target = directory / po.relative_to(ROOT / "translations")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(po, target)
    monkeypatch.setattr(config.TestingConfig, "BABEL_TRANSLATION_DIRECTORIES", str(directory))
    return directory


def test_missing_catalogues_are_compiled_before_serving(translations):
    app = create_app("testing")
    assert sorted(translations.glob("*/LC_MESSAGES/*.mo")) == []
    compiled = ensure_catalogues(app)
    assert compiled == len(list(translations.glob("*/LC_MESSAGES/*.po"))) == 12
    page = app.test_client().get("/?lang=de")
    assert "Workshop-Code" in page.get_data(as_text=True)
    js = app.test_client().get("/i18n/de.json").json
    assert js["messages"]["Connected"] == "Verbunden"
    assert ensure_catalogues(app) == 0  # nothing stale any more


def test_a_catalogue_older_than_its_source_is_compiled_again(translations):
    app = create_app("testing")
    ensure_catalogues(app)
    po = translations / "pl" / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    past = po.stat().st_mtime - 60
    os.utime(mo, (past, past))
    assert ensure_catalogues(app) == 1
    assert mo.stat().st_mtime >= po.stat().st_mtime


def test_catalogues_that_cannot_be_written_stop_start_up(translations):
    # A directory where the .mo file goes: writing fails as on a read-only install.
    (translations / "de" / "LC_MESSAGES" / "messages.mo").mkdir()
    with pytest.raises(NotReady) as refusal:
        ensure_catalogues(create_app("testing"))
    message = str(refusal.value)
    assert COMPILE_COMMAND in message and "\n" not in message
