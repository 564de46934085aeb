"""The chart layout as plain data: lanes, label fitting and positions (no database, no browser)."""

from __future__ import annotations

from datetime import date

from ladder.compare import Comparison, assign_lanes
from ladder.compare_layout import COMPACT, ChartStyle, _initials, _wrap, layout
from ladder.translation.ladders import FrameworkRef


def _box(box_id, track, lo, hi, title="Product Manager", code=None, anchor="explicit", rank=1):
    return {
        "id": box_id,
        "level_id": 1,
        "title": title,
        "code": code,
        "track": track,
        "rank": rank,
        "scale_from": lo,
        "scale_to": hi,
        "reference_level": None,
        "anchor": anchor,
        "aliases": [],
        "description": "",
        "provenance": None,
        "lane": 0,
    }


def test_tracks_get_lanes_side_by_side_and_overlaps_split():
    boxes = [
        _box("a", "ic", 0.5, 1.5),
        _box("b", "ic", 1.5, 2.5),
        _box("c", "ic", 2.0, 3.0),  # overlaps b: another lane
        _box("d", "management", 3.5, 4.5),
        _box("e", "executive", 4.5, 5.5),  # a leadership neighbour: shares the management lane
    ]
    assert assign_lanes(boxes) == 3
    lanes = {b["id"]: b["lane"] for b in boxes}
    assert lanes["a"] == lanes["b"] != lanes["c"]
    assert lanes["d"] == lanes["e"] == 2


def test_labels_wrap_and_shorten():
    assert _wrap("Senior Product Manager", 50, 10, 3) == ["Senior", "Product", "Manager"]
    assert _wrap("Senior Product Manager", 100, 10, 3) == ["Senior Product", "Manager"]
    assert _wrap("Senior Product Manager", 200, 10, 1) == ["Senior Product Manager"]
    assert _wrap("Director of Product Management", 80, 10, 2)[-1].endswith("…")
    assert _initials("Senior Manager, Product Management") == "SMPM"
    assert _initials("Product Manager 2") == "PM2"


def test_every_label_stays_inside_its_box():
    tall = [
        _box(f"x:{i}", "ic", 0.5 + i * 0.5, 1.0 + i * 0.5, title="Principal Product Manager", code="L7")
        for i in range(6)
    ]
    thin = [
        _box("y:1", "management", 3.0, 3.15, title="Head of Product"),
        _box("y:2", "executive", 5.0, 7.5, anchor="inferred"),
    ]
    comparison = Comparison(
        framework=FrameworkRef(1, "product-management", "Product Management", ""),
        as_of=date(2025, 1, 1),
        columns=[
            {"key": "x", "name": "X", "is_reference": False, "lanes": assign_lanes(tall), "boxes": tall},
            {"key": "y", "name": "Y", "is_reference": False, "lanes": assign_lanes(thin), "boxes": thin},
        ],
        links=[],
        scale_from=0.5,
        scale_to=7.5,
    )
    for style in (None, COMPACT, ChartStyle(column_width=90)):
        chart = layout(comparison, style)
        for column in chart["columns"]:
            for box in column["boxes"]:
                for line in box["lines"]:
                    assert box["y"] + line["size"] - 2 <= line["y"] <= box["y"] + box["height"], (box["id"], line)
                assert box["conf_y"] <= box["y"] + box["height"]
        y_of = chart["y_of"]
        first = chart["columns"][0]["boxes"][0]
        assert (
            first["y"] == y_of(first["scale_to"]) + 1 and first["height"] == y_of(first["scale_from"]) - 1 - first["y"]
        )
    inferred = layout(comparison)["columns"][1]["boxes"][1]
    assert inferred["inferred"] and any("inferred" in line["text"] for line in inferred["lines"])
