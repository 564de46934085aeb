"""Throttles: per key, 429 with Retry-After, a lower limit for bulk translation."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.conftest import key_client
from tests.factories import make_key


@pytest.fixture
def low_rates():
    cache.clear()
    with override_settings(PMLADDER_THROTTLE_RATES={"read": "3/min", "write": "2/min", "bulk": "1/min"}):
        yield
    cache.clear()


def test_throttles_answer_429_with_retry_after(read_client, write_client, company, low_rates):
    for _ in range(3):
        assert read_client.get("/api/v1/companies/").status_code == 200
    limited = read_client.get("/api/v1/companies/")
    assert limited.status_code == 429
    assert limited.json()["code"] == "throttled"
    assert int(limited["Retry-After"]) > 0
    # Limits are per key: another key of the same organization is not affected.
    assert write_client.get("/api/v1/companies/").status_code == 200


def test_bulk_translation_has_its_own_lower_limit(demo, low_rates):
    from ladder.models import Organization

    client = key_client(make_key(Organization.objects.get(slug="demo"))[1])
    body = {"source": "globex", "target": "parallax", "titles": ["Sr. PM"]}
    assert client.post("/api/v1/translate", body, format="json").status_code == 200
    assert client.post("/api/v1/translate", body, format="json").status_code == 429
    single = client.get("/api/v1/translate", {"source": "globex", "target": "parallax", "title": "Sr. PM"})
    assert single.status_code == 200


def test_the_limit_slides_over_the_turn_of_a_period():
    """10/min, six requests late in one minute and more just after it: the last minute counts, so
    only four more pass; the estimate frees room as the earlier minute slides out of the window."""
    from types import SimpleNamespace

    from django.core.cache.backends.locmem import LocMemCache

    from ladder.api.throttling import ReadThrottle

    clock = [600 * 60 + 59.0]  # 59 s into a minute
    local = LocMemCache("sliding", {})
    request = SimpleNamespace(method="GET", auth=SimpleNamespace(pk=1), user=None)

    def hit() -> tuple[bool, float]:
        throttle = ReadThrottle()
        throttle.cache, throttle.timer = local, lambda: clock[0]
        allowed = throttle.allow_request(request, None)
        return allowed, throttle.wait()

    with override_settings(PMLADDER_THROTTLE_RATES={"read": "10/min"}):
        assert all(hit()[0] for _ in range(6))
        clock[0] += 1.5  # half a second into the next minute
        assert [hit()[0] for _ in range(5)] == [True, True, True, True, False]
        allowed, wait = hit()
        assert not allowed and 0 < wait < 60
        clock[0] += wait - 0.5  # not yet: the refused hits counted too
        assert hit()[0] is False
        _, wait = hit()
        clock[0] += wait + 0.01  # as long as it said: room for one
        assert hit()[0] is True
        clock[0] = 600 * 60 + 3 * 60  # two minutes later nothing is left of either minute
        assert all(hit()[0] for _ in range(10)) and hit()[0] is False


def test_a_period_over_the_limit_waits_into_the_next_one():
    from types import SimpleNamespace

    from django.core.cache.backends.locmem import LocMemCache

    from ladder.api.throttling import ReadThrottle

    clock = [600 * 60 + 30.0]
    local = LocMemCache("over", {})
    request = SimpleNamespace(method="GET", auth=SimpleNamespace(pk=2), user=None)

    def hit() -> tuple[bool, float]:
        throttle = ReadThrottle()
        throttle.cache, throttle.timer = local, lambda: clock[0]
        return throttle.allow_request(request, None), throttle.wait()

    with override_settings(PMLADDER_THROTTLE_RATES={"read": "4/min"}):
        results = [hit() for _ in range(8)]  # 4 pass, 4 refused: 8 counted in this minute
        assert [allowed for allowed, _ in results] == [True] * 4 + [False] * 4
        wait = results[-1][1]
        assert 30 < wait < 120  # past this minute's end, into the next
        clock[0] += wait - 0.5
        assert hit()[0] is False
        _, wait = hit()
        clock[0] += wait + 0.01
        assert hit()[0] is True
