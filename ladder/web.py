"""``/compare/``: the ladders side by side as a chart, for people signed in to the admin.

Server-rendered HTML with inline SVG: no CDN, no build step, and it works without JavaScript (a click
on a level is a link that renders the page again with that level's translations highlighted; the
small script in ``ladder/static/ladder/compare.js`` does the same without a round trip, from the
links embedded in the page). The SVG and CSV downloads carry the same data.

Access is by session only: API keys never travel in URLs, so a ``?key=`` is refused rather than
ignored. Which companies appear is decided by ``ladder.tenancy`` like everywhere else.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from ladder.compare import (
    MAX_COMPANIES,
    SLUG_RE,
    TRACK_COLOURS,
    TRACK_LABELS,
    Comparison,
    build_comparison,
    parse_companies,
)
from ladder.compare_layout import COMPACT, layout
from ladder.error_status import STATUS_BY_KIND
from ladder.exceptions import ApplicationError, ValidationFailed
from ladder.level_fields import PLACEMENT_FIELDS
from ladder.models import Framework
from ladder.tenancy import caller_for, readable_companies
from ladder.translation.api.csv import cell
from ladder.translation.ladders import LadderRef

FORBIDDEN_PARAMS = ("key", "api_key", "apikey", "token")


def _request_params(request) -> dict[str, Any]:
    for name in FORBIDDEN_PARAMS:
        if name in request.GET:
            raise ValidationFailed(
                "key_in_url",
                "API keys never go in URLs. Sign in to the admin to see this page, or call "
                "GET /api/v1/compare with an Authorization header.",
                name,
            )
    slugs = parse_companies(request.GET.getlist("companies"))
    framework = request.GET.get("framework", "").strip() or None
    if framework is not None and not SLUG_RE.match(framework):
        raise ValidationFailed("invalid", "framework is a slug: letters, digits, - and _.", "framework")
    raw_day = request.GET.get("as_of", "").strip()
    try:
        as_of = date.fromisoformat(raw_day) if raw_day else date.today()
    except ValueError as exc:
        raise ValidationFailed("invalid", "as_of is a date written YYYY-MM-DD.", "as_of") from exc
    return {"slugs": slugs, "framework": framework, "as_of": as_of, "as_of_given": bool(raw_day)}


def _comparison(request, params: dict[str, Any]) -> Comparison:
    """The comparison the page and its downloads draw: every column linked to every other."""
    return build_comparison(
        caller=caller_for(request),
        slugs=params["slugs"],
        framework=params["framework"],
        as_of=params["as_of"],
        links="all",
    )


def _query(params: dict[str, Any], **extra) -> str:
    query: dict[str, str] = {"companies": ",".join(params["slugs"])}
    if params["framework"]:
        query["framework"] = params["framework"]
    if params["as_of_given"]:
        query["as_of"] = params["as_of"].isoformat()
    query.update({k: v for k, v in extra.items() if v})
    return urlencode(query)


def chart_context(comparison: Comparison, *, focus: str | None = None, href=None, style=None) -> dict[str, Any]:
    """The SVG chart's template context: coordinates, labels and (for ``focus``) the highlights."""
    chart = layout(comparison, style)
    states: dict[str, tuple[str, float | None]] = {}
    if focus and comparison.box(focus) is not None:
        states[focus] = ("is-source", None)
        for link in comparison.links_from(focus):
            if link["target"] not in states or link["best"]:
                states[link["target"]] = ("is-target" if link["best"] else "is-alt", link["confidence"])
    for column in chart["columns"]:
        for box in column["boxes"]:
            state, confidence = states.get(box["id"], ("", None))
            box["state"] = state
            box["confidence_label"] = f"{confidence:.2f}" if confidence is not None else ""
            box["href"] = href(box["id"]) if href else ""
    chart["focused"] = bool(states)
    chart["legend"] = [
        {"track": track, "label": TRACK_LABELS[track], "stroke": stroke, "fill": fill}
        for track, (stroke, fill) in TRACK_COLOURS.items()
    ]
    return chart


def _chart_title(comparison: Comparison) -> str:
    names = ", ".join(c["name"] for c in comparison.columns[1:])
    return f"{comparison.framework.name}: {names} on the reference scale"


def _picker(request, framework: str | None) -> tuple[list[dict[str, Any]], list[Framework]]:
    frameworks = list(Framework.objects.order_by("slug"))
    chosen = framework or (frameworks[0].slug if frameworks else None)
    companies = (
        readable_companies(caller_for(request))
        .filter(ladders__framework__slug=chosen, ladders__archived_at__isnull=True)
        .order_by("-is_public", "name")
        .values("slug", "name", "is_public")
        .distinct()[:1000]
    )
    return list(companies), frameworks


def _translations(comparison: Comparison, focus: str | None) -> dict[str, Any] | None:
    """The focused level and what it translates to in each other column (the no-script panel)."""
    box = comparison.box(focus) if focus else None
    if box is None:
        return None
    column_of = {b["id"]: c for c in comparison.columns for b in c["boxes"]}
    rows = []
    for link in comparison.links_from(focus):
        target = comparison.box(link["target"])
        rows.append({**link, "column": column_of[link["target"]]["name"], "level": target})
    return {"box": box, "column": column_of[focus], "rows": rows}


def _embedded(comparison: Comparison) -> dict[str, Any]:
    """The data the page's script needs: links by source box, and a label per box."""
    links: dict[str, list[list[Any]]] = {}
    for link in comparison.links:
        links.setdefault(link["source"], []).append([link["target"], link["confidence"], link["basis"], link["best"]])
    boxes = {
        b["id"]: {"title": b["title"], "code": b["code"], "column": c["name"], "provenance": b["provenance"]}
        for c in comparison.columns
        for b in c["boxes"]
    }
    return {"links": links, "boxes": boxes}


@require_GET
@staff_member_required
def compare_page(request):
    context: dict[str, Any] = {"max_companies": MAX_COMPANIES, "selected": [], "status": 200}
    framework = None
    try:
        params = _request_params(request)
        framework = params["framework"]
        context.update(selected=params["slugs"], as_of=params["as_of"] if params["as_of_given"] else None)
        if params["slugs"]:
            comparison = _comparison(request, params)
            focus = request.GET.get("focus") or None
            base = reverse("compare")
            context.update(
                comparison=comparison,
                chart=chart_context(
                    comparison,
                    focus=focus,
                    href=lambda box_id: f"{base}?{_query(params, focus=box_id)}#chart",
                ),
                chart_title=_chart_title(comparison),
                interactive=True,
                translations=_translations(comparison, focus),
                embedded=_embedded(comparison),
                svg_url=f"{reverse('compare-svg')}?{_query(params)}",
                csv_url=f"{reverse('compare-csv')}?{_query(params)}",
                api_url=f"{reverse('compare-api')}?{_query(params)}",
                framework_slug=comparison.framework.slug,
            )
    except ApplicationError as err:
        context.update(error=err, status=STATUS_BY_KIND[err.kind])
    companies, frameworks = _picker(request, framework)
    context.update(companies=companies, frameworks=frameworks, framework=framework)
    return render(request, "ladder/compare.html", context, status=context["status"])


def _filename(comparison: Comparison, ext: str) -> str:
    names = "-".join(c["key"] for c in comparison.columns[1:])[:120]
    return f"pmladder-{comparison.framework.slug}-{names}.{ext}"


def _download(ext: str, content_type: str):
    """A download of the comparison the query names, as an attachment; the decorated function writes the
    file. A query the comparison refuses answers its message as plain text."""

    def decorate(write: Callable[[Comparison], str]):
        @require_GET
        @staff_member_required
        @functools.wraps(write)
        def view(request):
            try:
                comparison = _comparison(request, _request_params(request))
            except ApplicationError as err:
                status = STATUS_BY_KIND[err.kind]
                return HttpResponse(err.message, status=status, content_type="text/plain; charset=utf-8")
            response = HttpResponse(write(comparison), content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{_filename(comparison, ext)}"'
            return response

        return view

    return decorate


@_download("svg", "image/svg+xml; charset=utf-8")
def compare_svg(comparison: Comparison) -> str:
    return render_to_string(
        "ladder/chart.svg",
        {"chart": chart_context(comparison), "chart_title": _chart_title(comparison), "standalone": True},
    )


CSV_COLUMNS = ["column", "company", "level_id", *PLACEMENT_FIELDS, "aliases", "translates_to", "sources"]


@_download("csv", "text/csv; charset=utf-8")
def compare_csv(comparison: Comparison) -> str:
    column_of = {b["id"]: c for c in comparison.columns for b in c["boxes"]}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for column in comparison.columns:
        for box in column["boxes"]:
            best = [
                f"{column_of[link['target']]['name']}: {_label(comparison.box(link['target']))} "
                f"({link['confidence']:g})"
                for link in comparison.links_from(box["id"])
                if link["best"]
            ]
            sources = [s.get("url", "") for s in (box["provenance"] or {}).get("sources", [])]
            writer.writerow(
                [
                    cell(value)
                    for value in (
                        column["key"],
                        column["name"],
                        box["level_id"] or "",
                        box["title"],
                        box["code"] or "",
                        box["track"],
                        box["rank"],
                        box["reference_level"] or "",
                        box["anchor"],
                        f"{box['scale_from']:g}",
                        f"{box['scale_to']:g}",
                        "; ".join(box["aliases"]),
                        "; ".join(best),
                        " ".join(sources),
                    )
                ]
            )
    return out.getvalue()


def _label(box: dict[str, Any] | None) -> str:
    if box is None:
        return ""
    return f"{box['title']} [{box['code']}]" if box["code"] else box["title"]


def ladder_chart(ladder, *, as_of: date | None = None) -> str:
    """The small chart on the admin's ladder page: the reference scale and this ladder, same component."""
    from ladder.compare import comparison_of_ladders

    ref = LadderRef.of(ladder)
    comparison = comparison_of_ladders([ref], ref.framework, as_of=as_of or date.today(), links="adjacent")
    return render_to_string(
        "ladder/ladder_scale.html",
        {
            "chart": chart_context(comparison, style=COMPACT),
            "chart_title": _chart_title(comparison),
            "compact": True,
        },
    )
