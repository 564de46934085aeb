"""Every error answer is JSON in one shape, inside DRF and outside it, limits included."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.conftest import DOC_URL, key_client


def _assert_shape(response, status, code=None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"status", "code", "message", "errors"}
    assert body["status"] == status
    assert isinstance(body["message"], str) and body["message"]
    assert all(set(e) == {"code", "message", "field"} for e in body["errors"])
    if code:
        assert body["code"] == code, body
    return body


def test_unknown_url_is_a_json_404(client, db):
    _assert_shape(client.get("/no/such/page"), 404, "not_found")
    _assert_shape(client.get("/api/v1/no-such-resource/"), 404, "not_found")


def test_missing_key_is_401_with_challenge(anon_client, db):
    response = anon_client.get("/api/v1/companies/")
    _assert_shape(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Api-Key"


@pytest.mark.parametrize("header", ["Api-Key nonsense", "Api-Key ", "Api-Key a b", "Api-Key " + "x" * 500])
def test_bad_keys_are_401(db, header):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    _assert_shape(client.get("/api/v1/companies/"), 401, "authentication_failed")


def test_body_over_the_limit_is_413(write_client, company):
    big = b'{"levels": [' + b'{"title": "x"},' * 300_000 + b'{"title": "y"}]}'
    response = write_client.generic(
        "PUT", f"/api/v1/companies/{company.slug}/ladders/product-management/", big, content_type="application/json"
    )
    _assert_shape(response, 413, "request_too_large")


def test_malformed_json_is_400(write_client, company):
    response = write_client.generic("POST", "/api/v1/companies/", b"{not json", content_type="application/json")
    _assert_shape(response, 400, "parse_error")


def test_unsupported_media_type_is_415(write_client, company):
    response = write_client.generic("POST", "/api/v1/companies/", b"slug=x", content_type="text/plain")
    _assert_shape(response, 415, "unsupported_media_type")


def test_method_not_allowed_is_405(write_client, company):
    _assert_shape(write_client.put(f"/api/v1/companies/{company.slug}/", {}, format="json"), 405, "method_not_allowed")


def test_validation_errors_name_fields(write_client, company):
    body = _assert_shape(
        write_client.post("/api/v1/companies/", {"slug": "bad slug!", "name": 7, "extra": 1}, format="json"),
        400,
        "validation_error",
    )
    fields = {e["field"]: e["code"] for e in body["errors"]}
    assert fields["name"] == "not_a_string"
    assert fields["extra"] == "unknown_field"
    assert "slug" in fields


def test_bad_filter_value_is_400(read_client, db):
    _assert_shape(read_client.get("/api/v1/levels/?updated_since=yesterday"), 400, "validation_error")
    _assert_shape(read_client.get("/api/v1/levels/?track=wizard"), 400, "validation_error")


def test_bad_page_is_404_json(read_client, db):
    _assert_shape(read_client.get("/api/v1/companies/?page=99"), 404, "not_found")


@override_settings(ROOT_URLCONF="tests.api.crash_urls")
def test_a_crash_is_a_json_500(db):
    from django.test import Client

    client = Client(raise_request_exception=False)
    _assert_shape(client.get("/crash/"), 500, "server_error")
    _assert_shape(client.get("/api-crash/"), 500, "server_error")


def test_expired_key_is_401(expired_client, db):
    _assert_shape(expired_client.get("/api/v1/companies/"), 401, "authentication_failed")


def test_read_key_cannot_write(read_client, company):
    _assert_shape(read_client.post("/api/v1/companies/", {"slug": "x", "name": "X"}, format="json"), 403)


def test_key_client_helper_sends_the_header(db, org):
    from tests.factories import make_key

    _, key = make_key(org)
    assert key_client(key).get("/api/v1/companies/").status_code == 200


def test_limits_answer_in_the_error_shape(write_client, company, framework):
    too_many = {"levels": [{"title": f"R{i}", "code": f"R{i}", "reference_level": "pm"} for i in range(1001)]}
    response = write_client.put(DOC_URL.format(company.slug), too_many, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "levels"
    body = b'{"titles": ["' + b"x" * (5 * 1024 * 1024) + b'"]}'
    big = write_client.generic("POST", "/api/v1/translate", body, content_type="application/json")
    assert big.status_code == 413 and big.json()["code"] == "request_too_large"
