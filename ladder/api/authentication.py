"""``Authorization: Api-Key <key>`` authentication against the organization's hashed keys."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from ladder import audit
from ladder.apikeys import InvalidApiKey, verify_key

KEYWORD = "Api-Key"


class OrganizationApiKeyAuthentication(authentication.BaseAuthentication):
    """Authenticates a request by an organization's API key; ``request.auth`` is the ``ApiKey``.

    A missing header lets other authenticators try; a malformed, unknown, revoked or expired key is
    refused with 401 (never silently treated as anonymous).
    """

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, key = header.partition(" ")
        if keyword != KEYWORD:
            return None
        try:
            api_key = verify_key(key)
        except InvalidApiKey as err:
            raise exceptions.AuthenticationFailed(err.message) from err
        audit.bind_api_key(api_key)
        return (AnonymousUser(), api_key)

    def authenticate_header(self, request) -> str:
        return KEYWORD


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Documents the scheme in the OpenAPI schema as ``ApiKeyAuth``."""

    target_class = OrganizationApiKeyAuthentication
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: a key of your organization (role read or write).",
        }
