"""Positive Core: live Appreciative Inquiry workshops.

``create_app`` builds the Flask app; ``socketio`` (from extensions) serves it.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from flask import Flask

from config import CONFIGS, INSECURE_SECRET_KEYS

from . import wire
from .extensions import babel, csrf, db, login_manager, migrate, socketio
from .sqlite import configure_sqlite

# Handlers must be declared before the first init_app: Flask-SocketIO keeps
# them on the extension and binds them to every app's server.
from . import realtime  # noqa: F401  isort: skip

PROJECT_DIR = Path(__file__).resolve().parent.parent

# The deprecation is known and documented (README), as in wsgi.py: the flask
# commands (db upgrade, demo seed…) print nothing but their own output.
warnings.filterwarnings("ignore", message=r"\s+Eventlet is deprecated")


def create_app(config_name: str | None = None) -> Flask:
    """Build the app for ``config_name`` (default: ``FLASK_CONFIG`` or development)."""
    config_name = config_name or os.environ.get("FLASK_CONFIG", "development")
    app = Flask(
        __name__,
        static_folder=str(PROJECT_DIR / "static"),
        template_folder=str(PROJECT_DIR / "templates"),
        instance_path=str(PROJECT_DIR / "instance"),
        instance_relative_config=True,
    )
    app.config.from_object(CONFIGS[config_name])
    app.json = wire.JSONProvider(app)  # bodies nested too deeply are malformed, not a 500
    app.json.sort_keys = False  # keep payloads in the documented order
    app.url_map.converters["int"] = wire.IdConverter  # ids beyond the database's are 404
    _check_production(app, config_name)
    Path(app.instance_path).mkdir(exist_ok=True)
    register_extensions(app)
    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Outside Flask-SocketIO's middleware, so sockets see the phones' addresses too.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_signals()
    return app


def _check_production(app: Flask, config_name: str) -> None:
    if config_name != "production":
        return
    if app.config["SECRET_KEY"] in INSECURE_SECRET_KEYS or len(app.config["SECRET_KEY"]) < 16:
        raise RuntimeError("Set SECRET_KEY to a long random value before running in production.")
    if app.debug:
        raise RuntimeError("Debug mode must be off in production.")


def register_extensions(app: Flask) -> None:
    """Bind every extension to ``app``."""
    from . import http, i18n
    from .http import apply_body_limit
    from .models import Facilitator
    from .realtime import presence
    from .services import accounts, ratelimit

    # Before CSRFProtect's hook, which reads the form: a route's own body limit first.
    app.before_request(apply_body_limit)
    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "facilitator.login"
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_facilitator(user_id: str) -> Facilitator | None:
        # A session saved before its account signed out names an old version: nobody.
        return accounts.facilitator_for_session(user_id)

    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
        cors_allowed_origins=None,
        max_http_buffer_size=app.config["SOCKETIO_MAX_MESSAGE_BYTES"],
        serializer=wire.Packet,
        # Each socket's messages are handled in turn, by the task reading it: a
        # client sending without pause queues nothing beyond its own socket.
        async_handlers=False,
    )
    socketio.server.eio.async_handlers = False
    wire.guard_packets(socketio.server)
    if socketio.server.eio.async_mode == "eventlet":
        from . import eventlet_websocket

        eventlet_websocket.install(socketio.server)
    presence.init_app(app)
    ratelimit.init_app(app)
    app.after_request(i18n.remember_requested_locale)
    app.context_processor(i18n.template_context)
    app.context_processor(http.template_context)


def register_blueprints(app: Flask) -> None:
    """Routes by audience: API clients, facilitators, participants, partners; plus system."""
    from .api import bp as api_bp
    from .facilitator import bp as facilitator_bp
    from .participant import bp as participant_bp
    from .partner import bp as partner_bp
    from .partner import portal_bp
    from .system import bp as system_bp

    csrf.exempt(api_bp)  # bearer tokens, not cookies, authorise state changes there
    app.register_blueprint(system_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(facilitator_bp)
    app.register_blueprint(participant_bp)
    app.register_blueprint(partner_bp)
    app.register_blueprint(portal_bp)


def _forget_rendered_files(app: Flask, workshop_id: int, deleted: bool = False) -> None:
    """A workshop's personal data changed or went: its rendered export files go too."""
    from .exports.cache import cache_of

    cache_of(app).forget(workshop_id)


def _forget_programme_files(app: Flask, programme_id: int) -> None:
    """A programme went: its rendered recommendations go too."""
    from .exports.cache import PROGRAMME, cache_of

    cache_of(app).forget(programme_id, PROGRAMME)


def register_signals() -> None:
    """Connect the domain's signals to what keeps copies outside the database."""
    from .services.erasure import personal_data_erased, programme_erased

    personal_data_erased.connect(_forget_rendered_files)
    programme_erased.connect(_forget_programme_files)


def register_errorhandlers(app: Flask) -> None:
    """JSON errors under /api, pages elsewhere; security headers on every response."""
    from . import errors, security

    errors.register(app)
    security.register(app)


def register_commands(app: Flask) -> None:
    """``flask facilitator …``, ``flask workshop …``, ``flask demo …``, ``flask privacy …`` and ``flask translate …``."""
    from .commands import demo_cli, facilitator_cli, privacy_cli, translate_cli, workshop_cli

    app.cli.add_command(demo_cli)
    app.cli.add_command(facilitator_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(workshop_cli)
