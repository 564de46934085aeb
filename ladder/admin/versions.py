"""The ladder page's versions panel in the admin: each version with the diff from the one before.

It shows the same diff as ``GET …/ladders/{framework}/diff`` (``ladder.versions.diff_states``).
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from ladder import versions
from ladder.models import Ladder, LadderVersion

SHOWN = 10  # the newest versions; the API lists them all


def _value(value) -> str:
    return "—" if value in (None, "") else str(value)


def diff_html(diff: dict) -> SafeString:
    """A diff as a readable list: one line per added, removed or changed level, alias or field."""
    lines: list[tuple[str, ...]] = []
    for level in diff["levels"]["added"]:
        lines.append(("Level added", f"{level['title']} ({_value(level['code'])})", ""))
    for level in diff["levels"]["removed"]:
        lines.append(("Level removed", f"{level['title']} ({_value(level['code'])})", ""))
    for level in diff["levels"]["changed"]:
        for change in level["changes"]:
            lines.append(
                (
                    f"{level['title']} ({_value(level['code'])})",
                    change["field"],
                    f"{_value(change['from'])} → {_value(change['to'])}",
                )
            )
    for kind, label in (("added", "Alias added"), ("removed", "Alias removed")):
        for alias in diff["aliases"][kind]:
            lines.append((label, alias["title"], f"of {alias['level_title']}"))
    for alias in diff["aliases"]["changed"]:
        for change in alias["changes"]:
            lines.append(
                (f"Alias {alias['title']}", change["field"], f"{_value(change['from'])} → {_value(change['to'])}")
            )
    if not lines:
        return mark_safe("<em>No change to levels or aliases.</em>")
    return format_html(
        "<table><tbody>{}</tbody></table>",
        format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", lines),
    )


def versions_panel(ladder: Ladder) -> SafeString:
    if ladder.pk is None:
        return mark_safe("")
    rows = list(LadderVersion.objects.filter(ladder=ladder).order_by("-number")[:SHOWN])
    if not rows:
        return mark_safe("<em>No versions yet.</em>")
    applied = {v.seq: v for v in LadderVersion.objects.filter(ladder=ladder, seq__isnull=False)}
    previous = {}
    for v in rows:
        if v.seq is not None and v.seq > 1 and (v.seq - 1) in applied:
            previous[v.pk] = applied[v.seq - 1]
        elif v.seq is None:  # scheduled: against the current ladder
            previous[v.pk] = applied[max(applied)] if applied else None
    wanted = [*rows, *[p for p in previous.values() if p is not None]]
    states = versions.states_for_versions(wanted)
    items = []
    for v in rows:
        before = previous.get(v.pk)
        diff = versions.diff_states(states[before.pk] if before else [], states[v.pk])
        items.append(
            (
                v.number,
                v.get_status_display(),
                v.effective_from.isoformat(),
                v.author,
                f"v{before.number}" if before else "empty",
                diff_html(diff),
            )
        )
    return format_html(
        "<table><thead><tr><th>Version</th><th>Status</th><th>Effective from</th><th>Author</th><th>Compared with"
        "</th><th>Changes</th></tr></thead><tbody>{}</tbody></table>",
        format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", items),
    )


def change_record_html(record) -> SafeString:
    """A history record's change as a table: each field with its value before and after."""
    before, after = record.before or {}, record.after or {}
    names = list(dict.fromkeys([*before, *after]))
    if not names:
        return mark_safe("<em>No field values recorded.</em>")
    rows = [(name, _value(before.get(name)), _value(after.get(name))) for name in names]
    return format_html(
        "<table><thead><tr><th>Field</th><th>Before</th><th>After</th></tr></thead><tbody>{}</tbody></table>",
        format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
    )
