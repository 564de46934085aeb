"""Regressions for what fuzzing the running service (``fuzz/run.sh``, Schemathesis) found.

Each test replays, through the Django test client, a request that once answered 500, answered
something the schema does not document, or was treated differently from what the schema says.
"""

from __future__ import annotations

import re

import pytest

from ladder.api.schema import NOT_BLANK_PATTERN
from ladder.models import Company, Level, TitleAlias

DOC_URL = "/api/v1/companies/{}/ladders/product-management/"
LADDER = {
    "levels": [
        {"title": "Product Manager", "code": "L4", "reference_level": "pm", "aliases": ["PM"]},
        {"title": "Senior Product Manager", "code": "L5", "reference_level": "senior-pm", "aliases": ["Sr. PM"]},
    ]
}


def error_of(response, status: int) -> dict:
    """The one error shape, with ``status``; returns the body."""
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert body["status"] == status and body["code"] and body["errors"], body
    return body


def fields_and_codes(body: dict) -> set[tuple[str | None, str]]:
    return {(item["field"], item["code"]) for item in body["errors"]}


@pytest.fixture
def ladder(write_client, company, framework):
    assert write_client.put(DOC_URL.format(company.slug), LADDER, format="json").status_code == 201
    return company.ladders.get()


@pytest.fixture
def schema(client, db) -> dict:
    return client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


# --- Query parameters: a bad value is a 400 naming it, never a 500 or a silent default ------------


@pytest.mark.parametrize(
    "since",
    [
        "8295-07-16T02:46:01-23:37",  # PostgreSQL takes offsets up to 15:59 only: this was a 500
        "5732-09-19T10:24:49.63+16:35",
        "0001-01-01T00:00:00+05:00",  # before year 1 once in UTC
        "9999-12-31T23:59:59-05:00",  # after year 9999 once in UTC
    ],
)
def test_updated_since_with_any_offset_is_answered(read_client, company, since):
    for url in ("/api/v1/companies/", "/api/v1/levels/", "/api/v1/aliases/"):
        assert read_client.get(url, {"updated_since": since}).status_code == 200, url


def test_updated_since_is_compared_in_utc(read_client, company):
    updated = company.updated_at
    before = (updated.replace(microsecond=0)).isoformat().replace("+00:00", "+14:00")  # 14 h earlier
    slugs = [c["slug"] for c in read_client.get("/api/v1/companies/", {"updated_since": before}).json()["results"]]
    assert company.slug in slugs


@pytest.mark.parametrize(
    ("url", "query", "field"),
    [
        ("/api/v1/companies/", "updated_since=", "updated_since"),
        ("/api/v1/companies/", "is_public=", "is_public"),
        ("/api/v1/companies/", "is_public=yes", "is_public"),
        ("/api/v1/companies/", "size_band=", "size_band"),
        ("/api/v1/levels/", "is_active=1", "is_active"),
        ("/api/v1/levels/", "track=", "track"),
        ("/api/v1/levels/", "company=" + "x" * 65, "company"),
        ("/api/v1/aliases/", "level=3.433147747398095e%2B242", "level"),
        ("/api/v1/aliases/", "level=0", "level"),
        ("/api/v1/aliases/", "level=99999999999999999999", "level"),
        ("/api/v1/companies/", "page_size=null&page_size=null", "page_size"),
        ("/api/v1/companies/", "page_size=0", "page_size"),
        ("/api/v1/companies/", "page_size=-1302658", "page_size"),
        ("/api/v1/companies/", "page=last", "page"),
        ("/api/v1/companies/", "page=0", "page"),
        ("/api/v1/frameworks/", "ordering=nonsense", "ordering"),
        ("/api/v1/companies/", "ordering=", "ordering"),
        ("/api/v1/levels/", "ordering=rank,-secret", "ordering"),
    ],
)
def test_bad_query_values_are_400_naming_the_parameter(read_client, company, url, query, field):
    body = error_of(read_client.get(f"{url}?{query}"), 400)
    assert field in {item["field"] for item in body["errors"]}, body


def test_good_query_values_still_work(read_client, company):
    assert read_client.get("/api/v1/companies/?is_public=false&ordering=-name,slug").status_code == 200
    assert read_client.get("/api/v1/companies/?page_size=100000").json()["count"] >= 1  # capped, not refused
    error_of(read_client.get("/api/v1/companies/?page=99"), 404)  # past the last page
    assert read_client.get(f"/api/v1/companies/{company.slug}/history/?page_size=1").status_code == 200


def test_history_refuses_a_bad_page_size(write_client, company):
    body = error_of(write_client.get(f"/api/v1/companies/{company.slug}/history/?page_size=null"), 400)
    assert ("page_size", "invalid") in fields_and_codes(body)


# --- Translation queries -------------------------------------------------------------------------


def test_translate_and_career_path_refuse_blank_names(write_client, company):
    body = error_of(write_client.get("/api/v1/translate?source=&target=&title=&format=csv"), 400)
    assert {("source", "blank"), ("target", "blank")} <= fields_and_codes(body)
    assert error_of(write_client.get("/api/v1/translate?source=%20&target=a&title=x"), 400)
    body = error_of(write_client.get("/api/v1/career-path?company=&title=&code="), 400)
    assert {("company", "blank"), ("title", "blank")} <= fields_and_codes(body)


def test_translate_query_has_bounded_lengths(write_client, company):
    body = error_of(write_client.get("/api/v1/translate", {"source": "a", "target": "b", "title": "x" * 201}), 400)
    assert ("title", "max_length") in fields_and_codes(body)
    body = error_of(write_client.get("/api/v1/career-path", {"company": "a", "title": "PM", "code": "C" * 33}), 400)
    assert ("code", "max_length") in fields_and_codes(body)


def test_options_with_csv_format_is_json_not_a_500(write_client, company):
    response = write_client.options("/api/v1/translate?format=csv")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/json")


def test_csv_translation_needs_its_query_and_a_body(write_client, company):
    body = error_of(write_client.generic("POST", "/api/v1/translate", b"title\r\nPM\r\n", content_type="text/csv"), 400)
    assert ("source", "csv_query_required") in fields_and_codes(body)
    empty = write_client.generic("POST", "/api/v1/translate?source=a&target=b", b"", content_type="text/csv")
    assert error_of(empty, 400)["code"] == "parse_error"


def test_json_translation_still_checks_the_query(write_client, company):
    body = {"source": "a", "target": "b", "titles": []}
    response = write_client.post("/api/v1/translate?target=%1D", body, format="json")
    assert ("target", "blank") in fields_and_codes(error_of(response, 400))


# --- Headers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["é", "\x7f", " ", "k" * 256])
def test_idempotency_key_outside_printable_ascii_is_400(write_client, org, key):
    response = write_client.post("/api/v1/companies/", {"slug": "idem", "name": "Idem"}, HTTP_IDEMPOTENCY_KEY=key)
    assert ("Idempotency-Key", "invalid_idempotency_key") in fields_and_codes(error_of(response, 400))
    assert not Company.objects.filter(slug="idem").exists()


def test_idempotency_key_schema_matches_the_server(schema):
    parameter = next(
        p for p in schema["paths"]["/api/v1/companies/"]["post"]["parameters"] if p["name"] == "Idempotency-Key"
    )
    pattern = re.compile(parameter["schema"]["pattern"])
    assert pattern.search("retry-1 2") and not pattern.search("é") and not pattern.search("  ")
    assert parameter["schema"]["maxLength"] == 255


# --- Business rules answer with their own code and field, once ------------------------------------


def test_alias_title_without_letters_is_one_error_on_title(write_client, ladder):
    alias = TitleAlias.objects.filter(level__ladder=ladder).first()
    body = error_of(write_client.patch(f"/api/v1/aliases/{alias.pk}/", {"title": "»¢"}, format="json"), 400)
    assert fields_and_codes(body) == {("title", "empty_title")}


def test_alias_dates_in_the_wrong_order(write_client, ladder):
    alias = TitleAlias.objects.filter(level__ladder=ladder).first()
    body = {"valid_from": "2000-01-01", "valid_to": "2000-01-01"}
    response = write_client.patch(f"/api/v1/aliases/{alias.pk}/", body, format="json")
    assert fields_and_codes(error_of(response, 400)) == {("valid_to", "invalid_window")}


def test_company_external_id_taken_names_the_field(write_client, org, company):
    Company.objects.filter(pk=company.pk).update(external_id="CMP-1")
    response = write_client.post("/api/v1/companies/", {"slug": "second", "name": "Second", "external_id": "CMP-1"})
    assert fields_and_codes(error_of(response, 400)) == {("external_id", "duplicate_external_id")}
    other = write_client.post("/api/v1/companies/", {"slug": "third", "name": "Third", "external_id": "CMP-3"})
    response = write_client.patch(f"/api/v1/companies/{other.json()['slug']}/", {"external_id": "CMP-1"})
    assert fields_and_codes(error_of(response, 400)) == {("external_id", "duplicate_external_id")}


def test_level_code_taken_names_the_field(write_client, ladder):
    level = Level.objects.get(ladder=ladder, code="L4")
    response = write_client.patch(f"/api/v1/levels/{level.pk}/", {"code": "L5"}, format="json")
    assert fields_and_codes(error_of(response, 400)) == {("code", "duplicate_code")}


def test_unknown_references_on_levels_have_their_own_codes(write_client, ladder, company):
    level = Level.objects.filter(ladder=ladder).first()
    response = write_client.patch(f"/api/v1/levels/{level.pk}/", {"reference_level": "0"}, format="json")
    assert fields_and_codes(error_of(response, 400)) == {("reference_level", "unknown_reference_level")}
    body = {"company": company.slug, "framework": "0", "title": "Lead", "code": "L9"}
    response = write_client.post("/api/v1/levels/", body, format="json")
    assert fields_and_codes(error_of(response, 400)) == {("framework", "unknown_framework")}


def test_level_update_checks_company_and_framework_and_keeps_them(write_client, ladder, company):
    level = Level.objects.filter(ladder=ladder).first()
    url = f"/api/v1/levels/{level.pk}/"
    body = {"company": [], "framework": "0", "title": "B", "track": "ic"}  # was 200: the list went unchecked
    assert ("company", "not_a_string") in fields_and_codes(error_of(write_client.put(url, body, format="json"), 400))
    body = {"title": "B", "track": "ic"}
    assert ("company", "required") in fields_and_codes(error_of(write_client.put(url, body, format="json"), 400))
    body = {"company": "elsewhere", "framework": "product-management", "title": "Product Manager", "code": "L4"}
    moved = write_client.put(url, body, format="json")
    assert moved.status_code == 200 and moved.json()["company"] == company.slug  # a level stays in its ladder


def test_document_title_without_letters_is_empty_title(write_client, company, framework):
    body = {"levels": [{"title": "-", "aliases": ["»"]}]}
    response = write_client.put(DOC_URL.format(company.slug), body, format="json")
    assert fields_and_codes(error_of(response, 400)) == {
        ("levels[0].title", "empty_title"),
        ("levels[0].aliases[0].title", "empty_title"),
    }


def test_document_reusing_an_unlisted_levels_alias_is_400_not_409(write_client, ladder, company):
    # "Sr. PM" stays a current alias of L5 once L5 leaves the document, so a new level cannot take it.
    body = {"levels": [{"title": "Staff Product Manager", "code": "S1", "aliases": ["Sr. PM"]}]}
    response = write_client.put(DOC_URL.format(company.slug), body, format="json")
    assert fields_and_codes(error_of(response, 400)) == {("levels[0].aliases[0].title", "alias_in_use")}
    assert Level.objects.filter(ladder=ladder, is_active=True).count() == 2  # nothing changed


def test_whitespace_only_name_is_blank(write_client, org):
    response = write_client.post("/api/v1/companies/", {"slug": "ws", "name": "\x85\u3000"}, format="json")
    assert ("name", "blank") in fields_and_codes(error_of(response, 400))


def test_not_blank_pattern_is_pythons_idea_of_whitespace():
    pattern = re.compile(NOT_BLANK_PATTERN)
    for code in range(0x3001):
        char = chr(code)
        assert (pattern.search(char) is None) == char.isspace(), hex(code)


# --- The schema says what the service does ----------------------------------------------------------


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
