"""Pages for participants: join by code, the live workshop, the summary, their privacy."""

from flask import Blueprint

bp = Blueprint("participant", __name__)

from . import privacy, views  # noqa: E402,F401
