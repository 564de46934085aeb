"""Real-browser tests: Playwright for Python driving the system's Chromium against ``live_server``.

No browser is downloaded: Playwright starts the Chromium that Debian packages (``apt-get install
chromium``) at ``/usr/bin/chromium``, or ``PMLADDER_CHROMIUM``. Without it (or without the
``playwright`` package) these tests are skipped with a message saying so; CI sets
``PMLADDER_REQUIRE_BROWSER=1``, which turns that skip into a failure.

Screenshots go to ``PMLADDER_SCREENSHOT_DIR`` (default ``.artifacts/screenshots``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from ladder.translation.cache import local_snapshots

CHROMIUM = os.environ.get("PMLADDER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}
SCREENSHOT_DIR = Path(
    os.environ.get("PMLADDER_SCREENSHOT_DIR") or Path(settings.BASE_DIR) / ".artifacts" / "screenshots"
)

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None


def _missing() -> str | None:
    if sync_playwright is None:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set PMLADDER_CHROMIUM)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    browser_items = [item for item in items if "tests/browser/" in str(item.fspath).replace(os.sep, "/")]
    if reason is None or not browser_items:
        return
    if os.environ.get("PMLADDER_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"Browser tests are required here, but {reason}.")
    marker = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
    for item in browser_items:
        item.add_marker(marker)


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API keeps an event loop running in this thread, and Django refuses ORM calls
    # from a thread with a running loop unless told that this is safe. It is here: the tests and the
    # live server each use the database from their own plain thread, one call at a time.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageWatch:
    """Everything that went wrong while a page was used: failed requests, error answers, script errors."""

    def __init__(self, page, base_url: str) -> None:
        self.base_url = base_url
        self.failures: list[str] = []
        self.outside: list[str] = []
        page.on("requestfailed", lambda r: self.failures.append(f"failed {r.method} {r.url}: {r.failure}"))
        page.on("response", self._response)
        page.on("pageerror", lambda e: self.failures.append(f"script error: {e}"))
        page.on("console", self._console)
        page.on("request", self._request)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        if where.endswith("/favicon.ico"):
            return  # the browser asks for a site icon by itself (the admin pages name none); not a page request
        self.failures.append(f"console {message.type} at {where}: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failures.append(f"{response.status} {response.request.method} {response.url}")

    def _request(self, request) -> None:
        if not request.url.startswith((self.base_url, "data:", "blob:", "about:")):
            self.outside.append(request.url)


@pytest.fixture
def page(browser, live_server):
    local_snapshots.clear()  # the database is emptied between tests; ids come back
    cache.clear()
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.watch = PageWatch(page, live_server.url)
    yield page
    context.close()


def screenshot(page, name: str, **kwargs) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), **kwargs)
    return path


def log_in(page, username: str, password: str) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
