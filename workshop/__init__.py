"""Positive Core: live Appreciative Inquiry workshops.

``create_app`` builds the Flask app; ``socketio`` (from extensions) serves it.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from config import CONFIGS, INSECURE_SECRET_KEYS

from .extensions import babel, csrf, db, login_manager, migrate, socketio
from .sqlite import configure_sqlite

# Handlers must be declared before the first init_app: Flask-SocketIO keeps
# them on the extension and binds them to every app's server.
from . import realtime  # noqa: F401  isort: skip

PROJECT_DIR = Path(__file__).resolve().parent.parent


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
    app.json.sort_keys = False  # keep payloads in the documented order
    _check_production(app, config_name)
    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    Path(app.instance_path).mkdir(exist_ok=True)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
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
    from . import i18n
    from .models import Facilitator
    from .realtime import presence

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
        return db.session.get(Facilitator, int(user_id)) if user_id.isdigit() else None

    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
        cors_allowed_origins=None,
    )
    presence.init_app(app)
    app.after_request(i18n.remember_requested_locale)
    app.context_processor(i18n.template_context)


def register_blueprints(app: Flask) -> None:
    """Routes by audience: API clients, facilitators, participants, partners; plus system."""
    from .api import bp as api_bp
    from .facilitator import bp as facilitator_bp
    from .participant import bp as participant_bp
    from .partner import bp as partner_bp
    from .system import bp as system_bp

    csrf.exempt(api_bp)  # bearer tokens, not cookies, authorise state changes there
    app.register_blueprint(system_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(facilitator_bp)
    app.register_blueprint(participant_bp)
    app.register_blueprint(partner_bp)


def register_errorhandlers(app: Flask) -> None:
    """JSON errors under /api, pages elsewhere; security headers on every response."""
    from . import errors, security

    errors.register(app)
    security.register(app)


def register_commands(app: Flask) -> None:
    """``flask facilitator …``, ``flask workshop …``, ``flask privacy …`` and ``flask translate …``."""
    from .commands import facilitator_cli, privacy_cli, translate_cli, workshop_cli

    app.cli.add_command(facilitator_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(workshop_cli)
