"""The framework admin: only platform operators change the shared framework."""

from __future__ import annotations

from ladder.models import ReferenceLevel
from tests.factories import hr_admin as _hr_admin


def test_staff_of_an_organization_cannot_change_frameworks_in_the_admin(client, framework, org):
    client.force_login(_hr_admin(org))
    pm = ReferenceLevel.objects.get(framework=framework, slug="pm")
    assert client.get(f"/admin/ladder/referencelevel/{pm.pk}/change/").status_code == 200  # may read
    response = client.post(f"/admin/ladder/referencelevel/{pm.pk}/change/", {"name": "Renamed", "position": 9})
    assert response.status_code == 403
    assert client.get("/admin/ladder/framework/add/").status_code == 403
    pm.refresh_from_db()
    assert (pm.name, pm.position) == ("Product Manager", 2)
