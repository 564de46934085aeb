"""Small hand-made ladders shared by the engine tests."""

from __future__ import annotations

from datetime import date

from ladder.engine.levels import AliasSnap, LevelSnap, ReferenceLevelSnap
from ladder.engine.snapshot import FrameworkSnapshot, LadderSnapshot


def level(
    id: int,
    title: str,
    start: float,
    end: float,
    track: str = "ic",
    code: str | None = None,
    rank: int | None = None,
    anchor: str | None = None,
) -> LevelSnap:
    return LevelSnap(
        id=id,
        title=title,
        code=code,
        track=track,
        rank=id if rank is None else rank,
        scale_from=start,
        scale_to=end,
        reference_level=anchor,
    )


FRAMEWORK = FrameworkSnapshot(
    slug="product-management",
    name="Product Management",
    reference_levels=(
        ReferenceLevelSnap(
            id=901,
            slug="apm",
            name="Associate Product Manager",
            track="ic",
            position=1,
            focus_hands_on=80,
            focus_soft=20,
            responsibilities=("ship small features", "analyse customer feedback", "recommend UX changes"),
            aliases=("Junior Product Manager", "Product Owner"),
            promotes_to=("pm",),
        ),
        ReferenceLevelSnap(
            id=902,
            slug="pm",
            name="Product Manager",
            track="ic",
            position=2,
            focus_hands_on=70,
            focus_soft=30,
            responsibilities=("ship small features", "own the product roadmap", "approve associate proposals"),
            promotes_to=("senior-pm",),
        ),
        ReferenceLevelSnap(
            id=903,
            slug="senior-pm",
            name="Senior Product Manager",
            track="ic",
            position=3,
            focus_hands_on=55,
            focus_soft=45,
            responsibilities=("own the product roadmap", "lead without authority", "coach junior PMs"),
            promotes_to=("group-pm", "principal-pm", "director"),
        ),
        ReferenceLevelSnap(
            id=904,
            slug="principal-pm",
            name="Principal Product Manager",
            track="ic",
            position=4,
            focus_hands_on=50,
            focus_soft=50,
            responsibilities=("lead without authority", "own a large product area"),
            promotes_to=("director",),
        ),
        ReferenceLevelSnap(
            id=905,
            slug="group-pm",
            name="Group Product Manager",
            track="management",
            position=4,
            focus_hands_on=40,
            focus_soft=60,
            responsibilities=("manage a team of PMs", "coach junior PMs"),
            promotes_to=("director",),
        ),
        ReferenceLevelSnap(
            id=906,
            slug="director",
            name="Director of Product",
            track="management",
            position=5,
            focus_hands_on=25,
            focus_soft=75,
            responsibilities=("build team processes", "tie KPIs to business metrics", "mentor the PM team"),
            aliases=("Head of Product",),
            promotes_to=("vp",),
        ),
        ReferenceLevelSnap(
            id=907,
            slug="vp",
            name="VP of Product",
            track="executive",
            position=6,
            focus_hands_on=15,
            focus_soft=85,
            responsibilities=("align strategy with company goals", "own budgets and resources"),
            promotes_to=("cpo",),
        ),
        ReferenceLevelSnap(
            id=908,
            slug="cpo",
            name="Chief Product Officer",
            track="executive",
            position=7,
            focus_hands_on=10,
            focus_soft=90,
            responsibilities=("set organisation-wide product strategy", "own budgets and resources"),
        ),
    ),
)

REFERENCE = FRAMEWORK.to_ladder()

# Three titles; the head of product covers everything from principal to VP.
STARTUP = LadderSnapshot.build(
    key="startup",
    framework="product-management",
    version=1,
    levels=[
        level(1, "Product Manager", 0.5, 2.5, anchor="pm"),
        level(2, "Senior Product Manager", 2.5, 3.5, anchor="senior-pm"),
        level(3, "Head of Product", 3.5, 6.5, track="management", anchor="director"),
    ],
)

# Twelve levels with codes on both tracks, default spans except a split director band.
ENTERPRISE = LadderSnapshot.build(
    key="enterprise",
    framework="product-management",
    version=3,
    levels=[
        level(11, "Associate Product Manager", 0.5, 1.5, code="L3", anchor="apm"),
        level(12, "Product Manager", 1.5, 2.5, code="L4", anchor="pm"),
        level(13, "Senior Product Manager", 2.5, 3.5, code="L5", anchor="senior-pm"),
        level(14, "Principal Product Manager", 3.5, 4.5, code="L6", anchor="principal-pm"),
        level(15, "Senior Principal Product Manager", 4.5, 5.5, code="L7", anchor="director"),
        level(16, "Distinguished Product Manager", 5.5, 6.5, code="L8", anchor="vp"),
        level(21, "Group Product Manager", 3.5, 4.5, track="management", code="M1", anchor="group-pm"),
        level(22, "Director of Product", 4.5, 5.0, track="management", code="M2", anchor="director"),
        level(23, "Senior Director of Product", 5.0, 5.5, track="management", code="M3", anchor="director"),
        level(31, "VP of Product", 5.5, 6.5, track="executive", code="E1", anchor="vp"),
        level(32, "Senior VP of Product", 6.0, 7.0, track="executive", code="E2", anchor="vp"),
        level(33, "Chief Product Officer", 6.5, 7.5, track="executive", code="E3", anchor="cpo"),
    ],
    aliases=[
        AliasSnap("Sr. PM", 13),
        AliasSnap("Lead Product Manager", 14),
        AliasSnap("Product Owner", 12, valid_from=date(2015, 1, 1), valid_to=date(2020, 1, 1)),
        AliasSnap("Senior Product Owner", 13, valid_from=date(2020, 1, 1)),
        AliasSnap("Product Lead", 21, valid_to=date(2018, 7, 1)),
    ],
)

# Every level from IC3 to IC6 is a "Product Manager"; only the code tells them apart.
CODED = LadderSnapshot.build(
    key="coded",
    framework="product-management",
    version=1,
    levels=[
        level(41, "Associate Product Manager", 0.5, 1.5, code="IC3", anchor="apm"),
        level(42, "Product Manager", 1.5, 2.5, code="IC4", anchor="pm"),
        level(43, "Product Manager", 2.5, 3.5, code="IC5", anchor="senior-pm"),
        level(44, "Product Manager", 3.5, 4.5, code="IC6", anchor="principal-pm"),
        level(45, "Product Director", 4.5, 5.5, track="management", code="D1", anchor="director"),
    ],
)

# Levels with numbered titles, to check that level numbers are never fuzzed away.
NUMBERED = LadderSnapshot.build(
    key="numbered",
    framework="product-management",
    version=1,
    levels=[
        level(51, "Product Manager", 1.0, 1.5),
        level(52, "Product Manager 2", 1.5, 2.5),
        level(53, "Product Manager 3", 2.5, 3.5),
        level(54, "Director", 4.5, 5.0, track="management"),
        level(55, "Senior Director", 5.0, 5.5, track="management"),
    ],
)

ALL_LADDERS = (REFERENCE, STARTUP, ENTERPRISE, CODED, NUMBERED)
