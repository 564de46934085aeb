"""Health probes and request logs."""

import json
import logging
import logging.config

from django.conf import settings
from django.test import override_settings

from tests.conftest import key_client
from tests.factories import make_key

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


def test_each_request_is_logged_once_with_its_fields_and_never_the_key(org, caplog):
    _, secret = make_key(org, name="hris-sync")
    client = key_client(secret)
    with caplog.at_level(logging.INFO, logger="pmladder.request"):
        response = client.get("/api/v1/companies/", HTTP_X_REQUEST_ID="trace-123")
    assert response["X-Request-ID"] == "trace-123"
    records = [r for r in caplog.records if r.name == "pmladder.request"]
    assert len(records) == 1
    record = records[0]
    assert (record.request_id, record.method, record.path, record.status) == (
        "trace-123",
        "GET",
        "/api/v1/companies/",
        200,
    )
    assert record.caller == "api-key:hris-sync"
    assert record.duration_ms >= 0
    formatter = logging.config.DictConfigurator(settings.LOGGING).configure_formatter(
        settings.LOGGING["formatters"]["json"]
    )
    line = json.loads(formatter.format(record))
    assert {"time", "level", "logger", "request_id", "method", "path", "status", "duration_ms", "caller"} <= set(line)
    assert secret not in json.dumps(line)
    assert secret.split(".")[1] not in caplog.text


def test_an_unsafe_request_id_is_replaced(client, db):
    response = client.get("/api/v1/companies/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 32


def test_probes_answer_whatever_the_host_header(client, db):
    """Load balancers probe by IP address, which is not an allowed host name."""
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/api/v1/companies/", HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_a_read_key_may_bulk_translate_but_not_write(demo):
    from ladder.choices import KeyRole
    from ladder.models import Organization

    client = key_client(make_key(Organization.objects.get(slug="demo"), KeyRole.READ)[1])
    body = {"source": "globex", "target": "parallax", "titles": ["Sr. PM"]}
    assert client.post("/api/v1/translate", body, format="json").status_code == 200
    assert client.post("/api/v1/companies/", {"slug": "x", "name": "X"}, format="json").status_code == 403
