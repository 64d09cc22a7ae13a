"""Sending a strategy-draft export as an HTTP download (owner API and partner links).

One call for every download route: ``send_export(workshop, fmt, language)``.
In order, it

1. refuses an unknown format (404);
2. counts the download against the ``export`` limit of the share link (or of
   the workshop, for its facilitator) and the ``export_address`` limit of the
   caller's address (429 with Retry-After);
3. reads the file's cache key (and, for a file not cached, the workshop's
   size), then gives the database connection back: nothing below holds a
   connection or a transaction while it waits;
4. serves the cached file, or starts (or joins) its render and waits up to
   ``EXPORT_WAIT_SECONDS``; a render that takes longer, or a full queue,
   answers 503 with Retry-After: a page that tries again by itself for a
   browser, JSON for an API client.
"""

from __future__ import annotations

import os
from typing import IO
from urllib.parse import urlencode

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wsgi import wrap_file

from . import languages
from .exports import FORMATS, MIMETYPES
from .exports.cache import ExportKey, cache_of, key_for
from .exports.files import content_disposition
from .exports.renders import (
    Busy,
    Render,
    contribution_count,
    in_worker,
    renders_of,
    start_render,
)
from .extensions import db
from .models import Workshop, as_utc
from .services import ratelimit
from .services.errors import ServiceError
from .services.tokens import digest

#: Files larger than this are streamed from the cache rather than read into memory.
STREAM_ABOVE = 1024 * 1024
#: A link back from the "being prepared" page: (URL, label).
BackLink = tuple[str, object]


def export_language(workshop: Workshop, asked: str | None = None) -> str:
    """``asked`` (else ``?lang=``) when it names a supported language, else the workshop's."""
    asked = asked or request.args.get("lang")
    return asked if languages.is_supported(asked) else workshop.language


def send_export(
    workshop: Workshop,
    fmt: str,
    language: str | None = None,
    *,
    share_token: str | None = None,
    back: BackLink | None = None,
) -> Response:
    """The draft in ``fmt`` as an attachment.

    ``share_token`` is the partner link (or programme portal link) it came
    through; ``back`` where the "being prepared" page leads (default: the
    share link's page, else the board).
    """
    if fmt not in FORMATS:
        abort(404)
    language = export_language(workshop, language)
    if back is None:
        back = (
            (
                url_for("partner.summary", token=share_token, lang=language),
                _l("Back to the workshop"),
            )
            if share_token
            else (url_for("facilitator.board", workshop_id=workshop.id), _l("Back to the board"))
        )
    try:
        _count(workshop, share_token)
    except ServiceError as error:
        return _refusal(error.code, str(error.message), error.status, error.retry_after or 1, back)
    key = key_for(workshop, fmt, language, current_app.config.get("PUBLIC_URL"))
    title, held_on = workshop.title, workshop.held_on or as_utc(workshop.created_at).date()
    cache = cache_of(current_app)
    file = cache.open(key)
    worker = file is None and in_worker(fmt, contribution_count(workshop.id))
    # From here on only files and other processes are waited for.
    db.session.close()

    ticket = request.args.get("ticket")
    if file is None and ticket:
        file = _from_ticket(ticket, key, back)
    if file is None:
        file = _render(key, worker, back)
    if isinstance(file, Response):
        return file
    response = _file_response(file, MIMETYPES[fmt])
    response.headers["Content-Disposition"] = content_disposition(title, held_on, language, fmt)
    response.cache_control.no_store = True
    return response


def _count(workshop: Workshop, share_token: str | None) -> None:
    requester = f"share:{digest(share_token)}" if share_token else f"workshop:{workshop.id}"
    ratelimit.hit("export", requester)
    ratelimit.hit("export_address", request.remote_addr or "unknown")


def _render(key: ExportKey, worker: bool, back: BackLink) -> IO[bytes] | Response:
    """The freshly rendered file, or the answer to give while it is being made."""
    config = current_app.config
    try:
        render = start_render(key, worker)
    except Busy:
        return _refusal(
            "export_busy",
            str(_l("Many files are being prepared right now. Please try again in a moment.")),
            503,
            config["EXPORT_RETRY_AFTER"],
            back,
        )
    if not render.wait(config["EXPORT_WAIT_SECONDS"]):
        return _pending(back, render)
    if render.error is not None:
        raise ServiceError("export_failed", _l("The export could not be made."), 500)
    # The render's key: newer than ours when a queued render was brought up to date.
    file = cache_of(current_app).open(render.key)
    if file is None:  # evicted in the same instant by a full cache: the next try makes it again
        return _pending(back, render)
    return file


def _from_ticket(ticket: str, key: ExportKey, back: BackLink) -> IO[bytes] | Response | None:
    """The file of the render a "being prepared" answer named, or a newer one of the same document.

    The workshop may have changed since (a live room changes every second):
    without the ticket, a download of a file that takes longer to make than
    the room takes to change would be told "being prepared" for ever.
    """
    render = renders_of(current_app).by_ticket(ticket)
    if render is None or (render.key.workshop_id, render.key.document) != (
        key.workshop_id,
        key.document,
    ):
        return None
    if not render.wait(current_app.config["EXPORT_WAIT_SECONDS"]):
        return _pending(back, render)
    if render.error is not None:
        return None
    return cache_of(current_app).open_newer(render.key)


def _pending(back: BackLink, render: Render) -> Response:
    return _refusal(
        "export_pending",
        str(_l("The file is being prepared. Try again in a moment.")),
        503,
        current_app.config["EXPORT_RETRY_AFTER"],
        back,
        ticket=render.ticket,
    )


def _file_response(file: IO[bytes], mimetype: str) -> Response:
    """The file as a response body: read at once when small, streamed from disk when large."""
    size = os.fstat(file.fileno()).st_size
    if size <= STREAM_ABOVE:
        with file:
            return Response(file.read(), mimetype=mimetype)
    response = Response(
        wrap_file(request.environ, file), mimetype=mimetype, direct_passthrough=True
    )
    response.content_length = size
    return response


def _wants_page() -> bool:
    """Whether to answer with a page (a browser navigating) rather than JSON (an API client)."""
    if not request.path.startswith("/api/"):
        return True
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def _refusal(
    code: str,
    message: str,
    status: int,
    retry_after: int,
    back: BackLink,
    ticket: str | None = None,
) -> Response:
    """A download that cannot be served now: when to come back, for people and for programs.

    ``ticket`` names the render to come back for; the retry URL carries it.
    """
    query = request.args.to_dict()
    if ticket:
        query["ticket"] = ticket
    retry_url = request.path + ("?" + urlencode(query) if query else "")
    if _wants_page():
        response = Response(
            render_template(
                "exports/preparing.html",
                status=status,
                code=code,
                message=message,
                retry_after=retry_after,
                retry_url=retry_url,
                back=back,
            ),
            status=status,
            mimetype="text/html",
        )
        # Browsers reload the download by themselves; the file then simply downloads.
        response.headers["Refresh"] = f"{retry_after}; url={retry_url}"
    else:
        body = {"error": code, "message": message, "retry_after": retry_after}
        if ticket:
            body["ticket"] = ticket
        response = current_app.json.response(body)
        response.status_code = status
    response.headers["Retry-After"] = str(retry_after)
    response.cache_control.no_store = True
    return response
