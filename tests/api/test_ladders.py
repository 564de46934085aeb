"""The ladder document: GET/PUT round trips, idempotency, matching, and all-or-nothing rejection."""

from __future__ import annotations

import copy

import pytest

from ladder.models import Ladder, Level, TitleAlias
from tests.conftest import count_queries

URL = "/api/v1/companies/{}/ladders/product-management/"


ENTERPRISE = {
    "levels": [
        {"title": "Associate Product Manager", "code": "IC3", "reference_level": "apm"},
        {
            "title": "Product Manager",
            "code": "IC4",
            "reference_level": "pm",
            "scale_from": 1.5,
            "scale_to": 2.0,
            "external_id": "JP-4",
        },
        {"title": "Product Manager", "code": "IC5", "reference_level": "pm", "scale_from": 2.0, "scale_to": 2.5},
        {
            "title": "Senior Product Manager",
            "code": "IC6",
            "reference_level": "senior-pm",
            "aliases": ["Sr. PM - Growth", {"title": "Product Lead", "valid_to": "2022-01-01"}],
        },
        {"title": "Group Product Manager", "code": "M1", "track": "management", "reference_level": "group-pm"},
    ]
}


@pytest.fixture
def url(company):
    return URL.format(company.slug)


def _put(client, url, body):
    return client.put(url, body, format="json")


def test_put_creates_then_get_returns_the_document(write_client, url, framework):
    created = _put(write_client, url, ENTERPRISE)
    assert created.status_code == 201, created.content
    doc = write_client.get(url).json()
    assert doc["company"] == "own-co"
    assert doc["framework"] == "product-management"
    assert [lv["code"] for lv in doc["levels"]] == ["IC3", "IC4", "IC5", "IC6", "M1"]
    assert [lv["rank"] for lv in doc["levels"]] == [1, 2, 3, 4, 5]
    senior = doc["levels"][3]
    assert senior["anchor"] == "explicit"
    assert (senior["scale_from"], senior["scale_to"]) == (2.5, 3.5)
    assert {a["title"] for a in senior["aliases"]} == {"Sr. PM - Growth", "Product Lead"}
    assert doc["levels"][1]["external_id"] == "JP-4"


def test_round_trip_keeps_the_version(write_client, url, framework):
    _put(write_client, url, ENTERPRISE)
    first = write_client.get(url).json()
    again = _put(write_client, url, first)
    assert again.status_code == 200
    assert again.json()["version"] == first["version"]
    assert again.json() == first
    # The original (sparser) document twice changes nothing either.
    assert _put(write_client, url, ENTERPRISE).json()["version"] == first["version"]


def test_a_change_bumps_the_version_once(write_client, url, framework):
    v1 = _put(write_client, url, ENTERPRISE).json()["version"]
    body = copy.deepcopy(ENTERPRISE)
    body["levels"][0]["description"] = "Entry rung."
    body["levels"][1]["title"] = "Product Manager I"
    v2 = _put(write_client, url, body).json()["version"]
    assert v2 == v1 + 1


def test_missing_levels_are_deactivated_not_deleted(write_client, url, framework):
    _put(write_client, url, ENTERPRISE)
    body = copy.deepcopy(ENTERPRISE)
    dropped = body["levels"].pop(4)
    doc = _put(write_client, url, body).json()
    gpm = next(lv for lv in doc["levels"] if lv["code"] == dropped["code"])
    assert gpm["is_active"] is False
    assert Level.objects.filter(code="M1").exists()


def test_levels_are_matched_by_external_id_then_code_then_title(write_client, url, framework):
    first = _put(write_client, url, ENTERPRISE).json()
    ids = {lv["code"]: lv["id"] for lv in first["levels"]}
    body = copy.deepcopy(ENTERPRISE)
    body["levels"][1]["code"] = "P4"  # same external_id: the same level, renamed code
    body["levels"][0]["title"] = "Associate PM"  # same code: the same level
    doc = _put(write_client, url, body).json()
    by_code = {lv["code"]: lv["id"] for lv in doc["levels"]}
    assert by_code["P4"] == ids["IC4"]
    assert by_code["IC3"] == ids["IC3"]
    assert Level.objects.count() == 5


def test_swapping_codes_inside_one_document_works(write_client, url, framework):
    _put(write_client, url, ENTERPRISE)
    body = copy.deepcopy(ENTERPRISE)
    body["levels"][1]["external_id"] = "JP-4"
    body["levels"][2]["external_id"] = "JP-5"
    _put(write_client, url, body)
    body["levels"][1]["code"], body["levels"][2]["code"] = "IC5", "IC4"
    response = _put(write_client, url, body)
    assert response.status_code == 200, response.content
    codes = {lv["external_id"]: lv["code"] for lv in response.json()["levels"] if lv["external_id"]}
    assert codes == {"JP-4": "IC5", "JP-5": "IC4"}


def _assert_unchanged(client, url, before):
    assert client.get(url).json() == before


@pytest.mark.parametrize(
    ("mutate", "field", "code"),
    [
        (lambda b: b["levels"].append({"title": "Sr. PM"}), "levels[6].code", "duplicate_title"),
        (lambda b: b["levels"][0].update(reference_level="wizard"), "levels[0].reference_level", None),
        (lambda b: b["levels"][0].update(scale_from=3.0, scale_to=2.0), "levels[0].scale_to", "invalid_span"),
        (lambda b: b["levels"][0].update(scale_from=3.0), "levels[0].scale_to", "incomplete_span"),
        (lambda b: b["levels"][0].update(titel="typo"), "levels[0].titel", "unknown_field"),
        (lambda b: b.update(levelz=[]), "levelz", "unknown_field"),
        (lambda b: b["levels"][3]["aliases"].append({"title": 42}), "levels[3].aliases[2].title", "not_a_string"),
        (lambda b: b["levels"][3]["aliases"].append({"title": ""}), "levels[3].aliases[2].title", None),
        (lambda b: b["levels"][0].update(title=12), "levels[0].title", "not_a_string"),
        (lambda b: b["levels"][1].update(code="IC3"), "levels[1].code", "duplicate_code"),
        (
            lambda b: b["levels"][4].update(aliases=["Senior Product Manager"]),
            "levels[4].aliases[0].title",
            "alias_names_other_level",
        ),
        (lambda b: b["levels"][0].update(track="wizard"), "levels[0].track", "invalid_choice"),
        (lambda b: b["levels"][0].update(rank="1"), "levels[0].rank", "not_an_integer"),
    ],
)
def test_a_bad_document_is_rejected_whole_naming_the_place(write_client, url, framework, mutate, field, code):
    _put(write_client, url, ENTERPRISE)
    before = write_client.get(url).json()
    body = copy.deepcopy(ENTERPRISE)
    body["levels"].append({"title": "Principal Product Manager", "code": "IC7", "reference_level": "principal-pm"})
    mutate(body)
    response = _put(write_client, url, body)
    assert response.status_code == 400, response.content
    payload = response.json()
    assert payload["code"] == "validation_error"
    fields = {e["field"] for e in payload["errors"]}
    assert field in fields, payload
    if code:
        assert code in {e["code"] for e in payload["errors"] if e["field"] == field}, payload
    _assert_unchanged(write_client, url, before)


def test_body_must_be_an_object_with_levels(write_client, url, framework):
    for body in ([], "levels", {"levels": "nope"}, {"levels": [1, 2]}):
        response = _put(write_client, url, body)
        assert response.status_code == 400, (body, response.content)
        assert response.json()["code"] == "validation_error"
    assert not Ladder.objects.exists()


def test_read_only_fields_in_the_body_change_nothing(write_client, url, framework):
    doc = _put(write_client, url, ENTERPRISE).json()
    tampered = copy.deepcopy(doc)
    tampered["version"] = 999
    tampered["company"] = "other-private"
    tampered["levels"][0]["id"] = 123456
    tampered["levels"][0]["anchor"] = "inferred"
    after = _put(write_client, url, tampered).json()
    assert after == doc


def test_aliases_become_exactly_the_documents(write_client, url, framework):
    _put(write_client, url, ENTERPRISE)
    body = copy.deepcopy(ENTERPRISE)
    body["levels"][3]["aliases"] = ["SPM"]
    doc = _put(write_client, url, body).json()
    assert [a["title"] for a in doc["levels"][3]["aliases"]] == ["SPM"]
    assert TitleAlias.objects.count() == 1


def test_unknown_company_and_framework_are_404(write_client, framework):
    assert write_client.get(URL.format("nope")).status_code == 404
    assert write_client.put("/api/v1/companies/nope/ladders/nope/", ENTERPRISE, format="json").status_code == 404


def test_delete_archives_the_ladder_and_a_put_restores_it(write_client, url, framework):
    first = _put(write_client, url, ENTERPRISE).json()
    assert write_client.delete(url).status_code == 204
    assert write_client.get(url).status_code == 404
    assert write_client.delete(url).status_code == 404
    assert Level.objects.filter(ladder__company__slug="own-co").count() == 5  # nothing destroyed
    again = _put(write_client, url, ENTERPRISE)
    assert again.status_code == 200
    assert [lv["id"] for lv in again.json()["levels"]] == [lv["id"] for lv in first["levels"]]


def test_up_to_1000_levels_in_one_document(write_client, url, framework):
    body = {"levels": [{"title": f"Product Role {i}", "code": f"R{i}", "reference_level": "pm"} for i in range(1000)]}
    assert _put(write_client, url, body).status_code == 201
    body["levels"].append({"title": "One too many", "code": "R1000", "reference_level": "pm"})
    response = _put(write_client, url, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "levels"


def _doc(n: int) -> dict:
    return {
        "levels": [
            {"title": f"Product Role {i}", "code": f"R{i}", "reference_level": "pm", "aliases": [f"Role alias {i}"]}
            for i in range(n)
        ]
    }


def _count(client, method, url, body=None) -> int:
    response, count = count_queries(
        lambda: getattr(client, method)(url, body, format="json") if body else getattr(client, method)(url)
    )
    assert response.status_code in (200, 201), response.content
    return count


def test_document_query_count_does_not_grow_with_levels(write_client, framework, org):
    from tests.factories import CompanyFactory

    small, big = CompanyFactory(organization=org), CompanyFactory(organization=org)
    counts = {}
    for company, n in ((small, 1), (big, 50)):
        u = URL.format(company.slug)
        create = _count(write_client, "put", u, _doc(n))
        get = _count(write_client, "get", u)
        same = _count(write_client, "put", u, _doc(n))
        changed_doc = _doc(n)
        for lv in changed_doc["levels"]:
            lv["description"] = "changed"
        changed = _count(write_client, "put", u, changed_doc)
        counts[n] = (create, get, same, changed)
    assert counts[1] == counts[50], counts


def test_ten_level_ladder_without_anchors_gets_sensible_ones(write_client, company, framework):
    # Expectations written before running: each title names its rung, so its anchor follows.
    expected = [
        ("Associate Product Manager", "ic", "apm"),
        ("Product Manager", "ic", "pm"),
        ("Senior Product Manager", "ic", "senior-pm"),
        ("Group Product Manager", "management", "group-pm"),
        ("Principal Product Manager", "ic", "principal-pm"),
        ("Senior Principal Product Manager", "ic", "principal-pm"),
        ("Director of Product", "management", "director"),
        ("Senior Director of Product", "management", "director"),
        ("VP of Product", "executive", "vp"),
        ("Chief Product Officer", "executive", "cpo"),
    ]
    body = {"levels": [{"title": t, "track": track} for t, track, _ in expected]}
    response = write_client.put(f"/api/v1/companies/{company.slug}/ladders/product-management/", body, format="json")
    assert response.status_code == 201, response.content
    got = [(lv["title"], lv["reference_level"], lv["anchor"]) for lv in response.json()["levels"]]
    assert got == [(t, slug, "inferred") for t, _, slug in expected]
    # Sending the inferred anchors back is not an override; another anchor is.
    doc = response.json()
    again = write_client.put(f"/api/v1/companies/{company.slug}/ladders/product-management/", doc, format="json")
    assert again.json()["version"] == doc["version"]
    doc["levels"][5]["reference_level"] = "director"
    changed = write_client.put(f"/api/v1/companies/{company.slug}/ladders/product-management/", doc, format="json")
    assert changed.json()["levels"][5]["anchor"] == "explicit"


TRANSLATE = "/api/v1/translate"


# --- Codes as written ------------------------------------------------------------------------------


def test_codes_are_stored_and_returned_as_written_and_match_in_any_spelling(write_client, company, framework):
    url = f"/api/v1/companies/{company.slug}/ladders/product-management/"
    doc = {
        "levels": [
            {"title": "Product Manager", "code": "63-64", "reference_level": "pm"},
            {"title": "Product Manager", "code": "L5a", "reference_level": "senior-pm"},
        ]
    }
    response = write_client.put(url, doc, format="json")
    assert response.status_code == 201, response.content
    assert [lv["code"] for lv in response.json()["levels"]] == ["63-64", "L5a"]
    assert [lv["code"] for lv in write_client.get(url).json()["levels"]] == ["63-64", "L5a"]
    assert set(Level.objects.filter(ladder__company=company).values_list("code_canonical", flat=True)) == {
        "6364",
        "L5A",
    }
    for title, code, expected in (
        ("Product Manager", "63 64", "63-64"),
        ("Product Manager", "l5a", "L5a"),
        ("Product Manager", "L-5A", "L5a"),
    ):
        query = {"source": company.slug, "target": company.slug, "title": title}
        if code:
            query["code"] = code
        result = write_client.get(TRANSLATE, query).json()["results"][0]
        assert result["error"] is None, result
        assert result["source_level"]["code"] == expected
    # Uniqueness holds for the canonical form: "6364" is the code "63-64" already.
    doc["levels"].append({"title": "Senior Product Manager", "code": "6364", "reference_level": "senior-pm"})
    clash = write_client.put(url, doc, format="json")
    assert clash.status_code == 400, clash.content
    assert {e["code"] for e in clash.json()["errors"]} == {"duplicate_code"}
    # Sending the same document again (same spelling) changes nothing.
    doc["levels"].pop()
    assert write_client.put(url, doc, format="json").json()["version"] == response.json()["version"]
    # A new spelling of the same code is kept as the new spelling, on the same level.
    doc["levels"][1]["code"] = "L5A"
    respelled = write_client.put(url, doc, format="json").json()
    assert [lv["code"] for lv in respelled["levels"]] == ["63-64", "L5A"]
    assert respelled["levels"][1]["id"] == response.json()["levels"][1]["id"]


def test_a_kept_document_follows_every_change_it_shows(write_client, company, framework):
    from ladder import services
    from ladder.documents_io import LadderDocumentSerializer, kept_documents
    from ladder.selectors import ladder_documents

    url = URL.format(company.slug)
    assert write_client.put(url, ENTERPRISE, format="json").status_code == 201

    def served_and_fresh(path: str) -> tuple[dict, dict]:
        response = write_client.get(path)
        assert response.status_code == 200, response.content
        ladder = ladder_documents().get(company=company, framework=framework)
        assert response["ETag"] == f'"ladder-{ladder.pk}-v{ladder.version}"'
        return response.json(), LadderDocumentSerializer(ladder).data

    first, fresh = served_and_fresh(url)
    assert first == fresh
    # A kept document skips the three queries that read it (ladder, levels, aliases): the request
    # reads the company and the ladder row only.
    _, warm = count_queries(lambda: write_client.get(url))
    kept_documents.clear()
    _, cold = count_queries(lambda: write_client.get(url))
    assert cold - warm == 3, (cold, warm)
    # A level changes: the ladder's version moves, so the document is written again.
    changed = dict(ENTERPRISE, levels=[dict(level) for level in ENTERPRISE["levels"]])
    changed["levels"][0]["title"] = "Associate PM"
    assert write_client.put(url, changed, format="json").status_code == 200
    served, fresh = served_and_fresh(url)
    assert served == fresh and served["levels"][0]["title"] == "Associate PM"
    # The company is renamed: not a ladder version, but the document shows the slug.
    renamed = write_client.patch(f"/api/v1/companies/{company.slug}/", {"slug": "renamed-co"}, format="json")
    assert renamed.status_code == 200
    served, fresh = served_and_fresh(URL.format("renamed-co"))
    assert served == fresh and served["company"] == "renamed-co"
    # A rung the ladder uses is renamed in the framework: the framework's updated_at moves.
    rung = framework.reference_levels.get(slug="apm")
    rung.slug = "associate-pm"
    services.reference_level_save(reference_level=rung)
    served, fresh = served_and_fresh(URL.format("renamed-co"))
    assert served == fresh and served["levels"][0]["reference_level"] == "associate-pm"


def test_a_ladder_archived_while_its_document_is_read_is_not_found(write_client, company, framework):
    import pytest
    from django.http import Http404

    from ladder import services
    from ladder.documents_io import document_data, kept_documents
    from ladder.models import Ladder

    assert write_client.put(URL.format(company.slug), ENTERPRISE, format="json").status_code == 201
    row = Ladder.objects.select_related("company", "framework").get(company=company, framework=framework)
    data = document_data(row)  # kept as plain data, holding no serializer or model row
    assert type(data) is dict and not hasattr(data, "serializer") and data["version"] == row.version
    kept_documents.clear()
    services.ladder_archive(ladder=Ladder.objects.get(pk=row.pk))  # between the row's read and the document's
    with pytest.raises(Http404):
        document_data(row)
