"""SQLite as a server database: WAL journal, and calls that do not stall the event loop.

Under eventlet every socket shares one OS thread. A SQLite call is C code
that eventlet cannot interrupt: a long query, an fsync on a slow disk, or a
wait for another process's write lock (``busy_timeout``) would freeze every
room of the process while it runs. So when eventlet has patched the process,
each connection is wrapped in eventlet's ``tpool.Proxy``: its calls run on a
native thread (the sqlite3 module releases the GIL inside SQLite) while the
hub goes on serving other sockets. PostgreSQL needs no wrapper: psycopg's
waits are made cooperative in ``wsgi.py``.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def configure_sqlite(engine: Engine, async_mode: str) -> None:
    """Tune a file-backed SQLite engine; leave other engines alone."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    if async_mode == "eventlet" and _eventlet_patched():
        _run_calls_off_the_hub(engine)

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        # WAL: readers (export workers, snapshots) never block the writer.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _eventlet_patched() -> bool:
    # Checked through sys.modules so that CLI commands never import eventlet.
    if "eventlet" not in sys.modules:
        return False
    from eventlet import patcher

    return bool(patcher.is_monkey_patched("thread"))


def _run_calls_off_the_hub(engine: Engine) -> None:
    from eventlet import tpool

    class ConnectionProxy(tpool.Proxy):
        """``tpool.Proxy`` that also forwards attribute writes (``isolation_level``)."""

        def __setattr__(self, name: str, value: Any) -> None:
            if name.startswith("_"):
                object.__setattr__(self, name, value)
            else:
                setattr(self._obj, name, value)

    @event.listens_for(engine, "do_connect")
    def _connect(dialect: Any, _record: Any, cargs: tuple, cparams: dict) -> Any:
        # Pool threads take turns with one connection; SQLAlchemy's pool
        # never lends it to two greenlets at once.
        cparams["check_same_thread"] = False
        connection = dialect.loaded_dbapi.connect(*cargs, **cparams)
        return ConnectionProxy(connection, autowrap=(sqlite3.Cursor,))
