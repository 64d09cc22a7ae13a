"""Serve Positive Core: ``python wsgi.py``.

The async mode comes from ``SOCKETIO_ASYNC_MODE`` (eventlet by default;
gevent and threading also run). Its monkey-patching must happen before
anything else is imported, so it lives here and not in the package.
Before serving, missing or stale translation catalogues are compiled and an
unmigrated database is refused (``workshop/startup.py``).
"""

import gc
import os
import sys
import warnings

# The deprecation is known and documented (README); keep start-up output clean.
warnings.filterwarnings("ignore", message=r"\s+Eventlet is deprecated")

ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
if ASYNC_MODE == "eventlet":
    # psycopg waits on PostgreSQL with a C poll() unless told otherwise; its
    # select()-based wait is made cooperative by eventlet's patching, so a
    # slow query does not stall other clients. (psycopg detects gevent itself.)
    os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
    import eventlet

    eventlet.monkey_patch()
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

from workshop import create_app  # noqa: E402
from workshop.extensions import socketio  # noqa: E402
from workshop.startup import NotReady, prepare_to_serve  # noqa: E402

app = create_app(os.environ.get("FLASK_CONFIG", "development"))

if __name__ == "__main__":
    # Never serve degraded: compile what translations need, refuse an unmigrated database.
    try:
        compiled = prepare_to_serve(app)
    except NotReady as problem:
        sys.exit(f"Positive Core cannot start: {problem}")
    if compiled:
        print(f"Compiled {compiled} translation catalogue(s) that were missing or out of date.")

    from workshop.services import detection

    # The language detector's models load once, before the first phone connects.
    detection.preload()
    # Modules, the app and its caches live as long as the process: keep them
    # out of the garbage collector's full passes, which otherwise walk them
    # all while a large snapshot allocates (tens of ms of stall per pass).
    gc.freeze()
    options = {}
    if ASYNC_MODE == "eventlet":
        # eventlet.wsgi refuses connections beyond max_size (1,024 by default).
        options["max_size"] = app.config["MAX_CONNECTIONS"]
    socketio.run(
        app,
        host=app.config["HOST"],
        port=app.config["PORT"],
        allow_unsafe_werkzeug=ASYNC_MODE == "threading",
        **options,
    )
