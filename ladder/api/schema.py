"""OpenAPI generation: every operation documents the error answers it can give, in the one shape.

The schema is a contract that ``fuzz/run.sh`` holds the running service to, so it states what the
validators enforce: write bodies refuse unknown keys (``additionalProperties: false``), trimmed text
needs a non-space character, conditional reads document ``304`` and ``ETag``, and errors are JSON.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from ladder import idempotency
from ladder.api.base import ConditionalView, ResourceViewSet
from ladder.documents_io import AliasObjectSerializer
from ladder.serializer_fields import RejectUnknownFieldsMixin


class ErrorItemSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="Machine-readable code, e.g. `required`, `unknown_field`, `invalid_choice`, "
        "`unknown_query_parameter`."
    )
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
    "304": "Not modified: `If-None-Match` names the current ETag. No body.",
    "400": "Invalid input; `errors` names each field. Every operation refuses a query parameter it does not "
    "declare (`unknown_query_parameter`, naming it in `field`), and a value outside an enum "
    "(`invalid_choice`, the message listing the valid values).",
    "401": "No API key, or an unknown, revoked or expired one.",
    "403": "Authenticated, but not allowed (a read key writing, another organization's company).",
    "404": "Not found (or not visible to your organization).",
    "409": "Conflict: another change to the same data landed first, or a value that must be unique is taken "
    "(`slug_taken` on a company's `slug`); the error names the field.",
    "412": "If-Match names a version that is no longer current; read the resource again.",
    "413": "Request body too large.",
    "422": "This Idempotency-Key was used with a different request.",
    "429": "Too many requests; see `Retry-After`.",
    "503": "The database is unavailable for a moment; nothing was changed. Retry after `Retry-After` seconds.",
}


# Text that keeps a character once trimmed: a character outside Python's whitespace (what
# ``str.strip()`` removes), spelled out because ECMA's ``\s``, which schemas use, is another set.
NOT_BLANK_PATTERN = r"[^\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"

SLUG_PATH_PARAMETERS = {"slug", "framework"}
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SLUG_MAX_LENGTH = 64

# What ``ResourceViewSet.create`` accepts: printable ASCII, not only spaces.
IDEMPOTENCY_KEY_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": idempotency.MAX_KEY_LENGTH,
    "pattern": idempotency.KEY_PATTERN,
}


class PmladderAutoSchema(AutoSchema):
    """Adds the error responses to each operation, so generated clients know the error shape."""

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction != "request" or "properties" not in schema:
            return schema
        if isinstance(serializer, RejectUnknownFieldsMixin):
            schema["additionalProperties"] = False
        for name, field in serializer.fields.items():
            prop = schema["properties"].get(name)
            if isinstance(field, serializers.ListField) and prop and "items" in prop:
                field, prop = field.child, prop["items"]
            if prop is not None and _trimmed_non_blank(field) and prop.get("type") == "string":
                # The value is trimmed before it is checked, so a string of spaces is a blank one.
                prop.setdefault("pattern", NOT_BLANK_PATTERN)
        return schema

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            schema = parameter["schema"]
            if parameter["name"] in SLUG_PATH_PARAMETERS and schema.get("type") == "string":
                # Slugs of companies and frameworks: anything else names nothing (404).
                schema.update(pattern=SLUG_PATTERN, maxLength=SLUG_MAX_LENGTH)
        return parameters

    def _get_request_for_media_type(self, serializer, direction="request"):
        schema, required = super()._get_request_for_media_type(serializer, direction)
        if isinstance(serializer, dict) and serializer.get("minLength"):
            required = True  # a raw body (CSV) that may not be empty has to be sent
        return schema, required

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        if self._conditional_read():
            responses["304"] = self._get_response_for_code(None, "304", direction=direction)
            responses["304"]["description"] = _DESCRIPTIONS["304"]
        # 400 everywhere: an unknown query parameter is refused whatever the method (ladder.api.parameters).
        codes = ["400", "401", "403", "404", "429"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("413")
        if self.method in ("PUT", "PATCH", "DELETE") and self._conditional():
            codes.append("412")
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append("409")
        if self._idempotent_create():
            codes.append("422")
        codes.append("503")
        for code in codes:
            if code not in responses:
                # Errors are JSON whatever was asked for (CSV included).
                response = self._get_response_for_code(
                    ErrorSerializer, code, media_types=["application/json"], direction=direction
                )
                response["description"] = _DESCRIPTIONS[code]
                if code == "409" and self._idempotent_create():
                    response["description"] += " Or a request with this Idempotency-Key is still being processed."
                responses[code] = response
        return responses

    def _conditional_read(self) -> bool:
        return self.method == "GET" and self._conditional() and not self._is_list_view() and not self._is_history()

    def _is_history(self) -> bool:
        return getattr(self.view, "action", None) == "history"

    def _conditional(self) -> bool:
        return isinstance(self.view, ConditionalView) and self.view.conditional

    def _idempotent_create(self) -> bool:
        view = self.view
        idempotent = isinstance(view, ResourceViewSet) and view.idempotent_create
        return idempotent and self.method == "POST" and self._is_create_operation()

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        header = OpenApiParameter.HEADER
        if self._idempotent_create():
            params.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    IDEMPOTENCY_KEY_SCHEMA,
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
        if self._conditional_read():
            params.append(OpenApiParameter("If-None-Match", str, header, description="An ETag; unchanged answers 304."))
            params.append(
                OpenApiParameter(
                    "ETag",
                    str,
                    header,
                    required=True,
                    response=[200, 304],
                    description="The representation's version; send it back in `If-Match` or `If-None-Match`.",
                )
            )
        return params


def _trimmed_non_blank(field) -> bool:
    return isinstance(field, serializers.CharField) and field.trim_whitespace and not field.allow_blank


class TitleItemFieldExtension(OpenApiSerializerFieldExtension):
    """A title to translate: a string, or the ``TitleObject`` component."""

    target_class = "ladder.translation.api.serializers.TitleItemField"

    def map_serializer_field(self, auto_schema, direction):
        from ladder.translation.api.serializers import TitleObjectSerializer

        component = auto_schema.resolve_serializer(TitleObjectSerializer, direction)
        return {"oneOf": [{"type": "string"}, component.ref]}


class AliasItemFieldExtension(OpenApiSerializerFieldExtension):
    """An alias in a ladder document: its title as a string, or the ``AliasObject`` component."""

    target_class = "ladder.documents_io.AliasItemField"

    def map_serializer_field(self, auto_schema, direction):
        component = auto_schema.resolve_serializer(AliasObjectSerializer, direction)
        title = dict(component.schema["properties"]["title"])  # a plain string is the title alone
        return {"oneOf": [title, component.ref]}


def reference_shared_enums(result, generator, request, public):
    """Query parameters name the component enum with the same values (``?size_band=`` is a
    ``SizeBandEnum``, ``?track=`` a ``TrackEnum``) instead of an inline copy that generated clients
    would name after the operation (``V1CompaniesListSizeBand``), a name that changes with the URL."""
    schemas = result.get("components", {}).get("schemas", {})
    by_values = {
        frozenset(schema["enum"]): name
        for name, schema in schemas.items()
        if schema.get("type") == "string" and schema.get("enum")
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                name = by_values.get(frozenset(parameter.get("schema", {}).get("enum") or ()))
                if name is not None:
                    parameter["schema"] = {"$ref": f"#/components/schemas/{name}"}
    return result
