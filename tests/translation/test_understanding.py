"""Title understanding called directly: the framework chosen, the parse, refusals and the summary."""

from __future__ import annotations

from datetime import date

import pytest

from ladder.exceptions import NotFound, ValidationFailed
from ladder.models import Framework
from ladder.translation.understanding import answer_understanding

DAY = date(2025, 1, 1)


def test_titles_are_placed_on_the_only_framework(framework):
    titles = ["Senior Product Manager", "Senior Project Manager", "x" * 201, "Chief Vibes Officer"]
    body = answer_understanding(framework=None, items=titles, as_of=DAY)
    assert (body["framework"], body["as_of"]) == ("product-management", "2025-01-01")
    placed, other, refused, unknown = body["results"]
    assert placed["reference_level"]["slug"] == "senior-pm" and placed["understanding"]["seniority"] == ["senior"]
    assert other["error"]["code"] == "other_job_family" and other["understanding"]["family"] == "project-management"
    assert refused["error"]["code"] == "title_too_long" and refused["understanding"] is None
    assert unknown["error"] is not None
    assert body["summary"] == {"total": 4, "placed": 1, "other_job_family": 1, "unresolved": 2}


def test_the_framework_must_exist_and_be_named_when_there_are_several(framework):
    with pytest.raises(NotFound) as unknown:
        answer_understanding(framework="nope", items=["PM"], as_of=DAY)
    assert (unknown.value.code, unknown.value.field) == ("framework_not_found", "framework")
    Framework.objects.create(slug="design", name="Design")
    with pytest.raises(ValidationFailed) as several:
        answer_understanding(framework=None, items=["PM"], as_of=DAY)
    assert (several.value.code, several.value.message) == (
        "framework_required",
        "Name the framework to place titles on.",
    )
    assert answer_understanding(framework="product-management", items=["PM"], as_of=DAY)["summary"]["total"] == 1
