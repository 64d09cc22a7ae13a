"""Pages for facilitators: sign-in, dashboard, workshop board."""

from flask import Blueprint

bp = Blueprint("facilitator", __name__)

from . import programmes, synthesis, views  # noqa: E402,F401
