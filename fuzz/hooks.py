"""Schemathesis hooks for ``fuzz/run.sh``: two checks that stand in for built-in ones, each exactly
as strict except where the documented contract differs.

1. ``use_after_free_except_deactivated_levels`` is the built-in ``use_after_free`` (a resource that
a DELETE removed must answer 404 afterwards), except for levels: ``DELETE /levels/{id}/``
deactivates a level, which stays readable to its owner with ``is_active`` false and its history
(levels are never deleted; an HRIS sync must see the change). A read or change of that level, or of
its history, after the DELETE is therefore right. Every other resource keeps the full check.

Generated bodies name companies, reference levels and levels at random, so nearly every create or
change of a level or an alias stopped at "not found" and the code behind it went untested.
``map_case`` puts real references of tenant-a (written by ``fuzz/run.sh`` to ``FUZZ_REFS_FILE``)
into two of every three positive cases; negative cases, and the third positive case, keep what was
generated.

2. ``refused_only_for_business_rules`` takes over from ``positive_data_acceptance`` as follows.

``positive_data_acceptance`` fails whenever a request that matches the schema is refused. Some
refusals are right and cannot be written in OpenAPI 3.0: a slug that is already taken, an id or a
reference level that does not exist, ``valid_to`` before ``valid_from``, a title with no letter or
digit, a stale ``If-Match`` (412) or a reused ``Idempotency-Key`` (422). ``schemathesis.toml``
therefore lets 400, 412 and 422 through that check, and this check takes over for 400 and 422: a
schema-valid request may be refused only for such a rule. Every error in the one error shape carries
a machine-readable code, and the codes below are the ones that mean "the request has the wrong
shape" (a type, a missing or unknown field, a length, a range, a choice, a format). Any of them on a
schema-valid request means the schema and the validators disagree, which is a bug in one of them.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from functools import cache

import schemathesis
from schemathesis.openapi.checks import UseAfterFree
from schemathesis.specs.openapi.checks import is_unexpected_http_status_case
from schemathesis.specs.openapi.checks import use_after_free as builtin_use_after_free

# What a deactivated level still answers (its own reads and changes, and its history).
_LEVEL_DELETE = re.compile(r"^DELETE /api/v1/levels/(?P<id>[^/]+)/$")
_LEVEL_USE = re.compile(r"^(GET|PATCH|PUT) /api/v1/levels/(?P<id>[^/]+)/(history/)?$")


@cache
def _refs() -> dict:
    path = os.environ.get("FUZZ_REFS_FILE")
    if not path:
        return {}
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


# Which body fields hold which kind of reference, per path prefix.
_REFERENCE_FIELDS = {
    "/api/v1/levels/": {"company": "companies", "reference_level": "reference_levels"},
    "/api/v1/aliases/": {"level": "levels"},
}


@schemathesis.hook
def map_case(context, case):
    """Real references in two of every three positive cases (see the module doc)."""
    return _real_companies_in_query(_real_references_in_body(case))


def _real_references_in_body(case):
    refs = _refs()
    meta = case.meta
    if not refs or meta is None or not meta.generation.mode.is_positive or not isinstance(case.body, dict):
        return case
    pick = zlib.crc32(repr(sorted(case.body.items(), key=repr)).encode())
    if pick % 3 == 0:
        return case
    for prefix, fields in _REFERENCE_FIELDS.items():
        if not case.operation.path.startswith(prefix):
            continue
        for name, kind in fields.items():
            if case.body.get(name) is not None and refs.get(kind):
                case.body[name] = refs[kind][pick % len(refs[kind])]
        if prefix == "/api/v1/levels/" and "framework" in case.body:
            case.body["framework"] = "product-management"
    return case


# Query parameters that name companies, per path.
_REFERENCE_QUERY = {"/api/v1/translate": ("source", "target"), "/api/v1/career-path": ("company",)}


def _real_companies_in_query(case):
    """The same for the companies named in the query of translations and career paths."""
    refs = _refs()
    names = _REFERENCE_QUERY.get(case.operation.path)
    meta = case.meta
    if not names or not refs.get("companies") or meta is None or not meta.generation.mode.is_positive:
        return case
    if not isinstance(case.query, dict):
        return case
    pick = zlib.crc32(repr(sorted(case.query.items(), key=repr)).encode())
    if pick % 3 == 0:
        return case
    companies = refs["companies"]
    for offset, name in enumerate(names):
        if isinstance(case.query.get(name), str):
            case.query[name] = companies[(pick + offset) % len(companies)]
    return case


@schemathesis.check
def use_after_free_except_deactivated_levels(ctx, response, case):
    """The built-in ``use_after_free``, except that a deactivated level stays readable (see above)."""
    try:
        return builtin_use_after_free(ctx, response, case)
    except UseAfterFree as failure:
        freed, used = _LEVEL_DELETE.match(failure.free or ""), _LEVEL_USE.match(failure.usage or "")
        if freed and used and freed["id"] == used["id"]:
            return None
        raise


# Codes of shape errors: DRF's field errors, the project's strict fields, the parsers, the filters,
# pagination, the header checks and the query parameter check (a schema-valid request names only the
# parameters the schema declares). A business rule never uses one of these.
SHAPE_CODES = frozenset(
    {
        "blank",
        "date",
        "datetime",
        "empty",
        "incorrect_type",
        "invalid",
        "invalid_choice",
        "invalid_idempotency_key",
        "make_aware",
        "max_decimal_places",
        "max_digits",
        "max_length",
        "max_string_length",
        "max_value",
        "max_whole_digits",
        "min_length",
        "min_value",
        "not_a_boolean",
        "not_a_dict",
        "not_a_list",
        "not_a_number",
        "not_a_string",
        "not_an_integer",
        "null",
        "overflow",
        "parse_error",
        "required",
        "surrogate_characters_not_allowed",
        "unknown_field",
        "unknown_query_parameter",
    }
)


@schemathesis.check
def refused_only_for_business_rules(ctx, response, case):
    """A schema-valid request answered 400 or 422 must name a business rule, never a shape error."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or is_unexpected_http_status_case(case):
        return None
    if response.status_code not in (400, 422):
        return None
    try:
        body = response.json()
        errors = body["errors"]
        codes = {body["code"]} | {item["code"] for item in errors}
    except (ValueError, KeyError, TypeError) as exc:
        raise AssertionError(f"A {response.status_code} answer is not in the one error shape") from exc
    shape = sorted(codes & SHAPE_CODES)
    if shape:
        fields = sorted({str(item.get("field")) for item in errors if item.get("code") in SHAPE_CODES})
        raise AssertionError(
            f"A request that matches the schema was refused as malformed ({', '.join(shape)} on "
            f"{', '.join(fields)}): the schema and the validators disagree"
        )
    return None
