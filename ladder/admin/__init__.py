"""The Django admin, where HR admins maintain ladders.

Superusers see everything. Other staff see and edit only the companies (and their ladders, levels and
aliases) of organizations where they are an editor or admin; frameworks are read-only to them unless
they operate the platform. Every write goes through ``ladder.services`` (``mixins.ServiceWritesMixin``).
"""

from django.contrib import admin
from rest_framework_api_key.models import APIKey as LibraryAPIKey

from ladder.admin import accounts, audit, companies, frameworks, ladders, levels, webhooks  # noqa: F401 (register)

# The library's own key model is unused: keys here belong to an organization (``ladder.ApiKey``).
admin.site.unregister(LibraryAPIKey)

admin.site.site_header = "pmladder"
admin.site.site_title = "pmladder admin"
admin.site.index_title = "Career ladders"
