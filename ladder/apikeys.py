"""Verifying an organization's API key: one function for the REST API and the MCP server.

A key is ``<prefix>.<secret>``; only its hash is stored. ``verify_key`` finds the key by prefix and
checks the hash, revocation and expiry; both entry points call it, so a key means the same thing
whichever way it reaches the service.

A verified key is remembered in this process by its prefix and the SHA-256 of the whole key (never
the key itself), under the current generation of ``ladder.directory``: the next request with the
same key costs no query and no hash. Saving or deleting any API key (revoking it, changing its expiry
or role) replaces the generation, so a revoked key is refused at its next request in every process;
expiry is checked on every request against the clock.
"""

from __future__ import annotations

import hashlib

from ladder import directory
from ladder.models import ApiKey

MAX_KEY_LENGTH = 200
verified = directory.GenerationCache(limit=1024)


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
    generation = directory.current_generation()
    cache_key = (prefix, hashlib.sha256(key.encode()).digest())
    api_key = verified.get(cache_key, generation)
    if api_key is None:
        api_key = ApiKey.objects.select_related("organization").filter(revoked=False, prefix=prefix).first()
        if api_key is None or not api_key.is_valid(key):
            raise InvalidApiKey("Invalid or revoked API key.")
        verified.set(cache_key, generation, api_key)
    if api_key.has_expired:
        raise InvalidApiKey("This API key has expired.")
    return api_key
