"""/api/v1/companies/: CRUD, filters, archiving, and company slugs that are unique per organization and
reveal nothing about other tenants."""

from __future__ import annotations

from ladder import services
from ladder.models import ChangeRecord, Company, Level, TitleAlias
from ladder.services import LevelInput, ladder_document_put
from ladder.translation.cache import local_snapshots
from tests.conftest import error_of, fields_and_codes
from tests.factories import CompanyFactory

# --- Company slugs: unique per organization, no existence oracle -----------------------------------


def test_creating_a_company_with_another_tenants_private_slug_reveals_nothing(write_client, other_company):
    response = write_client.post("/api/v1/companies/", {"slug": other_company.slug, "name": "Mine"}, format="json")
    assert response.status_code == 201, response.content
    mine = Company.objects.get(pk=response.json()["id"])
    assert mine.organization_id != other_company.organization_id
    # Each tenant keeps reading its own company under the slug.
    assert write_client.get(f"/api/v1/companies/{other_company.slug}/").json()["name"] == "Mine"


def test_a_slug_taken_in_ones_own_organization_is_refused_on_the_slug(write_client, company):
    response = write_client.post("/api/v1/companies/", {"slug": company.slug, "name": "Again"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["errors"][0]["field"], body["errors"][0]["code"]) == ("conflict", "slug", "slug_taken")
    assert body["errors"][0]["message"] == (
        f'The slug "{company.slug}" is taken: slugs are unique within an organization and among public companies.'
    )


def test_own_company_shadows_a_public_one_with_the_same_slug(framework, write_client, org, other_public_company):
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    ladder_document_put(
        company=other_public_company,
        framework=framework,
        levels=[LevelInput(title="Public Senior", reference_level=refs["senior-pm"])],
    )
    response = write_client.post(
        "/api/v1/companies/", {"slug": other_public_company.slug, "name": "Own twin"}, format="json"
    )
    assert response.status_code == 201
    own = Company.objects.get(pk=response.json()["id"])
    ladder_document_put(
        company=own, framework=framework, levels=[LevelInput(title="Own Senior", reference_level=refs["senior-pm"])]
    )
    slug = other_public_company.slug
    assert write_client.get(f"/api/v1/companies/{slug}/").json()["name"] == "Own twin"
    doc = write_client.get(f"/api/v1/companies/{slug}/ladders/product-management/").json()
    assert [lv["title"] for lv in doc["levels"]] == ["Own Senior"]
    levels = write_client.get(f"/api/v1/levels/?company={slug}").json()["results"]
    assert [lv["title"] for lv in levels] == ["Own Senior"]
    answer = write_client.get("/api/v1/translate", {"source": slug, "target": "reference", "title": "Own Senior"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["results"][0]["source_level"]["title"] == "Own Senior"


def test_public_slugs_stay_unique(write_client, other_public_company):
    response = write_client.post(
        "/api/v1/companies/", {"slug": other_public_company.slug, "name": "Twin", "is_public": True}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "slug"
    assert Company.objects.filter(slug=other_public_company.slug).count() == 1


def test_company_crud(write_client, org, framework):
    created = write_client.post(
        "/api/v1/companies/",
        {"slug": "initech", "name": "Initech", "size_band": "midsize", "external_id": "C-9"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["organization"] == org.slug
    got = write_client.get("/api/v1/companies/initech/").json()
    assert got["name"] == "Initech" and got["ladders"] == []
    patched = write_client.patch("/api/v1/companies/initech/", {"is_public": True}, format="json")
    assert patched.json()["is_public"] is True
    assert write_client.delete("/api/v1/companies/initech/").status_code == 204
    assert write_client.get("/api/v1/companies/initech/").status_code == 404
    assert Company.objects.get(slug="initech").archived_at is not None  # archived, not destroyed


def test_company_slug_is_unique(write_client, company):
    response = write_client.post("/api/v1/companies/", {"slug": company.slug, "name": "Again"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("slug", "slug_taken")]
    assert f'"{company.slug}"' in body["errors"][0]["message"]


def test_company_filters_and_ordering(read_client, org, other_public_company):
    CompanyFactory(organization=org, slug="b-co", size_band="startup")
    CompanyFactory(organization=org, slug="a-co", size_band="enterprise")
    slugs = [c["slug"] for c in read_client.get("/api/v1/companies/?ordering=slug").json()["results"]]
    assert slugs == sorted(slugs) and "other-public" in slugs
    public = read_client.get("/api/v1/companies/?is_public=true").json()["results"]
    assert [c["slug"] for c in public] == ["other-public"]
    startups = read_client.get("/api/v1/companies/?size_band=startup").json()["results"]
    assert [c["slug"] for c in startups] == ["b-co"]


def test_deleting_a_company_archives_it_and_restoring_brings_everything_back(write_client, ladder_url, company):
    before = write_client.get(ladder_url).json()
    counts = (Level.objects.count(), TitleAlias.objects.count())
    assert write_client.delete(f"/api/v1/companies/{company.slug}/").status_code == 204
    assert write_client.get(f"/api/v1/companies/{company.slug}/").status_code == 404
    assert write_client.get(ladder_url).status_code == 404
    assert (Level.objects.count(), TitleAlias.objects.count()) == counts
    assert ChangeRecord.objects.filter(object_type="company", action="archive").count() == 1
    services.company_restore(company=Company.objects.get(pk=company.pk))
    after = write_client.get(ladder_url).json()
    assert after == before
    assert ChangeRecord.objects.filter(object_type="company", action="restore").count() == 1


def test_a_renamed_company_answers_under_its_new_slug(write_client, doc, company):
    local_snapshots.clear()
    params = {"source": company.slug, "target": "reference", "title": "Product Manager"}
    assert write_client.get("/api/v1/translate", params).json()["source"] == company.slug
    renamed = write_client.patch(f"/api/v1/companies/{company.slug}/", {"slug": "renamed-co"}, format="json")
    assert renamed.status_code == 200
    params["source"] = "renamed-co"
    assert write_client.get("/api/v1/translate", params).json()["source"] == "renamed-co"


def test_no_company_may_be_called_reference(write_client, org):
    response = write_client.post("/api/v1/companies/", {"slug": "reference", "name": "Ref"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "slug"


def test_company_external_id_taken_names_the_field(write_client, org, company):
    Company.objects.filter(pk=company.pk).update(external_id="CMP-1")
    response = write_client.post("/api/v1/companies/", {"slug": "second", "name": "Second", "external_id": "CMP-1"})
    assert fields_and_codes(error_of(response, 400)) == {("external_id", "duplicate_external_id")}
    other = write_client.post("/api/v1/companies/", {"slug": "third", "name": "Third", "external_id": "CMP-3"})
    response = write_client.patch(f"/api/v1/companies/{other.json()['slug']}/", {"external_id": "CMP-1"})
    assert fields_and_codes(error_of(response, 400)) == {("external_id", "duplicate_external_id")}


def test_whitespace_only_name_is_blank(write_client, org):
    response = write_client.post("/api/v1/companies/", {"slug": "ws", "name": "\x85\u3000"}, format="json")
    assert ("name", "blank") in fields_and_codes(error_of(response, 400))


# --- The list is written from rows: the same JSON as the serializer, in a fixed number of queries --


def test_a_list_page_is_what_the_serializer_writes_for_each_company(write_client, framework, org, other_org):
    from django.db.models import Prefetch
    from django.utils import timezone

    from ladder.api.companies import CompanySerializer
    from ladder.models import Framework, Ladder
    from tests.factories import LadderFactory

    design = Framework.objects.create(slug="a-design", name="Design")  # sorts before product-management
    plain = CompanyFactory(organization=org, slug="plain", size_band="startup")
    synced = CompanyFactory(organization=org, slug="synced", external_id="HR-7", size_band="enterprise")
    LadderFactory(company=synced, framework=framework)
    LadderFactory(company=synced, framework=design)
    retired = LadderFactory(company=plain, framework=framework)
    retired.archived_at = timezone.now()
    retired.save()
    public = CompanyFactory(organization=other_org, slug="public-one", is_public=True)
    LadderFactory(company=public, framework=design)
    gone = CompanyFactory(organization=org, slug="gone")
    services.company_archive(company=gone, if_match=None)

    body = write_client.get("/api/v1/companies/?updated_since=2000-01-01T00:00:00Z&page_size=500").json()
    listed = {item["slug"]: item for item in body["results"]}
    assert set(listed) == {"plain", "synced", "public-one", "gone"}
    assert listed["synced"]["ladders"] == [{"framework": "a-design"}, {"framework": "product-management"}]
    assert listed["plain"]["ladders"] == [] and listed["gone"]["is_archived"] is True
    live = Prefetch("ladders", queryset=Ladder.objects.filter(archived_at__isnull=True).select_related("framework"))
    for company in Company.objects.filter(slug__in=listed).select_related("organization").prefetch_related(live):
        assert listed[company.slug] == CompanySerializer(company).data, company.slug


def test_the_list_runs_the_same_queries_for_one_company_or_a_full_page(write_client, framework, org):
    from tests.conftest import count_queries
    from tests.factories import LadderFactory

    counts = []
    for n in (1, 50):
        while Company.objects.filter(organization=org).count() < n:
            LadderFactory(company=CompanyFactory(organization=org), framework=framework)
        response, count = count_queries(lambda: write_client.get("/api/v1/companies/?page_size=50"))
        assert response.status_code == 200 and response.json()["count"] == n
        counts.append(count)
    assert counts[0] == counts[1], counts
