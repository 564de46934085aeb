"""Tenants and who acts for them: organizations, memberships and API keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey

from ladder.choices import KeyRole, MemberRole
from ladder.models.base import TimestampedModel


class Organization(TimestampedModel):
    """The tenant: an HR platform's customer, or the platform itself. Owns companies and API keys."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Membership(TimestampedModel):
    """A person's role in an organization (viewer, editor or admin)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=MemberRole.choices, default=MemberRole.VIEWER)

    class Meta:
        ordering = ["organization", "user"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


class ApiKey(AbstractAPIKey):
    """An organization's API key. Only a hash is stored; the key itself is shown once, at creation."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_keys")
    role = models.CharField(max_length=8, choices=KeyRole.choices, default=KeyRole.READ)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"

    @property
    def can_write(self) -> bool:
        return self.role == KeyRole.WRITE
