"""Title understanding: what a title says, placed on the framework's reference levels, no company involved.

This is a translation from ``reference`` to ``reference``: a reference level's name or alias answers
with its own rung, any other title is understood from its words. Each answer carries the parse,
whatever the outcome.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ladder.engine.translate import TranslationResult
from ladder.models import Framework
from ladder.translation.service import answer_batch, only_framework
from ladder.translation.snapshots import cached_framework_snapshot
from ladder.vocabulary import title_vocabulary


def understanding_framework(framework: str | None) -> Framework:
    """The framework titles are placed on: the one named, or the only one there is."""
    return only_framework(framework, purpose="place titles on")


def understand_titles(framework: Framework, items: list[Any], as_of: date) -> list[dict[str, Any]]:
    """Parse each title and place it on the framework's reference levels, in input order."""
    fw_snap = cached_framework_snapshot(framework)
    vocabulary = title_vocabulary()
    # The reference level shapes are shared by every answer of the batch.
    refs: dict[str | None, dict[str, Any] | None] = {
        ref.slug: {"slug": ref.slug, "name": ref.name, "track": ref.track, "position": ref.position}
        for ref in fw_snap.reference_levels
    }

    def understood(item: Any, answer: TranslationResult) -> dict[str, Any]:
        title = item.get("title") if isinstance(item, dict) else item
        parse = vocabulary.understand(title if isinstance(title, str) else "")
        target = answer.target_level
        return {
            "input": answer.input.to_dict() if hasattr(answer.input, "to_dict") else answer.input,
            "understanding": parse.to_dict(),
            "reference_level": refs.get(target.reference_level) if target is not None else None,
            "confidence": answer.confidence,
            "basis": answer.resolution.basis if answer.resolution else None,
            "alternatives": [
                {"reference_level": refs.get(alt.level.reference_level), "confidence": alt.confidence}
                for alt in answer.alternatives
            ],
            "error": answer.error.to_dict() if answer.error else None,
        }

    ladder = fw_snap.ladder
    return answer_batch(ladder, ladder, items, as_of, understood, _refused)


def _refused(item: Any, error: dict[str, Any]) -> dict[str, Any]:
    return {
        "input": item,
        "understanding": None,
        "reference_level": None,
        "confidence": 0.0,
        "basis": None,
        "alternatives": [],
        "error": error,
    }


def summarize_understanding(results: list[dict[str, Any]]) -> dict[str, int]:
    placed = sum(1 for r in results if r["error"] is None)
    other = sum(1 for r in results if r["error"] is not None and r["error"]["code"] == "other_job_family")
    return {
        "total": len(results),
        "placed": placed,
        "other_job_family": other,
        "unresolved": len(results) - placed - other,
    }


def answer_understanding(*, framework: str | None, items: list[Any], as_of: date) -> dict[str, Any]:
    """The body of a ``/titles/understand`` answer (REST view and MCP tool alike)."""
    fw = understanding_framework(framework)
    results = understand_titles(fw, items, as_of)
    return {
        "framework": fw.slug,
        "vocabulary_version": title_vocabulary().version,
        "as_of": as_of.isoformat(),
        "results": results,
        "summary": summarize_understanding(results),
    }
