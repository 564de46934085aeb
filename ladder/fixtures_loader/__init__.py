"""Loading the JSON fixtures in ``fixtures/``: reference frameworks, the demo companies and the catalog.

Loading never overwrites what people changed. For every object it loads, ``FixtureState`` keeps the
fixture's values as last loaded (and their hash). On the next load:

- an object the fixture has and the database lacks is created (unless it was loaded before and a
  person deleted it since: that deletion is an edit too);
- a field changes only when the fixture changed it since the last load *and* the database still holds
  the value the fixture gave last time; a field someone edited in the admin or through the API keeps
  the edit (reported as "kept");
- an object found in the database that this fixture never loaded is adopted as it is;
- what people added (levels, aliases) stays.

Writes go through the services, so they are validated, versioned and recorded in the change history,
credited to ``fixtures:<name>``. Every call returns (and ``load_fixtures`` prints) what it did.

The parts: ``state`` (files, remembered values, the merge, the report), ``frameworks``, ``ladders``,
``companies`` and ``catalog``.
"""

from ladder.fixtures_loader.catalog import (
    CATALOG_ORGANIZATION,
    CATALOG_PATH,
    catalog_problems,
    load_catalog_fixtures,
)
from ladder.fixtures_loader.companies import load_companies, load_demo_fixtures
from ladder.fixtures_loader.frameworks import load_framework, load_reference_fixtures
from ladder.fixtures_loader.state import FIXTURES_DIR, LoadReport, content_hash, merge_fields

__all__ = [
    "CATALOG_ORGANIZATION",
    "CATALOG_PATH",
    "FIXTURES_DIR",
    "LoadReport",
    "catalog_problems",
    "content_hash",
    "load_catalog_fixtures",
    "load_companies",
    "load_demo_fixtures",
    "load_framework",
    "load_reference_fixtures",
    "merge_fields",
]
