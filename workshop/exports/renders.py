"""Renders in flight: at most ``EXPORT_MAX_RENDERS`` at once per server process, one per file.

A download whose file is not cached asks for a render here. Asking for a
file that is already being made joins that render instead of starting
another, so forty partners opening the same PDF cost one layout. Renders
beyond the running ones wait in a queue of ``EXPORT_MAX_QUEUED``; past that,
``start`` refuses with ``Busy`` and the download answers 503 at once.

Documents are workshops' strategy drafts and programmes' recommendations
(documents.py); a render is keyed by its document's kind and id.

Heavy formats (PDF, Word, Excel), and every format of a large document, are
laid out by a worker process (``python -m workshop.exports.worker``) that
reads the database itself; the server process only waits for it, holding no
database connection. Light formats of a smaller workshop (Markdown, JSON,
CSV: milliseconds) are rendered here, in a background thread of their own
with its own short-lived session.

A render still queued when a newer state of the same file is asked for is
brought up to that state rather than queued twice. Each render has a
``ticket``: the "being prepared" answer names it, and a download that comes
back with it gets that render's file even if the workshop changed meanwhile.

The primitives come from ``threading``, which eventlet and gevent patch
into green ones, so waiting never blocks the other clients of the process.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app

from ..extensions import db
from . import documents
from .cache import WORKSHOP, ExportKey, cache_of
from .formats import HEAVY_FORMATS, render

EXTENSION = "positive_core_renders"
#: A worker that takes longer than this is stopped (a 5,000-contribution PDF takes ~2 minutes).
WORKER_TIMEOUT = 900
#: Tickets remembered per process: a returning download finds its render among the newest.
TICKETS = 1024

logger = logging.getLogger(__name__)


class Busy(Exception):
    """Too many renders are running or queued in this process."""


class RenderFailed(Exception):
    """The render ended without a file."""


@dataclasses.dataclass
class Render:
    """One render in flight; waiters block on ``done``.

    ``ticket`` lets a download told "being prepared" come back for this
    render's file, even if the workshop has changed in between.
    """

    key: ExportKey
    done: threading.Event = dataclasses.field(default_factory=threading.Event)
    started: bool = False
    error: BaseException | None = None
    ticket: str = dataclasses.field(default_factory=lambda: secrets.token_urlsafe(16))

    def wait(self, timeout: float) -> bool:
        """True once the render has finished (well or not) within ``timeout`` seconds."""
        return self.done.wait(timeout)


def _document(key: ExportKey) -> tuple[object, ...]:
    """What a key names regardless of its object's state: the same file, older or newer."""
    return (key.kind, key.object_id, key.fmt, key.language, key.base_url)


class Renders:
    """The process's renders: running, queued, and their limits."""

    def __init__(self, slots: int, queued: int) -> None:
        self.slots = max(1, slots)
        self.limit = self.slots + max(0, queued)
        self._lock = threading.Lock()
        self._running = threading.Semaphore(self.slots)
        self._renders: dict[ExportKey, Render] = {}
        #: ticket -> render, in flight or recently finished (the newest ``TICKETS``).
        self._tickets: collections.OrderedDict[str, Render] = collections.OrderedDict()

    def by_ticket(self, ticket: str) -> Render | None:
        """The render a "being prepared" answer named, if this process still knows it."""
        with self._lock:
            return self._tickets.get(ticket)

    def in_flight(self) -> int:
        """Renders running or queued."""
        with self._lock:
            return len(self._renders)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no render is running or queued (tests, orderly shutdown)."""
        with self._lock:
            pending = list(self._renders.values())
        return all(render.wait(timeout) for render in pending)

    def start(self, key: ExportKey, work: Callable[[ExportKey], None]) -> Render:
        """The render of ``key``: one in flight, or a new one that runs ``work(key)``.

        A queued render of an older state of the same document is brought up
        to ``key`` instead: it has not read the database yet, and its waiters
        may have a newer file than they asked for, never an older one.
        """
        with self._lock:
            render = self._renders.get(key)
            if render is not None:
                return render
            for older in self._renders.values():
                if (
                    not older.started
                    and _document(older.key) == _document(key)
                    and older.key.seq <= key.seq
                ):
                    del self._renders[older.key]
                    older.key = key
                    self._renders[key] = older
                    return older
            if len(self._renders) >= self.limit:
                raise Busy
            render = self._renders[key] = Render(key)
            self._tickets[render.ticket] = render
            while len(self._tickets) > TICKETS:
                self._tickets.popitem(last=False)
        threading.Thread(target=self._run, args=(render, work), daemon=True).start()
        return render

    def _run(self, render: Render, work: Callable[[ExportKey], None]) -> None:
        try:
            with self._running:
                with self._lock:
                    render.started = True
                    key = render.key
                work(key)
        except BaseException as error:  # every waiter must be told, whatever happened
            logger.exception("Export render failed: %s", render.key)
            render.error = error
        finally:
            with self._lock:
                del self._renders[render.key]
            render.done.set()


def renders_of(app: Flask) -> Renders:
    """The render queue of ``app`` (one per server process)."""
    renders = app.extensions.get(EXTENSION)
    if renders is None:
        renders = app.extensions[EXTENSION] = Renders(
            app.config["EXPORT_MAX_RENDERS"], app.config["EXPORT_MAX_QUEUED"]
        )
    return renders


def contribution_count(object_id: int, kind: str = WORKSHOP) -> int:
    """How many contributions a document holds (what decides where a light format is made)."""
    return documents.contribution_count(kind, object_id)


def in_worker(fmt: str, contributions: int) -> bool:
    """Whether a worker process lays the file out.

    PDF, Word and Excel always; Markdown, JSON and CSV only for a workshop
    (or programme) of more than ``EXPORT_INLINE_CONTRIBUTIONS``, whose half second of CPU
    would otherwise hold every room of the process.
    """
    config = current_app.config
    if not config["EXPORTS_IN_WORKER"]:
        return False
    return fmt in HEAVY_FORMATS or contributions > config["EXPORT_INLINE_CONTRIBUTIONS"]


def start_render(key: ExportKey, worker: bool) -> Render:
    """Start (or join) the render of ``key`` into the cache, in a worker process or here.

    Call it without a transaction open.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cache = cache_of(app)
    if worker:
        env = _worker_env(app)

        def work(key: ExportKey) -> None:
            staged = cache.staging_path(key)
            try:
                done = subprocess.run(
                    [*_worker_command(key), "--output", str(staged)],
                    capture_output=True,
                    env=env,
                    timeout=WORKER_TIMEOUT,
                    check=False,
                )
                if done.returncode:
                    raise RenderFailed(done.stderr.decode(errors="replace")[-4000:])
                cache.commit(key, staged)
            finally:
                staged.unlink(missing_ok=True)
    else:

        def work(key: ExportKey) -> None:
            with app.app_context():
                model = documents.build(key.kind, key.object_id)
                if model is None:
                    raise RenderFailed(f"{key.kind} {key.object_id} is gone")
                db.session.remove()  # the layout needs no connection
                body = render(model, key.fmt, key.language or model.language, key.base_url)
            cache.store(key, body)

    return renders_of(app).start(key, work)


def _worker_command(key: ExportKey) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "workshop.exports.worker",
        "--document",
        key.kind,
        str(key.object_id),
        key.fmt,
        key.language or "en",
    ]
    if key.base_url:
        command += ["--base-url", key.base_url]
    return command


def _worker_env(app: Flask) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_CONFIG": os.environ.get("FLASK_CONFIG", "development"),
        # The worker serves no sockets: no message queue, no event loop.
        "SOCKETIO_MESSAGE_QUEUE": "",
        "SOCKETIO_ASYNC_MODE": "threading",
        # The worker imports this package, wherever the server was started from.
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(Path(app.root_path).parent), os.environ.get("PYTHONPATH")])
        ),
    }
