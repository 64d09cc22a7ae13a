"""Random tokens and their stored digests."""

from __future__ import annotations

import hashlib
import secrets

PARTICIPANT_PREFIX = "pcp_"
FACILITATOR_PREFIX = "pcf_"


def new_token(prefix: str) -> str:
    """A fresh URL-safe token with 256 bits of randomness."""
    return prefix + secrets.token_urlsafe(32)


#: How many of a token's characters identify it in a list (its prefix and 4 random ones).
HINT_LENGTH = 8


def hint(token: str) -> str:
    """The first characters of ``token``: enough to tell tokens apart, useless to guess one."""
    return token[:HINT_LENGTH]


def digest(token: str) -> str:
    """SHA-256 hex digest: what the database keeps instead of the token.

    Looking a token up by its digest keeps the comparison independent of
    the token's characters, so timing reveals nothing about stored tokens.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
