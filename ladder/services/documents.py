"""The ladder document: a company's whole ladder for one framework, written in one step (DESIGN §4).

``ladder_document_put`` makes the stored ladder exactly the document: levels matched by external_id,
code, then title; unlisted levels deactivated; aliases made exactly the document's; anchors given or
inferred; one history entry per change and one new version (``document_write``). The rules are
``ladder.rules``.
"""

from __future__ import annotations

from django.db import transaction

from ladder.concurrency import IfMatch
from ladder.models import ChangeRecord, Company, Framework
from ladder.services.document_write import write_document
from ladder.services.inputs import LadderWrite, LevelInput
from ladder.services.ladders import ladder_for_write


@transaction.atomic
def ladder_document_put(
    *, company: Company, framework: Framework, levels: list[LevelInput], if_match: IfMatch = None
) -> LadderWrite:
    """Make the company's ladder for ``framework`` exactly the given document (atomic, idempotent).

    Levels are matched to existing ones by ``external_id``, then ``code``, then normalised title;
    existing levels missing from the document are deactivated, never deleted. A level's aliases become
    exactly the document's. ``if_match`` (the ETags of ``If-Match``) is checked under the ladder's
    lock, so a stale writer gets 412 instead of overwriting. Returns the ladder, whether anything
    changed (``version`` grows only then) and whether the ladder was created. Every change is written
    to the history in the same transaction.
    """
    records: list[ChangeRecord | None] = []
    ladder, created = ladder_for_write(company, framework, if_match, records)
    return write_document(ladder, framework, levels, created=created, records=records)
