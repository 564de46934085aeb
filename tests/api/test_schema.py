"""The OpenAPI schema: complete, documented, and served with its docs pages offline."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from django.conf import settings

from ladder.api.schema import NOT_BLANK_PATTERN
from tests.conftest import error_of, fields_and_codes


def test_every_operation_has_tags_summary_description_and_error_shape(schema):
    for path, item in schema["paths"].items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            assert op.get("tags"), where
            assert op.get("summary"), where
            assert op.get("description"), where
            assert "401" in op["responses"], where
            error = op["responses"]["401"]["content"]["application/json"]["schema"]["$ref"]
            assert error.endswith("/Error"), where
            assert {"ApiKeyAuth": []} in op.get("security", []), where


def test_stable_enum_names(schema):
    components = schema["components"]["schemas"]
    for name in ("TrackEnum", "AnchorEnum", "SizeBandEnum"):
        assert name in components


def test_ladder_document_has_examples(schema):
    put = schema["paths"]["/api/v1/companies/{slug}/ladders/{framework}/"]["put"]
    assert put["requestBody"]["content"]["application/json"]["examples"]


def test_committed_schema_matches_the_code(schema):
    with open(settings.BASE_DIR / "openapi.yaml", encoding="utf-8") as fh:
        committed = yaml.safe_load(fh)
    generated = yaml.safe_load(yaml.safe_dump(json.loads(json.dumps(schema, default=str)), sort_keys=False))
    assert committed == generated


def test_docs_pages_and_their_assets_are_served_by_the_app(client, db):
    for url in ("/api/docs/", "/api/redoc/"):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
        assert assets, url
        assert not re.search(r'(?:src|href)="https?://', html), f"{url} loads something from the internet"
        for asset in assets:
            response = client.get(asset)
            assert response.status_code == 200, asset
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert len(body) > 100, asset
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content


@pytest.fixture
def schema(client, db) -> dict:
    return client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def test_idempotency_key_schema_matches_the_server(schema):
    parameter = next(
        p for p in schema["paths"]["/api/v1/companies/"]["post"]["parameters"] if p["name"] == "Idempotency-Key"
    )
    pattern = re.compile(parameter["schema"]["pattern"])
    assert pattern.search("retry-1 2") and not pattern.search("é") and not pattern.search("  ")
    assert parameter["schema"]["maxLength"] == 255


def test_not_blank_pattern_is_pythons_idea_of_whitespace():
    pattern = re.compile(NOT_BLANK_PATTERN)
    for code in range(0x3001):
        char = chr(code)
        assert (pattern.search(char) is None) == char.isspace(), hex(code)


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_every_schema_reference_resolves(schema):
    components = schema["components"]["schemas"]
    missing = {ref for ref in _refs(schema) if ref.split("/")[-1] not in components}
    assert not missing  # TitleObject and AliasObject were referenced but never defined


def test_conditional_reads_document_304_and_etag(schema, read_client, ladder, company):
    for path in ("/api/v1/levels/{id}/", "/api/v1/companies/{slug}/", "/api/v1/companies/{slug}/ladders/{framework}/"):
        responses = schema["paths"][path]["get"]["responses"]
        assert "304" in responses and "content" not in responses["304"], path
        assert responses["304"]["headers"]["ETag"]["required"] is True
        assert responses["200"]["headers"]["ETag"]["required"] is True
    assert "304" not in schema["paths"]["/api/v1/levels/{id}/history/"]["get"]["responses"]
    first = read_client.get(f"/api/v1/companies/{company.slug}/")
    again = read_client.get(f"/api/v1/companies/{company.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_errors_are_documented_as_json_only(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                if status >= "400":
                    assert list(response.get("content", {})) == ["application/json"], (method, path, status)


def test_write_bodies_refuse_unknown_keys_in_the_schema_too(schema, write_client, company):
    components = schema["components"]["schemas"]
    for name in ("CompanyRequest", "PatchedCompanyRequest", "LevelRequest", "LadderDocumentInputRequest"):
        assert components[name]["additionalProperties"] is False, name
    response = write_client.patch(f"/api/v1/companies/{company.slug}/", {"size_band": "", "x": 1}, format="json")
    assert ("x", "unknown_field") in fields_and_codes(error_of(response, 400))


def test_writes_document_409(schema):
    # A concurrent write can always lose to another one (IntegrityError answers 409), not only creates.
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/companies/", "post"),
        ("/api/v1/companies/{slug}/ladders/{framework}/", "put"),
        ("/api/v1/levels/{id}/", "patch"),
        ("/api/v1/aliases/{id}/", "delete"),
    ]:
        assert "409" in paths[path][method]["responses"], (method, path)


def test_csv_body_is_required_and_not_empty_in_the_schema(schema):
    body = schema["paths"]["/api/v1/translate"]["post"]["requestBody"]
    assert body["required"] is True and body["content"]["text/csv"]["schema"]["minLength"] == 1
