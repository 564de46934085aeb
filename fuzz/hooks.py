"""Schemathesis hooks for ``fuzz/run.sh``: one extra check, stricter than a built-in one it relaxes.

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

import schemathesis
from schemathesis.specs.openapi.checks import is_unexpected_http_status_case

# Codes of shape errors: DRF's field errors, the project's strict fields, the parsers, the filters,
# pagination and the header checks. A business rule never uses one of these.
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
