"""The tenancy matrix: every route × method × way of calling gives the intended status, and no answer
ever carries another tenant's private data."""

from __future__ import annotations

import json

import pytest

from ladder.services import AliasInput, LevelInput, ladder_document_put
from tests.conftest import key_client
from tests.factories import CompanyFactory, make_key

CALLERS = ["none", "expired", "revoked", "read_own", "write_own", "write_other", "staff", "operator"]


SECRET_MARK = "Zanzibar-Private"  # appears only in the private company of the other tenant


@pytest.fixture
def world(framework, org, other_org, company, other_public_company):
    """Own company (org), a private and a public company of other_org, each with a ladder."""
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    secret = CompanyFactory(organization=other_org, slug="other-private", name=SECRET_MARK)

    def ladder_for(c, title):
        ladder_document_put(
            company=c,
            framework=framework,
            levels=[
                LevelInput(title="Product Manager", reference_level=refs["pm"]),
                LevelInput(title=title, reference_level=refs["senior-pm"], aliases=[AliasInput(title=f"{title} X")]),
            ],
        )
        return c.ladders.get().levels.get(title=title)

    own_level = ladder_for(company, "Senior Product Manager")
    secret_level = ladder_for(secret, f"{SECRET_MARK} Lead")
    public_level = ladder_for(other_public_company, "Senior Product Manager")
    return {
        "own": company,
        "secret": secret,
        "public": other_public_company,
        "own_level": own_level,
        "secret_level": secret_level,
        "public_level": public_level,
        "own_alias": own_level.aliases.get(),
        "secret_alias": secret_level.aliases.get(),
    }


@pytest.fixture
def clients(
    anon_client,
    expired_client,
    revoked_client,
    read_client,
    write_client,
    other_write_client,
    staff_client,
    operator_client,
):
    return {
        "none": anon_client,
        "expired": expired_client,
        "revoked": revoked_client,
        "read_own": read_client,
        "write_own": write_client,
        "write_other": other_write_client,
        "staff": staff_client,
        "operator": operator_client,
    }


def _expect(unauth, read_own, write_own, write_other, staff, operator=None):
    """Expected statuses; a platform operator (no organization) is answered as plain staff unless given."""
    return {
        "none": unauth,
        "expired": unauth,
        "revoked": unauth,
        "read_own": read_own,
        "write_own": write_own,
        "write_other": write_other,
        "staff": staff,
        "operator": staff if operator is None else operator,
    }


DOC = {"levels": [{"title": "Product Manager", "reference_level": "pm"}]}


# (name, method, url template, body, expected statuses by caller)
ROUTES = [
    ("frameworks list", "get", "/api/v1/frameworks/", None, _expect(401, 200, 200, 200, 200)),
    (
        "frameworks create",
        "post",
        "/api/v1/frameworks/",
        {"slug": "design", "name": "Design"},
        _expect(401, 403, 403, 403, 403, operator=201),
    ),
    ("framework get", "get", "/api/v1/frameworks/product-management/", None, _expect(401, 200, 200, 200, 200)),
    (
        "framework patch",
        "patch",
        "/api/v1/frameworks/product-management/",
        {"description": "Changed."},
        _expect(401, 403, 403, 403, 403, operator=200),
    ),
    ("companies list", "get", "/api/v1/companies/", None, _expect(401, 200, 200, 200, 200)),
    (
        "companies create",
        "post",
        "/api/v1/companies/",
        {"slug": "fresh-co", "name": "Fresh"},
        _expect(401, 403, 201, 201, 403),
    ),
    ("own company get", "get", "/api/v1/companies/{own.slug}/", None, _expect(401, 200, 200, 404, 404)),
    ("own company patch", "patch", "/api/v1/companies/{own.slug}/", {"name": "N"}, _expect(401, 403, 200, 404, 403)),
    ("own company delete", "delete", "/api/v1/companies/{own.slug}/", None, _expect(401, 403, 204, 404, 403)),
    ("secret company get", "get", "/api/v1/companies/{secret.slug}/", None, _expect(401, 404, 404, 200, 404)),
    (
        "secret company patch",
        "patch",
        "/api/v1/companies/{secret.slug}/",
        {"name": "N"},
        _expect(401, 403, 404, 200, 403),
    ),
    ("secret company delete", "delete", "/api/v1/companies/{secret.slug}/", None, _expect(401, 403, 404, 204, 403)),
    ("public company get", "get", "/api/v1/companies/{public.slug}/", None, _expect(401, 200, 200, 200, 200)),
    (
        "public company patch",
        "patch",
        "/api/v1/companies/{public.slug}/",
        {"name": "N"},
        _expect(401, 403, 403, 200, 403),
    ),
    (
        "own ladder get",
        "get",
        "/api/v1/companies/{own.slug}/ladders/product-management/",
        None,
        _expect(401, 200, 200, 404, 404),
    ),
    (
        "own ladder put",
        "put",
        "/api/v1/companies/{own.slug}/ladders/product-management/",
        DOC,
        _expect(401, 403, 200, 404, 403),
    ),
    (
        "own ladder delete",
        "delete",
        "/api/v1/companies/{own.slug}/ladders/product-management/",
        None,
        _expect(401, 403, 204, 404, 403),
    ),
    (
        "secret ladder get",
        "get",
        "/api/v1/companies/{secret.slug}/ladders/product-management/",
        None,
        _expect(401, 404, 404, 200, 404),
    ),
    (
        "secret ladder put",
        "put",
        "/api/v1/companies/{secret.slug}/ladders/product-management/",
        DOC,
        _expect(401, 403, 404, 200, 403),
    ),
    (
        "public ladder put",
        "put",
        "/api/v1/companies/{public.slug}/ladders/product-management/",
        DOC,
        _expect(401, 403, 403, 200, 403),
    ),
    ("levels list", "get", "/api/v1/levels/", None, _expect(401, 200, 200, 200, 200)),
    (
        "levels create own",
        "post",
        "/api/v1/levels/",
        {"company": "{own.slug}", "framework": "product-management", "title": "Principal PM", "rank": 9},
        _expect(401, 403, 201, 404, 403),
    ),
    (
        "levels create secret",
        "post",
        "/api/v1/levels/",
        {"company": "{secret.slug}", "framework": "product-management", "title": "Principal PM", "rank": 9},
        _expect(401, 403, 404, 201, 403),
    ),
    ("own level get", "get", "/api/v1/levels/{own_level.pk}/", None, _expect(401, 200, 200, 404, 404)),
    (
        "own level patch",
        "patch",
        "/api/v1/levels/{own_level.pk}/",
        {"description": "x"},
        _expect(401, 403, 200, 404, 403),
    ),
    (
        "own level put",
        "put",
        "/api/v1/levels/{own_level.pk}/",
        {"company": "{own.slug}", "framework": "product-management", "title": "Senior PM", "rank": 2},
        _expect(401, 403, 200, 404, 403),
    ),
    ("own level delete", "delete", "/api/v1/levels/{own_level.pk}/", None, _expect(401, 403, 204, 404, 403)),
    ("secret level get", "get", "/api/v1/levels/{secret_level.pk}/", None, _expect(401, 404, 404, 200, 404)),
    (
        "secret level patch",
        "patch",
        "/api/v1/levels/{secret_level.pk}/",
        {"description": "x"},
        _expect(401, 403, 404, 200, 403),
    ),
    (
        "public level patch",
        "patch",
        "/api/v1/levels/{public_level.pk}/",
        {"description": "x"},
        _expect(401, 403, 403, 200, 403),
    ),
    ("aliases list", "get", "/api/v1/aliases/", None, _expect(401, 200, 200, 200, 200)),
    (
        "aliases create own",
        "post",
        "/api/v1/aliases/",
        {"level": "{own_level.pk}", "title": "Product Lead"},
        _expect(401, 403, 201, 400, 403),
    ),
    ("own alias get", "get", "/api/v1/aliases/{own_alias.pk}/", None, _expect(401, 200, 200, 404, 404)),
    (
        "own alias patch",
        "patch",
        "/api/v1/aliases/{own_alias.pk}/",
        {"title": "Product Lead"},
        _expect(401, 403, 200, 404, 403),
    ),
    ("own alias delete", "delete", "/api/v1/aliases/{own_alias.pk}/", None, _expect(401, 403, 204, 404, 403)),
    ("secret alias get", "get", "/api/v1/aliases/{secret_alias.pk}/", None, _expect(401, 404, 404, 200, 404)),
]


def _fill(template, world):
    if isinstance(template, str):
        return template.format(**world)
    if isinstance(template, dict):
        out = {}
        for key, value in template.items():
            filled = _fill(value, world)
            out[key] = int(filled) if key == "level" else filled
        return out
    if isinstance(template, list):
        return [_fill(v, world) for v in template]
    return template


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("name", "method", "url", "body", "expected"), ROUTES, ids=[r[0] for r in ROUTES])
def test_tenancy_matrix(world, clients, caller, name, method, url, body, expected):
    client = clients[caller]
    url = _fill(url, world)
    kwargs = {"format": "json"}
    if body is not None:
        kwargs["data"] = _fill(body, world)
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == expected[caller], (name, caller, response.content[:300])
    if response.status_code >= 400:
        payload = response.json()
        assert payload["status"] == response.status_code
        assert isinstance(payload["code"], str) and payload["code"]
    if response.status_code == 401:
        assert response["WWW-Authenticate"].startswith("Api-Key")
    if caller != "write_other" and response.content:
        assert SECRET_MARK not in response.content.decode(), (name, caller)


@pytest.mark.parametrize("caller", ["read_own", "write_own", "staff"])
def test_lists_never_show_another_tenants_private_data(world, clients, caller):
    for url in ["/api/v1/companies/", "/api/v1/levels/", "/api/v1/aliases/", "/api/v1/levels/?company=other-private"]:
        response = clients[caller].get(url)
        assert response.status_code == 200
        assert SECRET_MARK not in json.dumps(response.json())


def test_created_company_belongs_to_the_caller_whatever_the_body_says(world, write_client, org):
    response = write_client.post(
        "/api/v1/companies/",
        {"slug": "mine", "name": "Mine"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["organization"] == org.slug
    sneaky = write_client.post(
        "/api/v1/companies/",
        {"slug": "mine-2", "name": "Mine", "organization": "other-org", "id": 999999},
        format="json",
    )
    assert sneaky.status_code == 201
    assert sneaky.json()["organization"] == org.slug
    assert sneaky.json()["id"] != 999999


def test_a_read_key_may_bulk_translate_but_not_write(demo):
    from ladder.choices import KeyRole
    from ladder.models import Organization

    client = key_client(make_key(Organization.objects.get(slug="demo"), KeyRole.READ)[1])
    body = {"source": "globex", "target": "parallax", "titles": ["Sr. PM"]}
    assert client.post("/api/v1/translate", body, format="json").status_code == 200
    assert client.post("/api/v1/companies/", {"slug": "x", "name": "X"}, format="json").status_code == 403
