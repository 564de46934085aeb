"""The ladder admin: inline level edits, versions and inferred anchors."""

from __future__ import annotations

from django.urls import reverse

from ladder.models import Level


def test_editing_a_ladder_inline_bumps_its_version(admin_client_, demo):
    ladder = demo["acme"].ladders.get()
    url = reverse("admin:ladder_ladder_change", args=[ladder.pk])
    page = admin_client_.get(url)
    form = page.context["adminform"].form
    formset = page.context["inline_admin_formsets"][0].formset
    data = {"company": ladder.company_id, "framework": ladder.framework_id}
    for key, value in formset.management_form.initial.items():
        data[f"{formset.prefix}-{key}"] = value
    for i, f in enumerate(formset.forms):
        for name, field in f.fields.items():
            value = f.initial.get(name, field.initial)
            if hasattr(value, "pk"):
                value = value.pk
            data[f"{formset.prefix}-{i}-{name}"] = "" if value is None else value
    data[f"{formset.prefix}-0-title"] = "Product Manager (renamed)"
    assert form is not None
    before = ladder.version
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    ladder.refresh_from_db()
    assert ladder.version == before + 1
    assert ladder.levels.filter(title="Product Manager (renamed)").exists()


def test_saving_without_changes_says_so_and_records_nothing(admin_client_, write_client, company, framework):
    from ladder.models import ChangeRecord, LadderVersion

    doc = {"levels": [{"title": "Product Manager", "code": "L4", "reference_level": "pm", "aliases": ["PM"]}]}
    assert write_client.put(f"/api/v1/companies/{company.slug}/ladders/product-management/", doc, format="json")
    level = Level.objects.get()
    url = reverse("admin:ladder_level_change", args=[level.pk])
    page = admin_client_.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    formset = page.context["inline_admin_formsets"][0].formset
    for key in ("TOTAL_FORMS", "INITIAL_FORMS"):
        data[f"aliases-{key}"] = formset.management_form[key].value()
    for i, alias_form in enumerate(formset.forms):
        for name in alias_form.fields:
            value = alias_form[name].value()
            if value not in (None, False):
                data[f"aliases-{i}-{name}"] = value
    counts = (ChangeRecord.objects.count(), LadderVersion.objects.count(), Level.objects.get().version)
    response = admin_client_.post(url, data, follow=True)
    assert response.status_code == 200
    assert "nothing was saved or recorded" in response.content.decode()
    assert (ChangeRecord.objects.count(), LadderVersion.objects.count(), Level.objects.get().version) == counts
    from django.contrib.admin.models import LogEntry

    assert not LogEntry.objects.filter(object_id=str(level.pk)).exists()


def test_admin_ladder_form_infers_missing_anchors(client, superuser, company, framework):
    client.force_login(superuser)
    refs = {rl.slug: rl.pk for rl in framework.reference_levels.all()}
    rows = [
        {"rank": 1, "title": "Product Manager", "code": "P2", "track": "ic", "reference_level": refs["pm"]},
        {"rank": 2, "title": "Senior Product Manager", "code": "P3", "track": "ic", "reference_level": ""},
        {"rank": 3, "title": "Head of Product", "track": "management", "scale_from": 3.5, "scale_to": 6.5},
    ]
    data = {
        "company": company.pk,
        "framework": framework.pk,
        "levels-TOTAL_FORMS": len(rows),
        "levels-INITIAL_FORMS": 0,
        "levels-MIN_NUM_FORMS": 0,
        "levels-MAX_NUM_FORMS": 1000,
        "_continue": "1",
    }
    for i, row in enumerate(rows):
        data.update({f"levels-{i}-{k}": v for k, v in row.items()})
        data[f"levels-{i}-is_active"] = "on"
    response = client.post(reverse("admin:ladder_ladder_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    levels = {lv.title: lv for lv in Level.objects.filter(ladder__company=company).select_related("reference_level")}
    assert (levels["Product Manager"].anchor, levels["Product Manager"].reference_level.slug) == ("explicit", "pm")
    senior = levels["Senior Product Manager"]
    assert (senior.anchor, senior.reference_level.slug) == ("inferred", "senior-pm")
    assert levels["Head of Product"].anchor == "inferred" and levels["Head of Product"].reference_level is not None
    page = client.get(response["Location"]).content.decode()
    assert 'class="anchor-inferred"' in page and "2.5–3.5" in page and 'id="ladder-scale"' in page
