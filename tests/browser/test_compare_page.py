"""The comparison chart in a real browser: boxes where the spans say, labels inside their boxes, clicks."""

from __future__ import annotations

from pathlib import Path

import pytest

from ladder.choices import MemberRole
from ladder.fixtures_loader import CATALOG_PATH, load_catalog_fixtures, load_reference_fixtures
from ladder.models import Membership
from tests.browser.conftest import log_in, screenshot
from tests.factories import OrganizationFactory, UserFactory

SAMPLE = Path(__file__).parent.parent / "data" / "catalog_sample.json"
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def catalog_three(transactional_db):
    """Three catalog companies (the committed catalog, or the small test catalog when it is absent)."""
    load_reference_fixtures()
    companies = load_catalog_fixtures(path=CATALOG_PATH if CATALOG_PATH.exists() else SAMPLE)
    chosen = [c for c in companies if c.ladders.get().levels.filter(is_active=True).count() >= 3][:3]
    assert len(chosen) == 3
    return [c.slug for c in chosen]


@pytest.fixture
def hr_user(transactional_db):
    """A staff member of a tenant with no companies: the public catalog is all they can read."""
    user = UserFactory(username="reader", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    Membership.objects.create(organization=OrganizationFactory(slug="reader-org"), user=user, role=MemberRole.VIEWER)
    return user


def _boxes(page) -> list[dict]:
    return page.eval_on_selector_all(
        "svg.ladder-chart g.box",
        """gs => gs.map(g => {
            const r = g.querySelector('rect').getBoundingClientRect();
            return {id: g.dataset.box, from: parseFloat(g.dataset.scaleFrom), to: parseFloat(g.dataset.scaleTo),
                    top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                    classes: g.getAttribute('class'),
                    conf: g.querySelector('.conf').textContent,
                    texts: [...g.querySelectorAll('text')].filter(t => t.textContent.trim())
                        .map(t => { const b = t.getBoundingClientRect();
                                    return {text: t.textContent, top: b.top, bottom: b.bottom,
                                            left: b.left, right: b.right}; })};
        })""",
    )


def _overlap(a: dict, b: dict) -> bool:
    return min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5 and (
        min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5
    )


def test_three_catalog_companies_on_one_scale(page, live_server, catalog_three, hr_user):
    log_in(page, "reader", PASSWORD)
    page.goto(f"/compare/?companies={','.join(catalog_three)}")
    page.wait_for_selector("svg.ladder-chart g.box")
    columns = page.eval_on_selector_all("svg.ladder-chart g.column", "gs => gs.map(g => g.dataset.column)")
    assert columns == ["reference", *catalog_three]
    boxes = _boxes(page)
    api = page.request.get(f"/api/v1/compare?companies={','.join(catalog_three)}").json()
    spans = {b["id"]: (b["scale_from"], b["scale_to"]) for c in api["columns"] for b in c["boxes"]}
    assert {b["id"]: (b["from"], b["to"]) for b in boxes} == spans  # the page draws the API's data

    # One vertical scale for every column: fit it on the reference column's two extreme rungs, then
    # every box's top and bottom must sit where its span says (1 px inset, 2 px tolerance).
    reference = sorted((b for b in boxes if b["id"].startswith("reference:")), key=lambda b: b["from"])
    low, high = reference[0], reference[-1]
    px_per_unit = ((low["bottom"] + 1) - (high["top"] - 1)) / (high["to"] - low["from"])
    assert px_per_unit > 40  # readable: a rung is taller than two lines of text

    def y(scale: float) -> float:
        return (low["bottom"] + 1) - (scale - low["from"]) * px_per_unit

    for box in boxes:
        assert abs(box["top"] - (y(box["to"]) + 1)) < 2, box
        assert abs(box["bottom"] - (y(box["from"]) - 1)) < 2, box

    # No label leaves its box or runs into another label; boxes in one column never overlap.
    for box in boxes:
        for text in box["texts"]:
            assert text["left"] >= box["left"] - 1 and text["right"] <= box["right"] + 1, (box["id"], text)
            assert text["top"] >= box["top"] - 1 and text["bottom"] <= box["bottom"] + 1, (box["id"], text)
        for i, a in enumerate(box["texts"]):
            for b in box["texts"][i + 1 :]:
                assert not _overlap(a, b), (box["id"], a, b)
    for column in columns:
        own = [b for b in boxes if b["id"].split(":")[0] == column]
        for i, a in enumerate(own):
            for b in own[i + 1 :]:
                assert not _overlap(a, b), (a["id"], b["id"])
    names = page.eval_on_selector_all(
        "svg.ladder-chart .colname",
        "ts => ts.map(t => { const b = t.getBoundingClientRect();"
        " return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; })",
    )
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not _overlap(a, b)
    assert page.locator(".legend").inner_text().count("Individual contributor") == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400  # fits a laptop window
    screenshot(page, "compare-three-catalog-companies")

    # Hovering a level outlines its translations; clicking one lights them up in every other column.
    source = next(b for b in boxes if b["id"].startswith(f"{catalog_three[0]}:") and b["from"] >= 2)
    page.hover(f'svg.ladder-chart g.box[data-box="{source["id"]}"] rect')
    assert page.locator("svg.ladder-chart g.box.hover-target").count() == len(columns) - 1
    page.click(f'svg.ladder-chart g.box[data-box="{source["id"]}"] rect')
    page.wait_for_selector("svg.ladder-chart.focused")
    after = {b["id"]: b for b in _boxes(page)}
    assert "is-source" in after[source["id"]]["classes"]
    links = page.request.get(f"/api/v1/compare?companies={','.join(catalog_three)}&links=all").json()["links"]
    best = {link["target"]: link for link in links if link["source"] == source["id"] and link["best"]}
    assert {t.split(":")[0] for t in best} == {c for c in columns if c != catalog_three[0]}
    for target, link in best.items():
        assert "is-target" in after[target]["classes"], target
        assert after[target]["conf"] == f"{link['confidence']:.2f}"
    targets = [b for b in after.values() if "is-target" in b["classes"]]
    assert len(targets) == len(columns) - 1
    assert "translates to" in page.locator("#translations h2").inner_text()
    assert f"focus={source['id'].replace(':', '%3A')}" in page.url or f"focus={source['id']}" in page.url
    screenshot(page, "compare-highlighted-translations")
    assert page.watch.failures == []
    assert page.watch.outside == []  # nothing from a CDN or any other host


def test_the_chart_works_without_javascript(browser, live_server, catalog_three, hr_user):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", "reader")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.goto(f"{live_server.url}/compare/")
        # Choose companies with the plain form, then click a level: both are ordinary links and forms.
        for slug in catalog_three:
            page.check(f'input[name=companies][value="{slug}"]')
        page.click("form.picker button[type=submit]")
        page.wait_for_selector("svg.ladder-chart g.box")
        first = page.locator(f'svg.ladder-chart g.box[data-box^="{catalog_three[1]}:"]').first
        box_id = first.get_attribute("data-box")
        page.locator(f'svg.ladder-chart a.box-link:has(g.box[data-box="{box_id}"])').click()
        page.wait_for_selector("svg.ladder-chart.focused")
        assert "is-source" in page.locator(f'g.box[data-box="{box_id}"]').get_attribute("class")
        assert page.locator("svg.ladder-chart g.box.is-target").count() == len(catalog_three)
        assert page.locator("#translations tbody tr").count() >= len(catalog_three)
    finally:
        context.close()
