"""The request middleware: one log line per request, safe request ids."""

import json
import logging
import logging.config

from django.conf import settings

from tests.conftest import key_client
from tests.factories import make_key


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
