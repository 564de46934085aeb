"""DRF plumbing shared by every HTTP interface (the REST API in ``ladder.api`` and translation's own
views in ``ladder.translation.api``): parsers, renderers and permissions."""
