"""Writes: every change to stored data goes through these functions, from the API, the ladder
document, the admin, management commands and fixtures alike.

Each function is one transaction: it locks what it changes (``locking``: company, then ladder, then
levels), checks ``If-Match`` under that lock, validates with the rule book (``ladder.rules``) before
it writes, writes the change history beside the change, and bumps the ``version`` of what changed
exactly once (and only when something did). Failures are the domain's errors (``ladder.exceptions``).
"""

from ladder.services.aliases import alias_delete, alias_save, alias_validate
from ladder.services.archive import company_archive, company_restore, ladder_archive, ladder_restore
from ladder.services.base import ladder_changed
from ladder.services.checks import alias_check, level_check
from ladder.services.companies import company_create, company_update
from ladder.services.documents import ladder_document_put
from ladder.services.due import apply_due, apply_due_for, is_due
from ladder.services.frameworks import (
    competency_delete,
    competency_save,
    framework_delete,
    framework_save,
    reference_level_delete,
    reference_level_links_save,
    reference_level_moved,
    reference_level_save,
)
from ladder.services.inputs import AliasInput, LadderWrite, LevelInput
from ladder.services.ladders import ladder_create, ladder_for_write
from ladder.services.levels import level_create, level_deactivate, level_prepare, level_save, level_validate
from ladder.services.schedule import cancel_scheduled, dry_run, preview_document, schedule_document, scheduled_etag

__all__ = [
    "AliasInput",
    "LadderWrite",
    "LevelInput",
    "alias_check",
    "alias_delete",
    "alias_save",
    "alias_validate",
    "apply_due",
    "apply_due_for",
    "cancel_scheduled",
    "company_archive",
    "company_create",
    "company_restore",
    "company_update",
    "competency_delete",
    "competency_save",
    "dry_run",
    "framework_delete",
    "framework_save",
    "is_due",
    "ladder_archive",
    "ladder_changed",
    "ladder_create",
    "ladder_document_put",
    "ladder_for_write",
    "ladder_restore",
    "level_check",
    "level_create",
    "level_deactivate",
    "level_prepare",
    "level_save",
    "level_validate",
    "preview_document",
    "reference_level_delete",
    "reference_level_links_save",
    "reference_level_moved",
    "reference_level_save",
    "schedule_document",
    "scheduled_etag",
]
