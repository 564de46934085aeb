"""Webhook tests run the delivery code in process against a real local HTTP receiver; the queue itself
(Celery worker, Redis broker, broker outage) is exercised by ``.ci/webhooks.sh``."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

URL = "/api/v1/companies/own-co/ladders/product-management/"
DOC = {"levels": [{"title": "Product Manager", "code": "L4", "reference_level": "pm"}]}


class Receiver:
    """A local HTTP endpoint that records what it receives and answers ``status``."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict, bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def subscription(write_client, company, framework, receiver):
    with override_settings(WEBHOOKS_ALLOW_PRIVATE=True):
        response = write_client.post("/api/v1/webhooks/", {"url": receiver.url, "events": ["*"]}, format="json")
    assert response.status_code == 201, response.content
    return response.json()
