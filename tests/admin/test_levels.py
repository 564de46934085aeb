"""The level admin: changes made there are recorded like API changes."""

from __future__ import annotations

from ladder.models import ChangeRecord, Level


def test_admin_changes_are_recorded(client, superuser, write_client, ladder_url, company):
    client.force_login(superuser)
    level = Level.objects.get(code="L6")
    data = {
        "ladder": level.ladder_id,
        "title": "Group Product Manager",
        "code": "L6",
        "track": "management",
        "rank": level.rank,
        "reference_level": level.reference_level_id,
        "anchor": level.anchor,
        "scale_from": "",
        "scale_to": "",
        "description": "Edited in the admin",
        "external_id": "",
        "is_active": "on",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/ladder/level/{level.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record = ChangeRecord.objects.filter(object_type="level", object_id=level.pk, action="update").get()
    assert record.after == {"description": "Edited in the admin"}
    assert record.actor == f"user:{superuser.username}"
    level.refresh_from_db()
    assert level.version == 2
