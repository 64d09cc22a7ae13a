"""Pages for facilitators: sign-in, dashboard, workshop board."""

from flask import Blueprint

bp = Blueprint("facilitator", __name__)

from . import account, actions, privacy, programmes, synthesis, views  # noqa: E402,F401
