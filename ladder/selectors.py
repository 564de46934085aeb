"""Reads: querysets with the joins their serializers need.

Each queryset declares its ``select_related``/``prefetch_related`` here, beside the shape it feeds, so
that the number of queries per request does not grow with the number of rows. A framework as engine data is
built here (``framework_snapshot``, for anchor inference and translation); company ladders' snapshots
in ``ladder.translation.snapshots``.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.text import slugify

from ladder.engine.levels import ReferenceLevelSnap
from ladder.engine.snapshot import FrameworkSnapshot
from ladder.models import Company, ExpectedProficiency, Framework, Ladder, Level, ReferenceLevel, TitleAlias
from ladder.tenancy import Caller, readable_companies, readable_company


def reference_levels_full() -> QuerySet[ReferenceLevel]:
    return ReferenceLevel.objects.prefetch_related(
        "promotes_to",
        Prefetch("proficiencies", queryset=ExpectedProficiency.objects.select_related("competency")),
    )


def frameworks_with_levels() -> QuerySet[Framework]:
    return Framework.objects.prefetch_related(Prefetch("reference_levels", queryset=reference_levels_full()))


def ladder_documents() -> QuerySet[Ladder]:
    """Ladders with every level (rank order) and its aliases: the ladder document's shape."""
    levels = (
        Level.objects.select_related("reference_level")
        .prefetch_related(Prefetch("aliases", queryset=TitleAlias.objects.order_by("title", "pk")))
        .order_by("rank", "pk")
    )
    return (
        Ladder.objects.filter(archived_at__isnull=True)
        .select_related("company", "framework")
        .prefetch_related(Prefetch("levels", queryset=levels))
    )


def readable_ladder_document(*, caller: Caller, company: str, framework: str | None) -> Ladder | None:
    """A readable company's ladder document (``ladder_documents`` shape), or ``None``.

    Without ``framework`` the company's only ladder is meant; a company with several answers ``None``
    here, and ``ladders_of_company`` tells the caller which ones exist.
    """
    chosen = readable_company(caller, company)  # one slug may name several readable companies
    if chosen is None:
        return None
    ladders = ladder_documents().filter(company=chosen)
    if framework is not None:
        return ladders.filter(framework__slug=framework).first()
    found = list(ladders[:2])
    return found[0] if len(found) == 1 else None


def search_companies(*, caller: Caller, query: str, limit: int) -> list[Company]:
    """Readable companies whose slug or name contains the query, exact matches first.

    Never picks one: the caller gets every candidate (up to ``limit``) and decides.
    """
    text = " ".join(query.split())
    slug = slugify(text)
    condition = Q(name__icontains=text) | Q(slug__icontains=text)
    if slug:
        condition |= Q(slug__icontains=slug)
    exact = Q(slug=slug) | Q(name__iexact=text)
    return list(
        readable_companies(caller)
        .filter(condition)
        .annotate(exact=Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .select_related("organization")
        .prefetch_related(
            Prefetch("ladders", queryset=Ladder.objects.filter(archived_at__isnull=True).select_related("framework"))
        )
        .order_by("exact", "name", "slug")[:limit]
    )


def levels_for(companies: QuerySet[Company]) -> QuerySet[Level]:
    return (
        Level.objects.filter(ladder__company__in=companies, ladder__archived_at__isnull=True)
        .select_related("ladder__company", "ladder__framework", "reference_level")
        .prefetch_related(Prefetch("aliases", queryset=TitleAlias.objects.order_by("title", "pk")))
    )


def aliases_for(companies: QuerySet[Company]) -> QuerySet[TitleAlias]:
    return TitleAlias.objects.filter(ladder__company__in=companies, ladder__archived_at__isnull=True).select_related(
        "level__ladder__company"
    )


_REFERENCE_LEVEL_SNAP_FIELDS = ("slug", "name", "track", "position", "focus_hands_on", "focus_soft", "summary")


def framework_snapshot(framework) -> FrameworkSnapshot:
    """The framework as plain data for the engine (two queries)."""
    levels = (
        ReferenceLevel.objects.filter(framework_id=framework.pk)
        .prefetch_related("promotes_to")
        .order_by("position", "track", "slug")
    )
    return FrameworkSnapshot(
        slug=framework.slug,
        name=framework.name,
        reference_levels=tuple(
            ReferenceLevelSnap(
                id=rl.pk,
                **{name: getattr(rl, name) for name in _REFERENCE_LEVEL_SNAP_FIELDS},
                responsibilities=tuple(rl.responsibilities or ()),
                aliases=tuple(rl.common_aliases or ()),
                promotes_to=tuple(sorted(p.slug for p in rl.promotes_to.all())),
            )
            for rl in levels
        ),
    )


def live_ladder_frameworks(company_ids: list[int]) -> dict[int, list[str]]:
    """Each company's unarchived ladders' framework slugs, in framework slug order (the order of the
    ``ladders`` prefetch). Written by hand: building this query with the ORM cost more than running it."""
    ladders: dict[int, list[str]] = {}
    if not company_ids:
        return ladders
    sql = (
        f"SELECT l.company_id, f.slug FROM {Ladder._meta.db_table} l "  # noqa: S608 (names and placeholders are ours)
        f"JOIN {Framework._meta.db_table} f ON f.id = l.framework_id "
        f"WHERE l.archived_at IS NULL AND l.company_id IN ({', '.join(['%s'] * len(company_ids))}) "
        "ORDER BY f.slug"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, company_ids)
        for company_id, framework in cursor.fetchall():
            ladders.setdefault(company_id, []).append(framework)
    return ladders
