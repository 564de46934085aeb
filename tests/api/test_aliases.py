"""/api/v1/aliases/: CRUD, validity windows and collisions named by title."""

from __future__ import annotations

from ladder.models import TitleAlias
from tests.conftest import error_of, fields_and_codes
from tests.factories import ladder_with_levels as _ladder


def test_alias_crud(write_client, company, framework):
    ladder = _ladder(company, framework, 2)
    level = ladder.levels.get(code="R0")
    created = write_client.post(
        "/api/v1/aliases/",
        {"level": level.pk, "title": "Former Role", "valid_from": "2019-01-01", "valid_to": "2021-01-01"},
        format="json",
    )
    assert created.status_code == 201, created.content
    alias_id = created.json()["id"]
    bad = write_client.patch(f"/api/v1/aliases/{alias_id}/", {"valid_to": "2018-01-01"}, format="json")
    assert bad.status_code == 400
    clash = write_client.post("/api/v1/aliases/", {"level": level.pk, "title": "Role Alias 1"}, format="json")
    assert clash.status_code == 400
    assert write_client.get(f"/api/v1/aliases/?level={level.pk}").json()["count"] == 2
    assert write_client.delete(f"/api/v1/aliases/{alias_id}/").status_code == 204
    assert not TitleAlias.objects.filter(pk=alias_id).exists()


def test_a_duplicate_alias_names_the_colliding_title_and_says_titles_are_normalised(write_client, company, framework):
    ladder = _ladder(company, framework, 2)
    first, second = ladder.levels.order_by("rank")
    taken = write_client.post("/api/v1/aliases/", {"level": first.pk, "title": "Sr. PM"}, format="json")
    assert taken.status_code == 201
    response = write_client.post("/api/v1/aliases/", {"level": second.pk, "title": "Senior PM"}, format="json")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("title", "duplicate_alias")
    assert '"Senior PM"' in error["message"] and '"Sr. PM"' in error["message"]
    assert f'"{first.title}"' in error["message"]
    assert "normalised form" in error["message"] and '"Sr." for "Senior"' in error["message"]
    assert TitleAlias.objects.filter(title="Senior PM").count() == 0


def test_alias_title_without_letters_is_one_error_on_title(write_client, ladder):
    alias = TitleAlias.objects.filter(level__ladder=ladder).first()
    body = error_of(write_client.patch(f"/api/v1/aliases/{alias.pk}/", {"title": "»¢"}, format="json"), 400)
    assert fields_and_codes(body) == {("title", "empty_title")}


def test_alias_dates_in_the_wrong_order(write_client, ladder):
    alias = TitleAlias.objects.filter(level__ladder=ladder).first()
    body = {"valid_from": "2000-01-01", "valid_to": "2000-01-01"}
    response = write_client.patch(f"/api/v1/aliases/{alias.pk}/", body, format="json")
    assert fields_and_codes(error_of(response, 400)) == {("valid_to", "invalid_window")}
