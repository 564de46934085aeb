"""Times as the API writes them."""

from __future__ import annotations

from datetime import datetime, tzinfo


def iso_time(moment: datetime | None, zone: tzinfo | None = None) -> str | None:
    """ISO 8601 with UTC written ``Z``, as DRF's ``DateTimeField`` writes a time; ``zone``: convert to
    it first (DRF uses the current time zone). ``None`` stays ``None``."""
    if moment is None:
        return None
    text = (moment.astimezone(zone) if zone is not None else moment).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
