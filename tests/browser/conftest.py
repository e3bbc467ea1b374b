"""Playwright driving Debian's Chromium (/usr/bin/chromium) against the live test server.

Browser tests skip when Chromium is missing, unless REQUIRE_BROWSER=1 (CI), where that fails.
A failing test leaves a screenshot in test-results/.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "page" in item.funcargs:
        RESULTS.mkdir(exist_ok=True)
        item.funcargs["page"].screenshot(path=str(RESULTS / f"{item.name}.png"), full_page=True)


@pytest.fixture
def page(browser, live_server, settings, transactional_db):
    settings.IMPORT_SYNC = True
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    # Every browser test also proves the pages pass the Content-Security-Policy.
    violations = []
    page.on("console", lambda msg: _note_csp(violations, msg.text))
    page.on("pageerror", lambda error: _note_csp(violations, str(error)))
    yield page
    context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


CSP_MARKERS = ("Content Security Policy", "Refused to")


def _note_csp(violations, text):
    if any(marker in text for marker in CSP_MARKERS):
        violations.append(text)
