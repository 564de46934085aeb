"""The ladder document over HTTP: anchors inferred for levels sent without a reference level."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from ladder.models import Level
from tests.conftest import DOC_URL, error_of, fields_and_codes

TRANSLATE = "/api/v1/translate"


# --- Inferred anchors ------------------------------------------------------------------------------


def test_an_inferred_level_between_two_explicit_ones_gets_its_own_span_and_says_so(write_client, company, framework):
    url = f"/api/v1/companies/{company.slug}/ladders/product-management/"
    doc = {
        "levels": [
            {"title": "Senior PM", "reference_level": "senior-pm"},
            {"title": "Staff PM"},
            {"title": "Principal PM", "reference_level": "principal-pm"},
        ]
    }
    response = write_client.put(url, doc, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    staff = body["levels"][1]
    assert (staff["anchor"], staff["reference_level"]) == ("inferred", "principal-pm")
    warnings = {w["code"]: w for w in body["warnings"]}
    assert warnings["inferred_anchor"]["levels"] == [staff["id"]]
    assert "3.5-4" in warnings["inferred_anchor"]["detail"]  # its own part of the Principal rung

    def go(title, target):
        answer = write_client.get(TRANSLATE, {"source": company.slug, "target": target, "title": title})
        return answer.json()["results"][0]

    # Staff and Principal no longer tie: each translates onto itself.
    assert go("Staff PM", company.slug)["target_level"]["title"] == "Staff PM"
    assert go("Principal PM", company.slug)["target_level"]["title"] == "Principal PM"
    staff_ref = go("Staff PM", "reference")
    assert staff_ref["inferred_anchor"] is True
    assert staff_ref["notes"] and "inferred" in staff_ref["notes"][0]
    assert staff_ref["confidence"] < 1.0
    principal_to_staff = go("Senior PM", company.slug)
    assert principal_to_staff["inferred_anchor"] is False
    # A translation landing on the inferred level says so too.
    into = write_client.get(
        TRANSLATE, {"source": "reference", "target": company.slug, "title": "Staff Product Manager"}
    ).json()["results"][0]
    if into["target_level"]["title"] == "Staff PM":
        assert into["inferred_anchor"] is True and into["confidence"] < 1.0


def test_ties_on_a_track_are_warned_about(write_client, company, framework):
    url = f"/api/v1/companies/{company.slug}/ladders/product-management/"
    doc = {
        "levels": [
            {"title": "Product Manager", "code": "IC4", "reference_level": "pm"},
            {"title": "Product Manager", "code": "IC5", "reference_level": "pm"},
            {"title": "Senior Product Manager", "reference_level": "senior-pm", "scale_from": 2.2, "scale_to": 3.5},
        ]
    }
    body = write_client.put(url, doc, format="json").json()
    codes = Counter(w["code"] for w in body["warnings"])
    assert codes["tied_levels"] == 1
    assert codes["overlapping_spans"] == 2
    assert write_client.get(url).json()["warnings"] == body["warnings"]


def test_updated_since_sees_changes_made_by_a_ladder_document(write_client, doc):
    url, body = doc
    since = timezone.now()
    body["levels"][1]["description"] = "changed"
    body["levels"][0]["aliases"] = [{"title": "Prod Mgr"}]  # only an alias changes on this level
    assert write_client.put(url, body, format="json").status_code == 200
    changed = write_client.get("/api/v1/levels/", {"updated_since": since.isoformat()}).json()
    assert {lv["code"] for lv in changed["results"]} == {"L4", "L5"}


def test_swapping_alias_titles_inside_one_document_works(write_client, doc):
    url, body = doc
    aliases = body["levels"][1]["aliases"]
    aliases[0]["title"], aliases[1]["title"] = aliases[1]["title"], aliases[0]["title"]
    response = write_client.put(url, body, format="json")
    assert response.status_code == 200, response.content
    by_ext = {a["external_id"]: a["title"] for a in response.json()["levels"][1]["aliases"]}
    assert by_ext == {"a1": "Area Lead", "a2": "Product Lead"}


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
