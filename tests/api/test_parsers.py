"""No body, path or query a client can send produces a 500: over-deep JSON, unpaired surrogates, NUL
characters and huge numbers are refused in the error shape (or, for one title of a batch, answered
per item), on both databases."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ladder.models import Company, Level, TitleAlias

NESTED_1000 = "[" * 1000 + "]" * 1000  # about 2 KB


@pytest.fixture
def world(demo, write_client, operator_client):
    """The demo data, a write key of its organization and a platform operator (for frameworks)."""
    demo_key = _demo_write_client()
    level = Level.objects.filter(ladder__company__slug="globex").order_by("pk").first()
    alias = TitleAlias.objects.filter(ladder__company__slug="globex").order_by("pk").first()
    return {"write": demo_key, "operator": operator_client, "level": level, "alias": alias}


def _demo_write_client():
    from ladder.choices import KeyRole
    from ladder.models import Organization
    from tests.conftest import key_client
    from tests.factories import make_key

    return key_client(make_key(Organization.objects.get(slug="demo"), KeyRole.WRITE, name="robust")[1])


def _endpoints(world) -> list[tuple[str, str, str]]:
    """(client name, method, url) of every operation that reads a JSON body."""
    level = world["level"]
    alias_id = world["alias"].pk if world["alias"] is not None else 1
    return [
        ("operator", "post", "/api/v1/frameworks/"),
        ("operator", "put", "/api/v1/frameworks/product-management/"),
        ("operator", "patch", "/api/v1/frameworks/product-management/"),
        ("write", "post", "/api/v1/companies/"),
        ("write", "patch", "/api/v1/companies/globex/"),
        ("write", "put", "/api/v1/companies/globex/ladders/product-management/"),
        ("write", "post", "/api/v1/levels/"),
        ("write", "put", f"/api/v1/levels/{level.pk}/"),
        ("write", "patch", f"/api/v1/levels/{level.pk}/"),
        ("write", "post", "/api/v1/aliases/"),
        ("write", "put", f"/api/v1/aliases/{alias_id}/"),
        ("write", "patch", f"/api/v1/aliases/{alias_id}/"),
        ("write", "post", "/api/v1/translate"),
        ("write", "post", "/api/v1/titles/understand"),
    ]


def _send(world, who: str, method: str, url: str, raw: str | bytes):
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    return getattr(world[who], method)(url, data=data, content_type="application/json")


def test_json_nested_1000_deep_is_400_on_every_json_endpoint(world):
    for who, method, url in _endpoints(world):
        response = _send(world, who, method, url, NESTED_1000)
        assert response.status_code == 400, (method, url, response.content[:200])
        assert response.json()["code"] == "nesting_too_deep"
        nested_in_field = '{"name": ' + "[" * 40 + "]" * 40 + "}"
        response = _send(world, who, method, url, nested_in_field)
        assert response.status_code == 400, (method, url, response.content[:200])


def test_a_surrogate_in_a_field_or_key_is_400_naming_the_place(world):
    companies = Company.objects.count()
    response = _send(world, "write", "post", "/api/v1/companies/", '{"slug": "s-co", "name": "Bad \\ud800 name"}')
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_text"
    assert body["errors"][0]["field"] == "name"
    response = _send(world, "write", "post", "/api/v1/companies/", '{"slug": "s-co", "\\udfff": 1}')
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_text"
    doc = '{"levels": [{"title": "PM"}, {"title": "Senior \\u0000 PM"}]}'
    response = _send(world, "write", "put", "/api/v1/companies/globex/ladders/product-management/", doc)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "levels[1].title"
    assert Company.objects.count() == companies


def test_one_bad_title_fails_alone_and_the_batch_is_answered(world):
    titles = ["Senior Product Manager", "Senior \ud800 PM", "Principal Product Manager", "Null\x00 PM"] * 2500
    body = json.dumps({"source": "globex", "target": "reference", "titles": titles})  # escapes the surrogate
    response = _send(world, "write", "post", "/api/v1/translate", body)
    assert response.status_code == 200, response.content[:300]
    results = response.json()["results"]
    assert len(results) == 10_000
    assert results[0]["error"] is None and results[2]["error"] is None
    assert results[1]["error"]["code"] == "invalid_text"
    assert results[3]["error"]["code"] == "invalid_text"
    assert response.json()["summary"]["translated"] == 5000
    understood = _send(world, "write", "post", "/api/v1/titles/understand", json.dumps({"titles": titles[:4]}))
    assert understood.status_code == 200, understood.content[:300]
    assert [r["error"]["code"] if r["error"] else None for r in understood.json()["results"]] == [
        None,
        "invalid_text",
        None,
        "invalid_text",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/companies/a%00b/",
        "/api/v1/companies/a%00b/history/",
        "/api/v1/companies/a%00b/ladders/product-management/",
        "/api/v1/frameworks/a%00b/",
        "/api/v1/levels/?company=a%00b",
        "/api/v1/aliases/?framework=a%00b",
        "/api/v1/translate?source=a%00b&target=reference&title=PM",
        "/api/v1/career-path?company=a%00b&title=PM",
        "/api/v1/companies/?a%00=1",
    ],
)
def test_nul_in_a_path_or_query_is_400(world, url):
    response = world["write"].get(url)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "invalid_text"


def test_over_long_uris_and_headers_get_json_errors(world):
    response = world["write"].get("/api/v1/companies/?name=" + "x" * 8100)
    assert response.status_code == 414
    assert response.json()["code"] == "uri_too_long"
    response = world["write"].get("/api/v1/companies/", HTTP_X_BIG="y" * 9000)
    assert response.status_code == 431
    assert response.json()["errors"][0]["field"] == "X-Big"
    many = {f"HTTP_X_H{i}": "1" for i in range(120)}
    response = world["write"].get("/api/v1/companies/", **many)
    assert response.status_code == 431
    assert response.json()["code"] == "too_many_headers"


# --- Arbitrary JSON to every JSON endpoint ----------------------------------------------------------

_ODD_TEXT = st.sampled_from(["\ud800", "a\x00b", "\udfff\ud800", "\x00", "Senior \ud83d PM", "\u202e", ""])
_TEXT = st.one_of(st.text(max_size=40), _ODD_TEXT)
_NUMBER = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.just(10**4000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just(1e308),
)
_SCALAR = st.one_of(st.none(), st.booleans(), _NUMBER, _TEXT)
_KEYS = [
    "slug",
    "name",
    "title",
    "titles",
    "code",
    "levels",
    "aliases",
    "rank",
    "scale_from",
    "scale_to",
    "reference_level",
    "track",
    "source",
    "target",
    "company",
    "framework",
    "level",
    "valid_from",
    "valid_to",
    "reference_levels",
    "position",
    "is_public",
    "external_id",
]

_JSON = st.recursive(
    _SCALAR,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.one_of(_TEXT, st.sampled_from(_KEYS)), children, max_size=5)
    ),
    max_leaves=25,
)


def _deep(depth: int) -> str:
    return '{"titles": ' + "[" * depth + '"x"' + "]" * depth + "}"


_BODY = st.one_of(
    _JSON.map(lambda v: json.dumps(v, ensure_ascii=False)),
    st.integers(min_value=20, max_value=3000).map(_deep),
    st.just('{"rank": ' + "9" * 5000 + "}"),
    st.just('{"scale_from": 1e999}'),
    st.just('{"title": NaN}'),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_arbitrary_json_never_causes_a_500(world, data):
    who, method, url = data.draw(st.sampled_from(_endpoints(world)), label="endpoint")
    raw = data.draw(_BODY, label="body")
    response = _send(world, who, method, url, raw)
    assert response.status_code < 500, (method, url, raw[:200], response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
