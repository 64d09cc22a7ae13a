"""Pages for partners: a share link opens the summary and every download, no account."""

from flask import Blueprint

bp = Blueprint("partner", __name__, url_prefix="/s")

from . import views  # noqa: E402,F401
