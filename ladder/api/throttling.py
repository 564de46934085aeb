"""Rate limits per API key (or user), in three scopes: reads, writes, and bulk translation.

Counters live in Django's default cache: Redis when ``REDIS_URL`` is set, so every worker process
and machine enforces one limit together. Rates come from ``PMLADDER_THROTTLE_RATES`` (settings,
from the environment) and are read on each request, so they can be changed without code. If the
cache is unreachable the limit is not enforced rather than failing the request: losing the rate
limit for a while is better than losing the service.
"""

from __future__ import annotations

import logging

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger("pmladder.throttling")


class _KeyedThrottle(SimpleRateThrottle):
    """Counts requests per API key, or per user for session logins."""

    scope = ""

    def get_rate(self) -> str | None:
        return settings.PMLADDER_THROTTLE_RATES.get(self.scope)

    def applies(self, request, view) -> bool:
        return True

    def get_cache_key(self, request, view) -> str | None:
        if not self.applies(request, view):
            return None
        if request.auth is not None and hasattr(request.auth, "pk"):
            ident = f"key:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            return None  # unauthenticated requests are refused before they cost anything
        return f"throttle:{self.scope}:{ident}"

    def allow_request(self, request, view) -> bool:
        # Re-read the rate each time (settings may differ per test or deployment).
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache is down: serve without the limit, and say so in the log
            logger.warning("throttle cache unavailable; %s limit not enforced", self.scope, exc_info=True)
            return True


class ReadThrottle(_KeyedThrottle):
    scope = "read"

    def applies(self, request, view) -> bool:
        return request.method in SAFE_METHODS


class WriteThrottle(_KeyedThrottle):
    scope = "write"

    def applies(self, request, view) -> bool:
        return request.method not in SAFE_METHODS and not getattr(view, "bulk_translation", False)


class BulkTranslateThrottle(_KeyedThrottle):
    """POST /translate (up to 10,000 titles a request) has its own, lower limit."""

    scope = "bulk"

    def applies(self, request, view) -> bool:
        return request.method == "POST" and getattr(view, "bulk_translation", False)
