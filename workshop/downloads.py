"""Sending a document as an HTTP download: strategy drafts and transnational recommendations.

One path for every download route: ``send_export(workshop, fmt, language)``
for a workshop's strategy draft, ``send_recommendation(programme, fmt,
language)`` for a programme's recommendation. In order, it

1. refuses an unknown format (404);
2. counts the download against the ``export`` limit of the share link (or of
   the workshop or programme, for its members) and the ``export_address``
   limit of the caller's address (429 with Retry-After);
3. reads the file's cache key (and, for a file not cached, the document's
   size), then gives the database connection back: nothing below holds a
   connection or a transaction while it waits;
4. serves the cached file, or starts (or joins) its render and waits up to
   ``EXPORT_WAIT_SECONDS``; a render that takes longer, or a full queue,
   answers 503 with Retry-After: a page that tries again by itself for a
   browser, JSON for an API client.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from typing import IO
from urllib.parse import urlencode

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wsgi import wrap_file

from . import languages
from .exports import FORMATS, MIMETYPES
from .exports.cache import PROGRAMME, WORKSHOP, ExportKey, cache_of, key_for
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
from .models import Programme, Workshop, as_utc, utcnow
from .services import ratelimit
from .services.errors import ServiceError
from .services.tokens import digest

#: Files larger than this are streamed from the cache rather than read into memory.
STREAM_ABOVE = 1024 * 1024
#: A link back from the "being prepared" page: (URL, label).
BackLink = tuple[str, object]


def export_language(target: Workshop | Programme, asked: str | None = None) -> str:
    """``asked`` (else ``?lang=``) when it names a supported language, else the document's own."""
    asked = asked or request.args.get("lang")
    return asked if languages.is_supported(asked) else target.language


@dataclasses.dataclass(frozen=True)
class _Download:
    """What a download route asks for: a document, its file name, where "back" leads."""

    target: Workshop | Programme
    kind: str
    title: str
    dated: dt.date
    back: BackLink


def send_export(
    workshop: Workshop,
    fmt: str,
    language: str | None = None,
    *,
    share_token: str | None = None,
    back: BackLink | None = None,
) -> Response:
    """The workshop's strategy draft in ``fmt`` as an attachment.

    ``share_token`` is the partner link (or programme portal link) it came
    through; ``back`` where the "being prepared" page leads (default: the
    share link's page, else the board).
    """
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
    held_on = workshop.held_on or as_utc(workshop.created_at).date()
    download = _Download(workshop, WORKSHOP, workshop.title, held_on, back)
    return _send(download, fmt, language, share_token)


def send_recommendation(
    programme: Programme,
    fmt: str,
    language: str | None = None,
    *,
    share_token: str | None = None,
    back: BackLink | None = None,
) -> Response:
    """The programme's transnational recommendation in ``fmt`` as an attachment.

    Named after the programme and the day it is made. ``share_token`` is the
    portal link it came through.
    """
    language = export_language(programme, language)
    if back is None:
        back = (
            (
                url_for("portal.synthesis", token=share_token, lang=language),
                _l("Back to the synthesis"),
            )
            if share_token
            else (
                url_for("facilitator.programme_synthesis", programme_id=programme.id),
                _l("Back to the synthesis"),
            )
        )
    download = _Download(programme, PROGRAMME, programme.title, utcnow().date(), back)
    return _send(download, fmt, language, share_token)


def _send(download: _Download, fmt: str, language: str, share_token: str | None) -> Response:
    if fmt not in FORMATS:
        abort(404)
    target, back = download.target, download.back
    try:
        _count(download, share_token)
    except ServiceError as error:
        return _refusal(error.code, str(error.message), error.status, error.retry_after or 1, back)
    key = key_for(target, fmt, language, current_app.config.get("PUBLIC_URL"))
    cache = cache_of(current_app)
    file = cache.open(key)
    worker = file is None and in_worker(fmt, contribution_count(target.id, download.kind))
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
    response.headers["Content-Disposition"] = content_disposition(
        download.title, download.dated, language, fmt
    )
    response.cache_control.no_store = True
    return response


def _count(download: _Download, share_token: str | None) -> None:
    requester = (
        f"share:{digest(share_token)}" if share_token else f"{download.kind}:{download.target.id}"
    )
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

    The document may have changed since (a live room changes every second):
    without the ticket, a download of a file that takes longer to make than
    the room takes to change would be told "being prepared" for ever.
    """
    render = renders_of(current_app).by_ticket(ticket)
    if render is None or (render.key.folder, render.key.document) != (key.folder, key.document):
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
