"""Level states (``ladder.versions.states``): a level as plain data, the ladder document's shape of it,
and an alias back into the services' input."""

from __future__ import annotations

from datetime import date

from ladder import services, spreadsheet
from ladder.level_fields import DOCUMENT_LEVEL_FIELDS
from ladder.models import Level, TitleAlias
from ladder.services import AliasInput, LevelInput
from ladder.services.inputs import alias_input
from ladder.versions.states import alias_state, document_levels, level_state, ordered
from tests.versions.documents import DOC, URL, put


def test_a_level_state_keeps_the_whole_level_and_its_aliases(company, framework):
    senior = framework.reference_levels.get(slug="senior-pm")
    aliases = [
        AliasInput(title="Sr. PM"),
        AliasInput(title="Lead PM", valid_from=date(2020, 1, 1), valid_to=date(2024, 1, 1), external_id="A-9"),
    ]
    levels = [LevelInput(title="Senior Product Manager", code="L5", reference_level=senior, aliases=aliases)]
    services.ladder_document_put(company=company, framework=framework, levels=levels)
    level = Level.objects.select_related("reference_level").get()
    state = level_state(level, level.aliases.all())
    assert state["reference_level"] == "senior-pm" and state["anchor"] == "explicit"
    assert (state["scale_from"], state["scale_to"], state["interval"]) == (None, None, [2.5, 3.5])
    assert [a["title"] for a in state["aliases"]] == ["Lead PM", "Sr. PM"]
    assert state["aliases"][0] == {
        "title": "Lead PM",
        "valid_from": "2020-01-01",
        "valid_to": "2024-01-01",
        "external_id": "A-9",
    }
    lead = TitleAlias.objects.get(title="Lead PM")
    assert alias_input(alias_state(lead)) == aliases[1]  # back as the services take it


def test_document_levels_are_in_the_documents_order_and_shape():
    def state(level_id, rank, interval):
        fields = {name: None for name in DOCUMENT_LEVEL_FIELDS}
        return {
            **fields,
            "id": level_id,
            "title": f"Level {level_id}",
            "rank": rank,
            "interval": interval,
            "aliases": [],
        }

    states = [state(None, 1, [1.0, 2.0]), state(7, 2, None), state(3, 1, [0.5, 1.5])]
    assert [s["id"] for s in ordered(states)] == [3, None, 7]  # rank, then id; new levels last in their rank
    levels = document_levels(states)
    assert [list(level) for level in levels] == [[*DOCUMENT_LEVEL_FIELDS, "aliases"]] * 3
    assert [(lv["scale_from"], lv["scale_to"]) for lv in levels] == [(0.5, 1.5), (1.0, 2.0), (None, None)]


def test_the_document_a_version_and_the_spreadsheet_list_the_same_fields(write_client, company, framework):
    put(write_client, DOC)
    document = write_client.get(URL).json()["levels"]
    version = write_client.get(URL + "versions/1/").json()["levels"]
    assert list(document[0]) == list(version[0]) == spreadsheet.COLUMNS
