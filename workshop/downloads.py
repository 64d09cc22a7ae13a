"""Sending a strategy-draft export as an HTTP download (owner API and partner links)."""

from __future__ import annotations

import os
import subprocess
import sys

from flask import Response, abort, current_app
from flask_babel import lazy_gettext as _l

from .models import Workshop
from .services import exports
from .services.errors import ServiceError

#: Formats whose layout is heavy enough to run outside the server process.
HEAVY_FORMATS = frozenset({"pdf", "docx", "xlsx"})
WORKER_TIMEOUT = 600


def _render_in_worker(workshop: Workshop, fmt: str, language: str) -> bytes:
    env = {
        **os.environ,
        "DATABASE_URL": current_app.config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_CONFIG": os.environ.get("FLASK_CONFIG", "development"),
    }
    # The subprocess module is cooperative under eventlet and gevent, so other
    # clients are served while the worker lays the document out.
    done = subprocess.run(
        [sys.executable, "-m", "workshop.export_worker", str(workshop.id), fmt, language],
        capture_output=True,
        env=env,
        timeout=WORKER_TIMEOUT,
        check=False,
    )
    if done.returncode:
        current_app.logger.error("Export worker failed: %s", done.stderr.decode(errors="replace"))
        raise ServiceError("export_failed", _l("The export could not be made."), 500)
    return done.stdout


def send_export(workshop: Workshop, fmt: str) -> Response:
    """The draft in ``fmt`` as an attachment; 404 for an unknown format."""
    if fmt not in exports.FORMATS:
        abort(404)
    language = exports.export_language(workshop)
    if fmt in HEAVY_FORMATS and current_app.config["EXPORTS_IN_WORKER"]:
        body = _render_in_worker(workshop, fmt, language)
        file = exports.ExportFile(body, exports.FORMATS[fmt], exports.filename(workshop, fmt))
    else:
        file = exports.render(workshop, fmt, language)
    response = Response(file.body, mimetype=file.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response.cache_control.no_store = True
    return response
