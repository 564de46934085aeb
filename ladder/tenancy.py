"""Who is calling, and what they may see and change: the one place where tenancy is decided.

Every queryset the API serves starts from ``readable_companies`` (or a filter derived from it), so an
object of another tenant is simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def user_admin_companies(user) -> QuerySet[Company]:
    """``admin_companies`` for a user outside a request (the comparison page's picker, commands)."""
    return admin_companies(_build_caller(None, user))
