"""Loading the JSON fixtures in ``fixtures/``: reference frameworks, the demo companies and the catalog.

Loading never overwrites what people changed. For every object it loads, ``FixtureState`` keeps the
fixture's values as last loaded (and their hash). On the next load:

- an object the fixture has and the database lacks is created (unless it was loaded before and a
  person deleted it since: that deletion is an edit too);
- a field changes only when the fixture changed it since the last load *and* the database still holds
  the value the fixture gave last time; a field someone edited in the admin or through the API keeps
  the edit (reported as "kept");
- an object found in the database that this fixture never loaded is adopted as it is;
- what people added (levels, aliases) stays.

Writes go through the services, so they are validated, versioned and recorded in the change history,
credited to ``fixtures:<name>``. Every call returns (and ``load_fixtures`` prints) what it did.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch

from ladder import audit, services
from ladder.choices import Anchor
from ladder.engine.normalize import normalize_code, normalize_title
from ladder.exceptions import FieldErrors
from ladder.models import (
    Company,
    Competency,
    ExpectedProficiency,
    FixtureState,
    Framework,
    Ladder,
    Level,
    Organization,
    ReferenceLevel,
    TitleAlias,
)
from ladder.services import AliasInput, LevelInput, ladder_document_put

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
CATALOG_ORGANIZATION = "open-data"


def _read(path: Path) -> Any:
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


class _States:
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


# --- Frameworks -----------------------------------------------------------------------------------

REFERENCE_FIELDS = (
    "name",
    "track",
    "position",
    "focus_hands_on",
    "summary",
    "responsibilities",
    "common_aliases",
    "reports_to",
)


def _reference_values(item: dict[str, Any]) -> dict[str, Any]:
    values = {
        "name": item["name"],
        "track": item["track"],
        "position": item["position"],
        "focus_hands_on": item["focus_hands_on"],
        "summary": item.get("summary", ""),
        "responsibilities": item.get("responsibilities", []),
        "common_aliases": item.get("common_aliases", []),
        "reports_to": item.get("reports_to", ""),
        "promotes_to": sorted(item.get("promotes_to", [])),
        "competencies": dict(sorted(item.get("competencies", {}).items())),
    }
    return values


def _reference_have(level: ReferenceLevel) -> dict[str, Any]:
    values = {name: getattr(level, name) for name in REFERENCE_FIELDS}
    values["promotes_to"] = sorted(p.slug for p in level.promotes_to.all())
    values["competencies"] = dict(
        sorted((p.competency.slug, p.proficiency) for p in level.proficiencies.select_related("competency"))
    )
    return values


@transaction.atomic
def load_framework(data: dict[str, Any], report: LoadReport | None = None, states: _States | None = None) -> Framework:
    """Create or merge one framework with its competencies, reference levels and expected proficiencies."""
    report = report or LoadReport(fixture=f"frameworks/{data['slug']}")
    states = states or _States(report.fixture)
    key = f"framework:{data['slug']}"
    want = {"name": data["name"], "description": data.get("description", "")}
    framework = Framework.objects.filter(slug=data["slug"]).first()
    if framework is None:
        framework = Framework.objects.create(slug=data["slug"], **want)
        audit.save_records([audit.created(framework)])
        report.created.append(key)
    else:
        _merge_simple(framework, key, want, states, report)
    states.set(key, want, framework.pk)

    competencies = {c.slug: c for c in framework.competencies.all()}
    for item in data.get("competencies", []):
        ckey = f"{key}/competency:{item['slug']}"
        cwant = {"name": item["name"], "kind": item["kind"], "description": item.get("description", "")}
        competency = competencies.get(item["slug"])
        if competency is None:
            if states.get(ckey) is None:
                competency = competencies[item["slug"]] = Competency.objects.create(
                    framework=framework, slug=item["slug"], **cwant
                )
                report.created.append(ckey)
        else:
            _merge_simple(competency, ckey, cwant, states, report, audited=False)
        if competency is not None:
            states.set(ckey, cwant, competency.pk)

    existing = {rl.slug: rl for rl in framework.reference_levels.prefetch_related("promotes_to")}
    relations: list[tuple[ReferenceLevel, dict[str, Any], dict[str, Any]]] = []
    for item in data["reference_levels"]:
        rkey = f"{key}/level:{item['slug']}"
        rwant = _reference_values(item)
        level = existing.get(item["slug"])
        state = states.get(rkey)
        if level is None:
            if state is not None:
                report.kept.append(f"{rkey} (deleted by a person; not recreated)")
                continue
            level = ReferenceLevel(framework=framework, slug=item["slug"])
            for name in REFERENCE_FIELDS:
                setattr(level, name, rwant[name])
            level.full_clean()
            level.save()
            audit.save_records([audit.created(level)])
            existing[level.slug] = level
            report.created.append(rkey)
            relations.append(
                (level, rwant, {"promotes_to": rwant["promotes_to"], "competencies": rwant["competencies"]})
            )
        elif state is None:
            report.adopted.append(rkey)
        else:
            apply, kept = merge_fields(rwant, state.values, _reference_have(level))
            scalar = {k: v for k, v in apply.items() if k in REFERENCE_FIELDS}
            if scalar:
                before = audit.values_of(level)
                for name, value in scalar.items():
                    setattr(level, name, value)
                level.full_clean()
                level.save()
                audit.record(level, "update", before, audit.values_of(level))
            related = {k: v for k, v in apply.items() if k not in REFERENCE_FIELDS}
            if related:
                relations.append((level, rwant, related))
            _note(report, rkey, apply, kept)
        states.set(rkey, rwant, level.pk)
    for level, _rwant, related in relations:
        if "promotes_to" in related:
            level.promotes_to.set([existing[s] for s in related["promotes_to"] if s in existing])
        for slug, proficiency in related.get("competencies", {}).items():
            if slug in competencies:
                ExpectedProficiency.objects.update_or_create(
                    reference_level=level, competency=competencies[slug], defaults={"proficiency": proficiency}
                )
    report.loaded.append(framework.slug)
    return framework


def _merge_simple(obj, key: str, want: dict[str, Any], states: _States, report: LoadReport, audited=True) -> None:
    state = states.get(key)
    if state is None:
        report.adopted.append(key)
        return
    apply, kept = merge_fields(want, state.values, {name: getattr(obj, name) for name in want})
    if apply:
        before = audit.values_of(obj) if audited else None
        for name, value in apply.items():
            setattr(obj, name, value)
        obj.full_clean()
        obj.save()
        if audited:
            audit.record(obj, "update", before, audit.values_of(obj))
    _note(report, key, apply, kept)


def _note(report: LoadReport, key: str, apply: dict[str, Any], kept: list[str]) -> None:
    if apply:
        report.updated.append(f"{key} ({', '.join(sorted(apply))})")
    if kept:
        report.kept.append(f"{key} ({', '.join(sorted(kept))}: edited since the last load)")
    if not apply and not kept:
        report.unchanged += 1


# --- Companies and ladders ------------------------------------------------------------------------

LEVEL_FIELDS = (
    "title",
    "code",
    "track",
    "rank",
    "reference_level",
    "scale_from",
    "scale_to",
    "description",
    "external_id",
    "is_active",
    "provenance",
)
ALIAS_FIELDS = ("title", "valid_from", "valid_to", "external_id")


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


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
    explicit = level.reference_level is not None and level.anchor == Anchor.EXPLICIT
    return {
        "title": level.title,
        "code": level.code,
        "track": level.track,
        "rank": level.rank,
        "reference_level": level.reference_level.slug if explicit else None,
        "scale_from": level.scale_from,
        "scale_to": level.scale_to,
        "description": level.description,
        "external_id": level.external_id,
        "is_active": level.is_active,
        "provenance": level.provenance or {},
    }


def _fixture_alias(alias: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(alias, str):
        alias = {"title": alias}
    return {
        "title": alias["title"].strip(),
        "valid_from": alias.get("valid_from") or None,
        "valid_to": alias.get("valid_to") or None,
        "external_id": (alias.get("external_id") or "").strip() or None,
    }


def _db_alias(alias: TitleAlias) -> dict[str, Any]:
    return {
        "title": alias.title,
        "valid_from": alias.valid_from.isoformat() if alias.valid_from else None,
        "valid_to": alias.valid_to.isoformat() if alias.valid_to else None,
        "external_id": alias.external_id,
    }


def _alias_input(values: dict[str, Any]) -> AliasInput:
    return AliasInput(
        title=values["title"],
        valid_from=_date(values["valid_from"]),
        valid_to=_date(values["valid_to"]),
        external_id=values["external_id"],
    )


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
        title=level.title,
        code=level.code,
        track=level.track,
        rank=level.rank,
        reference_level=level.reference_level,
        scale_from=level.scale_from,
        scale_to=level.scale_to,
        description=level.description,
        external_id=level.external_id,
        is_active=level.is_active,
        aliases=[_alias_input(_db_alias(a)) for a in level.aliases.all()],
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


def _merge_ladder(
    *,
    company: Company,
    framework: Framework,
    levels_data: list[dict[str, Any]],
    states: _States,
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
            doc = LevelInput(title=want["title"], aliases=[_alias_input(a) for a in aliases])
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
            _note(report, key, apply, kept)
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
            next((a for a in level.aliases.all() if _alias_key(level_key, _db_alias(a)) == akey), None)
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
    states: _States,
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
            alias = next((a for a in current if _alias_key(level_key, _db_alias(a)) == akey), None)
        if alias is None:
            if state is not None:
                report.kept.append(f"{akey} (deleted by a person; not recreated)")
            else:
                doc.aliases.append(_alias_input(values))
                report.created.append(akey)
                changed = True
        elif state is None:
            report.adopted.append(akey)
        else:
            apply, kept = merge_fields(values, state.values, _db_alias(alias))
            if apply:
                merged = {**_db_alias(alias), **apply}
                target = inputs[alias.pk]
                replacement = _alias_input(merged)
                for name in ("title", "valid_from", "valid_to", "external_id"):
                    setattr(target, name, getattr(replacement, name))
                changed = True
            _note(report, akey, apply, kept)
        alias_states.append((akey, values, level_key))
    for state in states.under(f"{level_key}/alias:"):
        if state.key in seen:
            continue
        alias = next((a for a in current if a.pk == state.object_id), None)
        if alias is not None and _db_alias(alias) == state.values:
            doc.aliases.remove(inputs[alias.pk])
            report.retired.append(state.key)
            changed = True
        states.forget(state.key)
    return changed


def _company_values(item: dict[str, Any], org: Organization) -> dict[str, Any]:
    return {
        "organization": org.slug,
        "name": item["name"],
        "size_band": item.get("size_band", ""),
        "is_public": item.get("is_public", False),
        "external_id": item.get("external_id"),
        "sources": item.get("sources", []),
    }


def _company_have(company: Company) -> dict[str, Any]:
    return {
        "organization": company.organization.slug,
        "name": company.name,
        "size_band": company.size_band,
        "is_public": company.is_public,
        "external_id": company.external_id,
        "sources": company.sources,
    }


def _company_changes(values: dict[str, Any], orgs: dict[str, Organization]) -> dict[str, Any]:
    changes = dict(values)
    if "organization" in changes:
        changes["organization"] = orgs[changes["organization"]]
    return changes


def load_companies(data: dict[str, Any], fixture: str) -> tuple[list[Company], LoadReport]:
    """Create or merge the organizations, companies and ladders of a data set (demo or catalog).

    Each company is loaded in its own transaction: a broken one is reported and the others load.
    """
    report = LoadReport(fixture=fixture)
    companies: list[Company] = []
    with audit.acting_as(f"fixtures:{fixture}"):
        states = _States(fixture)
        orgs: dict[str, Organization] = {}
        for org_data in data["organizations"]:
            org, created = Organization.objects.get_or_create(
                slug=org_data["slug"], defaults={"name": org_data["name"]}
            )
            orgs[org.slug] = org
            if created:
                report.created.append(f"organization:{org.slug}")
            for item in org_data.get("companies", []):
                try:
                    with transaction.atomic():
                        company = _load_company(item, org, orgs, states, report)
                except (FieldErrors, KeyError, ValueError, TypeError) as exc:
                    detail = exc.errors if isinstance(exc, FieldErrors) else repr(exc)
                    report.errors.append(f"company:{item.get('slug')}: {detail}")
                    continue
                if company is not None:
                    companies.append(company)
                    report.loaded.append(company.slug)
    return companies, report


def _load_company(
    item: dict[str, Any], org: Organization, orgs: dict[str, Organization], states: _States, report: LoadReport
) -> Company | None:
    key = f"company:{item['slug']}"
    want = _company_values(item, org)
    state = states.get(key)
    # Slugs are unique per organization: find the company this fixture loaded before, else the
    # fixture organization's company with that slug (never another tenant's company of that name).
    companies = Company.objects.select_related("organization")
    company = companies.filter(pk=state.object_id).first() if state is not None else None
    if company is None:
        company = companies.filter(organization=org, slug=item["slug"]).first()
    if company is None:
        if state is not None:
            report.kept.append(f"{key} (deleted by a person; not recreated)")
            return None
        values = _company_changes(want, orgs)
        values.pop("organization")
        company = services.company_create(organization_id=org.pk, values={"slug": item["slug"], **values})
        report.created.append(key)
    elif company.archived_at is not None:
        report.kept.append(f"{key} (archived by a person; left archived)")
        states.set(key, want, company.pk)
        return None
    elif state is None:
        report.adopted.append(key)
    else:
        apply, kept = merge_fields(want, state.values, _company_have(company))
        if apply:
            company = services.company_update(company=company, values=_company_changes(apply, orgs))
        _note(report, key, apply, kept)
    states.set(key, want, company.pk)
    for ladder in item.get("ladders", []):
        framework = Framework.objects.get(slug=ladder["framework"])
        _merge_ladder(company=company, framework=framework, levels_data=ladder["levels"], states=states, report=report)
    return company


# --- Entry points ---------------------------------------------------------------------------------


def load_reference_fixtures(reports: list[LoadReport] | None = None) -> list[Framework]:
    frameworks = []
    for path in sorted((FIXTURES_DIR / "frameworks").glob("*.json")):
        report = LoadReport(fixture=f"frameworks/{path.stem}")
        with audit.acting_as(f"fixtures:{report.fixture}"):
            frameworks.append(load_framework(_read(path), report, _States(report.fixture)))
        if reports is not None:
            reports.append(report)
    return frameworks


def load_demo_fixtures(reports: list[LoadReport] | None = None) -> list[Company]:
    companies, report = load_companies(_read(FIXTURES_DIR / "demo.json"), "demo")
    if reports is not None:
        reports.append(report)
    return companies


# --- The open catalog -----------------------------------------------------------------------------

CATALOG_PATH = FIXTURES_DIR / "catalog.json"


def catalog_problems(data: dict[str, Any]) -> list[str]:
    """What keeps a catalog file from being trustworthy: missing versions, sources or provenance."""
    problems = []
    for name in ("catalog_version", "read_on"):
        if not data.get(name):
            problems.append(f'top level: "{name}" is missing')
    orgs = data.get("organizations") or []
    if [o.get("slug") for o in orgs] != [CATALOG_ORGANIZATION]:
        problems.append(f'the catalog belongs to the "{CATALOG_ORGANIZATION}" organization only')
    for org in orgs:
        for company in org.get("companies", []):
            where = f"company {company.get('slug')}"
            if company.get("is_public") is not True:
                problems.append(f"{where}: is_public must be true")
            if not company.get("sources"):
                problems.append(f"{where}: no sources")
            for source in company.get("sources", []):
                if not source.get("url") or not source.get("read_on"):
                    problems.append(f"{where}: a source without url or read_on")
            for ladder in company.get("ladders", []):
                if not ladder.get("levels"):
                    problems.append(f"{where}: a ladder without levels")
                for level in ladder.get("levels", []):
                    lwhere = f"{where}, level {level.get('title')!r}"
                    sources = (level.get("provenance") or {}).get("sources") or []
                    if not sources:
                        problems.append(f"{lwhere}: no provenance source")
                    for source in sources:
                        if not source.get("url") or not source.get("read_on"):
                            problems.append(f"{lwhere}: a source without url or read_on")
    return problems


def load_catalog_fixtures(reports: list[LoadReport] | None = None, path: Path | None = None) -> list[Company]:
    """Load the open catalog (``fixtures/catalog.json``); a missing file is reported, not an error."""
    path = path or CATALOG_PATH
    if not path.exists():
        report = LoadReport(fixture="catalog")
        report.notes.append(f"fixtures/{path.name} not found: the open catalog was not loaded")
        if reports is not None:
            reports.append(report)
        return []
    data = _read(path)
    companies, report = load_companies(data, "catalog")
    report.fixture = f"catalog {data.get('catalog_version', '(no version)')}"
    report.errors.extend(f"check: {p}" for p in catalog_problems(data))
    if reports is not None:
        reports.append(report)
    return companies
