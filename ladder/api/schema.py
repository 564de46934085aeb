"""OpenAPI generation: every operation documents the error answers it can give, in the one shape."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers


class ErrorItemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable code, e.g. `required`, `unknown_field`.")
    message = serializers.CharField(help_text="What is wrong, for a person.")
    field = serializers.CharField(
        allow_null=True, help_text="Where: a field path such as `levels[3].aliases[1].title`, or null."
    )


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx and 5xx answer."""

    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text="Machine-readable code, e.g. `validation_error`, `not_found`.")
    message = serializers.CharField()
    errors = ErrorItemSerializer(many=True)


_DESCRIPTIONS = {
    "400": "Invalid input; `errors` names each field.",
    "401": "No API key, or an unknown, revoked or expired one.",
    "403": "Authenticated, but not allowed (a read key writing, another organization's company).",
    "404": "Not found (or not visible to your organization).",
    "409": "A request with this Idempotency-Key is still being processed.",
    "412": "If-Match names a version that is no longer current; read the resource again.",
    "413": "Request body too large.",
    "422": "This Idempotency-Key was used with a different request.",
    "429": "Too many requests; see `Retry-After`.",
}


class PmladderAutoSchema(AutoSchema):
    """Adds the error responses to each operation, so generated clients know the error shape."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        codes = ["401", "403", "404", "429"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes = ["400", *codes, "413"]
        elif self.method == "GET":
            codes = ["400", *codes]
        if self.method in ("PUT", "PATCH", "DELETE") and self._conditional():
            codes.append("412")
        if self._idempotent_create():
            codes.extend(["409", "422"])
        for code in codes:
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = _DESCRIPTIONS[code]
                responses[code] = response
        return responses

    def _conditional(self) -> bool:
        from ladder.api.mixins import ConditionalMixin

        return isinstance(self.view, ConditionalMixin) or type(self.view).__name__ == "LadderDocumentView"

    def _idempotent_create(self) -> bool:
        from ladder.api.mixins import IdempotentCreateMixin

        return isinstance(self.view, IdempotentCreateMixin) and self.method == "POST" and self._is_create_operation()

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        header = OpenApiParameter.HEADER
        if self._idempotent_create():
            params.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    str,
                    header,
                    description="Send the same key to retry safely: a replay within 24 hours returns the first "
                    "answer without creating anything again.",
                )
            )
        if self._conditional() and self.method in ("PUT", "PATCH", "DELETE"):
            params.append(
                OpenApiParameter(
                    "If-Match", str, header, description="The ETag you read; a stale one answers 412, nothing changes."
                )
            )
        if self._conditional() and self.method == "GET" and not self._is_list_view():
            params.append(OpenApiParameter("If-None-Match", str, header, description="An ETag; unchanged answers 304."))
        return params
