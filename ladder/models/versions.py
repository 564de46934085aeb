"""Immutable ladder versions and the level revisions they hold (DESIGN §5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ladder.models.ladders import Ladder


class LadderVersion(models.Model):
    """One immutable state of a ladder: a number, the day it takes effect, who made it and in which request.

    An applied version's levels are the ``LevelRevision`` rows open at its ``seq`` (its place in the
    order in which versions took effect). A scheduled version keeps the whole ladder it will apply in
    ``document`` until its day comes; it is applied by the first write or read of the ladder on or
    after that day, so no job has to run.
    """

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    seq = models.PositiveIntegerField(null=True, blank=True, help_text="Order of taking effect; set when applied.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.APPLIED)
    effective_from = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    author = models.CharField(max_length=200, help_text="A user name or an API key's name, or 'system'.")
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_api_key_id = models.CharField(max_length=150, blank=True)
    request_id = models.CharField(max_length=128, blank=True)
    ladder_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The ladder's version counter (ETag) once applied."
    )
    document = models.JSONField(null=True, blank=True, help_text="Scheduled: the levels it will apply.")
    revision = models.PositiveIntegerField(default=1, help_text="Scheduled: grows when replaced (ETag).")
    problems = models.JSONField(null=True, blank=True, help_text="Failed: why it could not be applied.")

    class Meta:
        ordering = ["ladder", "number"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "number"], name="ladder_version_number_unique"),
            models.UniqueConstraint(
                fields=["ladder", "seq"], condition=Q(seq__isnull=False), name="ladder_version_seq_unique"
            ),
            models.UniqueConstraint(
                fields=["ladder", "effective_from"],
                condition=Q(status="scheduled"),
                name="ladder_version_one_scheduled_per_day",
            ),
        ]
        indexes = [models.Index(fields=["ladder", "effective_from", "number"], name="ladder_version_effective")]

    def __str__(self) -> str:
        return f"{self.ladder} v{self.number} ({self.status}, from {self.effective_from})"


class LevelRevision(models.Model):
    """A level's whole state (fields and aliases) from one applied version up to the one that changed it.

    Only the levels a version changes get a new row, so storage grows with the size of the changes,
    not with the ladder times the number of versions.
    """

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="+")
    level_id = models.BigIntegerField()
    from_seq = models.PositiveIntegerField()
    to_seq = models.PositiveIntegerField(null=True, blank=True, help_text="Exclusive; open while current.")
    state = models.JSONField()

    class Meta:
        ordering = ["ladder", "from_seq", "level_id"]
        indexes = [
            models.Index(fields=["ladder", "from_seq"], name="level_revision_from"),
            models.Index(fields=["ladder", "to_seq"], name="level_revision_to"),
        ]

    def __str__(self) -> str:
        return f"level {self.level_id} [{self.from_seq}, {self.to_seq})"
