"""What a load reads, remembers and reports: the fixture files, ``FixtureState`` rows, the three-way merge."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from ladder.models import FixtureState

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


def read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def content_hash(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class LoadReport:
    """What a load did, one line per object that was not simply unchanged."""

    fixture: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unchanged: int = 0
    loaded: list[str] = field(default_factory=list)  # top-level objects (frameworks, companies)

    def lines(self) -> list[str]:
        head = (
            f"{self.fixture}: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.kept)} edits kept, {len(self.adopted)} adopted, {len(self.retired)} retired, "
            f"{self.unchanged} unchanged, {len(self.errors)} errors"
        )
        out = [head, *(f"  note: {n}" for n in self.notes)]
        for label, items in (
            ("created", self.created),
            ("updated", self.updated),
            ("kept edit", self.kept),
            ("adopted", self.adopted),
            ("retired", self.retired),
            ("ERROR", self.errors),
        ):
            out.extend(f"  {label}: {item}" for item in items)
        return out


class FixtureStates:
    """The fixture's ``FixtureState`` rows, read once and written back at the end."""

    def __init__(self, fixture: str) -> None:
        self.fixture = fixture
        self.rows = {s.key: s for s in FixtureState.objects.filter(fixture=fixture)}
        self.seen: set[str] = set()

    def get(self, key: str) -> FixtureState | None:
        return self.rows.get(key)

    def set(self, key: str, values: dict[str, Any], object_id: int | None) -> None:
        self.seen.add(key)
        state = self.rows.get(key)
        digest = content_hash(values)
        if state is None:
            self.rows[key] = FixtureState.objects.create(
                fixture=self.fixture, key=key, values=values, content_hash=digest, object_id=object_id
            )
        elif state.content_hash != digest or state.object_id != object_id:
            state.values, state.content_hash, state.object_id = values, digest, object_id
            state.save(update_fields=["values", "content_hash", "object_id"])

    def forget(self, key: str) -> None:
        state = self.rows.pop(key, None)
        if state is not None:
            state.delete()

    def under(self, prefix: str) -> list[FixtureState]:
        return [s for k, s in self.rows.items() if k.startswith(prefix)]


def merge_fields(
    want: dict[str, Any], last: dict[str, Any] | None, have: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The three-way merge of one object: the fields to write, and the edited fields that are kept.

    ``want`` is the fixture now, ``last`` the fixture at the last load, ``have`` the database.
    """
    if last is None:
        return {}, []
    apply, kept = {}, []
    for name, value in want.items():
        if name in last and last[name] == value:
            continue  # the fixture did not change this field
        if name not in last or have.get(name) == last[name]:
            if have.get(name) != value:
                apply[name] = value
        elif have.get(name) != value:
            kept.append(name)
    return apply, kept


def merge_simple(obj, key: str, want: dict[str, Any], states: FixtureStates, report: LoadReport, save) -> None:
    """Apply what the fixture changed and nobody edited since, through ``save(obj, changes)`` (a service)."""
    state = states.get(key)
    if state is None:
        report.adopted.append(key)
        return
    apply, kept = merge_fields(want, state.values, {name: getattr(obj, name) for name in want})
    if apply:
        save(obj, apply)
    note(report, key, apply, kept)


def note(report: LoadReport, key: str, apply: dict[str, Any], kept: list[str]) -> None:
    if apply:
        report.updated.append(f"{key} ({', '.join(sorted(apply))})")
    if kept:
        report.kept.append(f"{key} ({', '.join(sorted(kept))}: edited since the last load)")
    if not apply and not kept:
        report.unchanged += 1
