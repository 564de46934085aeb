"""Verifying an organization's API key: one function for the REST API and the MCP server.

A key is ``<prefix>.<secret>``; only its hash is stored. ``verify_key`` finds the key by prefix and
checks the hash, revocation and expiry; both entry points call it, so a key means the same thing
whichever way it reaches the service.
"""

from __future__ import annotations

from ladder.models import ApiKey

MAX_KEY_LENGTH = 200


class InvalidApiKey(Exception):
    """The key is malformed, unknown, revoked or expired (answered as 401)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def verify_key(key: str) -> ApiKey:
    """The usable ``ApiKey`` for ``key`` (with its organization), or ``InvalidApiKey``."""
    key = key.strip()
    if not key or " " in key or len(key) > MAX_KEY_LENGTH:
        raise InvalidApiKey("Malformed API key.")
    prefix, _, _ = key.partition(".")
    api_key = ApiKey.objects.select_related("organization").filter(revoked=False, prefix=prefix).first()
    if api_key is None or not api_key.is_valid(key):
        raise InvalidApiKey("Invalid or revoked API key.")
    if api_key.has_expired:
        raise InvalidApiKey("This API key has expired.")
    return api_key
