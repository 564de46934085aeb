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


def _wsgi_get(path: str, secret: str):
    """A GET through Django's WSGI handler, as gunicorn makes it: the response, not yet closed.

    As Django's test client does, the request signals do not close the database connection, which
    holds the test's transaction."""
    import io

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_started
    from django.db import close_old_connections

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_AUTHORIZATION": f"Api-Key {secret}",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    request_started.disconnect(close_old_connections)
    try:
        return WSGIHandler()(environ, lambda status, headers: None)
    finally:
        request_started.connect(close_old_connections)


def _close(response) -> None:
    """What the server does when it has sent the response (keeping the test's connection open)."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_a_closed_response_frees_its_view_and_data_without_the_cycle_collector(org, company):
    import gc
    import weakref

    _, secret = make_key(org)
    gc.collect()
    gc.disable()  # only reference counting may free them
    try:
        response = _wsgi_get("/api/v1/companies/", secret)
        assert response.status_code == 200 and b"own-co" in b"".join(response)
        view = weakref.ref(response.renderer_context["view"])
        drf_request = weakref.ref(response.renderer_context["request"])
        _close(response)  # the server is done with it
        del response
        assert view() is None and drf_request() is None
    finally:
        gc.enable()


def test_without_the_release_the_view_outlives_its_response(org, company, settings):
    # The cycle the middleware breaks is real: without it, the view waits for the cycle collector.
    import gc
    import weakref

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("ReleaseResponseMiddleware")]
    _, secret = make_key(org)
    gc.collect()
    gc.disable()
    try:
        response = _wsgi_get("/api/v1/companies/", secret)
        view = weakref.ref(response.renderer_context["view"])
        _close(response)
        del response
        assert view() is not None
    finally:
        gc.enable()
    gc.collect()
    assert view() is None
