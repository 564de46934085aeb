"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

import logging

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


@never_cache
@require_GET
def readyz(request) -> JsonResponse:
    """The service can do its work: the database answers."""
    checks = {"database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "not ready"; the reason goes to the log, not the client
        logger.exception("readiness check: database unreachable")
        checks["database"] = "unavailable"
    ready = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
