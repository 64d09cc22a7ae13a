"""Render one export in a separate process.

    python -m workshop.exports.worker [--document workshop|programme] ID FORMAT LANGUAGE
        [--base-url URL] [--output PATH]

``--document`` says what ``ID`` names: a workshop (its strategy draft, the
default) or a programme (its transnational recommendation).

Laying out a long PDF or Word file takes seconds of pure CPU. In the server
that would stall every socket of every workshop (eventlet and gevent run
one thread), so the server hands heavy formats to this process and waits
for it cooperatively, holding no database connection meanwhile. The worker
runs at a lower CPU priority than the server, so on a busy machine the
layout waits rather than the rooms. The worker
reads the workshop (or programme) from the database itself (``DATABASE_URL``), returns its
connection before the layout, and writes the file to ``--output`` (or to
stdout).
"""

from __future__ import annotations

import argparse
import os
import sys

#: How much lower than the server the worker runs (``nice``): rooms first, files second.
NICENESS = 19


def main(argv: list[str] | None = None) -> None:
    """Render one file."""
    parser = argparse.ArgumentParser(prog="python -m workshop.exports.worker")
    parser.add_argument("--document", choices=("workshop", "programme"), default="workshop")
    parser.add_argument("object_id", type=int)
    parser.add_argument("fmt")
    parser.add_argument("language")
    parser.add_argument("--base-url", default=None)
    parser.add_argument("--output", default=None, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    # Below the server in the CPU's queue: a layout may wait, a phone's ack should not.
    os.nice(NICENESS)
    os.environ["SOCKETIO_ASYNC_MODE"] = "threading"  # no event loop here
    from workshop import create_app
    from workshop.exports import documents, render
    from workshop.extensions import db

    app = create_app(os.environ.get("FLASK_CONFIG", "development"))
    with app.app_context():
        model = documents.build(args.document, args.object_id)
        if model is None:
            sys.exit(f"no {args.document} {args.object_id}")
        db.session.remove()
        db.engine.dispose()  # the layout may take minutes: give the connection back now
        body = render(model, args.fmt, args.language, args.base_url)
    if args.output:
        with open(args.output, "wb") as out:
            out.write(body)
    else:
        sys.stdout.buffer.write(body)


if __name__ == "__main__":
    main()
