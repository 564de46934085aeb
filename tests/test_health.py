"""Health probes: /healthz and /readyz, whatever the cache or the Host header."""

from django.test import override_settings

DEAD_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def test_healthz_and_readyz(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@override_settings(CACHES=DEAD_REDIS)
def test_readyz_with_the_cache_down_is_degraded_but_ready(client, db):
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert ready.json()["checks"]["cache"] == "unavailable"


def test_probes_answer_whatever_the_host_header(client, db):
    """Load balancers probe by IP address, which is not an allowed host name."""
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/api/v1/companies/", HTTP_HOST="10.1.2.3:8000").status_code == 400
