"""The change-record admin: readable diffs, keys named but never shown."""

from __future__ import annotations

from django.urls import reverse


def test_a_change_record_shows_a_readable_diff_and_the_key_by_name_only(
    admin_client_, write_client, company, framework
):
    from ladder.models import ApiKey, ChangeRecord

    url = f"/api/v1/companies/{company.slug}/"
    assert write_client.patch(url, {"name": "Renamed Co"}, format="json").status_code == 200
    record = ChangeRecord.objects.filter(action="update", object_type="company").latest("id")
    page = admin_client_.get(reverse("admin:ladder_changerecord_change", args=[record.pk])).content.decode()
    assert "<td>name</td><td>Own Co</td><td>Renamed Co</td>" in page
    assert "api-key:test" in page
    key = ApiKey.objects.get(name="test")
    assert key.pk.split(".", 1)[1] not in page  # never the key's hash
    assert record.actor_api_key_id == key.prefix
    assert '"name": "Own Co"' not in page  # no raw JSON
