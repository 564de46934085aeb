"""Writes: every change the API makes goes through these functions.

The admin saves through Django's forms instead, with the same history and version bumps
(``ladder.admin.AuditedAdminMixin``), and archives and restores through the functions here.

Each function is one transaction: it locks what it changes, checks ``If-Match`` preconditions under
that lock, validates before it writes, writes the change history beside the change, and bumps the
``version`` of what changed exactly once (and only when something did).

Lock order: every write takes its row locks in one order, so that two writes never wait on each
other in a cycle (a deadlock): first the company row, then the ladder row, then level and alias
rows. A write that starts from a ladder, a level or an alias (``_lock``) still locks the company
first. Writes that touch several companies or ladders lock them in id order (docs/security.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from ladder import audit, versions
from ladder.choices import Anchor, Track
from ladder.concurrency import IfMatch, alias_etag, check_if_match, company_etag, ladder_etag, level_etag
from ladder.engine.anchors import infer_anchors
from ladder.engine.normalize import normalize_code, normalize_title
from ladder.exceptions import FieldErrors
from ladder.models import ChangeRecord, Company, Framework, Ladder, Level, ReferenceLevel, TitleAlias, bump_versions
from ladder.selectors import framework_snapshot

MAX_LEVELS_PER_DOCUMENT = 1000

ALIAS_FIELDS = ("level_id", "title", "valid_from", "valid_to", "external_id")


@dataclass
class _Errors:
    items: list[dict] = field(default_factory=list)

    def add(self, path: str, code: str, message: str) -> None:
        self.items.append({"code": code, "message": message, "field": path})

    def raise_if_any(self) -> None:
        if self.items:
            raise FieldErrors(self.items)


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


def _default_span(reference_level: ReferenceLevel | None) -> tuple[float, float] | None:
    if reference_level is None:
        return None
    return (reference_level.position - 0.5, reference_level.position + 0.5)


def _validate_document(levels: list[LevelInput], framework: Framework) -> None:
    """Checks that need the whole document: uniqueness inside it, spans, alias windows."""
    errors = _Errors()
    if len(levels) > MAX_LEVELS_PER_DOCUMENT:
        errors.add("levels", "too_many_levels", f"A ladder document holds at most {MAX_LEVELS_PER_DOCUMENT} levels.")
        errors.raise_if_any()
    codes = Counter(normalize_code(lv.code) for lv in levels if lv.code)
    ext_ids = Counter(lv.external_id for lv in levels if lv.external_id)
    titles: dict[str, list[int]] = defaultdict(list)
    for i, lv in enumerate(levels):
        if lv.is_active:
            titles[normalize_title(lv.title)].append(i)
    current_alias_owner: dict[str, tuple[int, int]] = {}
    for i, lv in enumerate(levels):
        path = f"levels[{i}]"
        norm = normalize_title(lv.title)
        if not norm:
            errors.add(f"{path}.title", "empty_title", "A level needs a title with at least one letter or digit.")
        if lv.code and codes[normalize_code(lv.code)] > 1:
            errors.add(f"{path}.code", "duplicate_code", f'Code "{lv.code}" appears on more than one level.')
        if lv.external_id and ext_ids[lv.external_id] > 1:
            errors.add(f"{path}.external_id", "duplicate_external_id", f'external_id "{lv.external_id}" is repeated.')
        if lv.is_active and norm and len(titles[norm]) > 1 and not lv.code:
            errors.add(
                f"{path}.code",
                "duplicate_title",
                f'"{lv.title}" is the title of more than one level; levels that share a title must each '
                "carry a distinct code.",
            )
        if (lv.scale_from is None) != (lv.scale_to is None):
            errors.add(f"{path}.scale_to", "incomplete_span", "Give both scale_from and scale_to, or neither.")
        elif lv.scale_from is not None and lv.scale_from >= lv.scale_to:
            errors.add(f"{path}.scale_to", "invalid_span", "scale_to must be greater than scale_from.")
        if lv.reference_level is not None and lv.reference_level.framework_id != framework.id:
            errors.add(f"{path}.reference_level", "wrong_framework", "Not a level of this ladder's framework.")
        for j, alias in enumerate(lv.aliases):
            apath = f"{path}.aliases[{j}]"
            anorm = normalize_title(alias.title)
            if not anorm:
                errors.add(f"{apath}.title", "empty_title", "An alias needs a title with at least one letter or digit.")
                continue
            if alias.valid_from and alias.valid_to and alias.valid_from >= alias.valid_to:
                errors.add(f"{apath}.valid_to", "invalid_window", "valid_to must be after valid_from.")
            if alias.valid_to is None:
                other_levels = [k for k in titles.get(anorm, []) if k != i]
                if other_levels:
                    errors.add(
                        f"{apath}.title",
                        "alias_names_other_level",
                        f'"{alias.title}" is the title of another level (levels[{other_levels[0]}]).',
                    )
                elif anorm in current_alias_owner:
                    oi, oj = current_alias_owner[anorm]
                    errors.add(
                        f"{apath}.title",
                        "duplicate_alias",
                        f'"{alias.title}" is already a current alias (levels[{oi}].aliases[{oj}]).',
                    )
                else:
                    current_alias_owner[anorm] = (i, j)
    errors.raise_if_any()


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
    fixed = [doc.reference_level.slug if doc.reference_level is not None else None for doc in levels]
    inferred_slugs: list[str | None] = []
    if by_slug and any(slug is None for slug in fixed):  # a framework without rungs anchors nothing
        inferred_slugs = infer_anchors(
            [(doc.title, doc.track, doc.rank, fixed[i]) for i, doc in enumerate(levels)], framework_snapshot(framework)
        )
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


def _ladder_for_write(
    company: Company, framework: Framework, if_match: IfMatch, records: list[ChangeRecord | None]
) -> tuple[Ladder, bool]:
    """The company's ladder for ``framework``, locked for this transaction: created when missing,
    restored when archived. Returns it and whether it was created.

    The company row is locked first, so two first writes of the same ladder queue up instead of one
    of them failing on the unique index; a missing row could not be locked.
    """
    list(Company.objects.select_for_update().filter(pk=company.pk).values_list("pk", flat=True))
    ladder = Ladder.objects.select_for_update().filter(company=company, framework=framework).first()
    if ladder is None:
        check_if_match(None, if_match)
        ladder = Ladder.objects.create(company=company, framework=framework)
        records.append(audit.created(ladder))
        bump_versions(Company.objects.filter(pk=company.pk))
        return ladder, True
    versions.apply_due(ladder)  # a scheduled version whose day has come is the ladder being changed
    check_if_match(ladder_etag(ladder), if_match)
    records.append(_set_archived(ladder, archived=False))
    return ladder, False


@transaction.atomic
def put_ladder_document(
    *, company: Company, framework: Framework, levels: list[LevelInput], if_match: IfMatch = None
) -> LadderWrite:
    """Make the company's ladder for ``framework`` exactly the given document (atomic, idempotent).

    Levels are matched to existing ones by ``external_id``, then ``code``, then normalised title;
    existing levels missing from the document are deactivated, never deleted. A level's aliases become
    exactly the document's. ``if_match`` (the ETags of ``If-Match``) is checked under the ladder's
    lock, so a stale writer gets 412 instead of overwriting. Returns the ladder, whether anything
    changed (``version`` grows only then) and whether the ladder was created. Every change is written
    to the history in the same transaction.
    """
    for i, doc in enumerate(levels):
        if doc.rank is None:
            doc.rank = i + 1
        doc.title = (doc.title or "").strip()
        doc.code = doc.code.strip() if doc.code and doc.code.strip() else None  # kept as written
        doc.external_id = (doc.external_id or "").strip() or None
    _validate_document(levels, framework)

    records: list[ChangeRecord | None] = []
    ladder, created = _ladder_for_write(company, framework, if_match, records)
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
    _check_collisions_with_unmatched(levels, matches, existing)

    to_update: list[Level] = []
    to_create: list[Level] = []
    matched_ids = {m.pk for m in matches if m is not None}
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
        fields = sorted(
            changed_fields | {"version", "updated_at"} | ({"title_normalized"} if "title" in changed_fields else set())
        )
        if changed_fields & {"code", "title", "is_active"}:
            # Park the changing levels on unique placeholder codes first, so that swaps inside one
            # document do not trip the per-ladder unique indexes half-way through the update.
            final_codes = {lv.pk: (lv.code, lv.code_canonical) for lv in to_update}
            for lv in to_update:
                lv.code = lv.code_canonical = f"~{lv.pk}"
            Level.objects.bulk_update(to_update, ["code", "code_canonical"])
            for lv in to_update:
                lv.code, lv.code_canonical = final_codes[lv.pk]
            fields = sorted(set(fields) | {"code", "code_canonical"})
        Level.objects.bulk_update(to_update, fields)
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
        ladder.bump_version()
    elif created:
        versions.record_version(ladder)
    return LadderWrite(ladder=ladder, changed=changed, created=created)


def _check_collisions_with_unmatched(
    levels: list[LevelInput], matches: list[Level | None], existing: list[Level]
) -> None:
    """A code or external_id that the document gives to one level but an unlisted level holds."""
    matched = {m.pk for m in matches if m is not None}
    unmatched_codes = {lv.code_canonical: lv for lv in existing if lv.pk not in matched and lv.code_canonical}
    unmatched_ext = {lv.external_id: lv for lv in existing if lv.pk not in matched and lv.external_id}
    unmatched_aliases = {
        alias.title_normalized: lv
        for lv in existing
        if lv.pk not in matched
        for alias in lv.aliases.all()
        if alias.valid_to is None
    }
    errors = _Errors()
    for i, doc in enumerate(levels):
        holder = unmatched_codes.get(normalize_code(doc.code)) if doc.code else None
        if holder is not None:
            errors.add(
                f"levels[{i}].code",
                "code_in_use",
                f'Code "{doc.code}" belongs to level {holder.pk} ("{holder.title}"), '
                "which this document does not list.",
            )
        if doc.external_id and doc.external_id in unmatched_ext:
            errors.add(
                f"levels[{i}].external_id",
                "external_id_in_use",
                f'external_id "{doc.external_id}" belongs to another level of this ladder.',
            )
        for j, alias in enumerate(doc.aliases):
            owner = unmatched_aliases.get(normalize_title(alias.title)) if alias.valid_to is None else None
            if owner is not None:
                errors.add(
                    f"levels[{i}].aliases[{j}].title",
                    "alias_in_use",
                    f'"{alias.title}" is a current alias of level {owner.pk} ("{owner.title}"), which this '
                    "document does not list (an unlisted level keeps its aliases).",
                )
    errors.raise_if_any()


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
        # Park the changing aliases on unique placeholder titles first, so that titles swapped
        # between aliases inside one document do not trip the per-ladder unique index half-way.
        final_titles = {a.pk: a.title_normalized for a in aliases}
        for alias in aliases:
            alias.title_normalized = f"~{alias.pk}"
        TitleAlias.objects.bulk_update(aliases, ["title_normalized"])
        for alias in aliases:
            alias.title_normalized = final_titles[alias.pk]
        TitleAlias.objects.bulk_update(aliases, [*ALIAS_FIELDS, "title_normalized", "version", "updated_at"])
        records.extend(
            audit.change(a, ChangeRecord.Action.UPDATE, before, audit.values_of(a)) for a, before in to_update
        )
    if to_create:
        TitleAlias.objects.bulk_create(to_create)
        records.extend(audit.created(a) for a in to_create)
    return {a.level_id for a in to_delete} | {a.level_id for a, _ in to_update} | {a.level_id for a in to_create}


# --- Single-object writes (level and alias endpoints, admin) -------------------------------------


def lock_for_write(obj: Company | Ladder | Level | TitleAlias) -> None:
    """Take the locks that a write of ``obj`` needs, in the one order (company, then ladder).

    For writes that do not start here (the admin's forms): call it first in their transaction.
    """
    if isinstance(obj, Company):
        if obj.pk is not None:
            list(Company.objects.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True))
        return
    if isinstance(obj, Ladder):
        ladder_id = obj.pk
    elif isinstance(obj, TitleAlias):
        ladder_id = obj.ladder_id or (obj.level.ladder_id if obj.level_id else None)
    elif isinstance(obj, Level):
        ladder_id = obj.ladder_id
    else:
        return  # frameworks and their rungs: no tenant rows to lock
    if ladder_id is not None:
        _lock(ladder_id)


def _lock(ladder_id: int) -> Ladder:
    """Lock the ladder for a write, after its company (the lock order); a scheduled version whose
    day has come is applied first."""
    company_id, next_on = Ladder.objects.filter(pk=ladder_id).values_list("company_id", "next_effective_on").get()
    list(Company.objects.select_for_update().filter(pk=company_id).values_list("pk", flat=True))
    ladder = Ladder.objects.select_for_update(of=("self",)).select_related("company", "framework").get(pk=ladder_id)
    if versions.is_due(next_on):
        versions.apply_due(ladder)
    return ladder


@transaction.atomic
def save_level(*, level: Level, changes: dict[str, Any], if_match: IfMatch = None) -> Level:
    """Create or update one level, inferring its anchor when none is given."""
    ladder = _lock(level.ladder_id)
    creating = level.pk is None
    if creating:
        check_if_match(None, if_match)
        before = None
    else:
        level = Level.objects.select_related("reference_level").get(pk=level.pk)  # fresh, under the lock
        check_if_match(level_etag(level), if_match)
        level.ladder = ladder
        before = audit.values_of(level)
    explicit_anchor = "reference_level" in changes and changes["reference_level"] is not None
    for name, value in changes.items():
        setattr(level, name, value)
    level.ladder = ladder
    if level.rank is None:
        last = ladder.levels.order_by("-rank").values_list("rank", flat=True).first()
        level.rank = (last or 0) + 1
    if explicit_anchor:
        level.anchor = Anchor.EXPLICIT
    elif level.reference_level_id is None or (level.anchor == Anchor.INFERRED and "title" in changes):
        level.reference_level = _infer_single_anchor(ladder, level)
        level.anchor = Anchor.INFERRED
    level.full_clean(validate_constraints=True)
    if creating:
        level.save()
        audit.save_records([audit.created(level)])
    else:
        after = audit.values_of(level)
        if after == before:
            return level
        level.version += 1
        level.save()
        audit.record(level, ChangeRecord.Action.UPDATE, before, after)
    ladder.bump_version()
    return level


def _infer_single_anchor(ladder: Ladder, level: Level) -> ReferenceLevel | None:
    if not ladder.framework.reference_levels.exists():
        return None  # a framework without rungs anchors nothing
    others = list(ladder.levels.filter(is_active=True).exclude(pk=level.pk).select_related("reference_level"))
    rows = [(lv.title, lv.track, lv.rank, lv.reference_level.slug if lv.reference_level else None) for lv in others]
    rows.append((level.title, level.track, level.rank, None))
    slugs = infer_anchors(rows, framework_snapshot(ladder.framework))
    slug = slugs[-1]
    return ladder.framework.reference_levels.filter(slug=slug).first() if slug else None


@transaction.atomic
def create_level(*, company: Company, framework: Framework, changes: dict[str, Any]) -> Level:
    """Add a level to the company's ladder for ``framework`` (the ladder is created when missing)."""
    records: list[ChangeRecord | None] = []
    ladder, _ = _ladder_for_write(company, framework, None, records)
    audit.save_records(records)
    return save_level(level=Level(ladder=ladder), changes=changes)


@transaction.atomic
def deactivate_level(*, level: Level, if_match: IfMatch = None) -> Level:
    """Levels are never deleted: deleting one deactivates it."""
    ladder = _lock(level.ladder_id)
    level = Level.objects.get(pk=level.pk)
    check_if_match(level_etag(level), if_match)
    level.ladder = ladder
    if level.is_active:
        level.is_active = False
        level.version += 1
        level.save(update_fields=["is_active", "version", "updated_at"])
        audit.record(level, ChangeRecord.Action.UPDATE, {"is_active": True}, {"is_active": False})
        ladder.bump_version()
    return level


@transaction.atomic
def save_alias(*, alias: TitleAlias, changes: dict[str, Any], if_match: IfMatch = None) -> TitleAlias:
    """Create or update one alias of a level."""
    level = changes.get("level") or alias.level
    ladder = _lock(level.ladder_id)
    creating = alias.pk is None
    if creating:
        check_if_match(None, if_match)
        before = None
    else:
        alias = TitleAlias.objects.get(pk=alias.pk)
        check_if_match(alias_etag(alias), if_match)
        before = audit.values_of(alias)
    for name, value in changes.items():
        setattr(alias, name, value)
    alias.ladder = ladder
    alias.full_clean(validate_constraints=True)
    if not creating and audit.values_of(alias) == before:
        return alias
    if not creating:
        alias.version += 1
    alias.save()
    audit.save_records(
        [
            audit.created(alias)
            if creating
            else audit.change(alias, ChangeRecord.Action.UPDATE, before, audit.values_of(alias))
        ]
    )
    touched = {alias.level_id} | ({before["level_id"]} if before else set())
    bump_versions(Level.objects.filter(pk__in=touched))
    ladder.bump_version()
    return alias


@transaction.atomic
def delete_alias(*, alias: TitleAlias, if_match: IfMatch = None) -> None:
    ladder = _lock(alias.ladder_id)
    alias = TitleAlias.objects.get(pk=alias.pk)
    check_if_match(alias_etag(alias), if_match)
    alias.ladder = ladder
    audit.save_records([audit.deleted(alias)])
    alias.delete()
    bump_versions(Level.objects.filter(pk=alias.level_id))
    ladder.bump_version()


# --- Archiving (soft delete) ----------------------------------------------------------------------


def _set_archived(obj: Company | Ladder, *, archived: bool) -> ChangeRecord | None:
    """Archive or restore a locked company or ladder (a new version, and a history record).

    Nothing happens when it is already in that state, so a repeated or concurrent delete records
    one archive, not two.
    """
    if (obj.archived_at is not None) == archived:
        return None
    before = audit.values_of(obj)
    obj.archived_at = timezone.now() if archived else None
    obj.version += 1
    obj.save(update_fields=["archived_at", "version", "updated_at"])
    if isinstance(obj, Ladder):
        # The company's representation lists its ladders.
        bump_versions(Company.objects.filter(pk=obj.company_id))
    action = ChangeRecord.Action.ARCHIVE if archived else ChangeRecord.Action.RESTORE
    return audit.change(obj, action, before, audit.values_of(obj))


@transaction.atomic
def archive_ladder(*, ladder: Ladder, if_match: IfMatch = None) -> None:
    """Deleting a ladder through the API archives it: hidden, with every level and alias kept."""
    ladder = _lock(ladder.pk)
    check_if_match(ladder_etag(ladder), if_match)
    audit.save_records([_set_archived(ladder, archived=True)])


@transaction.atomic
def restore_ladder(*, ladder: Ladder) -> Ladder:
    ladder = _lock(ladder.pk)
    audit.save_records([_set_archived(ladder, archived=False)])
    return ladder


# --- Companies and frameworks --------------------------------------------------------------------


@transaction.atomic
def create_company(*, organization_id: int, values: dict[str, Any]) -> Company:
    company = Company(organization_id=organization_id, **values)
    company.full_clean()
    company.save()
    audit.save_records([audit.created(company)])
    return company


@transaction.atomic
def update_company(*, company: Company, values: dict[str, Any], if_match: IfMatch = None) -> Company:
    locked = Company.objects.select_for_update().get(pk=company.pk)
    check_if_match(company_etag(locked), if_match)
    before = audit.values_of(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean()
    after = audit.values_of(locked)
    if after != before:
        locked.version += 1
        locked.save()
        audit.record(locked, ChangeRecord.Action.UPDATE, before, after)
    return locked


@transaction.atomic
def archive_company(*, company: Company, if_match: IfMatch = None) -> None:
    """Deleting a company through the API archives it with its ladders; an admin can restore it."""
    locked = Company.objects.select_for_update().get(pk=company.pk)
    check_if_match(company_etag(locked), if_match)
    audit.save_records([_set_archived(locked, archived=True)])


@transaction.atomic
def restore_company(*, company: Company) -> Company:
    locked = Company.objects.select_for_update().get(pk=company.pk)
    audit.save_records([_set_archived(locked, archived=False)])
    return locked


@transaction.atomic
def save_framework(
    *, framework: Framework, values: dict[str, Any], reference_levels: list[dict[str, Any]] | None
) -> Framework:
    """Create or update a framework; reference levels, when given, are matched by slug.

    A reference level that a company level anchors to cannot be removed (400 naming it).
    """
    creating = framework.pk is None
    before = None if creating else audit.values_of(Framework.objects.get(pk=framework.pk))
    for name, value in values.items():
        setattr(framework, name, value)
    framework.full_clean()
    framework.save()
    records: list[ChangeRecord | None] = [
        audit.created(framework)
        if creating
        else audit.change(framework, ChangeRecord.Action.UPDATE, before, audit.values_of(framework))
    ]
    if reference_levels is not None:
        records.extend(_save_reference_levels(framework, reference_levels))
    audit.save_records(records)
    return framework


@transaction.atomic
def record_reference_level_move(reference_level: ReferenceLevel, previous: tuple[int, str]) -> None:
    """A reference level moved on the scale (``previous`` is its old position and track): every ladder
    with a level anchored to it gets a new version and a history entry naming the move.

    Locks follow the one order of every write path: companies, then ladders (each by id).
    """
    ladder_ids = Level.objects.filter(reference_level=reference_level).values("ladder_id")
    company_ids = Ladder.objects.filter(pk__in=ladder_ids).values("company_id")
    list(Company.objects.select_for_update().filter(pk__in=company_ids).order_by("pk").values_list("pk", flat=True))
    ladders = list(Ladder.objects.select_for_update().filter(pk__in=ladder_ids).order_by("pk"))
    if not ladders:
        return
    bump_versions(Ladder.objects.filter(pk__in=[ladder.pk for ladder in ladders]))
    old_position, old_track = previous
    moved = f"reference_level:{reference_level.slug}"
    records = []
    for ladder in ladders:
        before = {"version": ladder.version, moved: {"position": old_position, "track": old_track}}
        after = {
            "version": ladder.version + 1,
            moved: {"position": reference_level.position, "track": reference_level.track},
        }
        records.append(audit.change(ladder, ChangeRecord.Action.UPDATE, before, after))
    audit.save_records(records)


def _save_reference_levels(framework: Framework, reference_levels: list[dict[str, Any]]) -> list:
    records: list[ChangeRecord | None] = []
    existing = {rl.slug: rl for rl in framework.reference_levels.all()}
    wanted = {item["slug"] for item in reference_levels}
    removed = [rl for slug, rl in existing.items() if slug not in wanted]
    errors = _Errors()
    for rl in removed:
        if rl.levels.exists():
            errors.add("reference_levels", "in_use", f'Reference level "{rl.slug}" anchors company levels.')
    errors.raise_if_any()
    for rl in removed:
        records.append(audit.deleted(rl))
        rl.delete()
    saved: dict[str, ReferenceLevel] = {}
    befores: dict[str, dict[str, Any] | None] = {}
    for i, item in enumerate(reference_levels):
        data = {k: v for k, v in item.items() if k != "promotes_to"}
        rl = existing.get(item["slug"]) or ReferenceLevel(framework=framework)
        befores[item["slug"]] = audit.values_of(rl) if rl.pk else None
        for name, value in data.items():
            setattr(rl, name, value)
        try:
            rl.full_clean(exclude=["framework"])
        except DjangoValidationError as exc:
            raise FieldErrors(
                [
                    {"code": "invalid", "message": m, "field": f"reference_levels[{i}].{key}"}
                    for key, msgs in exc.message_dict.items()
                    for m in msgs
                ]
            ) from exc
        rl.save()
        saved[rl.slug] = rl
    for item in reference_levels:
        if "promotes_to" in item:
            saved[item["slug"]].promotes_to.set([saved[s] for s in item["promotes_to"]])
    for slug, rl in saved.items():  # after promotes_to is set, so the history shows branch changes too
        before = befores[slug]
        after = audit.values_of(rl)
        records.append(
            audit.created(rl) if before is None else audit.change(rl, ChangeRecord.Action.UPDATE, before, after)
        )
    return records


@transaction.atomic
def delete_framework(*, framework: Framework) -> None:
    if framework.ladders.exists():
        raise FieldErrors([{"code": "in_use", "message": "Company ladders use this framework.", "field": None}])
    audit.save_records([audit.deleted(framework)])
    framework.delete()
