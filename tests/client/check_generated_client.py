"""Drive a live pmladder with the client generated from openapi.yaml (run by .ci/client_check.sh).

    PYTHONPATH=<folder holding pmladder_client> python tests/client/check_generated_client.py URL KEY

Every step goes through the generated functions and models, so a schema that names an enum
differently, forgets that a field may be null, or documents an error shape the service does not send
makes this script fail. It prints one line per step and exits non-zero on the first failure.
"""

from __future__ import annotations

import datetime
import enum
import sys
import types
import typing
import uuid

import attrs
import pmladder_client.models
from pmladder_client import AuthenticatedClient
from pmladder_client.api.companies import (
    v1_companies_create,
    v1_companies_history_list,
    v1_companies_list,
    v1_companies_partial_update,
    v1_companies_retrieve,
)
from pmladder_client.api.ladders import v1_companies_ladders_retrieve, v1_companies_ladders_update
from pmladder_client.api.levels import v1_levels_list
from pmladder_client.api.translate import v1_career_path_retrieve, v1_translate_create, v1_translate_retrieve
from pmladder_client.models import (
    ActionEnum,
    AliasObjectRequest,
    AnchorEnum,
    BlankEnum,
    CareerPathResponse,
    Company,
    CompanyRequest,
    DocumentLevelRequest,
    Error,
    LadderDocument,
    LadderDocumentInputRequest,
    MatchBasisEnum,
    ObjectTypeEnum,
    PaginatedChangeRecordList,
    PaginatedCompanyList,
    PaginatedLevelList,
    PatchedCompanyRequest,
    ResolutionBasisEnum,
    SizeBandEnum,
    TitleObject,
    TitleObjectRequest,
    TrackEnum,
    TranslateRequest,
    TranslateResponse,
)


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"FAIL: {what}")


def step(name: str) -> None:
    print(f"-- {name}")


def conforms(value, hint, path: str) -> None:
    """Every parsed value must be of a type the generated annotation allows.

    The generated ``from_dict`` does not check types: a ``null`` where the schema promised a string
    would pass into a ``str`` attribute unnoticed. This walk makes the schema's promises
    (nullable or not, which enum, which model) fail the check when the service breaks them.
    """
    if hint is typing.Any:
        return
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        allowed = typing.get_args(hint)
        for option in allowed:
            try:
                conforms(value, option, path)
                return
            except AssertionError:
                continue
        raise AssertionError(f"{path}: {value!r} is none of {allowed}")
    if hint is type(None):
        assert value is None, f"{path}: {value!r} is not null"
        return
    if origin is list:
        assert isinstance(value, list), f"{path}: {value!r} is not a list"
        for i, item in enumerate(value):
            conforms(item, typing.get_args(hint)[0], f"{path}[{i}]")
        return
    if hint is float:
        assert isinstance(value, (int, float)) and not isinstance(value, bool), f"{path}: {value!r} is not a number"
        return
    assert isinstance(value, hint), f"{path}: {value!r} is not a {hint.__name__}"
    if attrs.has(hint):
        hints = typing.get_type_hints(hint, localns=vars(pmladder_client.models))  # forward references
        for field in attrs.fields(hint):
            if field.name != "additional_properties":
                conforms(getattr(value, field.name), hints[field.name], f"{path}.{field.name}")
    elif isinstance(value, enum.Enum):
        assert type(value) is hint, f"{path}: {value!r} is not a {hint.__name__}"


def parsed(response, expected_status: int, model):
    """The parsed body of a response with the expected status, checked against the generated types."""
    check(response.status_code == expected_status, f"status {response.status_code}, expected {expected_status}")
    try:
        conforms(response.parsed, model, model.__name__)
    except AssertionError as err:
        raise SystemExit(f"FAIL: the answer does not match the schema: {err}") from None
    return response.parsed


def main(base_url: str, key: str) -> None:
    client = AuthenticatedClient(base_url=base_url, token=key, prefix="Api-Key", raise_on_unexpected_status=True)
    slug = f"client-{uuid.uuid4().hex[:8]}"

    step("create a company (enum in, nullable field out)")
    body = CompanyRequest(slug=slug, name="Client Check Inc.", size_band=SizeBandEnum.SCALEUP)
    company = parsed(v1_companies_create.sync_detailed(client=client, body=body), 201, Company)
    check(company.size_band is SizeBandEnum.SCALEUP, f"size_band parsed as {company.size_band!r}")
    check(company.external_id is None, f"external_id should be null, is {company.external_id!r}")
    check(company.ladders == [], "a new company has no ladders")

    body = CompanyRequest(slug=f"{slug}-x", name="No Band", size_band=BlankEnum.VALUE_0)
    unbanded = parsed(v1_companies_create.sync_detailed(client=client, body=body), 201, Company)
    check(unbanded.size_band is BlankEnum.VALUE_0, f"blank band: {unbanded.size_band!r}")

    step("put a ladder document (aliases as strings and objects, an inferred anchor)")
    document = LadderDocumentInputRequest(
        levels=[
            DocumentLevelRequest(title="Product Manager", code="P1", reference_level="pm", aliases=["PM"]),
            DocumentLevelRequest(
                title="Senior Product Manager",
                code=None,
                reference_level="senior-pm",
                aliases=["Sr. PM", AliasObjectRequest(title="Product Lead", valid_to=datetime.date(2024, 1, 1))],
            ),
            DocumentLevelRequest(
                title="Head of Product", track=TrackEnum.MANAGEMENT, scale_from=3.5, scale_to=6.5, external_id="H-1"
            ),
        ]
    )
    response = v1_companies_ladders_update.sync_detailed(
        slug=slug, framework="product-management", client=client, body=document
    )
    ladder = parsed(response, 201, LadderDocument)
    check(next(lv.title for lv in ladder.levels) == "Product Manager", "levels in rank order")
    senior = ladder.levels[1]
    check(senior.code is None and senior.external_id is None, "nullable code and external_id are None")
    check(senior.anchor is AnchorEnum.EXPLICIT and senior.track is TrackEnum.IC, "anchor and track enums")
    head = ladder.levels[2]
    check(head.anchor is AnchorEnum.INFERRED and head.track is TrackEnum.MANAGEMENT, f"inferred: {head!r}")
    check((head.scale_from, head.scale_to) == (3.5, 6.5), "span kept")
    product_lead = next(a for a in senior.aliases if a.title == "Product Lead")
    check(product_lead.valid_to == datetime.date(2024, 1, 1) and product_lead.valid_from is None, "alias dates")

    response = v1_companies_ladders_retrieve.sync_detailed(slug=slug, framework="product-management", client=client)
    check(parsed(response, 200, LadderDocument).version == ladder.version, "GET returns the same version")

    step("translate a batch (strings and {title, code}, an unresolved title)")
    body = TranslateRequest(
        source=slug,
        target="reference",
        as_of=datetime.date(2025, 1, 1),
        titles=["Sr. PM - Payments", TitleObjectRequest(title="Product Manager", code="P1"), "Chief Vibes Officer"],
    )
    answer = parsed(v1_translate_create.sync_detailed(client=client, body=body), 200, TranslateResponse)
    check(answer.summary.total == 3 and answer.summary.unresolved == 1, f"summary: {answer.summary!r}")
    first, second, third = answer.results
    check(first.target_level is not None and first.target_level.title == "Senior Product Manager", "first result")
    check(isinstance(first.basis, MatchBasisEnum) and first.resolution is not None, "match basis enum")
    check(isinstance(first.resolution.basis, ResolutionBasisEnum), "resolution basis enum")
    check(first.error is None, "no error on a translated title")
    check(isinstance(second.input_, TitleObject) and second.input_.code == "P1", "object input echoed")
    check(third.target_level is None and third.basis is None and third.resolution is None, "nulls on an error")
    check(third.error is not None and third.error.code == "unresolved_title", f"item error: {third.error!r}")

    response = v1_translate_retrieve.sync_detailed(
        client=client, source=slug, target="reference", title="Head of Product"
    )
    check(len(parsed(response, 200, TranslateResponse).results) == 1, "single translation")

    response = v1_career_path_retrieve.sync_detailed(client=client, company=slug, title="PM")
    check(parsed(response, 200, CareerPathResponse).level.title == "Product Manager", "career path")

    step("read the history")
    response = v1_companies_history_list.sync_detailed(slug=slug, client=client)
    history = parsed(response, 200, PaginatedChangeRecordList)
    check(history.count >= 5, f"history: {history.count} records")
    kinds = {(r.action, r.object_type) for r in history.results}
    check((ActionEnum.CREATE, ObjectTypeEnum.COMPANY) in kinds, f"company creation recorded: {kinds}")
    check((ActionEnum.CREATE, ObjectTypeEnum.LEVEL) in kinds, "level creation recorded")
    check(all(r.actor == "api-key:client-check" for r in history.results), "actor named by the key")

    step("filters take the shared enums")
    response = v1_companies_list.sync_detailed(client=client, size_band=SizeBandEnum.SCALEUP, page_size=500)
    listed = parsed(response, 200, PaginatedCompanyList)
    check(slug in {c.slug for c in listed.results}, "the new company is listed under its size band")
    check(all(c.size_band is SizeBandEnum.SCALEUP for c in listed.results), "filtered by the enum")
    response = v1_levels_list.sync_detailed(client=client, company=slug, track=TrackEnum.MANAGEMENT)
    levels = parsed(response, 200, PaginatedLevelList)
    check([lv.title for lv in levels.results] == ["Head of Product"], "filtered by track")
    check(levels.results[0].reference_level is not None and levels.results[0].code is None, "nullable level fields")

    step("errors parse into the error model")
    # raise_on_unexpected_status: a status the schema does not document raises in the client.
    response = v1_companies_partial_update.sync_detailed(
        slug=slug, client=client, body=PatchedCompanyRequest(name="Renamed"), if_match='"0"'
    )
    check(parsed(response, 412, Error).code == "precondition_failed", "412 code")

    missing = parsed(v1_companies_retrieve.sync_detailed(slug="no-such-company", client=client), 404, Error)
    check(missing.code == "not_found" and missing.status == 404, f"404 body: {missing!r}")

    body = TranslateRequest(source="x" * 65, target="reference", titles=[])
    invalid = parsed(v1_translate_create.sync_detailed(client=client, body=body), 400, Error)
    check(invalid.code == "validation_error", f"400 code: {invalid.code}")
    check([(e.code, e.field) for e in invalid.errors] == [("max_length", "source")], f"400: {invalid.errors!r}")

    response = v1_translate_retrieve.sync_detailed(client=client, source="nope", target="reference", title="PM")
    check(parsed(response, 404, Error).code == "company_not_found", "unknown company code")

    anonymous = AuthenticatedClient(base_url=base_url, token="nope.nope", prefix="Api-Key")
    refused = parsed(v1_companies_retrieve.sync_detailed(slug=slug, client=anonymous), 401, Error)
    check(refused.code == "authentication_failed", f"401 code: {refused.code}")

    print("generated client: every step passed")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
