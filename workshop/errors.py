"""Error responses: JSON under /api, a readable page elsewhere."""

from __future__ import annotations

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db
from .services.errors import ServiceError


def _wants_json() -> bool:
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    # The pages' own scripts (share panel, projector) ask for JSON.
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _http_message(error: HTTPException) -> str:
    messages = {
        400: gettext("The request could not be understood."),
        401: gettext("Sign in or send a valid token."),
        403: gettext("You are not allowed to do this."),
        404: gettext("Nothing here: the page or item does not exist."),
        405: gettext("This method is not allowed here."),
        409: gettext("This conflicts with the current state."),
        413: gettext("The request is too large."),
        415: gettext("Send JSON with Content-Type: application/json."),
        429: gettext("Too many requests. Wait a moment and try again."),
    }
    return messages.get(error.code or 500, gettext("Something went wrong on our side."))


def _code(error: HTTPException) -> str:
    return (error.name or "error").lower().replace(" ", "_").replace("'", "")


def handle_service_error(error: ServiceError) -> tuple[Response, int]:
    """A refused request: roll back whatever the service began."""
    db.session.rollback()
    if _wants_json():
        response = jsonify(error.to_dict())
    else:
        response = make_response(
            render_template("error.html", status=error.status, message=str(error.message))
        )
    if error.retry_after:
        response.headers["Retry-After"] = str(error.retry_after)
    return response, error.status


def handle_http_error(error: HTTPException) -> tuple[Response | str, int]:
    """Werkzeug's errors in the product's voice and language."""
    status = error.code or 500
    if status >= 500:
        db.session.rollback()
    if _wants_json():
        return jsonify({"error": _code(error), "message": _http_message(error)}), status
    return render_template("error.html", status=status, message=_http_message(error)), status


def handle_unexpected(error: Exception) -> tuple[Response | str, int]:
    """Anything unforeseen: log it, answer 500, keep the database clean."""
    db.session.rollback()
    from flask import current_app

    current_app.logger.exception("Unhandled error", exc_info=error)
    return handle_http_error(InternalServerError())


def register(app: Flask) -> None:
    """Install the handlers on ``app``."""
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(HTTPException, handle_http_error)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
