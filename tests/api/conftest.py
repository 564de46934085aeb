"""Fixtures of the API tests."""

import pytest

from tests.conftest import DOC_URL, TWO_LEVELS


@pytest.fixture
def ladder(write_client, company, framework):
    """The company's ladder, PUT as a document with ``TWO_LEVELS``."""
    assert write_client.put(DOC_URL.format(company.slug), TWO_LEVELS, format="json").status_code == 201
    return company.ladders.get()
