"""Render one export in a separate process: ``python -m workshop.export_worker ID FORMAT LANG``.

Laying out a long PDF or Word file takes seconds of pure CPU. In the server
that would stall every socket of every workshop (eventlet and gevent run
one thread), so the server hands heavy formats to this process and waits
for it cooperatively. The file's bytes go to stdout.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Render and write the export to stdout."""
    workshop_id, fmt, language = sys.argv[1], sys.argv[2], sys.argv[3]
    os.environ["SOCKETIO_ASYNC_MODE"] = "threading"  # no event loop here
    from workshop import create_app
    from workshop.extensions import db
    from workshop.models import Workshop
    from workshop.services import exports

    app = create_app(os.environ.get("FLASK_CONFIG", "development"))
    with app.test_request_context("/"):
        workshop = db.session.get(Workshop, int(workshop_id))
        if workshop is None:
            sys.exit("no such workshop")
        sys.stdout.buffer.write(exports.render(workshop, fmt, language).body)


if __name__ == "__main__":
    main()
