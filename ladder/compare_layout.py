"""Layout for the SVG chart of a comparison (``ladder.compare``): coordinates for every column, lane
and box, and the labels that fit inside each box. Shared by the ``/compare/`` page, its downloads and
the admin's ladder page. Plain data in and out; no queries.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from ladder.choices import Anchor, Track
from ladder.compare import TRACK_COLOURS, TRACK_LABELS, Comparison

CHAR_WIDTH = 0.6  # a generous glyph width of the system sans-serif, as a share of the font size
CHART_WIDTH = 1330.0  # what the page has on a 1,400 px wide window
CONFIDENCE_ROOM = 36.0  # pixels kept free at the right of a box for its confidence ("0.95")
NARROW = 84.0  # below this inner width a box shows its code and initials instead of words


@dataclass(frozen=True)
class ChartStyle:
    unit: float = 84.0  # pixels per step of the reference scale
    column_width: float = 200.0
    gap: float = 18.0
    axis: float = 44.0
    header: float = 52.0
    footer: float = 12.0
    title_size: float = 12.0
    code_size: float = 11.0


COMPACT = ChartStyle(unit=54.0, column_width=320.0, gap=14.0, axis=30.0, header=30.0, title_size=11.0, code_size=10.0)


def _fit(text: str, width: float, size: float) -> str:
    room = max(int(width / (size * CHAR_WIDTH)), 0)
    if len(text) <= room:
        return text
    return (text[: max(room - 1, 0)].rstrip() + "…") if room > 1 else ""


def layout(comparison: Comparison, style: ChartStyle | None = None) -> dict[str, Any]:
    """Coordinates for every column, lane and box, with the labels that fit inside each box."""
    if style is None:
        # Columns share a laptop-wide chart: wide when few, narrower (down to 140 px) when many.
        base = ChartStyle()
        share = (CHART_WIDTH - base.axis) / len(comparison.columns) - base.gap
        style = ChartStyle(column_width=max(140.0, min(300.0, share)))
    lo, hi = comparison.scale_from, comparison.scale_to
    top = style.header

    def y(scale: float) -> float:
        return round(top + (hi - scale) * style.unit, 2)

    columns = []
    for index, column in enumerate(comparison.columns):
        x0 = style.axis + index * (style.column_width + style.gap)
        lane_gap = 4.0
        lane_width = (style.column_width - lane_gap * (column["lanes"] - 1)) / column["lanes"]
        boxes = []
        for box in column["boxes"]:
            bx = x0 + box["lane"] * (lane_width + lane_gap)
            top_y, bottom_y = y(box["scale_to"]) + 1, y(box["scale_from"]) - 1
            height = max(bottom_y - top_y, 2.0)
            lines, conf_y = _box_lines(box, top_y, height, lane_width - 10, style)
            stroke, fill = TRACK_COLOURS.get(box["track"], TRACK_COLOURS[Track.IC])
            boxes.append(
                {
                    **box,
                    "x": round(bx, 2),
                    "y": round(top_y, 2),
                    "width": round(lane_width, 2),
                    "height": round(height, 2),
                    "stroke": stroke,
                    "fill": fill,
                    "lines": lines,
                    "text_x": round(bx + 5, 2),
                    "conf_x": round(bx + lane_width - 5, 2),
                    "conf_y": round(conf_y, 2),
                    "tooltip": _tooltip(column, box),
                    "inferred": box["anchor"] == Anchor.INFERRED,
                }
            )
        columns.append(
            {
                **column,
                "x": x0,
                "center": x0 + style.column_width / 2,
                "label": _fit(column["name"], style.column_width, 13),
                "boxes": boxes,
            }
        )
    # Reference positions on the left axis, with a line at each boundary between two rungs.
    ticks = [
        {"value": p, "y": y(p), "line_y": y(p - 0.5)} for p in range(math.ceil(lo + 0.5), math.floor(hi - 0.5) + 1)
    ]
    width = style.axis + len(columns) * (style.column_width + style.gap)
    height = top + (hi - lo) * style.unit + style.footer
    return {
        "width": round(width, 2),
        "height": round(height, 2),
        "columns": columns,
        "ticks": ticks,
        "plot_left": style.axis,
        "tick_x": style.axis - 8,
        "name_y": 18 if style.header >= 40 else 20,
        "sub_y": 34,
        "plot_right": round(width - style.gap, 2),
        "title_size": style.title_size,
        "code_size": style.code_size,
        "y_of": y,
    }


def _wrap(text: str, width: float, size: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines; what does not fit ends in an ellipsis."""
    room = max(int(width / (size * CHAR_WIDTH)), 1)
    words = text.split()
    lines: list[str] = []
    current = ""
    i = 0
    while i < len(words):
        candidate = f"{current} {words[i]}".strip()
        if len(candidate) <= room or not current:
            current = candidate
            i += 1
        elif len(lines) == max_lines - 1:
            break
        else:
            lines.append(current)
            current = ""
    lines.append(" ".join([current, *words[i:]]).strip())
    return [_fit(line, width, size) for line in lines if line]


def _box_lines(box: dict[str, Any], top: float, height: float, inner: float, style: ChartStyle):
    """The label lines of a box (title wrapped, then code) and where its confidence goes.

    Lines never leave the box: only as many as its height holds are drawn, and the last line keeps
    room at its right for the confidence shown when the box is highlighted.
    """
    title_h, code_h = style.title_size + 3, style.code_size + 3
    if inner < NARROW:
        return _narrow_lines(box, top, height, inner, style)
    code = " · ".join(part for part in (box["code"], "inferred" if box["anchor"] == Anchor.INFERRED else None) if part)
    room = height - 5
    lines: list[dict[str, Any]] = []
    if room < title_h:
        return lines, round(top + height - 2, 2)
    if code and room >= title_h + code_h:
        count = int((room - code_h) // title_h)
        titles = _wrap(box["title"], inner, style.title_size, count)
        y = top + style.title_size + 2
        for text in titles:
            lines.append({"text": text, "y": round(y, 2), "cls": "t", "size": style.title_size})
            y += title_h
        y += code_h - title_h
        lines.append(
            {
                "text": _fit(code, inner - CONFIDENCE_ROOM, style.code_size),
                "y": round(y, 2),
                "cls": "c",
                "size": style.code_size,
            }
        )
        return lines, round(y, 2)
    joined = f"{code} · {box['title']}" if code else box["title"]  # the code first: it tells shared titles apart
    count = int(room // title_h)
    # Only the last line shares its width with the confidence: wrap at the full width and shorten the
    # last line, or wrap every line short; keep whichever cuts less.
    full = _wrap(joined, inner, style.title_size, count)
    if full:
        last = _wrap(full[-1], inner - CONFIDENCE_ROOM, style.title_size, 1)
        full[-1] = last[0] if last else ""
    short = _wrap(joined, inner - CONFIDENCE_ROOM, style.title_size, count)
    titles = min((short, full), key=lambda lines: (sum(line.count("…") for line in lines), len(lines)))
    y = top + style.title_size + 2
    for text in titles:
        lines.append({"text": text, "y": round(y, 2), "cls": "t", "size": style.title_size})
        y += title_h
    return lines, lines[-1]["y"]


def _initials(title: str) -> str:
    """ "Senior Product Manager" -> "SPM": what a narrow box can show of a title (the tooltip has it all)."""
    words = [w for w in re.split(r"[\s,/&()-]+", title) if w]
    return "".join(w if w.isdigit() else w[0].upper() for w in words if len(w) > 2 or w.isupper() or w.isdigit())


def _narrow_lines(box: dict[str, Any], top: float, height: float, inner: float, style: ChartStyle):
    """Labels of a box too narrow for words: the code and the title's initials; the confidence on its
    own line at the bottom."""
    size = style.code_size
    line_h = size + 3
    lines: list[dict[str, Any]] = []
    y = top + size + 2
    for text in (box["code"], _initials(box["title"])):
        if not text or y + line_h > top + height - 2:  # the bottom line stays free for the confidence
            continue
        fitted = _fit(text, inner, size * 1.2)  # short labels are mostly capitals: wider than average
        if fitted:
            lines.append({"text": fitted, "y": round(y, 2), "cls": "t", "size": size})
            y += line_h
    return lines, round(top + height - 4, 2)


def _tooltip(column: dict[str, Any], box: dict[str, Any]) -> str:
    parts = [f"{column['name']}: {box['title']}"]
    if box["code"]:
        parts[0] += f" ({box['code']})"
    parts.append(f"{TRACK_LABELS.get(box['track'], box['track'])}, scale {box['scale_from']:g}–{box['scale_to']:g}")
    if box["anchor"] == Anchor.INFERRED:
        parts.append(f"anchor inferred: {box['reference_level']}")
    elif box["reference_level"] and not column["is_reference"]:
        parts.append(f"anchor: {box['reference_level']}")
    if box["aliases"]:
        parts.append("also: " + ", ".join(box["aliases"]))
    return "\n".join(parts)
