"""From validated request data to the service's answer bodies: one mapping, shared by the REST views
and the MCP tools, so that both read the same fields with the same defaults.

``as_of`` does two things: the day aliases are valid on (default today) and, when the client gave it,
the ladder versions in effect that day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ladder.tenancy import Caller
from ladder.translation import service, understanding


def day_of(data: dict[str, Any]) -> date:
    return data.get("as_of") or date.today()


def translation_answer(caller: Caller, data: dict[str, Any], items: list[Any]) -> dict[str, Any]:
    context = service.load_context(
        caller=caller,
        source=data["source"],
        target=data["target"],
        framework=data.get("framework") or None,
        on=data.get("as_of"),
    )
    return service.answer_translation(context=context, items=items, as_of=day_of(data))


def career_path_answer(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    return service.answer_career_path(
        caller=caller,
        company=data["company"],
        title=data["title"],
        code=data.get("code") or None,
        framework=data.get("framework") or None,
        as_of=day_of(data),
        on=data.get("as_of"),
    )


def understanding_answer(data: dict[str, Any], items: list[Any]) -> dict[str, Any]:
    return understanding.answer_understanding(framework=data.get("framework") or None, items=items, as_of=day_of(data))
