"""JSON answers rendered with orjson: the same bytes as DRF's renderer for our data, several times faster.

A translation answer is a few kilobytes of nested dicts; DRF's ``JSONRenderer`` (the standard
library's encoder) spends a measurable share of a single translation's time on it. Values orjson does
not know (lazy translation strings, ``Decimal``) go through DRF's own encoder; an indented answer
(the browsable API's ``; indent=``) is left to DRF.
"""

from __future__ import annotations

import json

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_fallback = JSONEncoder()
_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


class FastJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            return orjson.dumps(data, default=_fallback.default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            # Text orjson cannot encode as UTF-8 (an unpaired surrogate that reached an answer some
            # other way than a parsed body): escaped ASCII JSON is still valid JSON, never a 500.
            return json.dumps(data, cls=JSONEncoder, ensure_ascii=True, separators=(",", ":")).encode("ascii")
