"""Callers and ladders for the translation tests (tenancy facts as ``ladder.tenancy`` builds them)."""

from __future__ import annotations

from ladder.models import Company, Framework, Organization
from ladder.services import LevelInput, ladder_document_put
from ladder.tenancy import Caller


def member_of(home: Organization, *others: Organization) -> Caller:
    """A caller whose home organization is ``home`` and who reads ``others`` too."""
    return Caller(
        readable_org_ids=frozenset({home.pk, *(org.pk for org in others)}),
        writable_org_ids=frozenset({home.pk}),
        home_org_id=home.pk,
    )


def ladder_of(company: Company, framework: Framework, *titles_and_rungs: tuple[str, str]):
    """Give ``company`` a ladder in ``framework``: one level per ``(title, reference level slug)``."""
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    levels = [LevelInput(title=title, reference_level=refs.get(rung)) for title, rung in titles_and_rungs]
    return ladder_document_put(company=company, framework=framework, levels=levels).ladder
