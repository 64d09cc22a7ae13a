"""The one error type services raise, carrying a stable code and a readable message."""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString


class ServiceError(Exception):
    """A refused request: ``code`` is stable for clients, ``message`` is for people.

    ``status`` is the HTTP status the API answers with; socket acks ignore it.
    """

    def __init__(self, code: str, message: str | LazyString, status: int = 400) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.status = status
        #: Seconds a rate-limited caller should wait (HTTP Retry-After).
        self.retry_after: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The body of an API error or of a refused ack (without ``ok``)."""
        return {"error": self.code, "message": str(self.message)}
