"""The tenancy rules of ``ladder.tenancy`` as SQL, for the hand-written queries of the hot path.

``readable_company_sql`` is ``readable_company`` for every slug at once: a condition on a company row
that holds when the caller may read the company (``readable_q``, archived companies hidden) and it is
the company its slug names for the caller (``slug_precedence``: home organization first, then the
caller's other organizations, then the public company; ties to the lower organization id).
"""

from __future__ import annotations

from typing import Any

from ladder.models import Company
from ladder.tenancy import Caller


def readable_company_sql(caller: Caller, alias: str = "c") -> tuple[str, list[Any]]:
    """A condition on the company table under ``alias``, with its parameters (``%s`` placeholders)."""
    mine, mine_params = _readable(caller, alias)
    rival, rival_params = _readable(caller, "rival")
    rank, rank_params = _rank(caller, alias)
    rival_rank, rival_rank_params = _rank(caller, "rival")
    better = f"({rival_rank} < {rank} OR ({rival_rank} = {rank} AND rival.organization_id < {alias}.organization_id))"
    rivals = (
        f"SELECT 1 FROM {Company._meta.db_table} rival WHERE rival.slug = {alias}.slug AND rival.id <> {alias}.id "  # noqa: S608 (names and placeholders are ours)
        f"AND rival.archived_at IS NULL AND {rival} AND {better}"
    )
    sql = f"({alias}.archived_at IS NULL AND {mine} AND NOT EXISTS ({rivals}))"
    return sql, [*mine_params, *rival_params, *rival_rank_params, *rank_params, *rival_rank_params, *rank_params]


def _readable(caller: Caller, alias: str) -> tuple[str, list[Any]]:
    """``readable_q``: public companies and those of the caller's organizations (a superuser: all)."""
    if caller.is_superuser:
        return "1 = 1", []
    orgs = sorted(caller.readable_org_ids)
    if not orgs:
        return f"{alias}.is_public = %s", [True]
    return f"({alias}.is_public = %s OR {alias}.organization_id IN ({', '.join(['%s'] * len(orgs))}))", [True, *orgs]


def _rank(caller: Caller, alias: str) -> tuple[str, list[Any]]:
    """The first part of ``slug_precedence`` (the organization id breaks ties)."""
    whens: list[str] = []
    params: list[Any] = []
    if caller.home_org_id is not None:
        whens.append(f"WHEN {alias}.organization_id = %s THEN 0")
        params.append(caller.home_org_id)
    orgs = sorted(caller.readable_org_ids)
    if orgs:
        whens.append(f"WHEN {alias}.organization_id IN ({', '.join(['%s'] * len(orgs))}) THEN 1")
        params.extend(orgs)
    whens.append(f"WHEN {alias}.is_public = %s THEN 2")
    params.append(True)
    return f"(CASE {' '.join(whens)} ELSE 3 END)", params
