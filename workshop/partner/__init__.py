"""Pages for partners, no account: a workshop's share link, and a programme's portal."""

from flask import Blueprint

bp = Blueprint("partner", __name__, url_prefix="/s")
portal_bp = Blueprint("portal", __name__, url_prefix="/p")

from . import portal, views  # noqa: E402,F401
