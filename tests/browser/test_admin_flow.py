"""An HR admin's afternoon in the admin, in a real browser: a new company, its ladder, aliases, history."""

from __future__ import annotations

from pathlib import Path

import pytest

from ladder.choices import MemberRole
from ladder.fixtures_loader import CATALOG_PATH, load_catalog_fixtures, load_reference_fixtures
from ladder.models import Membership
from tests.browser.conftest import log_in, screenshot
from tests.factories import OrganizationFactory, UserFactory

SAMPLE = Path(__file__).parent.parent / "data" / "catalog_sample.json"
PASSWORD = "a-long-test-password-2"


@pytest.fixture
def hr_admin(transactional_db):
    load_reference_fixtures()
    load_catalog_fixtures(path=CATALOG_PATH if CATALOG_PATH.exists() else SAMPLE)
    user = UserFactory(username="hr", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    org = OrganizationFactory(slug="initrode-hr", name="Initrode HR")
    Membership.objects.create(organization=org, user=user, role=MemberRole.EDITOR)
    return user


def _fill_level(page, row: int, **values) -> None:
    prefix = f"#id_levels-{row}-"
    for name in ("rank", "title", "code", "scale_from", "scale_to"):
        if name in values:
            page.fill(prefix + name, str(values[name]))
    if "track" in values:
        page.select_option(prefix + "track", values["track"])
    if "reference" in values:
        page.select_option(prefix + "reference_level", label=values["reference"])


def test_hr_admin_builds_a_ladder_and_compares_it(page, live_server, hr_admin):
    log_in(page, "hr", PASSWORD)

    # 1. A new company of their organization.
    page.goto("/admin/ladder/company/add/")
    page.locator("#id_name").press_sequentially("Initech")
    assert page.input_value("#id_slug") == "initech"  # filled in from the name as they type
    page.select_option("#id_organization", label="Initrode HR")
    page.select_option("#id_size_band", "midsize")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    # 2. Its ladder, with three levels added inline; two without an anchor.
    page.goto("/admin/ladder/ladder/add/")
    page.select_option("#id_company", label="Initech")
    page.select_option("#id_framework", label="Product Management")
    for _ in range(3):
        page.click("#levels-group .add-row a")
    _fill_level(page, 0, rank=1, title="Product Manager", code="P2", track="ic", reference="2 · Product Manager")
    _fill_level(page, 1, rank=2, title="Senior Product Manager", code="P3", track="ic")
    _fill_level(page, 2, rank=3, title="Head of Product", track="management", scale_from=3.5, scale_to=6.5)
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    # 3. The anchors: explicit where chosen, inferred (and marked) where left empty; spans shown.
    rows = page.locator("#levels-group tr.has_original")
    assert rows.count() == 3
    senior = rows.nth(1)
    assert senior.locator("td.field-anchor_kind").inner_text().strip() == "inferred"
    assert senior.locator("select[name$=reference_level] option:checked").inner_text() == "3 · Senior Product Manager"
    assert senior.locator("td.field-span").inner_text().strip() == "2.5–3.5"
    assert rows.nth(0).locator("td.field-anchor_kind").inner_text().strip() == "explicit"
    assert rows.nth(2).locator("td.field-span").inner_text().strip() == "3.5–6.5"
    # The same through the API (with the admin session): what the page shows is what is stored.
    levels = page.request.get("/api/v1/levels/?company=initech").json()["results"]
    stored = {lv["title"]: (lv["anchor"], lv["reference_level"]) for lv in levels}
    assert stored["Senior Product Manager"] == ("inferred", "senior-pm")
    assert stored["Product Manager"] == ("explicit", "pm")
    # The chart above the table, drawn by the same component as /compare/, and a table that fits.
    assert page.locator("#ladder-scale svg.ladder-chart g.box").count() == 8 + 3
    assert page.locator('#ladder-scale g.box.inferred[data-scale-from="2.5"]').count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    table = page.locator("#levels-group table").bounding_box()
    assert table["x"] + table["width"] <= 1400
    screenshot(page, "admin-ladder-page")
    page.locator("#levels-group").scroll_into_view_if_needed()
    screenshot(page, "admin-levels-table")

    # 4. An alias, added inline on the level's page.
    senior.locator("a.inlinechangelink").click()
    page.wait_for_selector("#aliases-group")
    page.click("#aliases-group .add-row a")
    page.fill("#id_aliases-0-title", "Sr. PM")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    aliases = page.request.get("/api/v1/aliases/?company=initech").json()["results"]
    assert [a["title"] for a in aliases] == ["Sr. PM"]

    # 5. The history: every change, credited to the HR admin.
    page.goto("/admin/ladder/company/")
    page.click("text=Initech")
    page.click("text=Every change to this company and its ladders")
    history = page.locator("#result_list").inner_text()
    assert "Sr. PM" in history and "Head of Product" in history and "user:hr" in history
    records = page.request.get("/api/v1/companies/initech/history/?object_type=alias").json()["results"]
    assert [(r["action"], r["actor"]) for r in records] == [("create", "user:hr")]
    screenshot(page, "admin-history")

    # 6. Compare it with a catalog company, from the company page.
    page.go_back()
    page.click("text=Compare with…")
    page.wait_for_selector("svg.ladder-chart g.box")
    catalog_slug = page.locator("input[name=companies]").first.get_attribute("value")
    page.check(f'input[name=companies][value="{catalog_slug}"]')
    page.click("form.picker button[type=submit]")
    page.wait_for_selector(f'svg.ladder-chart g.column[data-column="{catalog_slug}"]')
    columns = page.eval_on_selector_all("svg.ladder-chart g.column", "gs => gs.map(g => g.dataset.column)")
    assert columns[0] == "reference" and set(columns[1:]) == {"initech", catalog_slug}
    head = page.locator('g.column[data-column="initech"] g.box[data-scale-to="6.5"]')
    assert head.get_attribute("data-scale-from") == "3.5"
    head.locator("rect").click()
    assert page.locator("svg.ladder-chart g.box.is-target").count() == 2
    screenshot(page, "compare-new-company-with-catalog")
    assert page.watch.failures == []
