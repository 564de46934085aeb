"""The MCP tools: each is one function over the same services and selectors as the REST views.

A tool takes the caller (its tenancy facts, from the API key) and typed arguments, and returns the
REST API's answer shape. Arguments are checked by the REST API's own request serializers, so a bad
value fails with the same validation codes and field names. Adding a tool is one more decorated
function.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from pydantic import Field
from rest_framework import serializers

from ladder import compare, selectors, versions
from ladder.api import versions as api_versions
from ladder.api.compare import CompareQuerySerializer
from ladder.documents_io import LadderDocumentSerializer
from ladder.exceptions import NotFound, ValidationFailed
from ladder.mcp.schemas import (
    CareerPathAnswer,
    CompanySearchResult,
    CompareAnswer,
    LadderDocument,
    TitleWithCode,
    TranslationAnswer,
    UnderstandAnswer,
)
from ladder.models import Company
from ladder.serializer_fields import StrictCharField, StrictSerializer
from ladder.tenancy import Caller, readable_companies
from ladder.translation.api import answers
from ladder.translation.api.serializers import (
    CareerQuerySerializer,
    TranslateRequestSerializer,
    UnderstandRequestSerializer,
)

# (function, human-readable title), in the order clients list them.
TOOLS: list[tuple[Callable[..., Any], str]] = []


def tool(title: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def add(fn: Callable[..., Any]) -> Callable[..., Any]:
        TOOLS.append((fn, title))
        return fn

    return add


def _valid(serializer_class: type[serializers.Serializer], data: dict[str, Any]) -> dict[str, Any]:
    """Check arguments with the REST API's serializer: the same codes and field names on failure."""
    serializer = serializer_class(data={k: v for k, v in data.items() if v is not None})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


CompanySlug = Annotated[str, Field(description="A company slug from search_companies, or `reference`.")]
FrameworkSlug = Annotated[
    str | None,
    Field(description="Framework slug, e.g. product-management. Leave out when the companies share one."),
]
AsOf = Annotated[date | None, Field(description="Use the titles valid on this day (YYYY-MM-DD); default today.")]


# --- search_companies -----------------------------------------------------------------------------


class _SearchArguments(StrictSerializer):
    query = StrictCharField(max_length=200)
    limit = serializers.IntegerField(min_value=1, max_value=50, required=False)


@tool("Find companies by name")
def search_companies(
    caller: Caller,
    query: Annotated[str, Field(description="A company name or part of one, e.g. 'Globex' or 'glob'.")],
    limit: Annotated[int, Field(description="At most this many candidates (1-50).")] = 10,
) -> CompanySearchResult:
    """Find the companies whose ladders you can use, by name, and get their slugs.

    Call this first whenever a user names a company: the other tools take a slug, not a name.
    Never guess a slug. If several candidates come back, ask the user which one they mean (or pick
    the one marked exact when there is exactly one). An empty list means no company of that name is
    visible to this API key: say so instead of translating against another company. The answer only
    contains companies of your organization and public ones.
    """
    args = _valid(_SearchArguments, {"query": query, "limit": limit})
    companies = selectors.search_companies(caller=caller, query=args["query"], limit=args.get("limit", 10))
    return {
        "query": args["query"],
        "candidates": [
            {
                "slug": c.slug,
                "name": c.name,
                "size_band": c.size_band,
                "is_public": c.is_public,
                "organization": c.organization.slug,
                "frameworks": sorted(ladder.framework.slug for ladder in c.ladders.all()),
                "exact": c.exact == 0,
            }
            for c in companies
        ],
    }


# --- get_ladder -----------------------------------------------------------------------------------


class _LadderArguments(StrictSerializer):
    company = StrictCharField(max_length=64)
    framework = StrictCharField(max_length=64, required=False)


@tool("Read a company's career ladder")
def get_ladder(
    caller: Caller,
    company: Annotated[str, Field(description="Company slug from search_companies.")],
    framework: FrameworkSlug = None,
    as_of: Annotated[
        date | None, Field(description="Read the ladder as it was (or will be) on this day (YYYY-MM-DD).")
    ] = None,
) -> LadderDocument:
    """Read a company's whole career ladder: every level in rank order, with its code, track
    (ic, management, executive), its span on the reference scale, the reference level it is anchored
    to, and its other titles (aliases).

    Use it to explain how a company's levels are organised or to list its titles. To map a title from
    one company to another, use translate_titles instead of comparing ladders yourself. Without
    `as_of` the ladder is the current one; with it, the version in effect on that day (a past one, or
    a scheduled future one).
    """
    args = _valid(_LadderArguments, {"company": company, "framework": framework})
    ladder = selectors.readable_ladder_document(caller=caller, company=args["company"], framework=args.get("framework"))
    if ladder is not None and as_of is not None:
        version = versions.in_effect(ladder, as_of)
        if version is None:
            raise NotFound("not_found", f'"{args["company"]}" had no ladder on {as_of.isoformat()}.', "as_of")
        return api_versions.version_document(ladder.company, ladder.framework, version)
    if ladder is not None:
        return LadderDocumentSerializer(ladder).data
    found: Company | None = (
        readable_companies(caller).filter(slug=args["company"]).prefetch_related("ladders__framework").first()
    )
    if found is None:
        message = f'No readable company "{args["company"]}": find its slug with search_companies.'
        raise NotFound("not_found", message, "company")
    frameworks = sorted(ladder.framework.slug for ladder in found.ladders.all() if ladder.archived_at is None)
    if args.get("framework") is None and len(frameworks) > 1:
        raise ValidationFailed(
            "framework_required",
            f"The company has several ladders ({', '.join(frameworks)}); name the framework.",
            "framework",
        )
    raise NotFound("not_found", f'"{args["company"]}" has no ladder for this framework.', "framework")


# --- translate_titles -----------------------------------------------------------------------------


@tool("Translate job titles between companies")
def translate_titles(
    caller: Caller,
    source: CompanySlug,
    target: CompanySlug,
    titles: Annotated[
        list[str | TitleWithCode],
        Field(description="Up to 10,000 titles as written at the source company; one title is a list of one."),
    ],
    framework: FrameworkSlug = None,
    as_of: AsOf = None,
) -> TranslationAnswer:
    """Translate job titles from one company's career ladder into another's, through a common
    reference scale (use `reference` as source or target for the standard ladder itself).

    Titles may be messy ("Sr. PM - Payments"); each result gives the matching level at the target,
    alternatives, a confidence (0..1) and, when a title cannot be placed, an error with suggestions
    or candidate levels. A title shared by several levels needs its level code: pass
    {"title": ..., "code": ...}. Report low confidence (below 0.5) and errors honestly to the user;
    do not replace them with a guess. Results come back in input order.
    """
    data = _valid(
        TranslateRequestSerializer,
        {
            "source": source,
            "target": target,
            "framework": framework,
            "as_of": _iso(as_of),
            "titles": [t.model_dump() if isinstance(t, TitleWithCode) else t for t in titles],
        },
    )
    return answers.translation_answer(caller, data, data["titles"])


# --- understand_titles ----------------------------------------------------------------------------


@tool("Understand job titles without a company")
def understand_titles(
    caller: Caller,
    titles: Annotated[
        list[str | TitleWithCode],
        Field(
            description="Up to 10,000 titles from anywhere (job ads, CVs, HRIS exports); one title is a list of one."
        ),
    ],
    framework: FrameworkSlug = None,
    as_of: AsOf = None,
) -> UnderstandAnswer:
    """Read job titles that belong to no stored ladder and place each on the reference scale: the
    job family, the seniority words, the track (does it manage product managers?), and the reference
    level it sits on with a confidence.

    A title of another job family (project, product marketing, design, engineering, sales, …)
    answers the error other_job_family: tell the user it is not a product-management title rather
    than mapping it. Confidence below 0.5 means the title spans several levels or was only partly
    understood: report that uncertainty. Results come back in input order.
    """
    del caller  # titles are placed on the shared framework; no tenant data is read
    data = _valid(
        UnderstandRequestSerializer,
        {
            "framework": framework,
            "as_of": _iso(as_of),
            "titles": [t.model_dump() if isinstance(t, TitleWithCode) else t for t in titles],
        },
    )
    return answers.understanding_answer(data, data["titles"])


# --- compare_ladders ------------------------------------------------------------------------------


@tool("Compare companies' ladders side by side")
def compare_ladders(
    caller: Caller,
    companies: Annotated[
        list[str], Field(description="1 to 8 company slugs from search_companies.", min_length=1, max_length=8)
    ],
    framework: FrameworkSlug = None,
    as_of: AsOf = None,
    links: Annotated[
        str | None,
        Field(description="adjacent (default): links between neighbouring columns; all: between every two."),
    ] = None,
) -> CompareAnswer:
    """Put companies' career ladders side by side on the common reference scale, as a levels chart
    shows them: one column per company after the reference ladder, each level with its span on the
    scale, and links saying what each level translates to in the other columns, with a confidence.

    Use it to answer "which level at B is like this level at A?" for a whole ladder at once, or to
    show that one company's level spans two of another's. Levels whose reference level pmladder
    inferred are marked `inferred`: mention that when it matters.
    """
    data = _valid(
        CompareQuerySerializer,
        {"companies": ",".join(companies), "framework": framework, "as_of": _iso(as_of), "links": links},
    )
    comparison = compare.build_comparison(
        caller=caller,
        slugs=compare.parse_companies([data["companies"]]),
        framework=data.get("framework") or None,
        as_of=data.get("as_of") or date.today(),
        links=data.get("links") or "adjacent",
    )
    return comparison.as_dict()


# --- career_path ----------------------------------------------------------------------------------


@tool("Career path from a title")
def career_path(
    caller: Caller,
    company: Annotated[str, Field(description="Company slug from search_companies.")],
    title: Annotated[str, Field(description="The job title as written at that company.")],
    code: Annotated[str | None, Field(description="The level code, when several levels share the title.")] = None,
    framework: FrameworkSlug = None,
    as_of: AsOf = None,
) -> CareerPathAnswer:
    """Where a job title at a company leads: the next levels on the same track, the branch options
    (for example Senior PM to Group PM, which manages people, or Principal PM, which does not), and
    for each step the responsibilities gained and how the focus shifts from hands-on work to
    leadership.

    A title that cannot be placed fails with unresolved_title (with suggestions) or ambiguous_title
    (with candidates: ask the user which level, then pass its code).
    """
    data = _valid(
        CareerQuerySerializer,
        {"company": company, "title": title, "code": code, "framework": framework, "as_of": _iso(as_of)},
    )
    return answers.career_path_answer(caller, data)
