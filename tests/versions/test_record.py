"""Writing versions (``ladder.versions.record``): every accepted change is a version, whoever makes it."""

from __future__ import annotations

import pytest

from ladder import services, versions
from ladder.models import ChangeRecord, Ladder, LadderVersion, Level, LevelRevision
from tests.versions.documents import DOC, URL, changed, level_inputs, numbers, put


def test_every_accepted_change_is_a_version_with_author_and_request_id(write_client, company, framework):
    assert put(write_client, DOC, HTTP_X_REQUEST_ID="req-1").status_code == 201
    assert put(write_client, DOC).status_code == 200  # the same document: no new version
    assert numbers(write_client) == [(1, "applied")]
    assert (
        put(write_client, changed(DOC, "L6", title="Lead Product Manager"), HTTP_X_REQUEST_ID="req-2").status_code
        == 200
    )
    level = Level.objects.get(code="L4")
    assert (
        write_client.patch(f"/api/v1/levels/{level.pk}/", {"description": "Owns a feature."}, format="json").status_code
        == 200
    )
    alias = write_client.post("/api/v1/aliases/", {"level": level.pk, "title": "Product Owner"}, format="json")
    assert alias.status_code == 201
    assert write_client.delete(f"/api/v1/levels/{level.pk}/").status_code == 204
    assert numbers(write_client) == [(n, "applied") for n in range(1, 6)]

    versions = write_client.get(URL + "versions/").json()["results"]
    assert versions[0]["author"] == "api-key:test" and versions[0]["request_id"] == "req-1"
    assert versions[1]["request_id"] == "req-2"
    first = write_client.get(URL + "versions/1/").json()
    assert [lv["title"] for lv in first["levels"]][-1] == "Principal Product Manager"
    assert first["levels"][1]["aliases"][0]["title"] == "PM"
    last = write_client.get(URL + "versions/5/").json()
    assert [lv["is_active"] for lv in last["levels"]] == [True, False, True, True]
    # The history of each change names the version it belongs to.
    record = ChangeRecord.objects.filter(object_type="alias", action="create").latest("id")
    assert record.ladder_version == 4


def test_storage_grows_with_the_change_not_with_the_ladder(write_client, company, framework):
    put(write_client, DOC)
    ladder = Ladder.objects.get()
    assert LevelRevision.objects.filter(ladder=ladder).count() == 4
    put(write_client, changed(DOC, "L5", description="Owns a product area."))
    assert LevelRevision.objects.filter(ladder=ladder).count() == 5  # one more row: the changed level
    v1 = write_client.get(URL + "versions/1/").json()
    v2 = write_client.get(URL + "versions/2/").json()
    assert v1["levels"][2]["description"] == "" and v2["levels"][2]["description"] == "Owns a product area."
    assert [lv["id"] for lv in v1["levels"]] == [lv["id"] for lv in v2["levels"]]


def test_admin_edit_makes_a_version_and_the_ladder_page_shows_the_diff(
    client, superuser, write_client, company, framework
):
    from django.urls import reverse

    put(write_client, DOC)
    put(write_client, changed(DOC, "L5", rank=9, aliases=["Sr. PM", "Product Lead"]))
    level = Level.objects.get(code="L4")
    client.force_login(superuser)
    url = reverse("admin:ladder_level_change", args=[level.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data.update({"description": "Edited in the admin", "is_active": "on"})
    for key in ("aliases-TOTAL_FORMS", "aliases-INITIAL_FORMS"):
        data[key] = page.context["inline_admin_formsets"][0].formset.management_form[key.split("-")[1]].value()
    for i, alias_form in enumerate(page.context["inline_admin_formsets"][0].formset.forms):
        for name in alias_form.fields:
            value = alias_form[name].value()
            data[f"aliases-{i}-{name}"] = "" if value is None else value
    data = {k: v for k, v in data.items() if v is not False}
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content[:2000]
    assert numbers(write_client)[-1] == (3, "applied")
    ladder_page = client.get(reverse("admin:ladder_ladder_change", args=[Ladder.objects.get().pk])).content.decode()
    assert "Edited in the admin" in ladder_page  # version 3's diff: the description changed
    assert "Alias added" in ladder_page and "Product Lead" in ladder_page  # version 2's diff
    assert "3 → 9" in ladder_page


def test_record_version_makes_a_version_only_when_levels_or_aliases_changed(company, framework):
    written = services.ladder_document_put(company=company, framework=framework, levels=level_inputs(framework))
    ladder = written.ladder
    assert versions.record_version(ladder) is None  # nothing changed since version 1
    assert LadderVersion.objects.filter(ladder=ladder).count() == 1
    rows = LevelRevision.objects.filter(ladder=ladder).count()

    Level.objects.filter(ladder=ladder, code="L5").update(description="Owns a product area.")
    version = versions.record_version(ladder)
    assert (version.number, version.status, version.author) == (2, "applied", "system")
    assert LevelRevision.objects.filter(ladder=ladder).count() == rows + 1  # one row: the changed level
    changed_state = LevelRevision.objects.get(ladder=ladder, from_seq=version.seq).state
    assert changed_state["code"] == "L5" and changed_state["description"] == "Owns a product area."
    record = ChangeRecord.objects.filter(action=ChangeRecord.Action.VERSION).latest("id")
    assert (record.ladder_version, record.after["status"]) == (2, "applied")


@pytest.mark.parametrize("label", ["api-key:hris-sync", "user:hr-admin"])
def test_a_version_keeps_who_made_it(company, framework, label):
    from ladder import audit

    with audit.acting_as(label):
        services.ladder_document_put(company=company, framework=framework, levels=level_inputs(framework))
    version = LadderVersion.objects.get(ladder=Ladder.objects.get(company=company))
    assert version.author == label
