"""Engine snapshots built from the database, with a constant number of queries, and cached.

The engine (``ladder.engine``) works on immutable snapshots. A ladder's snapshot is cached under
everything it is built from: a ladder's version grows on every change, so a changed ladder gets a new
key and is never served stale, while an unchanged one is not rebuilt per request. A past or scheduled
version never changes under its number and revision, so its snapshot is cached for good.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from django.db.models import Q

from ladder import versions
from ladder.choices import Anchor
from ladder.engine.anchors import settle_inferred_spans
from ladder.engine.snapshot import AliasSnap, FrameworkSnapshot, LadderSnapshot, LevelSnap
from ladder.models import Framework, LadderVersion, Level, TitleAlias
from ladder.selectors import framework_snapshot
from ladder.translation.cache import SNAPSHOT_FORMAT, cached, store
from ladder.translation.ladders import FrameworkRef, LadderRef, as_date
from ladder.vocabulary import title_vocabulary


def ladder_cache_key(ladder: LadderRef) -> str:
    """Everything a snapshot is built from: the ladder's version and the company slug it answers under.

    Reference-level changes that move a ladder's intervals bump the ladder's version (see
    ``ReferenceLevel.save``), so they need no part of their own here. The title vocabulary's
    version is part of the key too, so that answers built with one vocabulary are never mixed
    with another's.
    """
    vocabulary = title_vocabulary().version
    return f"snapshot:f{SNAPSHOT_FORMAT}:voc{vocabulary}:ladder:{ladder.pk}:v{ladder.version}:{ladder.company.slug}"


def _version_cache_key(ladder: LadderRef) -> str:
    return f"snapshot:f{SNAPSHOT_FORMAT}:ladder:{ladder.pk}:n{ladder.version_key}:{ladder.company.slug}"


def _from_cache(
    ladders: list[LadderRef], key: Callable[[LadderRef], str]
) -> tuple[dict[int, LadderSnapshot], dict[int, LadderRef]]:
    """The snapshots found in the caches, and the ladders whose snapshots are still to be built."""
    found: dict[int, LadderSnapshot] = {}
    missing: dict[int, LadderRef] = {}
    for ladder in ladders:
        snap = cached(key(ladder))
        if snap is not None:
            found[ladder.pk] = snap
        else:
            missing[ladder.pk] = ladder
    return found, missing


def _placed(
    pk: int,
    title: str,
    code: str | None,
    track: str,
    rank: int,
    interval: Any,
    reference_level: str | None,
    inferred: bool = False,
) -> LevelSnap | None:
    """A level on the reference scale, or ``None`` when it has neither an anchor nor a span."""
    if not interval:
        return None
    return LevelSnap(pk, title, code, track, rank, float(interval[0]), float(interval[1]), reference_level, inferred)


def level_snap(level: Level) -> LevelSnap | None:
    """A level as the engine sees it (the ladder document's warnings use it too)."""
    reference = level.reference_level.slug if level.reference_level else None
    # Only an inferred anchor without a span of its own is a guess about where the level sits.
    inferred = level.anchor == Anchor.INFERRED and level.scale_from is None
    return _placed(level.pk, level.title, level.code, level.track, level.rank, level.interval, reference, inferred)


# The fields of a level state (``ladder.versions``) that place it, in ``_placed``'s order.
_STATE_PLACING = itemgetter("id", "title", "code", "track", "rank", "interval", "reference_level")


def _snapshot(ladder: LadderRef, version: int, levels: list[LevelSnap], aliases: list[AliasSnap]) -> LadderSnapshot:
    return LadderSnapshot.build(
        key=ladder.company.slug, framework=ladder.framework.slug, version=version, levels=levels, aliases=aliases
    )


def ladder_snapshots(ladders: list[LadderRef]) -> dict[int, LadderSnapshot]:
    """Snapshots of the given ladders: from the caches, or built with two queries for all misses."""
    found, missing = _from_cache(ladders, ladder_cache_key)
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
        aliases[alias.ladder_id].append(AliasSnap(alias.title, alias.level_id, alias.valid_from, alias.valid_to))
    for pk, ladder in missing.items():
        snap = _snapshot(ladder, ladder.version, settle_inferred_spans(levels[pk]), aliases[pk])
        store(ladder_cache_key(ladder), snap)
        found[pk] = snap
    return found


def version_snapshots(ladders: list[LadderRef]) -> dict[int, LadderSnapshot]:
    """Snapshots of the versions named by ``version_key``: cached forever (a version never changes under
    its number and revision), else built from the version's revision rows or scheduled document with
    two queries for all misses. Ladders without versions answer as they stand now."""
    found = ladder_snapshots([ladder for ladder in ladders if ladder.version_key is None])
    cached_versions, missing = _from_cache(
        [ladder for ladder in ladders if ladder.version_key is not None], _version_cache_key
    )
    found.update(cached_versions)
    if not missing:
        return found
    wanted = Q()
    for ladder in missing.values():
        wanted |= Q(ladder_id=ladder.pk, number=int(ladder.version_key.split(":")[0]))
    rows = list(LadderVersion.objects.filter(wanted))
    states = versions.states_for_versions(rows)
    for version in rows:
        ladder = missing[version.ladder_id]
        levels: list[LevelSnap] = []
        aliases: list[AliasSnap] = []
        for state in states[version.pk]:
            # Inactive, unplaceable, or not created yet (a scheduled version's new level): left out.
            level = _placed(*_STATE_PLACING(state)) if state["is_active"] and state["id"] is not None else None
            if level is None:
                continue
            levels.append(level)
            aliases.extend(
                AliasSnap(a["title"], level.id, as_date(a["valid_from"]), as_date(a["valid_to"]))
                for a in state["aliases"]
            )
        snap = _snapshot(ladder, version.ladder_version or ladder.version, levels, aliases)
        store(_version_cache_key(ladder), snap)
        found[ladder.pk] = snap
    return found


def snapshots_of(ladders: list[LadderRef], *, versioned: bool) -> dict[int, LadderSnapshot]:
    """``version_snapshots`` when the request named a day (``as_of``), else ``ladder_snapshots``."""
    return version_snapshots(ladders) if versioned else ladder_snapshots(ladders)


def cached_framework_snapshot(framework: FrameworkRef | Framework) -> FrameworkSnapshot:
    """The framework as engine data, cached until the framework or one of its levels changes."""
    stamp = str(framework.updated_at).replace(" ", "T")  # no spaces in a cache key
    key = f"snapshot:f{SNAPSHOT_FORMAT}:voc{title_vocabulary().version}:framework:{framework.pk}:{stamp}"
    snap = cached(key)
    if snap is None:
        snap = framework_snapshot(framework)
        store(key, snap)
    return snap
