"""The fields of a level and of a reference level, named once.

The ladder document and its versions, diffs, the spreadsheet columns, the flat ``levels/`` resource,
the change history, the fixtures and the comparison's CSV all list a level's fields; they take them
(and their order, which the API shows) from here. Plain data with no imports: any module may use it.
"""

from __future__ import annotations

# What a level is and where it sits on the reference scale (``anchor``: whether its reference level
# was given or inferred).
PLACEMENT_FIELDS = ("title", "code", "track", "rank", "reference_level", "anchor", "scale_from", "scale_to")

# Every field of a level, in the order its changes are listed (diffs, ``levels/``, the history).
LEVEL_FIELDS = (*PLACEMENT_FIELDS, "description", "external_id", "is_active")

# What a ladder document writes (the services' ``LevelInput``): all but ``anchor``, which pmladder sets.
WRITABLE_LEVEL_FIELDS = tuple(name for name in LEVEL_FIELDS if name != "anchor")

# One level of the ladder document in its order (GET answers, versions, spreadsheet columns); its
# ``aliases`` follow.
DOCUMENT_LEVEL_FIELDS = ("id", *PLACEMENT_FIELDS, "external_id", "is_active", "description")

# An alias of a level in the ladder document.
ALIAS_FIELDS = ("title", "valid_from", "valid_to", "external_id")

# A reference level's own fields (its slug names it; promotions and competencies are relations).
REFERENCE_LEVEL_FIELDS = (
    "name",
    "track",
    "position",
    "focus_hands_on",
    "summary",
    "responsibilities",
    "common_aliases",
    "reports_to",
)
