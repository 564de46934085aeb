"""Webhook subscriptions and their deliveries (the outbox)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from ladder.models.accounts import Organization


class WebhookSubscription(models.Model):
    """An organization's endpoint for change events, signed with its own ``whsec_`` secret."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text='Event types, "level.*" patterns, or ["*"] for all.')
    secret = models.CharField(max_length=100, editable=False)
    is_active = models.BooleanField(default=True)
    flagged_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when deliveries kept failing for 24 hours; deliveries then stop."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization", "id"]
        verbose_name = "webhook subscription"

    def __str__(self) -> str:
        return f"{self.organization}: {self.url}"

    def wants(self, event_type: str) -> bool:
        for pattern in self.events or ():
            if pattern == "*" or pattern == event_type:
                return True
            if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
                return True
        return False


class WebhookDelivery(models.Model):
    """One event for one subscription: the outbox row, written in the transaction of the change."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=64, help_text="The webhook-id header: the same on every attempt.")
    event_type = models.CharField(max_length=64)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event_id"], name="webhook_delivery_event_unique")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.status})"
