"""Socket.IO: connection handling, the events of a live workshop and of a synthesis board."""

from . import connection, handlers, synthesis  # noqa: F401  (importing registers the handlers)
