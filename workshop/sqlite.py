"""SQLite as a server database: WAL journal, and lock waits that do not stall the event loop.

Under eventlet or gevent every socket shares one OS thread. SQLite's own
busy handler waits for another connection's write lock by sleeping inside C
(up to ``busy_timeout``), which would freeze every room of the process
meanwhile: an import or a command-line tool holding the lock for a second
would stop the whole server for that second. So SQLite is told not to wait
(``busy_timeout=0``), and the connection retries a locked statement itself,
sleeping with ``time.sleep``, which the async mode's monkey-patching turns
into a cooperative sleep: other clients go on while one waits.

SQLite's work itself stays inline: a statement of this app takes well under
a millisecond (a 5,000-contribution snapshot query about 20 ms), and handing
each one to a native thread made a contribution's transaction yield to the
event loop between statements, which quadrupled fan-out latency under load
(docs/performance.md). PostgreSQL needs none of this: psycopg's waits are
made cooperative in ``wsgi.py``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

#: How long a statement waits for another connection's write lock in all.
LOCK_TIMEOUT_SECONDS = 5.0
#: Pause between two tries while the database is locked.
RETRY_INTERVAL_SECONDS = 0.005

_T = TypeVar("_T")


def configure_sqlite(engine: Engine) -> None:
    """Tune a file-backed SQLite engine; leave other engines alone."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, _cargs: tuple, cparams: dict) -> None:
        cparams["factory"] = CooperativeConnection

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        # WAL: readers (export workers, snapshots) never block the writer.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=0")  # CooperativeConnection waits instead
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _locked(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return "database is locked" in str(error)
    return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _patiently(call: Callable[..., _T], *args: Any) -> _T:
    """``call(*args)``, tried again while another connection holds the lock."""
    deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
    while True:
        try:
            return call(*args)
        except sqlite3.OperationalError as error:
            if not _locked(error) or time.monotonic() >= deadline:
                raise
        # Cooperative under eventlet and gevent (monkey-patched), a plain sleep otherwise.
        time.sleep(RETRY_INTERVAL_SECONDS)


class CooperativeCursor(sqlite3.Cursor):
    """A cursor whose statements wait for a locked database by sleeping cooperatively."""

    def execute(self, sql: str, parameters: Any = (), /) -> CooperativeCursor:  # type: ignore[override]
        """Run one statement, waiting while the database is locked."""
        return _patiently(super().execute, sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> CooperativeCursor:  # type: ignore[override]
        """Run a statement per row, waiting while the database is locked."""
        # A retry starts over: a locked database refuses the first row, before any is written.
        rows = list(parameters)
        return _patiently(super().executemany, sql, rows)


class CooperativeConnection(sqlite3.Connection):
    """A sqlite3 connection that makes ``CooperativeCursor`` cursors."""

    def cursor(self, factory: Any = CooperativeCursor) -> Any:  # type: ignore[override]
        """A new cursor (``CooperativeCursor`` unless told otherwise)."""
        return super().cursor(factory)

    def commit(self) -> None:
        """Commit, waiting while the database is locked."""
        _patiently(super().commit)
