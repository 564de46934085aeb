"""The demo fixture's data as the loader reads it, for tests that change it before loading."""

from __future__ import annotations

import json

import pytest

from ladder import fixtures_loader


@pytest.fixture
def demo_data():
    return json.loads((fixtures_loader.FIXTURES_DIR / "demo.json").read_text(encoding="utf-8"))
