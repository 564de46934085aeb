"""OpenAPI generation: every operation documents the error answers it can give, in the one shape."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
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
    "413": "Request body too large.",
    "429": "Too many requests; see `Retry-After`.",
}


class PmladderAutoSchema(AutoSchema):
    """Adds the error responses to each operation, so generated clients know the error shape."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        codes = ["401", "403", "404"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes = ["400", *codes, "413"]
        elif self.method == "GET":
            codes = ["400", *codes]
        for code in codes:
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = _DESCRIPTIONS[code]
                responses[code] = response
        return responses
