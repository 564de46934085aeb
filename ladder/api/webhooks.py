"""``/api/v1/webhooks/``: subscriptions, their delivery log, and sending a delivery again."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ladder.api.changes import ENTRY_TYPE_CHOICES, ENTRY_TYPES
from ladder.http.permissions import TenantAccess
from ladder.models import WebhookDelivery, WebhookSubscription
from ladder.serializer_fields import ListingChoiceField, StrictModelSerializer
from ladder.tenancy import caller_for
from ladder.webhooks import delivery as sending
from ladder.webhooks.outbox import hand_over_in_background

PATTERNS = ["*", *sorted({t.split(".")[0] + ".*" for t in ENTRY_TYPES}), *ENTRY_TYPES]


class WebhookSubscriptionSerializer(StrictModelSerializer):
    # Checked by the delivery's own rules (http or https, a host, no private address), not Django's
    # URL pattern, so that the schema's `uri` and the validation agree.
    url = serializers.CharField(max_length=500, help_text="An http or https URL with a public host.")
    events = serializers.ListField(
        child=ListingChoiceField(choices=[(p, p) for p in PATTERNS]),
        min_length=1,
        max_length=50,
        help_text='Event types (as in the changes feed), "level.*" patterns, or "*".',
    )

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "is_active", "flagged_at", "created_at", "updated_at"]
        read_only_fields = ["id", "flagged_at", "created_at", "updated_at"]

    def validate_url(self, value: str) -> str:
        try:
            sending.check_url(value, resolve=False)
        except sending.UnsafeURL as exc:
            raise serializers.ValidationError(str(exc), code="unsafe_url") from None
        return value


class CreatedWebhookSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown once: verify signatures with it.")

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = [*WebhookSubscriptionSerializer.Meta.read_only_fields, "secret"]


EVENT_EXAMPLE = {
    "type": "level.updated",
    "timestamp": "2026-03-09T10:00:00.120000Z",
    "data": {
        "object": {"type": "level", "id": 42, "company": "globex", "framework": "product-management", "level_id": 42},
        "ladder_version": 7,
        "fields": ["title"],
        "tombstone": False,
        "url": "/api/v1/levels/42/",
    },
}


class WebhookEventObjectSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="company, ladder, level or alias")
    id = serializers.IntegerField()
    company = serializers.CharField(allow_null=True)
    framework = serializers.CharField(allow_null=True)
    level_id = serializers.IntegerField(allow_null=True)


class WebhookEventDataSerializer(serializers.Serializer):
    object = WebhookEventObjectSerializer()
    ladder_version = serializers.IntegerField(allow_null=True)
    fields = serializers.ListField(child=serializers.CharField())
    tombstone = serializers.BooleanField()
    url = serializers.CharField(allow_null=True, help_text="Where to fetch the object.")


@extend_schema_serializer(examples=[OpenApiExample("An event", value=EVENT_EXAMPLE)])
class WebhookEventSerializer(serializers.Serializer):
    """The JSON body POSTed to a subscription's URL, with the headers ``webhook-id``,
    ``webhook-timestamp`` and ``webhook-signature`` (Standard Webhooks, signed with the ``whsec_``
    secret)."""

    type = serializers.ChoiceField(choices=ENTRY_TYPE_CHOICES, help_text="As in the changes feed.")
    timestamp = serializers.DateTimeField()
    data = WebhookEventDataSerializer()


class WebhookDeliverySerializer(serializers.ModelSerializer):
    payload = WebhookEventSerializer(read_only=True, help_text="The event sent (see WebhookEvent).")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "status",
            "attempts",
            "response_code",
            "last_error",
            "created_at",
            "next_attempt_at",
            "last_attempt_at",
            "delivered_at",
            "payload",
        ]
        read_only_fields = fields


# The schema's summary and description of the plain actions (``create`` has more to say).
ACTION_DOCS = {
    "list": ("List webhook subscriptions", "Your organization's subscriptions (the secret is never shown again)."),
    "retrieve": (
        "Get a webhook subscription",
        "One subscription; `flagged_at` is set when deliveries failed for 24 hours.",
    ),
    "partial_update": ("Change a webhook subscription", "`is_active: true` re-enables a flagged one."),
    "destroy": ("Delete a webhook subscription", "Stops deliveries and removes its delivery log."),
}


@extend_schema_view(
    create=extend_schema(
        summary="Subscribe to change events",
        description=(
            "Events are POSTed to `url` as JSON, signed per the Standard Webhooks specification (headers "
            "`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the `whsec_` secret returned here "
            "once. The body is thin: "
            '`{"type": "level.updated", "timestamp": …, "data": {"object": {…}, "ladder_version": 7, '
            '"fields": […], "tombstone": false, "url": "/api/v1/levels/42/"}}`; types are those of the '
            "changes feed. Failed deliveries are retried with exponential backoff and jitter for 24 hours; "
            "then the subscription is flagged (`flagged_at`) and deliveries stop until it is re-enabled "
            "with a PATCH of `is_active`. Loopback and private addresses are refused."
        ),
        examples=[
            OpenApiExample(
                "Subscribe",
                value={"url": "https://hris.example.com/hooks/pmladder", "events": ["ladder_version.*", "company.*"]},
                request_only=True,
            ),
        ],
        responses={201: CreatedWebhookSerializer},
    ),
    **{name: extend_schema(summary=summary, description=text) for name, (summary, text) in ACTION_DOCS.items()},
)
@extend_schema(tags=["webhooks"])
class WebhookViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = WebhookSubscriptionSerializer
    permission_classes = [TenantAccess]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filter_backends: list = []

    def company_of(self, obj):
        return None

    def get_queryset(self):
        caller = caller_for(self.request)
        subs = WebhookSubscription.objects.order_by("id")
        return subs if caller.is_superuser else subs.filter(organization_id__in=sorted(caller.readable_org_ids))

    def _require_write(self, organization_id: int) -> None:
        caller = caller_for(self.request)
        if not (caller.is_superuser or organization_id in caller.writable_org_ids):
            raise exceptions.PermissionDenied("You may read this subscription but not change it.")

    def perform_create(self, serializer):
        caller = caller_for(self.request)
        if caller.home_org_id is None:
            raise exceptions.PermissionDenied("Your account belongs to no organization that may subscribe.")
        serializer.save(organization_id=caller.home_org_id, secret=sending.new_secret())

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(CreatedWebhookSerializer(serializer.instance).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        self._require_write(serializer.instance.organization_id)
        if serializer.validated_data.get("is_active"):
            serializer.save(flagged_at=None)  # re-enabling clears the flag
        else:
            serializer.save()

    def perform_destroy(self, instance):
        self._require_write(instance.organization_id)
        instance.delete()

    @extend_schema(
        summary="Delivery log of a subscription",
        description="Newest first: status (`pending`, `delivered`, `failed`), attempts, the last response code "
        "or error, and the event sent.",
        responses={200: WebhookDeliverySerializer(many=True)},
    )
    @action(detail=True, methods=["get"], url_path="deliveries")
    def deliveries(self, request, pk=None):
        subscription = self.get_object()
        page = self.paginate_queryset(subscription.deliveries.order_by("-created_at", "-id"))
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(
        summary="Send a delivery again",
        description="Queues the event again now (same `webhook-id`, so receivers can de-duplicate), also after "
        "it was delivered or failed for good. Answers 202 with the delivery.",
        request=None,
        responses={202: WebhookDeliverySerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"deliveries/(?P<delivery_id>[0-9]{1,18})/retry")
    def retry(self, request, pk=None, delivery_id=None):
        subscription = self.get_object()
        self._require_write(subscription.organization_id)
        with transaction.atomic():
            found = subscription.deliveries.select_for_update().filter(pk=int(delivery_id)).first()
            if found is None:
                raise exceptions.NotFound()
            found.status = WebhookDelivery.Status.PENDING
            found.next_attempt_at = timezone.now()
            found.created_at = timezone.now()  # a new 24-hour window of retries
            found.save(update_fields=["status", "next_attempt_at", "created_at"])
            transaction.on_commit(lambda: hand_over_in_background([found.pk]))
        return Response(WebhookDeliverySerializer(found).data, status=status.HTTP_202_ACCEPTED)
