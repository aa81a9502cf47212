"""Browser tests: Debian's Chromium driven by Playwright against the live Django server and the built PWA."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import PASSWORD, require

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 412, "height": 915}
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "screens"


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright():
    """Playwright's sync API runs an event loop in the test's thread; the tests' own ORM calls (and the
    database set-up around each test) are still plain synchronous code, which Django would otherwise
    refuse there. Only while a browser-test module runs: the driver stops at the module's end."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def playwright_driver():
    require(Path(CHROMIUM).exists(), "Debian's Chromium (/usr/bin/chromium)")
    require((Path(settings.FRONTEND_DIST) / "index.html").exists(), "the built PWA (make test builds it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


def launch_phone(
    driver, profile_dir, base_url: str, *, viewport=PHONE, locale="en-GB", timezone_id="Europe/Berlin"
):
    """A persistent browser profile at phone size (Chromium calls an incognito context uninstallable)."""
    context = driver.chromium.launch_persistent_context(
        user_data_dir=str(profile_dir),
        executable_path=CHROMIUM,
        args=CHROMIUM_FLAGS,
        viewport=viewport,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=base_url,
        locale=locale,
        timezone_id=timezone_id,
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def phone(playwright_driver, tmp_path, live_server):
    context = launch_phone(playwright_driver, tmp_path / "profile", live_server.url)
    yield context
    context.close()


@pytest.fixture
def desktop(playwright_driver, tmp_path, live_server):
    context = playwright_driver.chromium.launch_persistent_context(
        user_data_dir=str(tmp_path / "desktop-profile"),
        executable_path=CHROMIUM,
        args=CHROMIUM_FLAGS,
        viewport={"width": 1366, "height": 900},
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/Berlin",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def screenshot(page, name: str) -> Path:
    """Saved as a test artifact, for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page) -> list[dict]:
    """Serious and critical accessibility violations on the page, found by axe-core."""
    axe = Path(settings.BASE_DIR) / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
    require(axe.exists(), "axe-core (a dev dependency of the PWA)")
    # Evaluated, not added as a <script>: the app's content security policy rightly refuses inline scripts.
    page.evaluate(axe.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": violation["id"], "impact": violation["impact"], "nodes": len(violation["nodes"])}
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def signed_in_on_today(context, email: str, *, viewport: dict | None = None):
    """A new page of this browser, signed in as `email` (the test password) and on Today."""
    page = context.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    page.goto("/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_test_id("quick-cramp").wait_for()
    return page
