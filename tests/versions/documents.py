"""A ladder document and the days the versions tests travel to, with helpers that PUT and list versions."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

URL = "/api/v1/companies/own-co/ladders/product-management/"
TRANSLATE = "/api/v1/translate"

DOC = {
    "levels": [
        {"title": "Associate Product Manager", "code": "L3", "reference_level": "apm"},
        {"title": "Product Manager", "code": "L4", "reference_level": "pm", "aliases": ["PM"]},
        {"title": "Senior Product Manager", "code": "L5", "reference_level": "senior-pm", "aliases": ["Sr. PM"]},
        {"title": "Principal Product Manager", "code": "L6", "reference_level": "principal-pm"},
    ]
}

DAY1 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
DAY2 = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
DAY3 = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)


def put(client, body, **extra):
    return client.put(URL, body, format="json", **extra)


def changed(doc, which, **fields):
    body = copy.deepcopy(doc)
    for level in body["levels"]:
        if level.get("code") == which:
            level.update(fields)
    return body


def numbers(client):
    return [(v["number"], v["status"]) for v in client.get(URL + "versions/").json()["results"]]


def level_inputs(framework, **titles):
    """The services' input for ``DOC`` (aliases included), with the titles of some codes replaced."""
    from ladder.services import AliasInput, LevelInput

    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    return [
        LevelInput(
            title=titles.get(level["code"], level["title"]),
            code=level["code"],
            reference_level=refs[level["reference_level"]],
            aliases=[AliasInput(title=alias) for alias in level.get("aliases", [])],
        )
        for level in DOC["levels"]
    ]
