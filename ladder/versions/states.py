"""A level's state: the whole level (fields and aliases) as JSON-ready data, as a version keeps it.

No queries here: the state of a level object, the order of the ladder document, the document's shape
of a state, and an alias back into the services' input.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ladder.level_fields import DOCUMENT_LEVEL_FIELDS


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def iso_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def alias_state(alias) -> dict[str, Any]:
    """An alias as JSON-ready data (dates as ISO strings)."""
    return {
        "title": alias.title,
        "valid_from": _iso(alias.valid_from),
        "valid_to": _iso(alias.valid_to),
        "external_id": alias.external_id,
    }


def level_state(level, aliases) -> dict[str, Any]:
    """A level's whole state as JSON-ready data (works on historical models in migrations too)."""
    ref = level.reference_level if level.reference_level_id else None
    if level.scale_from is not None and level.scale_to is not None:
        interval = [float(level.scale_from), float(level.scale_to)]
    elif ref is not None:
        interval = [ref.position - 0.5, ref.position + 0.5]
    else:
        interval = None
    return {
        "id": level.pk,
        "title": level.title,
        "code": level.code,
        "track": level.track,
        "rank": level.rank,
        "reference_level": ref.slug if ref is not None else None,
        "anchor": level.anchor,
        "scale_from": level.scale_from,
        "scale_to": level.scale_to,
        "interval": interval,
        "description": level.description,
        "external_id": level.external_id,
        "is_active": level.is_active,
        "aliases": sorted(
            (alias_state(a) for a in aliases),
            key=lambda a: (a["title"], a["valid_from"] or "", a["external_id"] or ""),
        ),
    }


def ordered(states: dict[int, dict[str, Any]] | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Levels in the ladder document's order: rank, then id (new levels of a scheduled version last)."""
    items = list(states.values()) if isinstance(states, dict) else list(states)
    return sorted(items, key=lambda s: (s["rank"], s["id"] is None, s["id"] or 0, s["title"]))


def document_levels(states) -> list[dict[str, Any]]:
    """Level states in the ladder document's shape (``scale_from``/``scale_to`` are the interval)."""
    out = []
    for s in ordered(states):
        level = {name: s[name] for name in DOCUMENT_LEVEL_FIELDS}
        level["scale_from"], level["scale_to"] = s.get("interval") or (None, None)
        out.append({**level, "aliases": s["aliases"]})
    return out
