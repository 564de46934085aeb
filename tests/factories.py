"""factory_boy factories for the ladder models."""

import factory
from django.contrib.auth import get_user_model

from ladder.choices import KeyRole, MemberRole, Track
from ladder.models import ApiKey, Company, Ladder, Level, Membership, Organization, TitleAlias
from ladder.services import AliasInput, LevelInput, ladder_document_put


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organization {n}")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    organization = factory.SubFactory(OrganizationFactory)
    slug = factory.Sequence(lambda n: f"company-{n}")
    name = factory.Sequence(lambda n: f"Company {n}")
    size_band = "scaleup"


class LadderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ladder

    company = factory.SubFactory(CompanyFactory)


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level

    ladder = factory.SubFactory(LadderFactory)
    title = factory.Sequence(lambda n: f"Product Role {n}")
    track = Track.IC
    rank = factory.Sequence(lambda n: n + 1)


class TitleAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TitleAlias

    level = factory.SubFactory(LevelFactory)
    title = factory.Sequence(lambda n: f"Alias {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests")


def hr_admin(organization: Organization):
    """An HR admin of one organization: staff (they use the admin), admin role in their organization."""
    user = UserFactory(is_staff=True)
    Membership.objects.create(user=user, organization=organization, role=MemberRole.ADMIN)
    return user


def make_key(organization: Organization, role: str = KeyRole.WRITE, **kwargs) -> tuple[ApiKey, str]:
    return ApiKey.objects.create_key(organization=organization, role=role, name=kwargs.pop("name", "test"), **kwargs)


def make_ladder(company: Company, framework, levels: list[tuple[str, str]]) -> Ladder:
    """A ladder written straight to the database: ``levels`` are (title, reference level slug), in rank order."""
    ladder = Ladder.objects.create(company=company, framework=framework)
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    for rank, (title, ref) in enumerate(levels, start=1):
        Level.objects.create(ladder=ladder, title=title, rank=rank, reference_level=refs[ref])
    return ladder


def make_ladders(organization: Organization, framework, *, companies: int, levels: int, prefix: str) -> list[str]:
    """``companies`` companies, each with a ladder of ``levels`` levels anchored on the framework's
    reference levels in turn; returns their slugs."""
    refs = list(framework.reference_levels.order_by("position", "slug").values_list("slug", flat=True))
    slugs = []
    for c in range(companies):
        company = CompanyFactory(organization=organization, slug=f"{prefix}-{levels}-{c}")
        make_ladder(company, framework, [(f"Role {i}", refs[i % len(refs)]) for i in range(levels)])
        slugs.append(company.slug)
    return slugs


def ladder_with_levels(company: Company, framework, n: int = 3) -> Ladder:
    """A ladder of ``n`` levels anchored on "pm", each with one alias, written through the document service."""
    refs = {rl.slug: rl for rl in framework.reference_levels.all()}
    ladder_document_put(
        company=company,
        framework=framework,
        levels=[
            LevelInput(
                title=f"Product Role {i}",
                code=f"R{i}",
                reference_level=refs["pm"],
                aliases=[AliasInput(title=f"Role Alias {i}")],
            )
            for i in range(n)
        ],
    )
    return company.ladders.get()
