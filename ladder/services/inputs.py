"""The plain inputs of a document write, and their conversion from stored level states."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ladder.choices import Track
from ladder.level_fields import WRITABLE_LEVEL_FIELDS
from ladder.models import Ladder, ReferenceLevel
from ladder.versions.states import iso_date


@dataclass(frozen=True)
class LadderWrite:
    ladder: Ladder
    changed: bool
    created: bool


@dataclass
class AliasInput:
    title: str
    valid_from: date | None = None
    valid_to: date | None = None
    external_id: str | None = None


@dataclass
class LevelInput:
    """One level of a ladder document, after field-level parsing by the serializer."""

    title: str
    code: str | None = None
    track: str = Track.IC
    rank: int | None = None
    reference_level: ReferenceLevel | None = None
    scale_from: float | None = None
    scale_to: float | None = None
    description: str = ""
    external_id: str | None = None
    is_active: bool = True
    aliases: list[AliasInput] = field(default_factory=list)
    provenance: dict[str, Any] | None = None  # None: keep what the level has (the API never sends it)


def alias_input(values: dict[str, Any]) -> AliasInput:
    """An alias in JSON-ready form (``versions.states.alias_state``'s) as the services take it."""
    return AliasInput(
        title=values["title"],
        valid_from=iso_date(values["valid_from"]),
        valid_to=iso_date(values["valid_to"]),
        external_id=values["external_id"],
    )


def level_inputs(states: list[dict[str, Any]], framework) -> list[LevelInput]:
    """Level states (a scheduled version's, say) as the input of a whole-document write; an anchor that
    was inferred is inferred again."""
    by_slug = {rl.slug: rl for rl in framework.reference_levels.all()}
    inputs = []
    for s in states:
        values = {name: s[name] for name in WRITABLE_LEVEL_FIELDS}
        explicit = s["anchor"] == "explicit" and s["reference_level"] in by_slug
        values["reference_level"] = by_slug[s["reference_level"]] if explicit else None
        inputs.append(LevelInput(**values, aliases=[alias_input(a) for a in s["aliases"]]))
    return inputs
