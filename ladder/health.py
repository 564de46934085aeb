"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("pmladder.health")


@never_cache
@require_GET
def healthz(request) -> JsonResponse:
    """The process is alive and answering."""
    return JsonResponse({"status": "ok"})


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "not ready"; the reason goes to the log, not the client
        logger.exception("readiness check: database unreachable")
        return "unavailable"
    return "ok"


def _cache() -> str:
    probe = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(probe, "1", timeout=5)
        ok = cache.get(probe) == "1"
        cache.delete(probe)
    except Exception:
        logger.warning("readiness check: cache unreachable", exc_info=True)
        return "unavailable"
    return "ok" if ok else "unavailable"


@never_cache
@require_GET
def readyz(request) -> JsonResponse:
    """Can this process serve? The database must answer (503 otherwise).

    The cache is reported too, but a cache outage leaves the service ready: translations are then
    built from the database and rate limits are not enforced, so taking every instance out of the
    load balancer would turn a slowdown into an outage.
    """
    checks = {"database": _database(), "cache": _cache()}
    if checks["database"] != "ok":
        status = "unavailable"
    elif checks["cache"] != "ok":
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse({"status": status, "checks": checks}, status=503 if status == "unavailable" else 200)
