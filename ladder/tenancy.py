"""Who is calling, and what they may see and change: the one place where tenancy is decided, as
querysets (API, MCP), for the admin (``admin_companies``) and as SQL (``readable_company_sql``).

Every queryset the API serves starts from ``readable_companies`` (or a filter derived from it), so an
object of another tenant is simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from ladder.choices import MemberRole
from ladder.models import ApiKey, Company, Membership


@dataclass(frozen=True, slots=True)
class Caller:
    """The tenancy facts of one request."""

    readable_org_ids: frozenset[int]
    writable_org_ids: frozenset[int]
    home_org_id: int | None  # where a created company goes
    is_superuser: bool = False

    @property
    def can_write(self) -> bool:
        return self.is_superuser or bool(self.writable_org_ids)


ANONYMOUS = Caller(readable_org_ids=frozenset(), writable_org_ids=frozenset(), home_org_id=None)


def caller_for(request) -> Caller:
    """Build (once per request) the caller from an API key or a logged-in user."""
    cached = getattr(request, "_pmladder_caller", None)
    if cached is not None:
        return cached
    caller = _build_caller(getattr(request, "auth", None), getattr(request, "user", None))
    request._pmladder_caller = caller
    return caller


def caller_for_api_key(api_key: ApiKey) -> Caller:
    """What a verified API key may see and change (the REST API and the MCP server alike)."""
    org = frozenset({api_key.organization_id})
    return Caller(
        readable_org_ids=org,
        writable_org_ids=org if api_key.can_write else frozenset(),
        home_org_id=api_key.organization_id,
    )


def _build_caller(auth, user) -> Caller:
    if isinstance(auth, ApiKey):
        return caller_for_api_key(auth)
    if user is not None and user.is_authenticated:
        memberships = list(Membership.objects.filter(user=user).values_list("organization_id", "role"))
        readable = frozenset(org for org, _ in memberships)
        writable = frozenset(org for org, role in memberships if role in (MemberRole.EDITOR, MemberRole.ADMIN))
        home = min(writable) if writable else None
        return Caller(
            readable_org_ids=readable,
            writable_org_ids=writable,
            home_org_id=home,
            is_superuser=user.is_superuser,
        )
    return ANONYMOUS


def readable_q(caller: Caller, prefix: str = "") -> Q:
    """The condition a company (reached through ``prefix``) must meet to be readable by the caller."""
    if caller.is_superuser:
        return Q()
    return Q(**{f"{prefix}is_public": True}) | Q(**{f"{prefix}organization_id__in": sorted(caller.readable_org_ids)})


def readable_companies(caller: Caller) -> QuerySet[Company]:
    """Companies of the caller's organizations plus every public company; archived ones are hidden."""
    return Company.objects.filter(readable_q(caller), archived_at__isnull=True)


def slug_precedence(caller: Caller, organization_id: int, is_public: bool) -> tuple[int, int]:
    """Company slugs are unique within an organization, so one slug may name several companies the
    caller can read. This orders them: the caller's home organization first, then its other
    organizations, then public companies (at most one public company has a given slug); ties go to
    the lower organization id. The same rule serves the ORM lookups and the translation query."""
    if organization_id == caller.home_org_id:
        rank = 0
    elif organization_id in caller.readable_org_ids:
        rank = 1
    else:
        rank = 2 if is_public else 3
    return rank, organization_id


def readable_company(caller: Caller, slug: str, queryset: QuerySet[Company] | None = None) -> Company | None:
    """The company that ``slug`` names for this caller (see ``slug_precedence``), or None."""
    candidates = (queryset if queryset is not None else readable_companies(caller)).filter(slug=slug)
    return min(candidates, key=lambda c: slug_precedence(caller, c.organization_id, c.is_public), default=None)


def can_write_company(caller: Caller, company: Company) -> bool:
    return caller.is_superuser or company.organization_id in caller.writable_org_ids


def can_read_history(caller: Caller, company: Company) -> bool:
    """Who changed what is for the owning organization only (a public company's readers see its
    ladder, not its history)."""
    return caller.is_superuser or company.organization_id in caller.readable_org_ids


FRAMEWORK_OPERATOR_PERMISSION = "ladder.operate_frameworks"


def can_write_frameworks(user) -> bool:
    """Whether ``user`` may change the shared reference frameworks (API, admin alike).

    Every tenant translates through the frameworks, so a change to them changes everyone's answers:
    only superusers and platform operators (users holding ``ladder.operate_frameworks``) may make
    one. Being staff, or an admin of an organization, is not enough; API keys never may.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(FRAMEWORK_OPERATOR_PERMISSION)


def admin_companies(caller: Caller) -> QuerySet[Company]:
    """Companies a staff member may see and edit in the admin: those of organizations where they are
    an editor or admin (archived ones included, to restore them); every company for a superuser."""
    if caller.is_superuser:
        return Company.objects.all()
    return Company.objects.filter(organization_id__in=sorted(caller.writable_org_ids))


# --- The same rules as SQL, for the hand-written queries of the hot path (translation) -------------
#
# ``readable_company_sql`` is ``readable_company`` for every slug at once: a condition on a company row
# that holds when the caller may read the company (``readable_q``, archived companies hidden) and it is
# the company its slug names for the caller (``slug_precedence``).


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
