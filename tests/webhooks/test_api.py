"""Subscriptions over HTTP (``ladder.api.webhooks``): the secret once, tenancy, refused addresses."""

from __future__ import annotations


def test_subscribing_returns_the_secret_once_and_is_tenancy_scoped(
    write_client, read_client, other_write_client, subscription
):
    assert subscription["secret"].startswith("whsec_")
    listed = write_client.get("/api/v1/webhooks/").json()["results"]
    assert [s["id"] for s in listed] == [subscription["id"]] and "secret" not in listed[0]
    assert other_write_client.get(f"/api/v1/webhooks/{subscription['id']}/").status_code == 404
    assert other_write_client.get("/api/v1/webhooks/").json()["results"] == []
    denied = read_client.post("/api/v1/webhooks/", {"url": "https://example.com/h", "events": ["*"]}, format="json")
    assert denied.status_code == 403
    for url in ("http://127.0.0.1:9/h", "http://10.0.0.8/h", "ftp://example.com/h", "http://localhost/h"):
        bad = write_client.post("/api/v1/webhooks/", {"url": url, "events": ["*"]}, format="json")
        assert bad.status_code == 400, url
    unknown = write_client.post("/api/v1/webhooks/", {"url": "https://example.com/h", "events": ["x.y"]}, format="json")
    assert unknown.status_code == 400
