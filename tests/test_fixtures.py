"""The committed fixtures: the reference framework of DESIGN §1 and the demo companies."""

from ladder.fixtures_loader import load_demo_fixtures, load_reference_fixtures
from ladder.models import Company, Level, ReferenceLevel, TitleAlias

EXPECTED = {
    "apm": ("ic", 1, {"pm"}),
    "pm": ("ic", 2, {"senior-pm"}),
    "senior-pm": ("ic", 3, {"group-pm", "principal-pm", "director"}),
    "principal-pm": ("ic", 4, {"director"}),
    "group-pm": ("management", 4, {"director"}),
    "director": ("management", 5, {"vp"}),
    "vp": ("executive", 6, {"cpo"}),
    "cpo": ("executive", 7, set()),
}


def test_reference_framework_matches_the_design(framework):
    levels = {rl.slug: rl for rl in framework.reference_levels.prefetch_related("promotes_to", "proficiencies")}
    assert set(levels) == set(EXPECTED)
    for slug, (track, position, promotes) in EXPECTED.items():
        rl = levels[slug]
        assert (rl.track, rl.position) == (track, position), slug
        assert {p.slug for p in rl.promotes_to.all()} == promotes, slug
        assert rl.summary and len(rl.responsibilities) >= 3, slug
        assert rl.proficiencies.count() >= 5, slug
    focus = [levels[s].focus_hands_on for s in ("apm", "pm", "senior-pm", "director", "vp", "cpo")]
    assert focus == sorted(focus, reverse=True) and focus[0] > focus[-1]


def test_demo_companies_load_and_loading_twice_duplicates_nothing(framework):
    companies = load_demo_fixtures()
    assert len(companies) >= 5
    counts = (Company.objects.count(), Level.objects.count(), TitleAlias.objects.count())
    versions = {c.slug: c.ladders.get().version for c in Company.objects.all()}
    load_reference_fixtures()
    load_demo_fixtures()
    assert (Company.objects.count(), Level.objects.count(), TitleAlias.objects.count()) == counts
    assert {c.slug: c.ladders.get().version for c in Company.objects.all()} == versions
    assert ReferenceLevel.objects.count() == 8


def test_demo_set_has_the_shapes_the_product_needs(demo):
    sizes = {c.size_band for c in demo.values()}
    assert {"startup", "scaleup", "enterprise"} <= sizes
    assert any(c.is_public for c in demo.values())
    startup = next(c for c in demo.values() if c.size_band == "startup")
    startup_levels = list(startup.ladders.get().levels.all())
    assert len(startup_levels) == 3
    assert any(lv.interval and lv.interval[1] - lv.interval[0] > 1.5 for lv in startup_levels)
    enterprise = demo["globex"].ladders.get().levels.all()
    assert enterprise.count() >= 10
    assert {"ic", "management"} <= {lv.track for lv in enterprise if lv.code}
    shared = enterprise.filter(title="Product Manager")
    assert shared.count() >= 2 and all(lv.code for lv in shared)
    assert TitleAlias.objects.filter(valid_to__isnull=False).exists()
