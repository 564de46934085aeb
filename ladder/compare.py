"""Ladders side by side: the data behind ``/compare/`` and ``GET /api/v1/compare`` (DESIGN §6).

One function builds the comparison as plain data: the reference ladder and each company as columns,
each level a box from ``scale_from`` to ``scale_to``, and the translation links between columns. The
links come from the translation engine (``translate_level``: what ``/translate`` answers for the
level's own title), so the chart and the API never disagree. ``ladder.compare_layout`` turns that
data into coordinates for the SVG chart, shared by the page, its downloads and the admin ladder page.

The number of queries is constant: one for the ladders (with tenancy), cached snapshots, one for the
levels' anchors and provenance, one for the companies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ladder.choices import Anchor, Track
from ladder.engine.constants import REFERENCE_KEY
from ladder.engine.levels import LevelSnap
from ladder.engine.snapshot import LadderSnapshot
from ladder.engine.translate import translate_level
from ladder.exceptions import ValidationFailed
from ladder.models import Company, Framework, Level
from ladder.tenancy import Caller
from ladder.translation.ladders import FrameworkRef, LadderRef
from ladder.translation.service import ladders_by_company, pick_framework
from ladder.translation.snapshots import cached_framework_snapshot, ladder_snapshots

MAX_COMPANIES = 8
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,64}$")
# ``companies=``: slugs separated by commas (spaces and empty items tolerated). Written with literal
# characters only, so that the OpenAPI schema (ECMA regex) and Python agree on every string.
COMPANIES_PATTERN = r"^[ ,]*[-a-zA-Z0-9_]{1,64}( *,[ ,]*[-a-zA-Z0-9_]{1,64})*[ ,]*$"

# One colour per track everywhere (page, downloads, admin): stroke and fill, readable in print.
TRACK_COLOURS = {
    Track.IC: ("#2f63a8", "#dce8f7"),
    Track.MANAGEMENT: ("#b35c12", "#fbe4cf"),
    Track.EXECUTIVE: ("#6f3f9a", "#ebdff5"),
}
TRACK_LABELS = dict(Track.choices)
LEADERSHIP = {Track.MANAGEMENT, Track.EXECUTIVE}


def parse_companies(values: list[str]) -> list[str]:
    """``companies=a,b,c`` (or the parameter repeated) as an ordered list of distinct slugs."""
    slugs: list[str] = []
    for value in values:
        for part in value.split(","):
            slug = part.strip()
            if not slug:
                continue
            if not SLUG_RE.match(slug):
                raise ValidationFailed(
                    "invalid", f"{slug[:40]!r} is not a company slug (letters, digits, - and _).", "companies"
                )
            if slug != REFERENCE_KEY and slug not in slugs:
                slugs.append(slug)
    if len(slugs) > MAX_COMPANIES:
        raise ValidationFailed(
            "too_many_companies",
            f"Compare at most {MAX_COMPANIES} companies at once ({len(slugs)} given).",
            "companies",
        )
    return slugs


@dataclass(frozen=True)
class Comparison:
    """The comparison as plain data; ``as_dict`` is the JSON answer."""

    framework: FrameworkRef | Framework
    as_of: date
    columns: list[dict[str, Any]]
    links: list[dict[str, Any]]
    scale_from: float
    scale_to: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework.slug,
            "framework_name": self.framework.name,
            "as_of": self.as_of.isoformat(),
            "scale": {"from": self.scale_from, "to": self.scale_to},
            "tracks": [
                {"track": t, "label": TRACK_LABELS[t], "colour": TRACK_COLOURS[t][0], "fill": TRACK_COLOURS[t][1]}
                for t in Track.values
            ],
            "columns": self.columns,
            "links": self.links,
        }

    def box(self, box_id: str) -> dict[str, Any] | None:
        for column in self.columns:
            for box in column["boxes"]:
                if box["id"] == box_id:
                    return box
        return None

    def links_from(self, box_id: str) -> list[dict[str, Any]]:
        return [link for link in self.links if link["source"] == box_id]


def build_comparison(
    *, caller: Caller, slugs: list[str], framework: str | None, as_of: date, links: str = "adjacent"
) -> Comparison:
    """The comparison of the named companies the caller may read (another tenant's private ones: ``NotFound``)."""
    if not slugs:
        raise ValidationFailed("required", "Name at least one company: ?companies=a,b,c", "companies")
    by_company = ladders_by_company(caller=caller, slugs=dict.fromkeys(slugs, "companies"), framework=framework)
    framework_ref = pick_framework(by_company, framework)
    ordered = [by_company[slug][framework_ref.slug] for slug in slugs]
    return comparison_of_ladders(ordered, framework_ref, as_of=as_of, links=links)


def comparison_of_ladders(
    ladders: list[LadderRef], framework: FrameworkRef | Framework, *, as_of: date, links: str = "adjacent"
) -> Comparison:
    """The reference ladder, then the given ladders in order, with the translation links between them."""
    snaps = ladder_snapshots(ladders)
    fw_snap = cached_framework_snapshot(framework)
    details = {
        row["id"]: row
        for row in Level.objects.filter(ladder_id__in=[lr.pk for lr in ladders], is_active=True).values(
            "id", "anchor", "provenance", "description"
        )
    }
    companies = {
        row["slug"]: row
        for row in Company.objects.filter(slug__in=[lr.company.slug for lr in ladders]).values(
            "slug", "name", "is_public", "sources"
        )
    }
    reference = fw_snap.ladder
    columns = [_column(reference, framework.name, True, None, [], {}, as_of)]
    pairs: list[LadderSnapshot] = [reference]
    for lr in ladders:
        snap = snaps[lr.pk]
        company = companies.get(lr.company.slug, {})
        columns.append(
            _column(
                snap,
                company.get("name", lr.company.slug),
                bool(company.get("is_public")),
                lr.version,
                company.get("sources") or [],
                details,
                as_of,
            )
        )
        pairs.append(snap)
    boxes = [box for column in columns for box in column["boxes"]]
    lo = min([0.5, *(b["scale_from"] for b in boxes)])
    hi = max([float(len({r.position for r in fw_snap.reference_levels})) + 0.5, *(b["scale_to"] for b in boxes)])
    return Comparison(
        framework=framework,
        as_of=as_of,
        columns=columns,
        links=_links(pairs, links),
        scale_from=lo,
        scale_to=hi,
    )


def _column(
    snap: LadderSnapshot,
    name: str,
    is_public: bool,
    version: int | None,
    sources: list[dict[str, Any]],
    details: dict[int, dict[str, Any]],
    as_of: date,
) -> dict[str, Any]:
    is_reference = snap.is_reference
    aliases: dict[int, list[str]] = {}
    for alias in snap.aliases:
        if alias.is_valid_on(as_of):
            aliases.setdefault(alias.level_id, []).append(alias.title)
    boxes = []
    for level in snap.levels:
        detail = details.get(level.id, {})
        boxes.append(
            {
                "id": box_id(snap.key, level.id),
                "level_id": None if is_reference else level.id,
                "title": level.title,
                "code": level.code,
                "track": level.track,
                "rank": level.rank,
                "scale_from": level.scale_from,
                "scale_to": level.scale_to,
                "reference_level": level.reference_level,
                "anchor": "reference" if is_reference else detail.get("anchor", Anchor.EXPLICIT),
                "aliases": sorted(aliases.get(level.id, [])),
                "description": detail.get("description", ""),
                "provenance": clean_provenance(detail.get("provenance")),
                "lane": 0,
            }
        )
    lanes = assign_lanes(boxes)
    return {
        "key": snap.key,
        "name": name,
        "is_reference": is_reference,
        "is_public": True if is_reference else is_public,
        "ladder_version": version,
        "sources": [{**source, "url": safe_url(source.get("url"))} for source in sources if isinstance(source, dict)],
        "lanes": lanes,
        "boxes": boxes,
    }


def safe_url(url: Any) -> str:
    """A source address as it may be linked: only http(s); anything else (``javascript:``…) is dropped."""
    return url if isinstance(url, str) and url.lower().startswith(("https://", "http://")) else ""


def clean_provenance(provenance: Any) -> dict[str, Any] | None:
    """A level's provenance with linkable addresses only (catalog data is community data)."""
    if not isinstance(provenance, dict) or not provenance:
        return None
    return {
        "sources": [
            {**s, "url": safe_url(s.get("url"))} for s in provenance.get("sources") or [] if isinstance(s, dict)
        ],
        "note": provenance.get("note") or "",
        "disagreements": [
            {**d, "url": safe_url(d.get("url"))} for d in provenance.get("disagreements") or [] if isinstance(d, dict)
        ],
    }


def box_id(column_key: str, level_id: int) -> str:
    return f"{column_key}:{level_id}"


def assign_lanes(boxes: list[dict[str, Any]]) -> int:
    """Tracks side by side: individual contributors on the left, leadership (management and executive,
    neighbours on the scale) to the right; boxes of one group that overlap get lanes of their own.
    Sets each box's ``lane`` and returns the number of lanes."""
    lanes = 0
    for group in ([b for b in boxes if b["track"] not in LEADERSHIP], [b for b in boxes if b["track"] in LEADERSHIP]):
        if not group:
            continue
        ends: list[float] = []  # per lane of this group: where its highest box ends
        for box in sorted(group, key=lambda b: (b["scale_from"], b["rank"])):
            for i, end in enumerate(ends):
                if box["scale_from"] >= end - 1e-9:
                    ends[i] = box["scale_to"]
                    box["lane"] = lanes + i
                    break
            else:
                box["lane"] = lanes + len(ends)
                ends.append(box["scale_to"])
        lanes += len(ends)
    return max(lanes, 1)


def _links(columns: list[LadderSnapshot], mode: str) -> list[dict[str, Any]]:
    """What each level translates to in the other columns: the best level and the alternatives."""
    links = []
    for i, source in enumerate(columns):
        targets = [j for j in range(len(columns)) if j != i and (mode == "all" or abs(i - j) == 1)]
        for level in source.levels:
            for j in targets:
                target = columns[j]
                result = translate_level(source, target, level)
                if result.target_level is None:
                    continue
                links.append(_link(source, target, level, result.target_level, result.confidence, result.basis, True))
                links.extend(
                    _link(source, target, level, alt.level, alt.confidence, alt.basis, False)
                    for alt in result.alternatives
                    if alt.basis != "nearest"
                )
    return links


def _link(
    source: LadderSnapshot, target: LadderSnapshot, level: LevelSnap, to: LevelSnap, confidence, basis, best
) -> dict[str, Any]:
    return {
        "source": box_id(source.key, level.id),
        "target": box_id(target.key, to.id),
        "confidence": confidence,
        "basis": basis,
        "best": best,
    }
