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

    #: Sockets one participant (or facilitator) holds at once: a new one closes the oldest.
    MAX_SOCKETS_PER_PARTICIPANT = _env_int("MAX_SOCKETS_PER_PARTICIPANT", 5)
    MAX_SOCKETS_PER_FACILITATOR = _env_int("MAX_SOCKETS_PER_FACILITATOR", 20)
    #: Sockets one address holds at once (per worker): a venue's NAT is one address.
    MAX_SOCKETS_PER_ADDRESS = _env_int("MAX_SOCKETS_PER_ADDRESS", 5000)

    #: Joins and leaves within this many seconds share one ``presence`` broadcast.
    PRESENCE_COALESCE_SECONDS = float(os.environ.get("PRESENCE_COALESCE_SECONDS", "1.0"))
    #: Changes of a workshop within this many seconds share one ``workshop_progress``.
    PROGRESS_COALESCE_SECONDS = float(os.environ.get("PROGRESS_COALESCE_SECONDS", "1.0"))
    #: How long an invitation to a programme stays valid.
    INVITATION_DAYS = _env_int("INVITATION_DAYS", 14)
    #: Behind a reverse proxy (deploy/nginx), trust its X-Forwarded-* headers.
    PROXY_FIX = os.environ.get("PROXY_FIX") == "1"
    #: Where rate-limit counters live: ``memory://`` (one process) or a Redis URL
    #: shared by several workers, e.g. ``redis://127.0.0.1:6379/1``.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    #: ``RATELIMIT_ENABLED=0`` turns every limit off (benchmarks that model many addresses).
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
    #: An API token (``pcf_…``) works for this many days after it was issued.
    API_TOKEN_DAYS = _env_int("API_TOKEN_DAYS", 30)
    #: An address an account signed in from stays "known" this long: guessers
    #: elsewhere cannot lock the account out of it.
    LOGIN_KNOWN_ADDRESS_DAYS = _env_int("LOGIN_KNOWN_ADDRESS_DAYS", 30)
    #: Lay out PDF, Word and Excel files in a separate process (workshop/exports/renders.py),
    #: and Markdown, JSON and CSV too for a workshop of more contributions than this.
    EXPORTS_IN_WORKER = True
    EXPORT_INLINE_CONTRIBUTIONS = _env_int("EXPORT_INLINE_CONTRIBUTIONS", 1000)
    #: Renders running at once in one server process (default: one per two CPU cores, so
    #: an eventlet process keeps a core for its rooms), and how many more may wait.
    EXPORT_MAX_RENDERS = _env_int("EXPORT_MAX_RENDERS", max(1, (os.cpu_count() or 2) // 2))
    EXPORT_MAX_QUEUED = _env_int("EXPORT_MAX_QUEUED", 8)
    #: How long a download waits for its file before answering 503 "being prepared".
    EXPORT_WAIT_SECONDS = float(os.environ.get("EXPORT_WAIT_SECONDS", "15"))
    #: The Retry-After of that answer (seconds).
    EXPORT_RETRY_AFTER = _env_int("EXPORT_RETRY_AFTER", 5)
    #: Rendered files are kept here (default: ``instance/exports``), up to this size.
    EXPORT_CACHE_DIR = os.environ.get("EXPORT_CACHE_DIR") or None
    EXPORT_CACHE_MAX_MB = float(os.environ.get("EXPORT_CACHE_MAX_MB", "500"))

    #: The largest HTTP request body, in bytes: the largest request of the protocol (a
    #: workshop with every prompt, form-encoded) fits; larger ones answer 413 unread.
    MAX_CONTENT_LENGTH = _env_int("MAX_REQUEST_BYTES", 256 * 1024)
    #: The bound of a route that takes a whole JSON export (an import upload).
    IMPORT_MAX_BYTES = _env_int("IMPORT_MAX_BYTES", 16 * 1024 * 1024)
    #: Werkzeug's form limits: one field at most the whole body, and few fields.
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH
    MAX_FORM_PARTS = 100
    #: The largest Socket.IO message (python-engineio's ``max_http_buffer_size``): the
    #: largest event, ``settings`` with every prompt, fits; a larger one closes the socket.
    SOCKETIO_MAX_MESSAGE_BYTES = _env_int("SOCKETIO_MAX_MESSAGE_BYTES", 256 * 1024)

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
    PROGRESS_COALESCE_SECONDS = 0.0
    # The in-memory test database is invisible to another process.
    EXPORTS_IN_WORKER = os.environ.get("TEST_DATABASE_URL") is not None
    # A download waits for its file however busy the machine; tests of the
    # "being prepared" answer shorten this themselves.
    EXPORT_WAIT_SECONDS = 600.0
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
