"""Socket.IO: connection handling and the events of a live workshop."""

from . import connection, handlers  # noqa: F401  (importing registers the handlers)
