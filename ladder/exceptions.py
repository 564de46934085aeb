"""Exceptions raised by services, turned into the one error shape by ``ladder.api.errors``."""

from __future__ import annotations


class FieldErrors(Exception):
    """Input that failed validation; ``errors`` name each place, e.g. ``levels[3].aliases[1].title``.

    Each error is ``{"code": str, "message": str, "field": str | None}``.
    """

    def __init__(self, errors: list[dict]) -> None:
        super().__init__(f"{len(errors)} validation error(s)")
        self.errors = errors
