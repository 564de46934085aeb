"""Ladder versions over HTTP: ``as_of`` reads, ``versions/``, scheduled versions and ``diff``.

``shapes`` holds the serializers of the schema and their examples, ``views`` the endpoints and the
helpers the ladder document's view shares (``as_of`` reads, scheduling by PUT, dry runs).
"""

from ladder.api.versions.shapes import DRY_RUN_EXAMPLE, DryRunSerializer, VersionDocumentSerializer
from ladder.api.versions.views import (
    LadderDiffView,
    LadderVersionDetailView,
    LadderVersionListView,
    as_of_response,
    parse_day,
    version_document,
    version_etag,
)

__all__ = [
    "DRY_RUN_EXAMPLE",
    "DryRunSerializer",
    "LadderDiffView",
    "LadderVersionDetailView",
    "LadderVersionListView",
    "VersionDocumentSerializer",
    "as_of_response",
    "parse_day",
    "version_document",
    "version_etag",
]
