"""Rate limits per API key (or user), in three scopes: reads, writes, and bulk translation.

Each limit is a sliding window of its period (``1200/min``: the last sixty seconds), estimated from
two counters per key, this period's and the last one's: the last one counts for the share of it that
still lies inside the window. The counters live in Django's default cache: Redis when ``REDIS_URL`` is
set, so every worker process and machine enforces one limit together, and a request costs one atomic
Redis round trip (``ladder.cache.count_in_window``). DRF's own throttle kept the time of every
request in the window as one pickled list, read and written back by each request: slower as the rate
grew, and two workers reading the list at once could both pass. Every request counts, refused ones
too, so a client that keeps retrying stays refused until it slows down; ``Retry-After`` says when one
more request fits again. Rates come from ``PMLADDER_THROTTLE_RATES`` (settings, from the environment)
and are read on each request, so they can be changed without code. If the cache is unreachable the
limit is not enforced rather than failing the request: losing the rate limit for a while is better
than losing the service.
"""

from __future__ import annotations

import logging

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from ladder.cache import count_in_window

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
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        periods = self.timer() / self.duration
        period = int(periods)
        self.elapsed = periods - period  # the share of this period gone by
        try:
            # A period's counter is read again in the next one, so it is kept for two.
            self.current, self.previous = count_in_window(
                self.cache, f"{key}:{period}", f"{key}:{period - 1}", 2 * self.duration + 1
            )
        except Exception:  # the cache is down: serve without the limit, and say so in the log
            logger.warning("throttle cache unavailable; %s limit not enforced", self.scope, exc_info=True)
            return True
        return self.previous * (1 - self.elapsed) + self.current <= self.num_requests

    def wait(self) -> float:
        """Seconds until one more request fits, if none is sent meanwhile."""
        limit, period = self.num_requests, self.duration
        room = limit - self.current - 1  # what the window allows besides this period and the next request
        if room >= 0 and self.previous:
            # previous * (1 - elapsed') <= room once elapsed' >= 1 - room / previous
            return max((1 - room / self.previous - self.elapsed) * period, 0.001)
        # This period alone is too many: in the next one it still counts for the share of it that
        # lies inside the window, until current * (1 - elapsed') + 1 <= limit.
        return max((2 - self.elapsed - (limit - 1) / self.current) * period, 0.001)


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
