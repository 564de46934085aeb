"""The API's contract at its edges: unknown URLs, unknown query parameters, invalid choices."""

from __future__ import annotations

import pytest
from django.test import override_settings


def error_of(response, status: int, code: str) -> dict:
    """The body of an error answer in the one shape, checked."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"status", "code", "message", "errors"}
    assert (body["status"], body["code"]) == (status, code), body
    assert body["errors"] and all(set(e) == {"code", "message", "field"} for e in body["errors"])
    return body


# --- Unknown URLs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/no-such-resource/"),
        ("get", "/api/v1/"),
        ("get", "/api/"),
        ("get", "/api"),
        ("post", "/api/v1/no-such-resource/"),
        ("delete", "/api/v1/companies/some-co/no-such-part/"),
        ("patch", "/api/v1/translate/more"),
        ("get", "/api/v2/companies/"),
    ],
)
def test_an_unknown_url_under_api_is_a_json_404_also_with_debug_on(client, db, debug, method, path):
    # With DEBUG on (as `make run` serves), Django would answer its HTML debug page for an unresolved URL.
    with override_settings(DEBUG=debug):
        response = getattr(client, method)(path)
    assert error_of(response, 404, "not_found")["message"] == "Not found."


def test_a_get_without_the_trailing_slash_is_still_redirected(client, db):
    response = client.get("/api/v1/companies?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/companies/?page=2"


def test_a_write_without_the_trailing_slash_is_a_404_naming_the_url_not_a_500(client, db):
    # Django raised a RuntimeError (a 500) for a POST it could not redirect with DEBUG on.
    with override_settings(DEBUG=True):
        response = client.post("/api/v1/companies", {"slug": "x"}, content_type="application/json")
    assert "/api/v1/companies/ (with a trailing slash)" in error_of(response, 404, "not_found")["message"]


def test_the_admin_and_the_compare_page_stay_html(client, superuser, demo):
    client.force_login(superuser)
    with override_settings(DEBUG=True):
        admin = client.get("/admin/")
        compare = client.get("/compare/?companies=globex,parallax")
        outside = client.get("/no/such/page")
    assert admin.status_code == 200 and admin["Content-Type"].startswith("text/html")
    assert compare.status_code == 200 and compare["Content-Type"].startswith("text/html")
    assert outside.status_code == 404  # outside /api/ Django's own debug page stays, for developers
