"""Title translation between companies: loading engine snapshots and answering translate requests.

The engine (``ladder.engine``) works on immutable snapshots. Here they are built from the database
with a constant number of queries and cached per ``(ladder, version)``: a ladder's version grows on
every change, so a changed ladder gets a new key and is never served stale, while an unchanged one
is not rebuilt per request. Two cache tiers: a small in-process dict (no unpickling on the hot path)
in front of Django's cache (Redis when ``REDIS_URL`` is set, so every worker shares the work).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Q

from ladder import versions
from ladder.engine.career import CareerPath, career_path
from ladder.engine.resolve import ResolveError, resolve
from ladder.engine.snapshot import REFERENCE_KEY, AliasSnap, FrameworkSnapshot, LadderSnapshot, LevelSnap
from ladder.engine.translate import TranslationResult, translate_many
from ladder.models import Company, Framework, Ladder, LadderVersion, Level, TitleAlias
from ladder.selectors import framework_snapshot
from ladder.tenancy import Caller, readable_companies

logger = logging.getLogger("pmladder.translation")

MAX_TITLES = 10_000
MAX_TITLE_LENGTH = 200
_LOCAL_LIMIT = 256


class _LocalCache:
    """A bounded, thread-safe LRU of snapshots for this process."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._data: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def set(self, key: str, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.limit:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


local_snapshots = _LocalCache(_LOCAL_LIMIT)


def _cached(key: str) -> Any:
    value = local_snapshots.get(key)
    if value is None:
        try:
            value = cache.get(key)
        except Exception:  # a cache outage must not fail a request: the database still answers
            logger.warning("cache unavailable: snapshot %s read from the database", key, exc_info=True)
            value = None
        if value is not None:
            local_snapshots.set(key, value)
    return value


def _store(key: str, value: Any) -> None:
    local_snapshots.set(key, value)
    try:
        cache.set(key, value, timeout=24 * 3600)
    except Exception:  # same: caching is an optimisation only, so note the outage and go on
        logger.warning("cache unavailable: snapshot %s not stored", key, exc_info=True)


# Bump when the snapshot classes change shape, so that no worker unpickles an older layout.
SNAPSHOT_FORMAT = 2


def ladder_cache_key(ladder: LadderRef) -> str:
    """Everything a snapshot is built from: the ladder's version and the company slug it answers under.

    Reference-level changes that move a ladder's intervals bump the ladder's version (see
    ``ReferenceLevel.save``), so they need no part of their own here.
    """
    return f"snapshot:f{SNAPSHOT_FORMAT}:ladder:{ladder.pk}:v{ladder.version}:{ladder.company.slug}"


def _level_snap(level: Level) -> LevelSnap | None:
    interval = level.interval
    if interval is None:
        return None  # neither an anchor nor a span: the level cannot be placed on the scale
    return LevelSnap(
        id=level.pk,
        title=level.title,
        code=level.code,
        track=level.track,
        rank=level.rank,
        scale_from=float(interval[0]),
        scale_to=float(interval[1]),
        reference_level=level.reference_level.slug if level.reference_level else None,
    )


def ladder_snapshots(ladders: list[LadderRef]) -> dict[int, LadderSnapshot]:
    """Snapshots of the given ladders: from the caches, or built with two queries for all misses."""
    found: dict[int, LadderSnapshot] = {}
    missing: dict[int, LadderRef] = {}
    for ladder in ladders:
        snap = _cached(ladder_cache_key(ladder))
        if snap is not None:
            found[ladder.pk] = snap
        else:
            missing[ladder.pk] = ladder
    if not missing:
        return found
    levels: dict[int, list[LevelSnap]] = {pk: [] for pk in missing}
    for level in Level.objects.filter(ladder_id__in=missing, is_active=True).select_related("reference_level"):
        snap = _level_snap(level)
        if snap is not None:
            levels[level.ladder_id].append(snap)
    aliases: dict[int, list[AliasSnap]] = {pk: [] for pk in missing}
    for alias in TitleAlias.objects.filter(ladder_id__in=missing, level__is_active=True).only(
        "title", "level_id", "ladder_id", "valid_from", "valid_to"
    ):
        aliases[alias.ladder_id].append(
            AliasSnap(title=alias.title, level_id=alias.level_id, valid_from=alias.valid_from, valid_to=alias.valid_to)
        )
    for pk, ladder in missing.items():
        snap = LadderSnapshot.build(
            key=ladder.company.slug,
            framework=ladder.framework.slug,
            version=ladder.version,
            levels=levels[pk],
            aliases=aliases[pk],
        )
        _store(ladder_cache_key(ladder), snap)
        found[pk] = snap
    return found


def cached_framework_snapshot(framework: FrameworkRef | Framework) -> FrameworkSnapshot:
    """The framework as engine data, cached until the framework or one of its levels changes."""
    stamp = str(framework.updated_at)
    key = f"snapshot:f{SNAPSHOT_FORMAT}:framework:{framework.pk}:{stamp}"
    snap = _cached(key)
    if snap is None:
        snap = framework_snapshot(framework)
        _store(key, snap)
    return snap


# --- Requests -------------------------------------------------------------------------------------


class TranslationError(Exception):
    """A request-level problem (unknown company, no common framework): answered as 400 or 404."""

    def __init__(self, status: int, code: str, message: str, field: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


@dataclass(frozen=True)
class TranslationContext:
    """Everything a translation needs, loaded once per request."""

    source: LadderSnapshot
    target: LadderSnapshot
    framework: FrameworkRef | Framework
    framework_snapshot: FrameworkSnapshot | None


@dataclass(frozen=True, slots=True)
class FrameworkRef:
    pk: int
    slug: str
    name: str
    updated_at: str  # only compared, as part of a cache key


@dataclass(frozen=True, slots=True)
class CompanyRef:
    slug: str


@dataclass(frozen=True, slots=True)
class LadderRef:
    """What a translation needs to know of a ladder to find (or build) its snapshot."""

    pk: int
    version: int
    company: CompanyRef
    framework: FrameworkRef
    next_effective_on: date | None = None
    # With ``as_of``: "number:revision" of the ladder version in effect that day (``ladder.versions``).
    version_key: str | None = None


def _ladders_of(caller: Caller, slugs: set[str], framework: str | None, on: date | None = None) -> list[LadderRef]:
    """The readable, unarchived ladders of the named companies.

    This runs on every translation, so it is one hand-written query of plain values: building it with
    the ORM cost more than running it. The tenancy rule is the one of ``ladder.tenancy.readable_q``
    (public companies, or the caller's organizations), and ``tests/test_api_translate.py`` checks it
    like every other endpoint's.
    """
    ladder, company, fw = Ladder._meta.db_table, Company._meta.db_table, Framework._meta.db_table
    params: list[Any] = []
    version_columns = "NULL, NULL"
    if on is not None:  # the version in effect that day, else the first one (see ``ladder.versions``)
        lv = LadderVersion._meta.db_table
        version_columns = (
            f"(SELECT v.number || ':' || v.revision FROM {lv} v WHERE v.ladder_id = l.id "  # noqa: S608
            f"AND v.status IN (%s, %s) AND v.effective_from <= %s "
            f"ORDER BY v.effective_from DESC, v.number DESC LIMIT 1), "
            f"(SELECT v.number || ':' || v.revision FROM {lv} v WHERE v.ladder_id = l.id AND v.status = %s "
            f"ORDER BY v.seq LIMIT 1)"
        )
        params += [*versions.LIVE_STATUSES, on, LadderVersion.Status.APPLIED]
    params += sorted(slugs)
    sql = (
        f"SELECT l.id, l.version, c.slug, f.id, f.slug, f.name, f.updated_at, "  # noqa: S608 (names are ours)
        f"l.next_effective_on, {version_columns} "
        f"FROM {ladder} l JOIN {company} c ON c.id = l.company_id JOIN {fw} f ON f.id = l.framework_id "
        f"WHERE c.slug IN ({', '.join(['%s'] * len(slugs))}) AND c.archived_at IS NULL AND l.archived_at IS NULL"
    )
    if framework:
        sql += " AND f.slug = %s"
        params.append(framework)
    if not caller.is_superuser:
        orgs = sorted(caller.readable_org_ids)
        own = f" OR c.organization_id IN ({', '.join(['%s'] * len(orgs))})" if orgs else ""
        sql += f" AND (c.is_public = %s{own})"
        params.extend([True, *orgs])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    refs = [
        LadderRef(
            pk,
            version,
            CompanyRef(company_slug),
            FrameworkRef(fw_pk, fw_slug, fw_name, str(fw_updated)),
            _as_date(next_on),
            in_effect or first,
        )
        for pk, version, company_slug, fw_pk, fw_slug, fw_name, fw_updated, next_on, in_effect, first in rows
    ]
    due = [ref.pk for ref in refs if versions.is_due(ref.next_effective_on)]
    if due:  # a scheduled version's day has come: it becomes the current ladder now (rare, so re-read)
        versions.apply_due_for(due)
        return _ladders_of(caller, slugs, framework, on)
    return refs


def _as_date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def version_snapshots(ladders: list[LadderRef]) -> dict[int, LadderSnapshot]:
    """Snapshots of the versions named by ``version_key``: cached forever (a version never changes under
    its number and revision), else built from the version's revision rows or scheduled document with
    two queries for all misses. Ladders without versions answer as they stand now."""
    found: dict[int, LadderSnapshot] = {}
    missing: dict[int, LadderRef] = {}
    for ladder in ladders:
        if ladder.version_key is None:
            found.update(ladder_snapshots([ladder]))
            continue
        snap = _cached(_version_cache_key(ladder))
        if snap is not None:
            found[ladder.pk] = snap
        else:
            missing[ladder.pk] = ladder
    if not missing:
        return found
    wanted = Q()
    for ladder in missing.values():
        wanted |= Q(ladder_id=ladder.pk, number=int(ladder.version_key.split(":")[0]))
    rows = list(LadderVersion.objects.filter(wanted))
    states = versions.states_for_versions(rows)
    for version in rows:
        ladder = missing[version.ladder_id]
        levels, aliases = [], []
        for state in states[version.pk]:
            if not state["is_active"] or not state["interval"] or state["id"] is None:
                continue  # inactive, unplaceable, or not created yet (a scheduled version's new level)
            low, high = state["interval"]
            levels.append(
                LevelSnap(
                    id=state["id"],
                    title=state["title"],
                    code=state["code"],
                    track=state["track"],
                    rank=state["rank"],
                    scale_from=float(low),
                    scale_to=float(high),
                    reference_level=state["reference_level"],
                )
            )
            aliases.extend(
                AliasSnap(
                    title=a["title"],
                    level_id=state["id"],
                    valid_from=_as_date(a["valid_from"]),
                    valid_to=_as_date(a["valid_to"]),
                )
                for a in state["aliases"]
            )
        snap = LadderSnapshot.build(
            key=ladder.company.slug,
            framework=ladder.framework.slug,
            version=version.ladder_version or ladder.version,
            levels=levels,
            aliases=aliases,
        )
        _store(_version_cache_key(ladder), snap)
        found[ladder.pk] = snap
    return found


def _version_cache_key(ladder: LadderRef) -> str:
    return f"snapshot:f{SNAPSHOT_FORMAT}:ladder:{ladder.pk}:n{ladder.version_key}:{ladder.company.slug}"


def load_context(
    *, caller: Caller, source: str, target: str, framework: str | None, on: date | None = None
) -> TranslationContext:
    """Find the two ladders (or the reference) a translation runs between; a constant number of queries.

    ``on``: use the ladder versions in effect that day (levels, spans, anchors), not the current ones.
    """
    slugs = {s for s in (source, target) if s != REFERENCE_KEY}
    ladders = _ladders_of(caller, slugs, framework, on) if slugs else []
    by_company: dict[str, dict[str, LadderRef]] = {}
    for ladder in ladders:
        by_company.setdefault(ladder.company.slug, {})[ladder.framework.slug] = ladder
    for field_name, slug in (("source", source), ("target", target)):
        if slug != REFERENCE_KEY and slug not in by_company:
            if framework and not Framework.objects.filter(slug=framework).exists():
                raise TranslationError(404, "framework_not_found", f'No framework "{framework}".', "framework")
            if framework and readable_companies(caller).filter(slug=slug).exists():
                raise TranslationError(
                    404, "ladder_not_found", f'"{slug}" has no ladder for framework "{framework}".', field_name
                )
            raise TranslationError(404, "company_not_found", f'No readable company "{slug}" with a ladder.', field_name)
    framework_obj = _pick_framework(by_company, slugs, framework)
    wanted = [by_company[s][framework_obj.slug] for s in slugs]
    snaps = version_snapshots(wanted) if on is not None else ladder_snapshots(wanted)
    fw_snap = cached_framework_snapshot(framework_obj) if REFERENCE_KEY in (source, target) else None

    def side(slug: str) -> LadderSnapshot:
        if slug == REFERENCE_KEY:
            return fw_snap.ladder
        return snaps[by_company[slug][framework_obj.slug].pk]

    return TranslationContext(side(source), side(target), framework_obj, fw_snap)


def _pick_framework(
    by_company: dict[str, dict[str, LadderRef]], slugs: set[str], framework: str | None
) -> FrameworkRef | Framework:
    if framework:
        if by_company:
            return next(iter(next(iter(by_company.values())).values())).framework
        found = Framework.objects.filter(slug=framework).first()
        if found is None:
            raise TranslationError(404, "framework_not_found", f'No framework "{framework}".', "framework")
        return found
    if slugs:
        common = set.intersection(*(set(by_company[s]) for s in slugs))
        if len(common) == 1:
            slug = common.pop()
            return next(iter(by_company.values()))[slug].framework
        if not common:
            raise TranslationError(400, "no_common_framework", "The companies share no framework.", "framework")
        raise TranslationError(
            400,
            "framework_required",
            f"The companies share several frameworks ({', '.join(sorted(common))}); name one.",
            "framework",
        )
    only = list(Framework.objects.all()[:2])
    if len(only) != 1:
        raise TranslationError(400, "framework_required", "Name the framework to translate within.", "framework")
    return only[0]


def _too_long(item: Any) -> bool:
    title = item.get("title") if isinstance(item, dict) else item
    return isinstance(title, str) and len(title) > MAX_TITLE_LENGTH


def translate_titles(context: TranslationContext, items: list[Any], as_of: date) -> list[dict[str, Any]]:
    """Translate a batch: results in input order, duplicates computed once, over-long titles refused."""
    results: list[dict[str, Any] | None] = [None] * len(items)
    work: list[tuple[int, Any]] = []
    for i, item in enumerate(items):
        if _too_long(item):
            results[i] = _error_result(
                item,
                "title_too_long",
                f"A title may have at most {MAX_TITLE_LENGTH} characters.",
            )
        else:
            work.append((i, item))
    answers: list[TranslationResult] = translate_many(context.source, context.target, [it for _, it in work], as_of)
    memo: dict[int, dict[str, Any]] = {}
    for (i, _), answer in zip(work, answers, strict=True):
        # translate_many returns the same object for repeated inputs: serialise each once
        results[i] = memo.get(id(answer)) or memo.setdefault(id(answer), answer.to_dict())
    return results  # type: ignore[return-value]


def _error_result(item: Any, code: str, detail: str) -> dict[str, Any]:
    return {
        "input": item,
        "source_level": None,
        "resolution": None,
        "target_level": None,
        "confidence": 0.0,
        "basis": None,
        "alternatives": [],
        "error": {"code": code, "detail": detail, "suggestions": [], "candidates": []},
    }


def summarize(results: list[dict[str, Any]]) -> dict[str, int]:
    translated = sum(1 for r in results if r["error"] is None)
    return {"total": len(results), "translated": translated, "unresolved": len(results) - translated}


# --- Career path ----------------------------------------------------------------------------------


def load_career_path(
    *,
    caller: Caller,
    company: str,
    title: str,
    code: str | None,
    framework: str | None,
    as_of: date,
    on: date | None = None,
) -> tuple[CareerPath | None, ResolveError | None, Framework]:
    """Resolve the title in the company's ladder and lay out where it leads (``on``: as in ``load_context``)."""
    if company == REFERENCE_KEY:
        raise TranslationError(400, "invalid", "Career paths are for a company's ladder.", "company")
    ladders = _ladders_of(caller, {company}, framework, on)
    if not ladders:
        raise TranslationError(404, "company_not_found", f'No readable company "{company}" with a ladder.', "company")
    if len(ladders) > 1:
        raise TranslationError(
            400, "framework_required", "The company has several ladders; name the framework.", "framework"
        )
    ladder = ladders[0]
    snap = (version_snapshots if on is not None else ladder_snapshots)([ladder])[ladder.pk]
    fw_snap = cached_framework_snapshot(ladder.framework)
    resolution = resolve(snap, title, code, as_of)
    if isinstance(resolution, ResolveError):
        return None, resolution, ladder.framework
    return career_path(fw_snap, snap, resolution.level), None, ladder.framework
