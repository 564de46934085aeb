"""JSON request parsing that no body can turn into a 500.

Python's JSON decoder accepts things that the rest of the stack cannot handle: nesting deep enough
to exhaust the interpreter's recursion limit, unpaired UTF-16 surrogates (``"\\ud800"``) that cannot
be encoded when the answer is rendered, and NUL characters that PostgreSQL refuses to store. The
parsers here answer such bodies with a 400 in the standard error shape, naming the place, before any
view sees them. Translation endpoints use the lenient variant: a bad character in one title becomes
U+FFFD there, and that title alone gets a per-item error while the rest of the batch is answered.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class BodyRefused(ParseError):
    """A body the parser refuses (400), with its code and the place it concerns, in the error shape.

    (A DRF exception rather than a domain error of ``ladder.exceptions``: DRF imports its parsers while
    the error module is still loading.)"""

    def __init__(self, *, code: str, message: str, field: str | None = None, status_code: int = 400) -> None:
        super().__init__(detail=message, code=code)
        self.errors = [{"code": code, "message": message, "field": field}]


REPLACEMENT = "\ufffd"


def max_depth() -> int:
    return getattr(settings, "PMLADDER_MAX_JSON_DEPTH", 32)


def _bad_char(text: str) -> bool:
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def _clean(text: str) -> str:
    return "".join(REPLACEMENT if ch == "\x00" or "\ud800" <= ch <= "\udfff" else ch for ch in text)


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def check_structure(data: Any, *, replace: bool) -> Any:
    """Walk the parsed body without recursion: refuse nesting deeper than the limit, and refuse (or,
    with ``replace``, mend) text holding NUL or unpaired surrogates. Returns the (mended) data."""
    limit = max_depth()
    root = [data]
    stack: list[tuple[Any, Any, str, int]] = [(root, 0, "", 0)]  # (container, key, path, depth)
    while stack:
        container, key, path, depth = stack.pop()
        value = container[key]
        if isinstance(value, str):
            if "\x00" in value or _has_surrogate(value):
                if not replace:
                    _refuse_text(path)
                container[key] = _clean(value)
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth >= limit:
            raise BodyRefused(
                code="nesting_too_deep",
                message=f"The JSON body is nested deeper than {limit} levels.",
                field=path or None,
            )
        if isinstance(value, list):
            for index in range(len(value)):
                stack.append((value, index, _join(path, index), depth + 1))
            continue
        if any(isinstance(k, str) and _bad_char(k) for k in value):
            if not replace:
                bad = next(k for k in value if _bad_char(k))
                _refuse_text(_join(path, _clean(bad)))
            value = {_clean(k): v for k, v in value.items()}
            container[key] = value
        for name in value:
            stack.append((value, name, _join(path, name), depth + 1))
    return root[0]


def _has_surrogate(text: str) -> bool:
    # Fast path: a string that encodes as UTF-8 has no unpaired surrogate.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _refuse_text(path: str) -> None:
    raise BodyRefused(
        code="invalid_text",
        message="Text may not contain NUL characters or unpaired UTF-16 surrogates.",
        field=path or None,
    )


class SafeJSONParser(JSONParser):
    """The default JSON parser: refuses over-deep nesting and text that cannot be stored or rendered."""

    replace_bad_text = False

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise BodyRefused(
                code="nesting_too_deep", message=f"The JSON body is nested deeper than {max_depth()} levels."
            ) from None
        return check_structure(data, replace=self.replace_bad_text)


class LenientTextJSONParser(SafeJSONParser):
    """For batches of titles: bad characters become U+FFFD, so one bad title fails alone."""

    replace_bad_text = True
