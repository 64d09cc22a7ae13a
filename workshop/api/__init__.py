"""The JSON API: bearer-token facilitators and code-joining participants."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from . import programmes, routes, synthesis  # noqa: E402,F401
