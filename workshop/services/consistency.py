"""Reads that see one committed state of the database, for snapshots.

A snapshot takes several queries. Under PostgreSQL's default isolation
(READ COMMITTED) each statement sees what was committed when it started, so
a snapshot read while phones write mixes moments: its ``seq`` could be older
or newer than some of its rows. Read inside ``consistent_read()``, every
query sees the same committed state, so the snapshot's ``seq`` says exactly
which changes it holds: those up to ``seq``, and none after. A client then
applies exactly the events with a higher ``seq`` (docs/reliability.md).

- PostgreSQL: one REPEATABLE READ, read-only transaction; its snapshot is
  taken at the first query and kept to the end.
- SQLite (a file, in WAL mode): one explicit read transaction; the first read
  fixes what it sees. Python's sqlite3 runs SELECTs outside any transaction
  unless told, hence the explicit ``BEGIN``. An in-memory database (the test
  suite's) is one connection shared by every thread: nothing to isolate.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import text

from ..extensions import db


@contextlib.contextmanager
def consistent_read() -> Iterator[None]:
    """Run the enclosed queries in one transaction that sees one committed state.

    Ends the session's open transaction first (callers have only read in it),
    and ends the read transaction afterwards without expiring loaded objects.
    """
    db.session.commit()
    bind = db.session.get_bind()
    if bind.dialect.name == "postgresql":
        db.session.connection(
            execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )
    elif bind.dialect.name == "sqlite" and bind.url.database not in (None, "", ":memory:"):
        db.session.execute(text("BEGIN"))
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    # Nothing was written: committing ends the transaction like a rollback
    # would, but keeps the objects it loaded (the session does not expire on commit).
    db.session.commit()
