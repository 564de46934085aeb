"""The API documentation pages render in a real browser, offline, with no failed request."""

from __future__ import annotations

from tests.browser.conftest import screenshot


def test_swagger_ui_renders_every_operation(page, live_server):
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=30_000)
    page.wait_for_load_state("networkidle")
    tags = page.eval_on_selector_all(".swagger-ui .opblock-tag", "els => els.map(e => e.dataset.tag)")
    assert {"companies", "ladders", "translate", "compare"} <= set(tags)
    assert page.locator(".swagger-ui .opblock").count() >= 25
    assert "/compare/" in page.locator(
        ".swagger-ui .info .markdown, .swagger-ui .info .renderedMarkdown"
    ).first.inner_text() or (page.locator('.swagger-ui .info a[href="/compare/"]').count() == 1)
    screenshot(page, "api-docs-swagger-ui")
    assert page.watch.failures == []
    assert page.watch.outside == []  # served by the app itself: no CDN


def test_redoc_renders(page, live_server):
    page.goto("/api/redoc/")
    page.wait_for_selector("[data-section-id]", timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text().startswith("pmladder API")
    assert page.locator('[data-section-id="tag/compare"]').count() >= 1
    screenshot(page, "api-docs-redoc")
    assert page.watch.failures == []
    assert page.watch.outside == []
