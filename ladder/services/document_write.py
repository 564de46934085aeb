"""Writing a ladder document into a locked ladder: match the levels, settle anchors, sync levels and
aliases, record the history and one new version. The rules are ``ladder.rules``; the entry point is
``documents.ladder_document_put`` (and the application of a scheduled version, ``due``).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch
from django.utils import timezone

from ladder import audit, rules, versions
from ladder.choices import Anchor
from ladder.engine.normalize import normalize_code, normalize_title
from ladder.exceptions import FieldErrors
from ladder.models import ChangeRecord, Framework, Ladder, Level, ReferenceLevel, TitleAlias, bump_versions
from ladder.services.anchors import infer_missing
from ladder.services.base import bulk_update_parked, ladder_changed
from ladder.services.inputs import LadderWrite, LevelInput

ALIAS_FIELDS = ("level_id", "title", "valid_from", "valid_to", "external_id")


def _default_span(reference_level: ReferenceLevel | None) -> tuple[float, float] | None:
    if reference_level is None:
        return None
    return (reference_level.position - 0.5, reference_level.position + 0.5)


def _match_existing(levels: list[LevelInput], existing: list[Level]) -> list[Level | None]:
    """Pair each document level with an existing level: by external_id, then code, then title."""
    by_ext = {lv.external_id: lv for lv in existing if lv.external_id}
    by_code = {lv.code_canonical: lv for lv in existing if lv.code_canonical}
    by_title: dict[str, list[Level]] = defaultdict(list)
    for lv in existing:
        by_title[lv.title_normalized].append(lv)
    taken: set[int] = set()
    matches: list[Level | None] = [None] * len(levels)

    def take(i: int, candidate: Level | None) -> bool:
        if candidate is not None and candidate.pk not in taken:
            matches[i] = candidate
            taken.add(candidate.pk)
            return True
        return False

    for i, doc in enumerate(levels):
        if doc.external_id:
            take(i, by_ext.get(doc.external_id))
    for i, doc in enumerate(levels):
        if matches[i] is None and doc.code:
            candidate = by_code.get(normalize_code(doc.code))
            # An existing level with another external_id is another level, not this one.
            if candidate is not None and not (
                doc.external_id and candidate.external_id and candidate.external_id != doc.external_id
            ):
                take(i, candidate)
    for i, doc in enumerate(levels):
        if matches[i] is None:
            pool = [
                lv
                for lv in by_title.get(normalize_title(doc.title), [])
                if lv.pk not in taken
                and (lv.code is None or doc.code is None or lv.code_canonical == normalize_code(doc.code))
                and not (doc.external_id and lv.external_id and lv.external_id != doc.external_id)
            ]
            if len(pool) == 1:
                take(i, pool[0])
    return matches


def _resolve_anchors(levels: list[LevelInput], existing_matches: list[Level | None], framework: Framework):
    """Anchor per document level: given ones are explicit; missing ones are inferred from title and rank.

    Sending back the anchor that pmladder inferred keeps it marked inferred (a round trip is not an
    override); sending another one makes it explicit.
    """
    by_slug = {rl.slug: rl for rl in framework.reference_levels.all()}
    rows = [
        (doc.title, doc.track, doc.rank, doc.reference_level.slug if doc.reference_level else None) for doc in levels
    ]
    inferred_slugs = infer_missing(framework, rows, by_slug)
    result: list[tuple[ReferenceLevel | None, str]] = []
    for i, (doc, current) in enumerate(zip(levels, existing_matches, strict=True)):
        if doc.reference_level is None:
            slug = inferred_slugs[i] if inferred_slugs else None
            result.append((by_slug.get(slug) if slug else None, Anchor.INFERRED))
        elif (
            current is not None
            and current.anchor == Anchor.INFERRED
            and current.reference_level_id == doc.reference_level.pk
        ):
            result.append((doc.reference_level, Anchor.INFERRED))
        else:
            result.append((doc.reference_level, Anchor.EXPLICIT))
    return result


def write_document(
    ladder: Ladder, framework: Framework, levels: list[LevelInput], *, created: bool, records: list[ChangeRecord | None]
) -> LadderWrite:
    """Make the locked ``ladder`` exactly the document (see ``documents.ladder_document_put``);
    ``records`` holds the history already made by this write (the ladder created or restored)."""
    for i, doc in enumerate(levels):
        if doc.rank is None:
            doc.rank = i + 1
        doc.title = (doc.title or "").strip()
        doc.code = doc.code.strip() if doc.code and doc.code.strip() else None  # kept as written
        doc.external_id = (doc.external_id or "").strip() or None
    errors = rules.document_errors(levels, framework.id)
    if errors:
        raise FieldErrors(errors)

    existing = list(
        Level.objects.filter(ladder=ladder)
        .select_related("reference_level")
        .prefetch_related(Prefetch("aliases", queryset=TitleAlias.objects.order_by("pk")))
    )
    for lv in existing:
        lv.ladder = ladder  # the history needs it; avoids a query per level
    before = {lv.pk: audit.values_of(lv) for lv in existing}
    matches = _match_existing(levels, existing)
    anchors = _resolve_anchors(levels, matches, framework)
    matched_ids = {m.pk for m in matches if m is not None}
    errors = rules.unlisted_collisions(levels, [lv for lv in existing if lv.pk not in matched_ids])
    if errors:
        raise FieldErrors(errors)

    to_update: list[Level] = []
    to_create: list[Level] = []
    for lv in existing:
        if lv.pk not in matched_ids and lv.is_active:
            lv.is_active = False
            to_update.append(lv)

    changed_fields: set[str] = {"is_active"} if to_update else set()
    targets: list[Level] = []
    for i, (doc, current) in enumerate(zip(levels, matches, strict=True)):
        reference_level, anchor = anchors[i]
        span = (doc.scale_from, doc.scale_to) if doc.scale_from is not None else None
        if span is not None and span == _default_span(reference_level):
            span = None  # the default span follows the anchor; storing it would freeze it
        values = {
            "title": doc.title,
            "code": doc.code,
            "track": doc.track,
            "rank": doc.rank,
            "reference_level_id": reference_level.pk if reference_level else None,
            "anchor": anchor,
            "scale_from": span[0] if span else None,
            "scale_to": span[1] if span else None,
            "description": doc.description or "",
            "external_id": doc.external_id,
            "is_active": doc.is_active,
        }
        if doc.provenance is not None:
            values["provenance"] = doc.provenance
        if current is None:
            level = Level(ladder=ladder, **values)
            level.normalize_fields()
            to_create.append(level)
            targets.append(level)
            continue
        differing = {name for name, value in values.items() if getattr(current, name) != value}
        if differing:
            for name in differing:
                setattr(current, name, values[name])
            current.normalize_fields()
            changed_fields |= differing
            if current not in to_update:
                to_update.append(current)
        targets.append(current)

    if to_update:
        now = timezone.now()
        for lv in to_update:
            lv.version += 1
            lv.updated_at = now  # bulk_update skips auto_now; HRIS sync (?updated_since=) relies on it
        fields = (
            changed_fields | {"version", "updated_at"} | ({"title_normalized"} if "title" in changed_fields else set())
        )
        # Codes and titles may be swapped between levels of one document.
        parked = ("code", "code_canonical") if changed_fields & {"code", "title", "is_active"} else ()
        bulk_update_parked(Level, to_update, fields, parked)
        records.extend(
            audit.change(lv, ChangeRecord.Action.UPDATE, before[lv.pk], audit.values_of(lv)) for lv in to_update
        )
    if to_create:
        Level.objects.bulk_create(to_create)
        records.extend(audit.created(lv) for lv in to_create)

    alias_levels = _sync_aliases(ladder, levels, targets, existing, records)
    untouched = alias_levels - {lv.pk for lv in to_update} - {lv.pk for lv in to_create}
    if untouched:
        bump_versions(Level.objects.filter(pk__in=untouched))

    changed = created or bool(to_update or to_create or alias_levels or any(records))
    audit.save_records(records)  # before the version, which stamps them with its number
    if changed and not created:
        ladder_changed(ladder)
    elif created:
        versions.record_version(ladder)
    return LadderWrite(ladder=ladder, changed=changed, created=created)


def _sync_aliases(
    ladder: Ladder,
    levels: list[LevelInput],
    targets: list[Level],
    existing: list[Level],
    records: list[ChangeRecord | None],
) -> set[int]:
    """Make each listed level's aliases exactly the document's; returns the ids of levels whose aliases changed."""
    current_by_level = {lv.pk: list(lv.aliases.all()) for lv in existing}
    to_delete: list[TitleAlias] = []
    to_update: list[tuple[TitleAlias, dict]] = []
    to_create: list[TitleAlias] = []
    for doc, level in zip(levels, targets, strict=True):
        current = list(current_by_level.get(level.pk, []))
        for alias in current:
            alias.ladder = ladder
        for alias in doc.aliases:
            norm = normalize_title(alias.title)
            ext = (alias.external_id or "").strip() or None
            match = next((a for a in current if ext and a.external_id == ext), None) or next(
                (a for a in current if a.title_normalized == norm and a.valid_from == alias.valid_from), None
            )
            values = {
                "title": alias.title.strip(),
                "valid_from": alias.valid_from,
                "valid_to": alias.valid_to,
                "external_id": ext,
            }
            if match is None:
                new = TitleAlias(level=level, ladder=ladder, **values)
                new.normalize_fields()
                to_create.append(new)
                continue
            current.remove(match)
            if any(getattr(match, k) != v for k, v in values.items()):
                before = audit.values_of(match)
                for k, v in values.items():
                    setattr(match, k, v)
                match.normalize_fields()
                match.version += 1
                to_update.append((match, before))
        to_delete.extend(current)
    if to_delete:
        records.extend(audit.deleted(a) for a in to_delete)
        TitleAlias.objects.filter(pk__in=[a.pk for a in to_delete]).delete()
    if to_update:
        now = timezone.now()
        aliases = [a for a, _ in to_update]
        for alias in aliases:
            alias.updated_at = now
        # Titles may be swapped between aliases of one document.
        fields = [*ALIAS_FIELDS, "title_normalized", "version", "updated_at"]
        bulk_update_parked(TitleAlias, aliases, fields, ("title_normalized",))
        records.extend(
            audit.change(a, ChangeRecord.Action.UPDATE, before, audit.values_of(a)) for a, before in to_update
        )
    if to_create:
        TitleAlias.objects.bulk_create(to_create)
        records.extend(audit.created(a) for a in to_create)
    return {a.level_id for a in to_delete} | {a.level_id for a, _ in to_update} | {a.level_id for a in to_create}
