"""The API's contract at its edges: unknown URLs, unknown query parameters, invalid choices."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.factories import CompanyFactory


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


# --- Query parameters -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            yield method, path, query


def _concrete(path: str) -> str:
    # Path parameters: values that name nothing; the query is judged before the object is looked up.
    return path.format(slug="some-co", framework="product-management", number=1, id=1, delivery_id=1)


def test_every_operation_refuses_an_unknown_query_parameter_and_takes_every_declared_one(schema, write_client):
    operations = list(_operations(schema))
    assert len(operations) > 40
    for method, path, declared in operations:
        query = {name: "1" for name in declared} | {"exernal_id": "JP-1"}
        url = f"{_concrete(path)}?{'&'.join(f'{k}={v}' for k, v in sorted(query.items()))}"
        response = getattr(write_client, method)(url)
        body = error_of(response, 400, "unknown_query_parameter")
        # Only the unknown one is named: every parameter the schema declares is taken.
        assert [(e["code"], e["field"]) for e in body["errors"]] == [("unknown_query_parameter", "exernal_id")]
        # The message lists what the operation takes: what the schema says, and DRF's `format`.
        takes = body["errors"][0]["message"].split("this operation takes ", 1)[1].rstrip(".").split(", ")
        assert set(takes) == declared | {"format"}, (method, path)
        assert "400" in schema["paths"][path][method]["responses"], (method, path)


def test_an_unknown_parameter_is_refused_before_anything_is_done(write_client, company):
    response = write_client.delete(f"/api/v1/companies/{company.slug}/?force=1")
    assert error_of(response, 400, "unknown_query_parameter")["errors"][0]["field"] == "force"
    assert write_client.get(f"/api/v1/companies/{company.slug}/").status_code == 200  # not deleted
    many = error_of(write_client.get("/api/v1/companies/?b=1&a=2&size_band=startup"), 400, "unknown_query_parameter")
    assert [e["field"] for e in many["errors"]] == ["a", "b"]
    head = write_client.head("/api/v1/levels/?colour=blue")
    assert head.status_code == 400


def test_declared_parameters_and_drf_format_are_taken(read_client, company):
    assert read_client.get("/api/v1/companies/?format=json&ordering=-name&page_size=5").status_code == 200
    assert read_client.get(f"/api/v1/companies/{company.slug}/?format=json").status_code == 200
    # Filters belong to the list: on one company they would only hide it, so they are not taken there.
    response = read_client.get(f"/api/v1/companies/{company.slug}/?is_public=true")
    assert error_of(response, 400, "unknown_query_parameter")["errors"][0]["field"] == "is_public"


def test_pages_outside_the_api_keep_their_own_query_rules(client, superuser, demo):
    client.force_login(superuser)
    assert client.get("/compare/?companies=globex&focus=nothing").status_code == 200
    assert client.get("/api/schema/?format=json").status_code == 200
    refused = client.get("/compare/?companies=globex&key=secret")  # the page's own rule, unchanged
    assert refused.status_code == 400 and b"API keys never go in URLs" in refused.content


# --- external_id ----------------------------------------------------------------------------------


def test_every_list_resource_whose_model_has_an_external_id_filters_by_it():
    from ladder.api.urls import router

    resources = 0
    for _prefix, viewset, _basename in router.registry:
        serializer = viewset.serializer_class
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is None or "external_id" not in {f.name for f in model._meta.get_fields()}:
            continue
        resources += 1
        assert "external_id" in viewset.filterset_class.base_filters, viewset.__name__
    assert resources == 3  # companies, levels, aliases


@pytest.fixture
def external_ids(write_client, company, framework):
    CompanyFactory(organization=company.organization, slug="second-co", external_id="CO-2")
    company.external_id = "CO-1"
    company.save()
    document = {
        "levels": [
            {"title": "Product Manager", "external_id": "JP-1", "aliases": [{"title": "PM", "external_id": "AL-1"}]},
            {"title": "Senior Product Manager", "external_id": "JP-2", "aliases": ["Sr. PM"]},
        ]
    }
    url = f"/api/v1/companies/{company.slug}/ladders/product-management/"
    assert write_client.put(url, document, format="json").status_code in (200, 201)


@pytest.mark.parametrize(
    ("resource", "external_id", "found"),
    [
        ("companies", "CO-1", "own-co"),
        ("levels", "JP-2", "Senior Product Manager"),
        ("aliases", "AL-1", "PM"),
    ],
)
def test_external_id_filters_the_list_exactly(read_client, external_ids, resource, external_id, found):
    everything = read_client.get(f"/api/v1/{resource}/").json()["results"]
    assert len(everything) > 1
    results = read_client.get(f"/api/v1/{resource}/", {"external_id": external_id}).json()["results"]
    assert [row.get("slug") or row.get("title") for row in results] == [found]
    assert read_client.get(f"/api/v1/{resource}/", {"external_id": f" {external_id}"}).json()["results"] == []
    assert read_client.get(f"/api/v1/{resource}/", {"external_id": "nobody"}).json()["results"] == []
    blank = error_of(read_client.get(f"/api/v1/{resource}/?external_id="), 400, "validation_error")
    assert [(e["field"], e["code"]) for e in blank["errors"]] == [("external_id", "blank")]
    too_long = error_of(read_client.get(f"/api/v1/{resource}/", {"external_id": "x" * 201}), 400, "validation_error")
    assert [(e["field"], e["code"]) for e in too_long["errors"]] == [("external_id", "max_length")]


# --- Choices --------------------------------------------------------------------------------------

TRACKS = "ic, management, executive"


def _only_error(response, field: str) -> dict:
    body = error_of(response, 400, "validation_error")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(field, "invalid_choice")], body
    return body["errors"][0]


def test_an_invalid_choice_in_a_ladder_document_lists_the_valid_ones(write_client, company, framework):
    url = f"/api/v1/companies/{company.slug}/ladders/product-management/"
    response = write_client.put(url, {"levels": [{"title": "PM", "track": "IC"}]}, format="json")
    error = _only_error(response, "levels[0].track")
    assert error["message"] == f'"IC" is not a valid choice; valid choices: {TRACKS}.'


def test_an_invalid_choice_in_a_level_lists_the_valid_ones(write_client, company, framework):
    body = {"company": company.slug, "framework": "product-management", "title": "PM", "track": "IC"}
    error = _only_error(write_client.post("/api/v1/levels/", body, format="json"), "track")
    assert error["message"] == f'"IC" is not a valid choice; valid choices: {TRACKS}.'


def test_an_invalid_choice_of_a_model_field_lists_the_valid_ones(write_client, company):
    response = write_client.patch(f"/api/v1/companies/{company.slug}/", {"size_band": "huge"}, format="json")
    error = _only_error(response, "size_band")
    assert error["message"] == '"huge" is not a valid choice; valid choices: startup, scaleup, midsize, enterprise, "".'


def test_an_invalid_choice_in_a_list_lists_the_valid_ones(write_client, org):
    body = {"url": "https://hooks.example.com/x", "events": ["level.*", "level.renamed"]}
    error = _only_error(write_client.post("/api/v1/webhooks/", body, format="json"), "events[1]")
    assert error["message"].startswith('"level.renamed" is not a valid choice; valid choices: *, alias.*, ')
    assert "level.updated" in error["message"]


@pytest.mark.parametrize(
    ("url", "field", "valid"),
    [
        ("/api/v1/levels/?track=IC", "track", TRACKS),
        ("/api/v1/companies/?size_band=huge", "size_band", "startup, scaleup, midsize, enterprise"),
        ("/api/v1/compare?companies=own-co&links=some", "links", "adjacent, all"),
        (
            "/api/v1/companies/own-co/history/?object_type=ladders",
            "object_type",
            "framework, reference_level, company, ladder, level, alias",
        ),
    ],
)
def test_an_invalid_choice_in_the_query_lists_the_valid_ones(write_client, company, url, field, valid):
    error = _only_error(write_client.get(url), field)
    assert error["message"] == f'"{url.rsplit("=", 1)[1]}" is not a valid choice; valid choices: {valid}.'


def test_an_invalid_dry_run_lists_the_valid_ones(write_client, company, framework):
    url = f"/api/v1/companies/{company.slug}/ladders/product-management/?dry_run=yes"
    error = _only_error(write_client.put(url, {"levels": []}, format="json"), "dry_run")
    assert error["message"] == '"yes" is not a valid choice; valid choices: 0, 1, false, true.'


def test_choices_are_still_enums_in_the_schema(schema):
    components = schema["components"]["schemas"]
    assert components["TrackEnum"]["enum"] == ["ic", "management", "executive"]
    level = components["LevelRequest"]["properties"]["track"]
    assert level == {"$ref": "#/components/schemas/TrackEnum"} or level["allOf"] == [
        {"$ref": "#/components/schemas/TrackEnum"}
    ]
    document_level = components["DocumentLevelRequest"]["properties"]["track"]
    assert "TrackEnum" in str(document_level)
    compare = schema["paths"]["/api/v1/compare"]["get"]["parameters"]
    assert next(p for p in compare if p["name"] == "links")["schema"]["enum"] == ["adjacent", "all"]
