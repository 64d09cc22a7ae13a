"""What ``python wsgi.py`` checks before it serves: translations and the database's schema.

A fresh clone has no compiled catalogues (``.mo`` files are built, not
committed) and an empty database. Served as it is, every page would come in
English and the first query would fail. So, before serving:

- catalogues missing or older than their ``.po`` files are compiled; when
  they cannot be written, start-up stops with the command to run;
- a database that is not at the newest migration (empty, behind, or at a
  revision this version does not know) stops start-up with the command to run.

``create_app`` does neither: the test suite builds its schema with
``create_all`` and compiles nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from .extensions import db

COMPILE_COMMAND = "flask --app workshop translate compile"
UPGRADE_COMMAND = "flask --app workshop db upgrade"


class NotReady(Exception):
    """The app cannot serve as it is; the message is one line naming the fix."""


def catalogues(directory: Path) -> list[Path]:
    """Every ``.po`` file of every locale and domain under ``directory``."""
    return sorted(directory.glob("*/LC_MESSAGES/*.po"))


def stale_catalogues(directory: Path) -> list[Path]:
    """The ``.po`` files whose ``.mo`` is missing or older than they are."""
    stale = []
    for po_path in catalogues(directory):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.is_file() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            stale.append(po_path)
    return stale


def compile_catalogues(paths: list[Path]) -> int:
    """Write the ``.mo`` file of each ``.po`` file; returns how many.

    Each file is written beside its place and then moved there in one step,
    so a worker starting at the same moment never reads half a catalogue.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in paths:
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        mo_path = po_path.with_suffix(".mo")
        partial = mo_path.with_name(f".{mo_path.name}.{os.getpid()}")
        try:
            with partial.open("wb") as mo_file:
                write_mo(mo_file, catalog)
            os.replace(partial, mo_path)
        finally:
            partial.unlink(missing_ok=True)
    return len(paths)


def ensure_catalogues(app: Flask) -> int:
    """Compile the catalogues that are missing or stale; returns how many were compiled."""
    directory = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    stale = stale_catalogues(directory)
    try:
        return compile_catalogues(stale)
    except OSError as error:
        raise NotReady(
            f"The translations in {directory} are not compiled and cannot be compiled now "
            f"({error.strerror or error}): run `{COMPILE_COMMAND}` as a user who may write there."
        ) from error


def check_migrated(app: Flask) -> None:
    """Refuse a database that is not at the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    migrate = app.extensions["migrate"]
    script = ScriptDirectory(migrate.directory)
    newest = set(script.get_heads())
    with app.app_context(), db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current == newest:
        return
    unknown = [rev for rev in current if not _known(script, rev)]
    if unknown:
        raise NotReady(
            f"The database is at revision {', '.join(sorted(unknown))}, which this version "
            "of Positive Core does not know: serve it with the version that migrated it."
        )
    needed = ", ".join(sorted(newest))
    if not current:
        raise NotReady(
            f"The database has no schema yet (this version needs migration {needed}): "
            f"run `{UPGRADE_COMMAND}` first."
        )
    raise NotReady(
        f"The database is not fully migrated (it is at {', '.join(sorted(current))}, "
        f"this version needs {needed}): run `{UPGRADE_COMMAND}` first."
    )


def _known(script: object, revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(revision) is not None  # type: ignore[attr-defined]
    except CommandError:
        return False


def prepare_to_serve(app: Flask) -> int:
    """Compile stale catalogues and check the schema; raise ``NotReady`` when serving cannot start.

    Returns how many catalogues were compiled.
    """
    compiled = ensure_catalogues(app)
    check_migrated(app)
    return compiled
