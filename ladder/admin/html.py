"""Small pieces of HTML the admin pages share."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe


def compare_link_html(company) -> str:
    """ "Compare with…": the chart of this company beside the reference ladder, where others can be added."""
    if company is None or company.pk is None:
        return "-"
    url = reverse("compare") + "?" + urlencode({"companies": company.slug})
    return format_html('<a href="{}">Compare with…</a> other companies on the reference scale', url)


def provenance_html(provenance) -> str:
    """A catalog level's sources, note and disagreements, as a short list (only http(s) links)."""
    from ladder.compare import clean_provenance

    clean = clean_provenance(provenance)
    if not clean:
        return "-"
    items = [
        format_html(
            "<li>{} (read {}){}</li>",
            format_html('<a href="{}" rel="noopener noreferrer">{}</a>', s["url"], s["url"]) if s["url"] else "-",
            s.get("read_on", "?"),
            f": {s['claim']}" if s.get("claim") else "",
        )
        for s in clean["sources"]
    ]
    items += [
        format_html("<li>Disagrees: {} ({})</li>", d.get("claim", ""), d["url"] or "-") for d in clean["disagreements"]
    ]
    note = format_html("<p>{}</p>", clean["note"]) if clean["note"] else ""
    return format_html("{}<ul>{}</ul>", note, mark_safe("".join(items)))  # noqa: S308 (each item escaped above)
