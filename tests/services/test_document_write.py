"""Writing a ladder document: all or nothing, however late it fails."""

from __future__ import annotations

from django.db import connection

from ladder.models import ChangeRecord
from tests.conftest import DOC_URL


def _install_fault_trigger(title: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION pmladder_test_fault() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.title = '{title}' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END; "
                "$$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER pmladder_test_fault BEFORE INSERT OR UPDATE ON ladder_level "
                "FOR EACH ROW EXECUTE FUNCTION pmladder_test_fault()"
            )
        else:
            for event in ("INSERT", "UPDATE"):
                cursor.execute(
                    f"CREATE TRIGGER pmladder_test_fault_{event.lower()} BEFORE {event} ON ladder_level "
                    f"WHEN NEW.title = '{title}' BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
                )


def test_a_fault_mid_document_leaves_the_ladder_and_history_untouched(write_client, company, framework):
    url = DOC_URL.format(company.slug)
    body = {"levels": [{"title": f"Role {i}", "code": f"R{i}", "reference_level": "pm"} for i in range(1000)]}
    assert write_client.put(url, body, format="json").status_code == 201
    before = write_client.get(url).json()
    history = ChangeRecord.objects.count()
    _install_fault_trigger("Role 537 poisoned")
    for i, level in enumerate(body["levels"]):
        level["title"] = f"Role {i} renamed" if i != 537 else "Role 537 poisoned"
    response = write_client.put(url, body, format="json")
    assert response.status_code in (409, 500)
    assert response.json()["status"] == response.status_code
    assert write_client.get(url).json() == before
    assert ChangeRecord.objects.count() == history
