"""Fixtures of the admin tests."""

import pytest


@pytest.fixture
def admin_client_(client, superuser):
    """The test client, logged in as a superuser (pytest-django's ``admin_client`` makes its own user)."""
    client.force_login(superuser)
    return client
