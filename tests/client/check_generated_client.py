"""Drive a live pmladder with the client generated from openapi.yaml (run by .ci/client_check.sh).

    PYTHONPATH=<folder holding pmladder_client> python tests/client/check_generated_client.py URL KEY

Every step goes through the generated functions and models, so a schema that names an enum
differently, forgets that a field may be null, or documents an error shape the service does not send
makes this script fail. It prints one line per step and exits non-zero on the first failure.
"""

from __future__ import annotations

import datetime
import sys
import uuid

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
from pmladder_client.types import UNSET


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"FAIL: {what}")


def step(name: str) -> None:
    print(f"-- {name}")


def main(base_url: str, key: str) -> None:
    client = AuthenticatedClient(base_url=base_url, token=key, prefix="Api-Key", raise_on_unexpected_status=True)
    slug = f"client-{uuid.uuid4().hex[:8]}"

    step("create a company (enum in, nullable field out)")
    response = v1_companies_create.sync_detailed(
        client=client, body=CompanyRequest(slug=slug, name="Client Check Inc.", size_band=SizeBandEnum.SCALEUP)
    )
    company = response.parsed
    check(response.status_code == 201 and isinstance(company, Company), f"create: {response.status_code}")
    check(company.size_band is SizeBandEnum.SCALEUP, f"size_band parsed as {company.size_band!r}")
    check(company.external_id is None, f"external_id should be null, is {company.external_id!r}")
    check(company.ladders == [], "a new company has no ladders")

    unbanded = v1_companies_create.sync(
        client=client, body=CompanyRequest(slug=f"{slug}-x", name="No Band", size_band=BlankEnum.VALUE_0)
    )
    check(isinstance(unbanded, Company) and unbanded.size_band is BlankEnum.VALUE_0, f"blank band: {unbanded!r}")

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
    ladder = response.parsed
    check(response.status_code == 201 and isinstance(ladder, LadderDocument), f"put: {response.status_code}")
    check(next(lv.title for lv in ladder.levels) == "Product Manager", "levels in rank order")
    senior = ladder.levels[1]
    check(senior.code is None and senior.external_id is None, "nullable code and external_id are None")
    check(senior.anchor is AnchorEnum.EXPLICIT and senior.track is TrackEnum.IC, "anchor and track enums")
    head = ladder.levels[2]
    check(head.anchor is AnchorEnum.INFERRED and head.track is TrackEnum.MANAGEMENT, f"inferred: {head!r}")
    check((head.scale_from, head.scale_to) == (3.5, 6.5), "span kept")
    product_lead = next(a for a in senior.aliases if a.title == "Product Lead")
    check(product_lead.valid_to == datetime.date(2024, 1, 1) and product_lead.valid_from is None, "alias dates")

    again = v1_companies_ladders_retrieve.sync(slug=slug, framework="product-management", client=client)
    check(isinstance(again, LadderDocument) and again.version == ladder.version, "GET returns the same version")

    step("translate a batch (strings and {title, code}, an unresolved title)")
    response = v1_translate_create.sync_detailed(
        client=client,
        body=TranslateRequest(
            source=slug,
            target="reference",
            as_of=datetime.date(2025, 1, 1),
            titles=["Sr. PM - Payments", TitleObjectRequest(title="Product Manager", code="P1"), "Chief Vibes Officer"],
        ),
    )
    answer = response.parsed
    check(response.status_code == 200 and isinstance(answer, TranslateResponse), f"translate: {response.status_code}")
    check(answer.summary.total == 3 and answer.summary.unresolved == 1, f"summary: {answer.summary!r}")
    first, second, third = answer.results
    check(first.target_level is not None and first.target_level.title == "Senior Product Manager", "first result")
    check(isinstance(first.basis, MatchBasisEnum) and first.resolution is not None, "match basis enum")
    check(isinstance(first.resolution.basis, ResolutionBasisEnum), "resolution basis enum")
    check(first.error is None, "no error on a translated title")
    check(isinstance(second.input_, TitleObject) and second.input_.code == "P1", "object input echoed")
    check(third.target_level is None and third.basis is None and third.resolution is None, "nulls on an error")
    check(third.error is not None and third.error.code == "unresolved_title", f"item error: {third.error!r}")

    single = v1_translate_retrieve.sync(client=client, source=slug, target="reference", title="Head of Product")
    check(isinstance(single, TranslateResponse) and len(single.results) == 1, "single translation")

    path = v1_career_path_retrieve.sync(client=client, company=slug, title="PM")
    check(isinstance(path, CareerPathResponse) and path.level.title == "Product Manager", "career path")

    step("read the history")
    history = v1_companies_history_list.sync(slug=slug, client=client)
    check(isinstance(history, PaginatedChangeRecordList) and history.count >= 5, f"history: {history!r}")
    kinds = {(r.action, r.object_type) for r in history.results}
    check((ActionEnum.CREATE, ObjectTypeEnum.COMPANY) in kinds, f"company creation recorded: {kinds}")
    check((ActionEnum.CREATE, ObjectTypeEnum.LEVEL) in kinds, "level creation recorded")
    check(all(r.actor == "api-key:client-check" for r in history.results), "actor named by the key")
    check(history.next_ is None or history.next_ is UNSET or isinstance(history.next_, str), "next is nullable")

    step("filters take the shared enums")
    listed = v1_companies_list.sync(client=client, size_band=SizeBandEnum.SCALEUP, page_size=500)
    check(isinstance(listed, PaginatedCompanyList), f"list: {listed!r}")
    check(slug in {c.slug for c in listed.results}, "the new company is listed under its size band")
    check(all(c.size_band is SizeBandEnum.SCALEUP for c in listed.results), "filtered by the enum")
    levels = v1_levels_list.sync(client=client, company=slug, track=TrackEnum.MANAGEMENT)
    check(isinstance(levels, PaginatedLevelList) and [lv.title for lv in levels.results] == ["Head of Product"], "")
    check(levels.results[0].reference_level is not None and levels.results[0].code is None, "nullable level fields")

    step("errors parse into the error model")
    stale = v1_companies_partial_update.sync_detailed(
        slug=slug, client=client, body=PatchedCompanyRequest(name="Renamed"), if_match='"0"'
    )
    check(stale.status_code == 412 and isinstance(stale.parsed, Error), f"412: {stale.status_code}")
    check(stale.parsed.code == "precondition_failed", f"412 code: {stale.parsed.code}")

    client.raise_on_unexpected_status = True  # a status the schema does not document would raise here
    missing = v1_companies_retrieve.sync_detailed(slug="no-such-company", client=client)
    check(missing.status_code == 404 and isinstance(missing.parsed, Error), f"404: {missing.status_code}")
    check(missing.parsed.code == "not_found" and missing.parsed.status == 404, f"404 body: {missing.parsed!r}")

    invalid = v1_translate_create.sync_detailed(
        client=client, body=TranslateRequest(source="x" * 65, target="reference", titles=[])
    )
    check(invalid.status_code == 400 and isinstance(invalid.parsed, Error), f"400: {invalid.status_code}")
    check(invalid.parsed.code == "validation_error", f"400 code: {invalid.parsed.code}")
    check(
        [(e.code, e.field) for e in invalid.parsed.errors] == [("max_length", "source")],
        f"400 errors: {invalid.parsed.errors!r}",
    )
    check(invalid.parsed.errors[0].field == "source", "field named")

    unknown = v1_translate_retrieve.sync_detailed(client=client, source="nope", target="reference", title="PM")
    check(unknown.status_code == 404 and isinstance(unknown.parsed, Error), f"unknown company: {unknown.status_code}")
    check(unknown.parsed.code == "company_not_found", f"code: {unknown.parsed.code}")

    anonymous = AuthenticatedClient(base_url=base_url, token="nope.nope", prefix="Api-Key")
    refused = v1_companies_retrieve.sync_detailed(slug=slug, client=anonymous)
    check(refused.status_code == 401 and isinstance(refused.parsed, Error), f"401: {refused.status_code}")
    check(refused.parsed.code == "authentication_failed", f"401 code: {refused.parsed.code}")

    print("generated client: every step passed")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
