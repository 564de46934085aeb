"""The answers' shapes, as the API gives them."""

from __future__ import annotations

from datetime import date

from ladder.engine.career import career_path
from ladder.engine.resolve import resolve
from ladder.engine.results import ResolveError
from ladder.engine.translate import translate
from tests.engine.ladders import CODED, ENTERPRISE, FRAMEWORK, REFERENCE, STARTUP
from tests.engine.support import VOCABULARY, failed, resolved

DAY = date(2025, 1, 1)


def test_result_shape_matches_the_api():
    ok = translate(ENTERPRISE, STARTUP, "Sr. PM - Payments", DAY).to_dict()
    assert ok == {
        "input": "Sr. PM - Payments",
        "source_level": {"id": 13, "title": "Senior Product Manager", "code": "L5", "track": "ic"},
        "resolution": {"basis": "normalized", "score": 1.0},
        "target_level": {"id": 2, "title": "Senior Product Manager", "code": None, "track": "ic"},
        "confidence": 1.0,
        "basis": "overlap",
        "alternatives": [
            {
                "level": {"id": 1, "title": "Product Manager", "code": None, "track": "ic"},
                "confidence": 0.3,
                "basis": "nearest",
            },
            {
                "level": {"id": 3, "title": "Head of Product", "code": None, "track": "management"},
                "confidence": 0.15,
                "basis": "nearest",
            },
        ],
        "error": None,
        "understanding": None,
        "inferred_anchor": False,
        "notes": [],
    }
    bad = translate(ENTERPRISE, STARTUP, "Chief Vibes Officer", DAY).to_dict()
    assert bad["source_level"] is bad["resolution"] is bad["target_level"] is bad["basis"] is None
    assert (bad["confidence"], bad["alternatives"]) == (0.0, [])
    assert bad["error"]["code"] == "unresolved_title"
    assert bad["error"]["suggestions"][0] == "Chief Product Officer"
    coded = translate(CODED, ENTERPRISE, {"title": "Product Manager", "code": "IC5"}, DAY).to_dict()
    assert coded["input"] == {"title": "Product Manager", "code": "IC5"}
    assert coded["target_level"]["id"] == 13


def test_career_path_shape_matches_the_api():
    data = career_path(FRAMEWORK, ENTERPRISE, ENTERPRISE.level(13)).to_dict()
    assert data["level"] == {"id": 13, "title": "Senior Product Manager", "code": "L5", "track": "ic"}
    assert data["branches"][0] == {
        "level": {"id": 21, "title": "Group Product Manager", "code": "M1", "track": "management"},
        "reason": "manages PMs",
        "reference_level": "group-pm",
        "reference_name": "Group Product Manager",
        "track": "management",
        "responsibilities_gained": ["manage a team of PMs"],
        "focus_before": {"hands_on": 55, "soft": 45},
        "focus_after": {"hands_on": 40, "soft": 60},
    }


def test_a_resolution_states_a_window_only_for_an_expired_alias():
    assert resolved(ENTERPRISE, "Sr. PM").to_dict() == {"basis": "alias", "score": 1.0}
    assert resolved(ENTERPRISE, "Senoir Product Manger").to_dict().keys() == {"basis", "score"}


def test_an_error_names_the_family_only_when_it_read_one():
    other = resolve(ENTERPRISE, "Senior Project Manager", as_of=DAY, vocabulary=VOCABULARY)
    assert isinstance(other, ResolveError)
    assert other.to_dict()["family"] == "project-management"
    unresolved = failed(ENTERPRISE, "Chief Vibes Officer")
    assert "family" not in unresolved.to_dict()


def test_a_translation_reports_the_parse_of_an_answer_and_of_an_error():
    understood = translate(REFERENCE, REFERENCE, "SVP, Product", DAY, VOCABULARY)
    assert understood.understanding is understood.resolution.understanding
    assert understood.to_dict()["understanding"]["seniority"] == ["svp"]
    refused = translate(ENTERPRISE, REFERENCE, "Senior Project Manager", DAY, VOCABULARY)
    assert not refused.ok and refused.understanding is refused.error.understanding
    assert refused.to_dict()["understanding"]["family"] == "project-management"
    assert translate(ENTERPRISE, REFERENCE, "Sr. PM", DAY).to_dict()["understanding"] is None
