"""The change history, the fixtures' memory and idempotent retries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from ladder.db import CurrentTransactionId
from ladder.models.frameworks import Framework
from ladder.models.ladders import Company


class ChangeRecord(models.Model):
    """One change to a framework, company, ladder, level or alias: who, when, and the values before/after.

    ``company``, ``framework`` and ``ladder`` are kept without foreign-key constraints so that history
    outlives the rows it describes. ``before``/``after`` hold only the fields that changed (all fields
    for a creation or a deletion).
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        ARCHIVE = "archive", "Archived"
        RESTORE = "restore", "Restored"
        VERSION = "version", "New version"

    class ObjectType(models.TextChoices):
        FRAMEWORK = "framework", "Framework"
        REFERENCE_LEVEL = "reference_level", "Reference level"
        COMPANY = "company", "Company"
        LADDER = "ladder", "Ladder"
        LEVEL = "level", "Level"
        ALIAS = "alias", "Alias"

    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=32, choices=ObjectType.choices)
    object_id = models.BigIntegerField()
    object_repr = models.CharField(max_length=300, blank=True)
    company = models.ForeignKey(
        Company, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    ladder_id = models.BigIntegerField(null=True, blank=True)
    level_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_api_key_id = models.CharField(max_length=150, blank=True)
    actor = models.CharField(max_length=200, help_text="Who: a user name or an API key's name, or 'system'.")
    request_id = models.CharField(max_length=128, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ladder_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The number of the ladder version this change is part of."
    )
    # The writing transaction (PostgreSQL) orders the changes feed; see ``ladder.db.CurrentTransactionId``.
    txid = models.BigIntegerField(db_default=CurrentTransactionId(), editable=False)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["company", "-changed_at"], name="change_company_time"),
            models.Index(fields=["object_type", "object_id"], name="change_object"),
            models.Index(fields=["txid", "id"], name="change_feed_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_id} by {self.actor}"


class FixtureState(models.Model):
    """What ``load_fixtures`` last loaded for one object: the fixture's values then, and their hash.

    On the next load a field changes only when the fixture changed it since then and nobody edited it
    in the meantime, so an edit made in the admin or through the API is never reverted.
    ``object_id`` follows the row when people rename it.
    """

    fixture = models.CharField(max_length=100, help_text='The fixture file, e.g. "demo" or "catalog".')
    key = models.CharField(max_length=500, help_text="The object's identity inside the fixture.")
    object_id = models.BigIntegerField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    values = models.JSONField(default=dict)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fixture", "key"], name="fixture_state_unique_key")]

    def __str__(self) -> str:
        return f"{self.fixture}: {self.key}"


class IdempotencyRecord(models.Model):
    """A create request made with an ``Idempotency-Key``: replayed for 24 hours instead of run twice."""

    class State(models.TextChoices):
        PENDING = "pending", "In progress"
        DONE = "done", "Done"

    owner = models.CharField(max_length=200, help_text="The API key or user that sent the key.")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotency_key_unique_per_owner")]

    def __str__(self) -> str:
        return f"{self.owner} {self.key} ({self.state})"
