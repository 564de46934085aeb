"""What several engine test modules use: resolution checks, the shipped vocabulary, titles of other
job families, and hypothesis strategies for ladders and batch items.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import strategies as st

from ladder.engine.constants import TRACKS
from ladder.engine.levels import LevelSnap
from ladder.engine.resolve import resolve
from ladder.engine.results import Resolution, ResolveError, TitleQuery, TranslationResult
from ladder.engine.snapshot import LadderSnapshot
from ladder.engine.understand import Vocabulary
from tests.engine.ladders import FRAMEWORK

DAY = date(2025, 1, 1)


def resolved(snapshot, title, code=None, as_of=DAY) -> Resolution:
    result = resolve(snapshot, title, code, as_of)
    assert isinstance(result, Resolution), result
    return result


def failed(snapshot, title, code=None, as_of=DAY) -> ResolveError:
    result = resolve(snapshot, title, code, as_of)
    assert isinstance(result, ResolveError), result
    return result


VOCABULARY_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "vocabulary" / "title-vocabulary.json"
VOCABULARY = Vocabulary.from_file(VOCABULARY_FILE)


# One trap per family: a title that shares words with product management but is not one.
FAMILY_TRAPS = [
    ("Senior Product Marketing Manager", "product-marketing"),
    ("Lead Product Designer", "product-design"),
    ("Senior Product Analyst", "product-analytics"),
    ("Product Operations Manager", "product-operations"),
    ("Product Support Specialist", "product-support"),
    ("Senior Production Manager", "production"),
    ("Senior Project Manager", "project-management"),
    ("Senior Technical Program Manager", "programme-management"),
    ("Senior Product Engineer", "engineering"),
    ("Product Data Scientist", "data-science"),
    ("Sales Director", "sales"),
    ("Key Account Manager", "account-management"),
    ("Customer Success Manager", "customer-success"),
    ("Senior Brand Manager", "brand-marketing"),
    ("Merchandising Manager", "merchandising"),
]


_STARTS = [x / 4 for x in range(2, 30)]


_WIDTHS = [0.25, 0.5, 1.0, 1.5, 3.0]


@st.composite
def ladders(draw, key: str, min_size: int = 1, max_size: int = 8) -> LadderSnapshot:
    count = draw(st.integers(min_size, max_size))
    levels = [
        LevelSnap(
            id=100 + i,
            title=f"{key} rung {chr(97 + i)}",
            code=f"{key[0].upper()}{i}",
            track=draw(st.sampled_from(TRACKS)),
            rank=draw(st.integers(1, 20)),
            scale_from=(start := draw(st.sampled_from(_STARTS))),
            scale_to=start + draw(st.sampled_from(_WIDTHS)),
        )
        for i in range(count)
    ]
    return LadderSnapshot.build(key=key, framework="product-management", version=1, levels=levels)


@st.composite
def anchored_ladders(draw) -> LadderSnapshot:
    """Levels placed on reference rungs with default spans, on the rung's own track."""
    rungs = draw(st.lists(st.sampled_from(FRAMEWORK.reference_levels), min_size=1, max_size=8))
    levels = [
        LevelSnap(
            id=200 + i,
            title=f"charlie rung {chr(97 + i)}",
            code=None,
            track=rung.track,
            rank=i + 1,
            scale_from=rung.position - 0.5,
            scale_to=rung.position + 0.5,
            reference_level=rung.slug,
        )
        for i, rung in enumerate(rungs)
    ]
    return LadderSnapshot.build(key="charlie", framework="product-management", version=1, levels=levels)


def same_answer(left: TranslationResult, right: TranslationResult) -> None:
    assert left.target_level == right.target_level
    assert left.basis == right.basis
    assert [(a.level, a.basis, a.confidence) for a in left.alternatives] == [
        (a.level, a.basis, a.confidence) for a in right.alternatives
    ]
    assert left.confidence == right.confidence


ITEMS = st.one_of(
    st.sampled_from(["Sr. PM", "Senior Product Manager", "Product Manager", "VP", "Chief Vibes Officer", "", "IC5"]),
    st.text(max_size=40),
    st.builds(TitleQuery, st.sampled_from(["Product Manager", "", "Director"]), st.sampled_from([None, "IC5", "L4"])),
    st.fixed_dictionaries({"title": st.sampled_from(["Product Manager", "x"]), "code": st.sampled_from(["IC4", None])}),
)
