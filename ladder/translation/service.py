"""Translate, understand and career-path requests: plain functions over snapshots, no HTTP.

The REST views and the MCP tools call the ``answer_*`` functions and get the answer bodies. A
request that cannot be answered raises one of ``ladder.exceptions``' errors (``NotFound`` for a
company the caller may not read, ``ValidationFailed`` for a request that names no single framework,
...); a title that cannot be placed is an item error inside the answer, never a failed batch.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from ladder.engine.career import career_path
from ladder.engine.constants import MAX_TITLE_LENGTH
from ladder.engine.resolve import ResolveError, resolve
from ladder.engine.snapshot import REFERENCE_KEY, FrameworkSnapshot, LadderSnapshot
from ladder.engine.translate import TranslationResult, translate_many
from ladder.exceptions import NotFound, ValidationFailed
from ladder.models import Framework
from ladder.tenancy import Caller, readable_companies
from ladder.translation.ladders import FrameworkRef, LadderRef, readable_ladders
from ladder.translation.snapshots import cached_framework_snapshot, snapshots_of
from ladder.vocabulary import title_vocabulary

MAX_TITLES = 10_000


@dataclass(frozen=True)
class TranslationContext:
    """Everything a translation needs, loaded once per request."""

    source: LadderSnapshot
    target: LadderSnapshot
    framework: FrameworkRef | Framework
    framework_snapshot: FrameworkSnapshot | None


# --- Finding the ladders --------------------------------------------------------------------------


def _no_framework(framework: str) -> NotFound:
    return NotFound("framework_not_found", f'No framework "{framework}".', "framework")


def ladders_by_company(
    *, caller: Caller, slugs: dict[str, str], framework: str | None, on: date | None = None
) -> dict[str, dict[str, LadderRef]]:
    """The readable ladders of the named companies, by company slug and framework slug.

    ``slugs`` maps each company slug to the request field that named it. A company the caller may not
    read, or one without a ladder (for ``framework``), is ``NotFound``: another tenant's private company
    answers exactly like one that does not exist.
    """
    by_company: dict[str, dict[str, LadderRef]] = {}
    ladders = readable_ladders(caller, set(slugs), framework, on) if slugs else []
    for ladder in ladders:
        by_company.setdefault(ladder.company.slug, {})[ladder.framework.slug] = ladder
    for slug, field in slugs.items():
        if slug not in by_company:
            if framework and not Framework.objects.filter(slug=framework).exists():
                raise _no_framework(framework)
            if framework and readable_companies(caller).filter(slug=slug).exists():
                raise NotFound("ladder_not_found", f'"{slug}" has no ladder for framework "{framework}".', field)
            raise NotFound("company_not_found", f'No readable company "{slug}" with a ladder.', field)
    return by_company


def pick_framework(by_company: dict[str, dict[str, LadderRef]], framework: str | None) -> FrameworkRef | Framework:
    """The framework the named ladders share: the one named, the only common one, or the only one there is."""
    if framework:
        if by_company:
            return next(iter(next(iter(by_company.values())).values())).framework
        return only_framework(framework)
    if by_company:
        common = set.intersection(*(set(ladders) for ladders in by_company.values()))
        if len(common) == 1:
            return next(iter(by_company.values()))[common.pop()].framework
        if not common:
            raise ValidationFailed("no_common_framework", "The companies share no framework.", "framework")
        raise ValidationFailed(
            "framework_required",
            f"The companies share several frameworks ({', '.join(sorted(common))}); name one.",
            "framework",
        )
    return only_framework(None)


def only_framework(framework: str | None, purpose: str = "translate within") -> Framework:
    """The framework named, or the only one there is."""
    if framework:
        found = Framework.objects.filter(slug=framework).first()
        if found is None:
            raise _no_framework(framework)
        return found
    only = list(Framework.objects.all()[:2])
    if len(only) != 1:
        raise ValidationFailed("framework_required", f"Name the framework to {purpose}.", "framework")
    return only[0]


def load_context(
    *, caller: Caller, source: str, target: str, framework: str | None, on: date | None = None
) -> TranslationContext:
    """Find the two ladders (or the reference) a translation runs between; a constant number of queries.

    ``on``: use the ladder versions in effect that day (levels, spans, anchors), not the current ones.
    """
    named: dict[str, str] = {}  # company slug -> the field that named it (the source first)
    for field, slug in (("source", source), ("target", target)):
        if slug != REFERENCE_KEY:
            named.setdefault(slug, field)
    by_company = ladders_by_company(caller=caller, slugs=named, framework=framework, on=on)
    framework_obj = pick_framework(by_company, framework)
    snaps = snapshots_of([ladders[framework_obj.slug] for ladders in by_company.values()], versioned=on is not None)
    fw_snap = cached_framework_snapshot(framework_obj) if REFERENCE_KEY in (source, target) else None

    def side(slug: str) -> LadderSnapshot:
        if slug == REFERENCE_KEY:
            return fw_snap.ladder
        return snaps[by_company[slug][framework_obj.slug].pk]

    return TranslationContext(side(source), side(target), framework_obj, fw_snap)


# --- Batches --------------------------------------------------------------------------------------


@contextmanager
def bulk_work() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a batch builds its many small answers.

    A batch of 10,000 titles allocates some hundred thousand dicts and tuples; the collector would
    otherwise walk every live object again and again while they pile up. Nothing in a batch forms
    cycles worth collecting early, and it runs again as soon as the batch is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_batch_size(count: int) -> None:
    """A batch holds at most ``MAX_TITLES`` titles (what the request serializers say for JSON bodies)."""
    if count > MAX_TITLES:
        raise ValidationFailed("too_many_titles", f"At most {MAX_TITLES} titles per request.", "titles")


def refusal(item: Any) -> tuple[str, str] | None:
    """Why a batch item is refused before the engine sees it (code, detail), or None.

    Over-long titles, and titles that arrived with NUL or unpaired surrogates (the lenient parser put
    U+FFFD in their place), fail alone; the rest of the batch is answered.
    """
    title = item.get("title") if isinstance(item, dict) else item
    if isinstance(title, str) and len(title) > MAX_TITLE_LENGTH:
        return "title_too_long", f"A title may have at most {MAX_TITLE_LENGTH} characters."
    values = [title, item.get("code")] if isinstance(item, dict) else [title]
    if any(isinstance(v, str) and "\ufffd" in v for v in values):
        return "invalid_text", "The title held a NUL character or an unpaired UTF-16 surrogate (shown as U+FFFD)."
    return None


def item_error(code: str, detail: str) -> dict[str, Any]:
    """The ``error`` of an item refused before the engine saw it."""
    return {"code": code, "detail": detail, "suggestions": [], "candidates": []}


def answer_batch(
    source: LadderSnapshot,
    target: LadderSnapshot,
    items: list[Any],
    as_of: date,
    shape: Callable[[Any, TranslationResult], dict[str, Any]],
    refused: Callable[[Any, dict[str, Any]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """Each item translated and shaped, in input order: duplicates computed and shaped once, over-long
    or unreadable titles refused one by one (``refused(item, error)``)."""
    results: list[dict[str, Any] | None] = [None] * len(items)
    work: list[tuple[int, Any]] = []
    for i, item in enumerate(items):
        why = refusal(item)
        if why is not None:
            results[i] = refused(item, item_error(*why))
        else:
            work.append((i, item))
    with bulk_work():
        answers = translate_many(source, target, [it for _, it in work], as_of, title_vocabulary())
        memo: dict[int, dict[str, Any]] = {}
        for (i, item), answer in zip(work, answers, strict=True):
            # translate_many returns the same object for repeated inputs: shape each once
            found = memo.get(id(answer))
            if found is None:
                found = memo[id(answer)] = shape(item, answer)
            results[i] = found
    return results  # type: ignore[return-value]


# --- Translation ----------------------------------------------------------------------------------


def _translated(item: Any, answer: TranslationResult) -> dict[str, Any]:
    return answer.to_dict()


def _refused_translation(item: Any, error: dict[str, Any]) -> dict[str, Any]:
    return {
        "input": item,
        "source_level": None,
        "resolution": None,
        "target_level": None,
        "confidence": 0.0,
        "basis": None,
        "alternatives": [],
        "error": error,
        "understanding": None,
        "inferred_anchor": False,
        "notes": [],
    }


def translate_titles(context: TranslationContext, items: list[Any], as_of: date) -> list[dict[str, Any]]:
    """Translate a batch (see ``answer_batch``)."""
    return answer_batch(context.source, context.target, items, as_of, _translated, _refused_translation)


def summarize(results: list[dict[str, Any]]) -> dict[str, int]:
    translated = sum(1 for r in results if r["error"] is None)
    return {"total": len(results), "translated": translated, "unresolved": len(results) - translated}


def answer_translation(*, context: TranslationContext, items: list[Any], as_of: date) -> dict[str, Any]:
    """The body of a translate answer: results in input order and a summary."""
    results = translate_titles(context, items, as_of)
    return {
        "source": context.source.key,
        "target": context.target.key,
        "framework": context.framework.slug,
        "as_of": as_of.isoformat(),
        "results": results,
        "summary": summarize(results),
    }


# --- Career path ----------------------------------------------------------------------------------


def answer_career_path(
    *,
    caller: Caller,
    company: str,
    title: str,
    code: str | None,
    framework: str | None,
    as_of: date,
    on: date | None = None,
) -> dict[str, Any]:
    """The body of a career-path answer: the title resolved in the company's ladder and where it leads.

    A title that does not resolve fails the request: an ambiguous or empty one is ``ValidationFailed``,
    an unknown one ``NotFound`` (with the engine's code). ``on`` (an ``as_of`` the client gave) reads
    the ladder version in effect that day, as in ``load_context``.
    """
    if company == REFERENCE_KEY:
        raise ValidationFailed("invalid", "Career paths are for a company's ladder.", "company")
    ladders = readable_ladders(caller, {company}, framework, on)
    if not ladders:
        raise NotFound("company_not_found", f'No readable company "{company}" with a ladder.', "company")
    if len(ladders) > 1:
        raise ValidationFailed(
            "framework_required", "The company has several ladders; name the framework.", "framework"
        )
    ladder = ladders[0]
    snap = snapshots_of([ladder], versioned=on is not None)[ladder.pk]
    fw_snap = cached_framework_snapshot(ladder.framework)
    resolution = resolve(snap, title, code, as_of, title_vocabulary())
    if isinstance(resolution, ResolveError):
        raise _unresolved(resolution)
    path = career_path(fw_snap, snap, resolution.level)
    return {"company": company, "framework": ladder.framework.slug, **path.to_dict()}


def _unresolved(error: ResolveError) -> ValidationFailed | NotFound:
    message = error.detail
    if error.candidates:
        message += " Candidates: " + ", ".join(f"{c.title} ({c.code})" for c in error.candidates) + "."
    elif error.suggestions:
        message += " Did you mean: " + ", ".join(error.suggestions) + "?"
    failure = ValidationFailed if error.code in ("ambiguous_title", "empty_title") else NotFound
    return failure(error.code, message, "title")
