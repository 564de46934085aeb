"""ETags and ``If-Match`` preconditions for optimistic concurrency.

An ETag names a representation's version: ``"ladder-12-v7"``. Services compare the ETags a client
sent in ``If-Match`` with the current one *after* locking the row they change, so the check and the
write are one atomic step: of two writers holding the same ETag, one wins and the other gets 412.
"""

from __future__ import annotations

from ladder.exceptions import PreconditionFailed
from ladder.models import Company, Ladder, Level, TitleAlias

# ``None``: no ``If-Match`` header; otherwise the ETags it lists (``"*"`` matches any current one).
IfMatch = frozenset[str] | None


def _etag(kind: str, pk: int, version: int) -> str:
    return f'"{kind}-{pk}-v{version}"'


def company_etag(company: Company) -> str:
    return _etag("company", company.pk, company.version)


def ladder_etag(ladder: Ladder, version: int | None = None) -> str:
    """``version``: of the representation, when it is not the row's."""
    return _etag("ladder", ladder.pk, ladder.version if version is None else version)


def level_etag(level: Level) -> str:
    return _etag("level", level.pk, level.version)


def alias_etag(alias: TitleAlias) -> str:
    return _etag("alias", alias.pk, alias.version)


def parse_etags(header: str | None) -> IfMatch:
    """The ETags of an ``If-Match``/``If-None-Match`` header (weak ones compared by their value)."""
    if header is None:
        return None
    tags = set()
    for part in header.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag:
            tags.add(tag)
    return frozenset(tags)


def check_if_match(current: str | None, if_match: IfMatch) -> None:
    """Raise ``PreconditionFailed`` unless ``If-Match`` is absent or names the current ETag.

    ``current`` is ``None`` when the resource does not exist yet: only an absent header passes then.
    """
    if if_match is None:
        return
    if current is not None and ("*" in if_match or current in if_match):
        return
    raise PreconditionFailed(current)
