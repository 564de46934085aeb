"""Diffs between two versions of a ladder: levels and aliases added, removed and changed, field by field.

Plain data in and out (level states, see ``ladder.versions.states``); no queries.
"""

from __future__ import annotations

from typing import Any

from ladder.level_fields import LEVEL_FIELDS
from ladder.versions.states import document_levels

DIFF_ALIAS_FIELDS = ("valid_to", "external_id")


def _level_key(state: dict[str, Any]) -> str:
    if state.get("id") is not None:
        return f"id:{state['id']}"
    return f"new:{state.get('code') or state['title'].casefold()}"  # a new level of a scheduled version


def _alias_key(alias: dict[str, Any]) -> tuple[str, str]:
    return (alias["title"].casefold(), alias["valid_from"] or "")


def diff_states(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[str, Any]:
    """Added, removed and changed levels and aliases, field by field (levels in document shape)."""
    old = {_level_key(s): s for s in document_levels(before)}
    new = {_level_key(s): s for s in document_levels(after)}
    levels: dict[str, list] = {"added": [], "removed": [], "changed": []}
    aliases: dict[str, list] = {"added": [], "removed": [], "changed": []}

    def ref(level: dict[str, Any]) -> dict[str, Any]:
        return {"level_id": level["id"], "level_title": level["title"], "level_code": level["code"]}

    for key, level in new.items():
        if key not in old:
            levels["added"].append(level)
            aliases["added"].extend({**ref(level), **a} for a in level["aliases"])
    for key, level in old.items():
        if key not in new:
            levels["removed"].append(level)
            aliases["removed"].extend({**ref(level), **a} for a in level["aliases"])
    for key, level in new.items():
        if key not in old:
            continue
        was = old[key]
        changes = [
            {"field": name, "from": was[name], "to": level[name]} for name in LEVEL_FIELDS if was[name] != level[name]
        ]
        if changes:
            levels["changed"].append(
                {"id": level["id"], "title": level["title"], "code": level["code"], "changes": changes}
            )
        was_aliases = {_alias_key(a): a for a in was["aliases"]}
        now_aliases = {_alias_key(a): a for a in level["aliases"]}
        for akey, alias in now_aliases.items():
            if akey not in was_aliases:
                aliases["added"].append({**ref(level), **alias})
                continue
            alias_changes = [
                {"field": name, "from": was_aliases[akey][name], "to": alias[name]}
                for name in DIFF_ALIAS_FIELDS
                if was_aliases[akey][name] != alias[name]
            ]
            if alias_changes:
                aliases["changed"].append({**ref(level), "title": alias["title"], "changes": alias_changes})
        for akey, alias in was_aliases.items():
            if akey not in now_aliases:
                aliases["removed"].append({**ref(level), **alias})
    return {"levels": levels, "aliases": aliases}
