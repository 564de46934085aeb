"""Exceptions raised by services, turned into the one error shape by ``ladder.api.errors``."""

from __future__ import annotations


class FieldErrors(Exception):
    """Input that failed validation; ``errors`` name each place, e.g. ``levels[3].aliases[1].title``.

    Each error is ``{"code": str, "message": str, "field": str | None}``.
    """

    def __init__(self, errors: list[dict]) -> None:
        super().__init__(f"{len(errors)} validation error(s)")
        self.errors = errors


class PreconditionFailed(Exception):
    """``If-Match`` named a version that is no longer current (answered 412)."""

    def __init__(self, current_etag: str | None) -> None:
        super().__init__("precondition failed")
        self.current_etag = current_etag
