"""Configuration classes, read from the environment.

Pick one with ``create_app(name)`` or ``FLASK_CONFIG``: ``development`` (the
default), ``testing`` or ``production``.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

#: Values that must never protect a production deployment.
INSECURE_SECRET_KEYS = frozenset({"", "dev", "change-me", "development-only-secret"})


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'positive-core.sqlite3'}"
    )
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
    #: The Redis channel the workers of one deployment share (their rooms and
    #: presence). Give each deployment on a shared Redis its own.
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL", "positive-core")
    #: With several workers, a killed worker's participants leave "online now" after this long.
    PRESENCE_TTL_SECONDS = float(os.environ.get("PRESENCE_TTL_SECONDS", "30"))
    HOST = os.environ.get("HOST", "127.0.0.1")
    PORT = _env_int("PORT", 5000)
    #: Address phones use to reach this server (for join links and QR codes),
    #: e.g. ``http://192.168.1.20:5000``. Defaults to the address of the request.
    PUBLIC_URL = os.environ.get("PUBLIC_URL") or None
    #: Simultaneous connections the server accepts (eventlet's default is 1,024).
    MAX_CONNECTIONS = _env_int("MAX_CONNECTIONS", 10000)

    #: Joins and leaves within this many seconds share one ``presence`` broadcast.
    PRESENCE_COALESCE_SECONDS = float(os.environ.get("PRESENCE_COALESCE_SECONDS", "1.0"))
    #: Behind a reverse proxy (deploy/nginx), trust its X-Forwarded-* headers.
    PROXY_FIX = os.environ.get("PROXY_FIX") == "1"
    #: Where rate-limit counters live: ``memory://`` (one process) or a Redis URL
    #: shared by several workers, e.g. ``redis://127.0.0.1:6379/1``.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = True
    #: Lay out PDF, Word and Excel files in a separate process (see downloads.py).
    EXPORTS_IN_WORKER = True

    #: Who runs the sessions of this instance and how to reach them, named in
    #: every privacy notice unless a workshop names its own (docs/privacy.md).
    #: Empty: the facilitator's name and email.
    PRIVACY_CONTROLLER = os.environ.get("PRIVACY_CONTROLLER", "")
    PRIVACY_CONTACT = os.environ.get("PRIVACY_CONTACT", "")
    #: A new workshop's retention period: days after it closes until
    #: ``flask privacy enforce`` anonymises its participants.
    PRIVACY_RETENTION_DAYS = _env_int("PRIVACY_RETENTION_DAYS", 365)

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ("en", "de", "pl", "cs", "it", "sl", "nl")

    #: Werkzeug's scrypt: memory-hard, the modern default.
    PASSWORD_HASH_METHOD = "scrypt"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PARTICIPANT_COOKIE_MAX_AGE = 60 * 60 * 24 * 30
    WTF_CSRF_TIME_LIMIT = None


class DevelopmentConfig(Config):
    """Local work: SQLite in ``instance/``, eventlet."""

    DEBUG = False


class TestingConfig(Config):
    """pytest: in-memory database, threading mode, no queue, no CSRF."""

    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SOCKETIO_MESSAGE_QUEUE = None
    SOCKETIO_ASYNC_MODE = "threading"
    WTF_CSRF_ENABLED = False
    PRESENCE_COALESCE_SECONDS = 0.0  # tests read presence right after a join
    # The in-memory test database is invisible to another process.
    EXPORTS_IN_WORKER = os.environ.get("TEST_DATABASE_URL") is not None
    # Fast hashing keeps the suite quick; production keeps scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    """Deployment: a real secret key is mandatory."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
