"""Loading reference frameworks (``ladder.fixtures_loader.frameworks``): the framework of DESIGN §1."""

from __future__ import annotations

import copy

from ladder.fixtures_loader import FIXTURES_DIR, LoadReport, load_framework
from ladder.fixtures_loader.state import read_json
from ladder.models import ChangeRecord, ReferenceLevel

EXPECTED = {
    "apm": ("ic", 1, {"pm"}),
    "pm": ("ic", 2, {"senior-pm"}),
    "senior-pm": ("ic", 3, {"group-pm", "principal-pm", "director"}),
    "principal-pm": ("ic", 4, {"director"}),
    "group-pm": ("management", 4, {"director"}),
    "director": ("management", 5, {"vp"}),
    "vp": ("executive", 6, {"cpo"}),
    "cpo": ("executive", 7, set()),
}


def test_reference_framework_matches_the_design(framework):
    levels = {rl.slug: rl for rl in framework.reference_levels.prefetch_related("promotes_to", "proficiencies")}
    assert set(levels) == set(EXPECTED)
    for slug, (track, position, promotes) in EXPECTED.items():
        rl = levels[slug]
        assert (rl.track, rl.position) == (track, position), slug
        assert {p.slug for p in rl.promotes_to.all()} == promotes, slug
        assert rl.summary and len(rl.responsibilities) >= 3, slug
        assert rl.proficiencies.count() >= 5, slug
    focus = [levels[s].focus_hands_on for s in ("apm", "pm", "senior-pm", "director", "vp", "cpo")]
    assert focus == sorted(focus, reverse=True) and focus[0] > focus[-1]


def test_a_framework_load_brings_fixture_changes_and_keeps_edits(framework):
    data = copy.deepcopy(read_json(FIXTURES_DIR / "frameworks" / "product-management.json"))
    by_slug = {item["slug"]: item for item in data["reference_levels"]}
    ReferenceLevel.objects.filter(slug="vp").update(summary="Edited by an operator.")
    by_slug["vp"]["summary"] = "The fixture changed this too."
    by_slug["apm"]["summary"] = "A new summary from the fixture."
    by_slug["apm"]["reports_to"] = "A product manager or group PM."
    report = LoadReport(fixture="frameworks/product-management")
    load_framework(data, report)
    apm = ReferenceLevel.objects.get(slug="apm")
    assert (apm.summary, apm.reports_to) == ("A new summary from the fixture.", "A product manager or group PM.")
    assert ReferenceLevel.objects.get(slug="vp").summary == "Edited by an operator."  # the person's edit wins
    assert report.updated == ["framework:product-management/level:apm (reports_to, summary)"]
    assert report.kept == ["framework:product-management/level:vp (summary: edited since the last load)"]
    record = ChangeRecord.objects.filter(object_type="reference_level", object_id=apm.pk).latest("id")
    assert set(record.after) == {"summary", "reports_to"}  # the history keeps what changed
