"""Which ladders a caller may translate with, as plain references: the first lookup of every request.

A translation names companies by slug; this finds their readable, unarchived ladders with one
hand-written query of plain values (building it with the ORM cost more than running it), whose
tenancy condition comes from ``ladder.tenancy_sql``, and remembers the answer in this process while
``ladder.directory``'s generation holds, so that a warm translation runs no query at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from ladder import directory, versions
from ladder.models import Company, Framework, Ladder, LadderVersion
from ladder.services.due import apply_due_for, is_due
from ladder.tenancy import Caller, readable_company_sql


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
    next_effective_on: date | None
    # With ``as_of``: "number:revision" of the ladder version in effect that day (``ladder.versions``).
    version_key: str | None

    @classmethod
    def of(cls, ladder: Ladder) -> LadderRef:
        """The reference of a ladder already loaded with its company and framework, as it stands now."""
        fw = ladder.framework
        framework = FrameworkRef(fw.pk, fw.slug, fw.name, str(fw.updated_at))
        return cls(ladder.pk, ladder.version, CompanyRef(ladder.company.slug), framework, None, None)


# (tenancy scope, company slug, framework or None, day or None) -> that company's readable ladders.
ladder_lookups = directory.GenerationCache(limit=20_000)


def readable_ladders(caller: Caller, slugs: set[str], framework: str | None, on: date | None = None) -> list[LadderRef]:
    """The readable, unarchived ladders of the named companies: from this process's lookup table
    while ``ladder.directory``'s generation holds (no query), else from the database. A scheduled
    version whose day has come is applied first (rare), and the ladders are read again."""
    generation = directory.current_generation()
    # Everything the lookup depends on: tenancy and the slug precedence (home organization first).
    scope = (caller.is_superuser, caller.readable_org_ids, caller.home_org_id)
    found: list[LadderRef] = []
    missing: set[str] = set()
    for slug in slugs:
        remembered = ladder_lookups.get((scope, slug, framework, on), generation)
        if remembered is None:
            missing.add(slug)
        else:
            found.extend(remembered)
    if missing:
        rows = _query_ladders(caller, missing, framework, on)
        for slug in missing:
            own = [ref for ref in rows if ref.company.slug == slug]
            ladder_lookups.set((scope, slug, framework, on), generation, own)
            found.extend(own)
    due = [ref.pk for ref in found if is_due(ref.next_effective_on)]
    if due:
        apply_due_for(due)
        return _query_ladders(caller, slugs, framework, on)
    return found


def _query_ladders(caller: Caller, slugs: set[str], framework: str | None, on: date | None) -> list[LadderRef]:
    """The ladders of the companies the slugs name for the caller, from the database (one query).

    ``tests/test_api_translate.py`` checks the tenancy of the answer like every other endpoint's.
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
    readable, readable_params = readable_company_sql(caller, "c")
    params += [*sorted(slugs), *readable_params]
    sql = (
        f"SELECT l.id, l.version, c.slug, f.id, f.slug, f.name, f.updated_at, "  # noqa: S608 (names are ours)
        f"l.next_effective_on, {version_columns} "
        f"FROM {ladder} l JOIN {company} c ON c.id = l.company_id JOIN {fw} f ON f.id = l.framework_id "
        f"WHERE c.slug IN ({', '.join(['%s'] * len(slugs))}) AND {readable} AND l.archived_at IS NULL"
    )
    if framework:
        sql += " AND f.slug = %s"
        params.append(framework)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        LadderRef(
            pk,
            version,
            CompanyRef(company_slug),
            FrameworkRef(fw_pk, fw_slug, fw_name, str(fw_updated)),
            as_date(next_on),
            in_effect or first,
        )
        for pk, version, company_slug, fw_pk, fw_slug, fw_name, fw_updated, next_on, in_effect, first in rows
    ]


def as_date(value: Any) -> date | None:
    """A date column as a date (SQLite answers raw queries with ISO strings)."""
    return date.fromisoformat(value) if isinstance(value, str) else value
