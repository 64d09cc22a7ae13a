"""Pages for participants: join by code, the live workshop, the summary."""

from flask import Blueprint

bp = Blueprint("participant", __name__)

from . import views  # noqa: E402,F401
