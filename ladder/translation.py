"""Title translation between companies: loading engine snapshots and answering translate requests.

The engine (``ladder.engine``) works on immutable snapshots. Here they are built from the database
with a constant number of queries and cached per ``(ladder, version)``: a ladder's version grows on
every change, so a changed ladder gets a new key and is never served stale, while an unchanged one
is not rebuilt per request. Two cache tiers: a small in-process dict (no unpickling on the hot path)
in front of Django's cache (Redis when ``REDIS_URL`` is set, so every worker shares the work).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q

from ladder import directory, services, versions
from ladder.choices import Anchor
from ladder.engine.anchors import settle_inferred_spans
from ladder.engine.career import CareerPath, career_path
from ladder.engine.constants import MAX_TITLE_LENGTH
from ladder.engine.resolve import ResolveError, resolve
from ladder.engine.snapshot import REFERENCE_KEY, AliasSnap, FrameworkSnapshot, LadderSnapshot, LevelSnap
from ladder.engine.translate import TranslationResult, translate_many
from ladder.models import Company, Framework, Ladder, LadderVersion, Level, TitleAlias
from ladder.selectors import framework_snapshot
from ladder.tenancy import Caller, readable_companies, slug_precedence
from ladder.vocabulary import title_vocabulary

logger = logging.getLogger("pmladder.translation")

MAX_TITLES = 10_000


def approximate_size(snapshot: Any) -> int:
    """Bytes a snapshot takes in memory with its indexes, estimated from its size (measured with
    tracemalloc: under 20 KB for 8 levels, 32 KB for the 11 levels and aliases of the demo Globex)."""
    levels = getattr(snapshot, "levels", None)
    if levels is None:  # a framework snapshot: few per process, counted generously
        return 64 * 1024
    return 1024 + 2560 * (len(levels) + len(getattr(snapshot, "aliases", ())))


class _LocalCache:
    """A thread-safe LRU of snapshots for this process, bounded by the bytes they take.

    Bounded by bytes rather than by count, so that an HR platform with thousands of small ladders
    keeps them all (no thrashing between random pairs of companies) while a worker's memory stays
    within ``SNAPSHOT_CACHE_MB``.
    """

    def __init__(self, budget_bytes: int) -> None:
        self.budget = budget_bytes
        self.used = 0
        self._data: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return None
            self._data.move_to_end(key)
            return entry[0]

    def set(self, key: str, value: Any) -> None:
        size = approximate_size(value)
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self.used -= old[1]
            self._data[key] = (value, size)
            self.used += size
            while self.used > self.budget and len(self._data) > 1:
                _, (_, dropped) = self._data.popitem(last=False)
                self.used -= dropped

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.used = 0

    def __len__(self) -> int:
        return len(self._data)


local_snapshots = _LocalCache(settings.PMLADDER_SNAPSHOT_CACHE_BYTES)


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
SNAPSHOT_FORMAT = 3


def ladder_cache_key(ladder: LadderRef) -> str:
    """Everything a snapshot is built from: the ladder's version and the company slug it answers under.

    Reference-level changes that move a ladder's intervals bump the ladder's version (see
    ``ReferenceLevel.save``), so they need no part of their own here. The title vocabulary's
    version is part of the key too, so that answers built with one vocabulary are never mixed
    with another's.
    """
    vocabulary = title_vocabulary().version
    return f"snapshot:f{SNAPSHOT_FORMAT}:voc{vocabulary}:ladder:{ladder.pk}:v{ladder.version}:{ladder.company.slug}"


def level_snap(level: Level) -> LevelSnap | None:
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
        # Only an inferred anchor without a span of its own is a guess about where the level sits.
        inferred=level.anchor == Anchor.INFERRED and level.scale_from is None,
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
        snap = level_snap(level)
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
            levels=settle_inferred_spans(levels[pk]),
            aliases=aliases[pk],
        )
        _store(ladder_cache_key(ladder), snap)
        found[pk] = snap
    return found


def cached_framework_snapshot(framework: FrameworkRef | Framework) -> FrameworkSnapshot:
    """The framework as engine data, cached until the framework or one of its levels changes."""
    stamp = str(framework.updated_at).replace(" ", "T")  # no spaces in a cache key
    key = f"snapshot:f{SNAPSHOT_FORMAT}:voc{title_vocabulary().version}:framework:{framework.pk}:{stamp}"
    snap = _cached(key)
    if snap is None:
        snap = framework_snapshot(framework)
        _store(key, snap)
    return snap


@contextmanager
def bulk_work() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a batch builds its many small answers.

    A batch of 10,000 titles allocates some hundred thousand dicts and tuples; the collector would
    otherwise walk every live object again and again while they pile up. Nothing in a batch forms
    cycles worth collecting early, and it runs again as soon as the batch is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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


# (tenancy scope, company slug, framework or None, day or None) -> that company's readable ladders.
ladder_lookups = directory.GenerationCache(limit=20_000)


def _ladders_of(caller: Caller, slugs: set[str], framework: str | None, on: date | None = None) -> list[LadderRef]:
    """The readable, unarchived ladders of the named companies: from this process's lookup table
    while ``ladder.directory``'s generation holds (no query), else from the database. A scheduled
    version whose day has come is applied first (rare), and the ladders are read again."""
    generation = directory.current_generation()
    # Everything the lookup depends on: tenancy and the slug precedence (home organization first).
    scope = (caller.is_superuser, caller.readable_org_ids, caller.home_org_id)
    found: list[LadderRef] = []
    missing: set[str] = set()
    for slug in slugs:
        cached = ladder_lookups.get((scope, slug, framework, on), generation)
        if cached is None:
            missing.add(slug)
        else:
            found.extend(cached)
    if missing:
        rows = _query_ladders(caller, missing, framework, on)
        for slug in missing:
            own = [ref for ref in rows if ref.company.slug == slug]
            ladder_lookups.set((scope, slug, framework, on), generation, own)
            found.extend(own)
    due = [ref.pk for ref in found if services.is_due(ref.next_effective_on)]
    if due:
        services.apply_due_for(due)
        return _query_ladders(caller, slugs, framework, on)
    return found


def _query_ladders(caller: Caller, slugs: set[str], framework: str | None, on: date | None) -> list[LadderRef]:
    """The readable, unarchived ladders of the named companies, from the database.

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
        f"l.next_effective_on, {version_columns}, c.organization_id, c.is_public "
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
    # One slug may name companies of several organizations: keep, per slug, the one the caller means.
    chosen: dict[str, tuple[int, int]] = {}
    for row in rows:
        rank = slug_precedence(caller, row[10], bool(row[11]))
        chosen[row[2]] = min(chosen.get(row[2], rank), rank)
    refs = [
        LadderRef(
            pk,
            version,
            CompanyRef(company_slug),
            FrameworkRef(fw_pk, fw_slug, fw_name, str(fw_updated)),
            _as_date(next_on),
            in_effect or first,
        )
        for pk, version, company_slug, fw_pk, fw_slug, fw_name, fw_updated, next_on, in_effect, first, org, pub in rows
        if slug_precedence(caller, org, bool(pub)) == chosen[company_slug]
    ]
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


def _refusal(item: Any) -> tuple[str, str] | None:
    """Why a batch item is refused before the engine sees it (code, detail), or None.

    Over-long titles, and titles that arrived with NUL or unpaired surrogates (the lenient parser put
    U+FFFD in their place), fail alone; the rest of the batch is answered.
    """
    title = item.get("title") if isinstance(item, dict) else item
    if isinstance(title, str) and len(title) > MAX_TITLE_LENGTH:
        return "title_too_long", f"A title may have at most {MAX_TITLE_LENGTH} characters."
    values = [title, item.get("code")] if isinstance(item, dict) else [title]
    if any(isinstance(v, str) and "\ufffd" in v for v in values):
        return "invalid_text", "The title held a NUL character or an unpaired UTF-16 surrogate (shown as U+FFFD)."
    return None


def translate_titles(context: TranslationContext, items: list[Any], as_of: date) -> list[dict[str, Any]]:
    """Translate a batch: results in input order, duplicates computed once, over-long or unreadable
    titles refused one by one."""
    results: list[dict[str, Any] | None] = [None] * len(items)
    work: list[tuple[int, Any]] = []
    for i, item in enumerate(items):
        refused = _refusal(item)
        if refused is not None:
            results[i] = _error_result(item, *refused)
        else:
            work.append((i, item))
    with bulk_work():
        answers: list[TranslationResult] = translate_many(
            context.source, context.target, [it for _, it in work], as_of, title_vocabulary()
        )
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
        "understanding": None,
        "inferred_anchor": False,
        "notes": [],
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
    resolution = resolve(snap, title, code, as_of, title_vocabulary())
    if isinstance(resolution, ResolveError):
        return None, resolution, ladder.framework
    return career_path(fw_snap, snap, resolution.level), None, ladder.framework


# --- Title understanding --------------------------------------------------------------------------


def understanding_framework(framework: str | None) -> Framework:
    """The framework titles are placed on: the one named, or the only one there is."""
    if framework:
        found = Framework.objects.filter(slug=framework).first()
        if found is None:
            raise TranslationError(404, "framework_not_found", f'No framework "{framework}".', "framework")
        return found
    only = list(Framework.objects.all()[:2])
    if len(only) != 1:
        raise TranslationError(400, "framework_required", "Name the framework to place titles on.", "framework")
    return only[0]


def understand_titles(framework: Framework, items: list[Any], as_of: date) -> list[dict[str, Any]]:
    """Parse each title and place it on the framework's reference levels, in input order.

    This is a translation from ``reference`` to ``reference``: a reference level's name or alias
    answers with its own rung, any other title is understood from its words. Each answer carries
    the parse, whatever the outcome.
    """
    fw_snap = cached_framework_snapshot(framework)
    vocabulary = title_vocabulary()
    ladder = fw_snap.ladder
    results: list[dict[str, Any] | None] = [None] * len(items)
    work: list[tuple[int, Any]] = []
    for i, item in enumerate(items):
        refused = _refusal(item)
        if refused is not None:
            results[i] = _understand_error(item, *refused)
        else:
            work.append((i, item))
    # The reference level shapes are shared by every answer of the batch.
    refs: dict[str | None, dict[str, Any] | None] = {
        ref.slug: {"slug": ref.slug, "name": ref.name, "track": ref.track, "position": ref.position}
        for ref in fw_snap.reference_levels
    }
    with bulk_work():
        answers = translate_many(ladder, ladder, [it for _, it in work], as_of, vocabulary)
        memo: dict[int, dict[str, Any]] = {}
        for (i, item), answer in zip(work, answers, strict=True):
            found = memo.get(id(answer))
            if found is None:
                found = memo[id(answer)] = _understood(refs, vocabulary, item, answer)
            results[i] = found
    return results  # type: ignore[return-value]


def _understood(
    refs: dict[str | None, dict[str, Any] | None], vocabulary: Any, item: Any, answer: TranslationResult
) -> dict[str, Any]:
    title = item.get("title") if isinstance(item, dict) else item
    parse = vocabulary.understand(title if isinstance(title, str) else "")
    target = answer.target_level
    return {
        "input": answer.input.to_dict() if hasattr(answer.input, "to_dict") else answer.input,
        "understanding": parse.to_dict(),
        "reference_level": refs.get(target.reference_level) if target is not None else None,
        "confidence": answer.confidence,
        "basis": answer.resolution.basis if answer.resolution else None,
        "alternatives": [
            {"reference_level": refs.get(alt.level.reference_level), "confidence": alt.confidence}
            for alt in answer.alternatives
        ],
        "error": answer.error.to_dict() if answer.error else None,
    }


def _understand_error(item: Any, code: str, detail: str) -> dict[str, Any]:
    return {
        "input": item,
        "understanding": None,
        "reference_level": None,
        "confidence": 0.0,
        "basis": None,
        "alternatives": [],
        "error": {"code": code, "detail": detail, "suggestions": [], "candidates": []},
    }


def answer_understanding(*, framework: str | None, items: list[Any], as_of: date) -> dict[str, Any]:
    """The body of a ``/titles/understand`` answer (REST view and MCP tool alike)."""
    fw = understanding_framework(framework)
    results = understand_titles(fw, items, as_of)
    return {
        "framework": fw.slug,
        "vocabulary_version": title_vocabulary().version,
        "as_of": as_of.isoformat(),
        "results": results,
        "summary": summarize_understanding(results),
    }


def summarize_understanding(results: list[dict[str, Any]]) -> dict[str, int]:
    placed = sum(1 for r in results if r["error"] is None)
    other = sum(1 for r in results if r["error"] is not None and r["error"]["code"] == "other_job_family")
    return {
        "total": len(results),
        "placed": placed,
        "other_job_family": other,
        "unresolved": len(results) - placed - other,
    }


# --- Answers shared by the REST views and the MCP tools ----------------------------------------------


def answer_translation(*, context: TranslationContext, items: list[Any], as_of: date) -> dict[str, Any]:
    """The body of a translate answer: results in input order and a summary."""
    results = translate_titles(context, items, as_of)
    return {
        "source": context.source.key,
        "target": context.target.key,
        "framework": context.framework.slug,
        "as_of": as_of.isoformat(),
        "results": results,
        "summary": summarize(results),
    }


def answer_career_path(
    *,
    caller: Caller,
    company: str,
    title: str,
    code: str | None,
    framework: str | None,
    as_of: date,
    on: date | None = None,
) -> dict[str, Any]:
    """The body of a career-path answer; a title that does not resolve is a ``TranslationError``.
    ``on`` (an ``as_of`` the client gave) reads the ladder version in effect that day."""
    path, error, framework_obj = load_career_path(
        caller=caller, company=company, title=title, code=code, framework=framework, as_of=as_of, on=on
    )
    if error is not None:
        message = error.detail
        if error.candidates:
            message += " Candidates: " + ", ".join(f"{c.title} ({c.code})" for c in error.candidates) + "."
        elif error.suggestions:
            message += " Did you mean: " + ", ".join(error.suggestions) + "?"
        status = 400 if error.code in ("ambiguous_title", "empty_title") else 404
        raise TranslationError(status, error.code, message, "title")
    return {"company": company, "framework": framework_obj.slug, **path.to_dict()}
