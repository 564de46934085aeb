"""Anchor inference for writes: one helper for the ladder document and for single levels."""

from __future__ import annotations

from ladder.engine.anchors import infer_anchors
from ladder.models import Framework, Ladder, Level, ReferenceLevel
from ladder.selectors import framework_snapshot

AnchorRow = tuple[str, str, int, str | None]  # title, track, rank, the given anchor's slug (or None)


def infer_missing(framework: Framework, rows: list[AnchorRow], by_slug: dict[str, ReferenceLevel]) -> list[str | None]:
    """The inferred anchor's slug for each row (rows with an anchor keep theirs); ``[]`` when nothing
    is missing or the framework has no rungs to anchor to."""
    if not by_slug or all(row[3] is not None for row in rows):
        return []
    return infer_anchors(rows, framework_snapshot(framework))


def infer_level_anchor(ladder: Ladder, level: Level, siblings: list[Level]) -> ReferenceLevel | None:
    """The anchor inferred for one level among the other active levels of its ladder (``siblings``:
    its other stored levels, ``checks.sibling_levels``)."""
    by_slug = {rl.slug: rl for rl in ladder.framework.reference_levels.all()}
    others = [lv for lv in siblings if lv.is_active]
    rows = [(lv.title, lv.track, lv.rank, lv.reference_level.slug if lv.reference_level else None) for lv in others]
    rows.append((level.title, level.track, level.rank, None))
    slugs = infer_missing(ladder.framework, rows, by_slug)
    return by_slug.get(slugs[-1]) if slugs and slugs[-1] else None
