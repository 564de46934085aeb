"""Merging a fixture's ladder into the database: levels and aliases, without undoing anybody's edits."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from ladder.choices import Anchor
from ladder.engine.normalize import normalize_code, normalize_title
from ladder.fixtures_loader.state import FixtureStates, LoadReport, merge_fields, note
from ladder.level_fields import ALIAS_FIELDS, WRITABLE_LEVEL_FIELDS
from ladder.models import Company, Framework, Ladder, Level, ReferenceLevel, TitleAlias
from ladder.services import LevelInput, ladder_document_put
from ladder.services.inputs import alias_input
from ladder.versions.states import alias_state


def _fixture_level(item: dict[str, Any], index: int, refs: dict[str, ReferenceLevel]) -> dict[str, Any]:
    """A fixture level in the form the database keeps (JSON-ready), for comparisons."""
    code = item.get("code")
    ref = item.get("reference_level") or None
    span = (item.get("scale_from"), item.get("scale_to"))
    if span[0] is None or span[1] is None:
        span = (None, None)
    else:
        span = (float(span[0]), float(span[1]))
        if ref in refs and span == (refs[ref].position - 0.5, refs[ref].position + 0.5):
            span = (None, None)  # the default span follows the anchor (as a ladder document PUT stores it)
    return {
        "title": (item.get("title") or "").strip(),
        "code": normalize_code(code) if code and str(code).strip() else None,
        "track": item.get("track", "ic"),
        "rank": item.get("rank") or index + 1,
        "reference_level": ref,
        "scale_from": span[0],
        "scale_to": span[1],
        "description": item.get("description", ""),
        "external_id": (item.get("external_id") or "").strip() or None,
        "is_active": item.get("is_active", True),
        "provenance": item.get("provenance") or {},
    }


def _db_level(level: Level) -> dict[str, Any]:
    """A level as ``_fixture_level`` gives it (the reference level only when it was given, not inferred)."""
    values = {name: getattr(level, name) for name in WRITABLE_LEVEL_FIELDS}
    explicit = level.reference_level is not None and level.anchor == Anchor.EXPLICIT
    values["reference_level"] = level.reference_level.slug if explicit else None
    return {**values, "provenance": level.provenance or {}}


def _fixture_alias(alias: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(alias, str):
        alias = {"title": alias}
    return {
        "title": alias["title"].strip(),
        "valid_from": alias.get("valid_from") or None,
        "valid_to": alias.get("valid_to") or None,
        "external_id": (alias.get("external_id") or "").strip() or None,
    }


def _level_key(prefix: str, values: dict[str, Any]) -> str:
    if values["external_id"]:
        return f"{prefix}/level:ext:{values['external_id']}"
    if values["code"]:
        return f"{prefix}/level:code:{values['code']}"
    return f"{prefix}/level:title:{normalize_title(values['title'])}"


def _alias_key(level_key: str, values: dict[str, Any]) -> str:
    return f"{level_key}/alias:{normalize_title(values['title'])}:{values['valid_from'] or ''}"


def _input_from_db(level: Level) -> LevelInput:
    return LevelInput(
        **{name: getattr(level, name) for name in WRITABLE_LEVEL_FIELDS},
        aliases=[alias_input(alias_state(a)) for a in level.aliases.all()],
    )


def _apply_level(doc: LevelInput, values: dict[str, Any], refs: dict[str, ReferenceLevel]) -> None:
    for name, value in values.items():
        if name == "reference_level":
            doc.reference_level = refs.get(value) if value else None
        else:
            setattr(doc, name, value)


def _find_level(existing: list[Level], want: dict[str, Any], claimed: set[int]) -> Level | None:
    free = [lv for lv in existing if lv.pk not in claimed]
    for match in (
        lambda lv: want["external_id"] and lv.external_id == want["external_id"],
        lambda lv: want["code"] and lv.code == want["code"],
        lambda lv: lv.title_normalized == normalize_title(want["title"]) and (lv.code or None) == want["code"],
    ):
        found = [lv for lv in free if match(lv)]
        if len(found) == 1:
            return found[0]
    return None


def merge_ladder(
    *,
    company: Company,
    framework: Framework,
    levels_data: list[dict[str, Any]],
    states: FixtureStates,
    report: LoadReport,
) -> None:
    """Bring the fixture's changes to one ladder without undoing anybody's edits."""
    prefix = f"company:{company.slug}/ladder:{framework.slug}"
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    ladder = Ladder.objects.filter(company=company, framework=framework).first()
    if ladder is not None and ladder.archived_at is not None:
        report.kept.append(f"{prefix} (archived by a person; left archived)")
        return
    existing = (
        list(
            Level.objects.filter(ladder=ladder)
            .select_related("reference_level")
            .prefetch_related(Prefetch("aliases", queryset=TitleAlias.objects.order_by("pk")))
            .order_by("rank", "pk")
        )
        if ladder
        else []
    )
    by_pk = {lv.pk: lv for lv in existing}
    docs: dict[int, LevelInput] = {lv.pk: _input_from_db(lv) for lv in existing}
    new_docs: list[tuple[str, dict[str, Any], LevelInput]] = []
    placed: list[tuple[str, dict[str, Any], int]] = []  # (key, values, level id) of matched levels
    alias_states: list[tuple[str, dict[str, Any], str]] = []  # (alias key, values, level key)
    claimed: set[int] = set()
    changed = ladder is None
    seen: set[str] = set()

    for index, item in enumerate(levels_data):
        want = _fixture_level(item, index, refs)
        key = _level_key(prefix, want)
        seen.add(key)
        aliases = [_fixture_alias(a) for a in item.get("aliases", [])]
        state = states.get(key)
        current = by_pk.get(state.object_id) if state is not None else None
        if current is None and state is None:
            current = _find_level(existing, want, claimed)
        if current is None:
            if state is not None:
                report.kept.append(f"{key} (removed by a person; not recreated)")
                continue
            doc = LevelInput(title=want["title"], aliases=[alias_input(a) for a in aliases])
            _apply_level(doc, want, refs)
            new_docs.append((key, want, doc))
            alias_states.extend((_alias_key(key, a), a, key) for a in aliases)
            report.created.append(key)
            changed = True
            continue
        claimed.add(current.pk)
        doc = docs[current.pk]
        if state is None:
            report.adopted.append(key)
        else:
            apply, kept = merge_fields(want, state.values, _db_level(current))
            _apply_level(doc, apply, refs)
            note(report, key, apply, kept)
            changed |= bool(apply)
        changed |= _merge_aliases(key, aliases, current, doc, states, report, alias_states)
        placed.append((key, want, current.pk))

    # Levels this fixture loaded before and no longer lists: retired, unless someone edited them.
    for state in states.under(f"{prefix}/level:"):
        if state.key in seen or "/alias:" in state.key:
            continue
        level = by_pk.get(state.object_id)
        if level is not None and level.is_active and _db_level(level) == state.values:
            docs[level.pk].is_active = False
            report.retired.append(state.key)
            changed = True
        elif level is not None and level.is_active:
            report.kept.append(f"{state.key} (dropped by the fixture but edited since; left active)")
        states.forget(state.key)

    if changed:
        ladder_document_put(
            company=company,
            framework=framework,
            levels=[docs[lv.pk] for lv in existing] + [doc for _, _, doc in new_docs],
        )
        ladder = Ladder.objects.get(company=company, framework=framework)
    else:
        report.unchanged += 1
    # Remember what was loaded: the matched levels, then the created ones (found like a PUT finds them).
    fresh = list(ladder.levels.prefetch_related("aliases")) if ladder else []
    fresh_by_pk = {lv.pk: lv for lv in fresh}
    level_ids: dict[str, int] = {}
    for key, want, pk in placed:
        states.set(key, want, pk)
        level_ids[key] = pk
    taken = {pk for _, _, pk in placed}
    for key, want, _doc in new_docs:
        level = _find_level(fresh, want, taken)
        if level is not None:
            taken.add(level.pk)
            states.set(key, want, level.pk)
            level_ids[key] = level.pk
    for akey, values, level_key in alias_states:
        level = fresh_by_pk.get(level_ids.get(level_key))
        alias = (
            next((a for a in level.aliases.all() if _alias_key(level_key, alias_state(a)) == akey), None)
            if level
            else None
        )
        if alias is not None or states.get(akey) is not None:
            states.set(akey, values, alias.pk if alias else states.get(akey).object_id)


def _merge_aliases(
    level_key: str,
    aliases: list[dict[str, Any]],
    level: Level,
    doc: LevelInput,
    states: FixtureStates,
    report: LoadReport,
    alias_states: list[tuple[str, dict[str, Any], str]],
) -> bool:
    """Merge one level's aliases into its document entry; returns whether anything changes."""
    changed = False
    current = list(level.aliases.all())
    inputs = dict(zip([a.pk for a in current], doc.aliases, strict=True))
    seen: set[str] = set()
    for values in aliases:
        akey = _alias_key(level_key, values)
        seen.add(akey)
        state = states.get(akey)
        alias = next((a for a in current if state is not None and a.pk == state.object_id), None)
        if alias is None and state is None:
            alias = next((a for a in current if _alias_key(level_key, alias_state(a)) == akey), None)
        if alias is None:
            if state is not None:
                report.kept.append(f"{akey} (deleted by a person; not recreated)")
            else:
                doc.aliases.append(alias_input(values))
                report.created.append(akey)
                changed = True
        elif state is None:
            report.adopted.append(akey)
        else:
            apply, kept = merge_fields(values, state.values, alias_state(alias))
            if apply:
                merged = {**alias_state(alias), **apply}
                target = inputs[alias.pk]
                replacement = alias_input(merged)
                for name in ALIAS_FIELDS:
                    setattr(target, name, getattr(replacement, name))
                changed = True
            note(report, akey, apply, kept)
        alias_states.append((akey, values, level_key))
    for state in states.under(f"{level_key}/alias:"):
        if state.key in seen:
            continue
        alias = next((a for a in current if a.pk == state.object_id), None)
        if alias is not None and alias_state(alias) == state.values:
            doc.aliases.remove(inputs[alias.pk])
            report.retired.append(state.key)
            changed = True
        states.forget(state.key)
    return changed
