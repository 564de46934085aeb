"""Scheduled versions (``ladder.versions.schedule``): kept for a future day, replaced, cancelled, and
applied on their day without a job."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta

import time_machine

from ladder import services
from ladder.models import ChangeRecord, Ladder, LadderVersion, Level
from tests.versions.documents import DAY1, DAY2, DOC, TRANSLATE, URL, changed, level_inputs, numbers, put


def test_scheduled_version_takes_effect_on_its_day_without_a_job(write_client, company, framework):
    with time_machine.travel(DAY1, tick=False):
        put(write_client, DOC)
        scheduled = put(
            write_client, {**changed(DOC, "L4", title="Product Manager II"), "effective_from": "2026-03-09"}
        )
        assert scheduled.status_code == 202
        assert numbers(write_client) == [(1, "applied"), (2, "scheduled")]
        assert write_client.get(URL).json()["levels"][1]["title"] == "Product Manager"
    with time_machine.travel(DAY2 - timedelta(hours=10, seconds=1), tick=False):  # 23:59:59 the day before
        assert write_client.get(URL).json()["levels"][1]["title"] == "Product Manager"
    with time_machine.travel(DAY2, tick=False):
        doc = write_client.get(URL)
        assert doc.json()["levels"][1]["title"] == "Product Manager II"
        assert numbers(write_client) == [(1, "applied"), (2, "applied")]
        version = LadderVersion.objects.get(number=2)
        assert version.effective_from == date(2026, 3, 9) and version.author == "api-key:test"
        assert Level.objects.get(code="L4").title == "Product Manager II"
        # The change history credits the author of the scheduled version.
        assert ChangeRecord.objects.filter(object_type="level", ladder_version=2).get().actor == "api-key:test"


def test_scheduled_version_applies_on_the_first_translation_too(write_client, company, other_public_company, framework):
    with time_machine.travel(DAY1, tick=False):
        put(write_client, DOC)
        scheduled = put(write_client, changed(DOC, "L5", title="Senior PM"), QUERY_STRING="effective_from=2026-03-09")
        assert scheduled.status_code == 202
    with time_machine.travel(DAY2, tick=False):
        response = write_client.get(TRANSLATE, {"source": "own-co", "target": "reference", "title": "Sr. PM"})
        assert response.status_code == 200
        assert response.json()["results"][0]["source_level"]["title"] == "Senior PM"


def test_scheduled_version_can_be_replaced_and_cancelled_with_if_match(write_client, read_client, company, framework):
    with time_machine.travel(DAY1, tick=False):
        put(write_client, DOC)
        etag = write_client.get(URL)["ETag"]
        stale = put(write_client, DOC, QUERY_STRING="effective_from=2026-04-01", HTTP_IF_MATCH='"ladder-1-v999"')
        assert stale.status_code == 412
        first = put(
            write_client,
            changed(DOC, "L6", title="Staff PM"),
            QUERY_STRING="effective_from=2026-04-01",
            HTTP_IF_MATCH=etag,
        )
        assert first.status_code == 202
        v_etag = first["ETag"]
        url = URL + "versions/2/"
        # Replacing needs the version's ETag when If-Match is given.
        assert write_client.put(url, DOC, format="json", HTTP_IF_MATCH='"nope"').status_code == 412
        replaced = write_client.put(url, changed(DOC, "L6", title="Lead PM"), format="json", HTTP_IF_MATCH=v_etag)
        assert replaced.status_code == 200, replaced.content
        assert replaced.json()["levels"][3]["title"] == "Lead PM"
        assert write_client.get(URL, {"as_of": "2026-04-02"}).json()["levels"][3]["title"] == "Lead PM"
        # A second PUT for the same day replaces it too (one scheduled version per day).
        put(write_client, changed(DOC, "L6", title="Distinguished PM"), QUERY_STRING="effective_from=2026-04-01")
        assert numbers(write_client) == [(1, "applied"), (2, "scheduled")]
        assert read_client.delete(url).status_code == 403
        assert write_client.delete(url, HTTP_IF_MATCH=v_etag).status_code == 412  # replaced since
        assert write_client.delete(url).status_code == 200
        assert numbers(write_client) == [(1, "applied"), (2, "cancelled")]
        assert write_client.delete(url).status_code == 409  # not scheduled any more
        assert (
            write_client.get(URL, {"as_of": "2026-04-02"}).json()["levels"][3]["title"] == "Principal Product Manager"
        )
        past = put(write_client, DOC, QUERY_STRING="effective_from=2026-01-01")
        assert past.status_code == 400 and past.json()["errors"][0]["field"] == "effective_from"
        assert write_client.get(URL + "versions/9/").status_code == 404
    with time_machine.travel(datetime(2026, 4, 2, tzinfo=UTC), tick=False):
        assert write_client.get(URL).json()["levels"][3]["title"] == "Principal Product Manager"


def test_a_scheduled_document_is_validated_when_it_is_scheduled(write_client, company, framework):
    put(write_client, DOC)
    bad = copy.deepcopy(DOC)
    bad["levels"][1]["code"] = "L3"
    response = put(write_client, {**bad, "effective_from": "2099-01-01"})
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"levels[0].code", "levels[1].code"}
    assert numbers(write_client) == [(1, "applied")]


def test_a_level_write_on_the_day_applies_the_scheduled_version_first(write_client, company, framework):
    with time_machine.travel(DAY1, tick=False):
        put(write_client, DOC)
        put(write_client, changed(DOC, "L6", title="Staff PM"), QUERY_STRING="effective_from=2026-03-09")
    with time_machine.travel(DAY2, tick=False):
        level = Level.objects.get(code="L4")
        response = write_client.patch(f"/api/v1/levels/{level.pk}/", {"description": "New"}, format="json")
        assert response.status_code == 200
        assert numbers(write_client) == [(1, "applied"), (2, "applied"), (3, "applied")]
        current = write_client.get(URL).json()["levels"]
        assert current[3]["title"] == "Staff PM" and current[1]["description"] == "New"
        assert write_client.get(URL + "versions/4294967296/").status_code == 404


def test_schedule_dry_run_and_apply_as_services(company, framework):
    from ladder import audit

    with time_machine.travel(DAY1, tick=False):
        services.ladder_document_put(company=company, framework=framework, levels=level_inputs(framework))
        renamed = level_inputs(framework, L4="Product Manager II")
        preview = services.dry_run(company=company, framework=framework, levels=renamed)
        assert preview["changed"] is True and preview["created"] is False
        assert preview["diff"]["levels"]["changed"][0]["changes"] == [
            {"field": "title", "from": "Product Manager", "to": "Product Manager II"}
        ]
        assert Level.objects.get(code="L4").title == "Product Manager"  # a dry run writes nothing
        with audit.acting_as("api-key:hris-sync"):
            scheduled = services.schedule_document(
                company=company, framework=framework, levels=renamed, effective_from=date(2026, 3, 9)
            )
        assert (scheduled.number, scheduled.status, scheduled.author) == (2, "scheduled", "api-key:hris-sync")
        assert Ladder.objects.get().next_effective_on == date(2026, 3, 9)
        assert services.apply_due(Ladder.objects.get()) is False  # not its day yet
    with time_machine.travel(DAY2, tick=False):
        services.apply_due_for([Ladder.objects.get().pk])
        scheduled.refresh_from_db()
        assert scheduled.status == "applied" and scheduled.effective_from == date(2026, 3, 9)
        assert Level.objects.get(code="L4").title == "Product Manager II"
        record = ChangeRecord.objects.filter(object_type="level", action="update").latest("id")
        assert record.actor == "api-key:hris-sync"  # the author of the scheduled version
        assert audit.current_actor().label == "system"  # and only while it was applied
        assert Ladder.objects.get().next_effective_on is None


def test_a_scheduled_version_the_ladder_no_longer_accepts_fails_and_says_why(company, framework, monkeypatch):
    from ladder import audit
    from ladder.exceptions import FieldErrors

    with time_machine.travel(DAY1, tick=False):
        services.ladder_document_put(company=company, framework=framework, levels=level_inputs(framework))
        with audit.acting_as("user:hr-admin"):
            services.schedule_document(
                company=company,
                framework=framework,
                levels=level_inputs(framework, L6="Staff PM"),
                effective_from=date(2026, 3, 9),
            )
    problems = [{"code": "duplicate_code", "message": "Code L6 is taken.", "field": "levels[3].code"}]

    def refuse(*args, **kwargs):
        raise FieldErrors(problems)

    monkeypatch.setattr("ladder.services.due.write_document", refuse)
    with time_machine.travel(DAY2, tick=False):
        services.apply_due_for([Ladder.objects.get().pk])
    version = LadderVersion.objects.get(number=2)
    assert (version.status, version.problems) == ("failed", problems)
    record = ChangeRecord.objects.filter(action=ChangeRecord.Action.VERSION).latest("id")
    assert (record.after["status"], record.actor) == ("failed", "user:hr-admin")
    assert Level.objects.get(code="L6").title == "Principal Product Manager"
    assert Ladder.objects.get().next_effective_on is None  # nothing left to apply
