"""Headless Chromium (Debian's package) driven by Playwright against a live server.

Never downloads a browser: the executable is /usr/bin/chromium (or $CHROMIUM). Map tiles are
answered by a stub, since this machine reaches no tile server. What the journeys share besides
these fixtures is in ``tests/browser/support.py``."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.testcases import LiveServerThread

from tests.browser.support import CHROMIUM_FLAGS, TILE_PNG, SerialWSGIServer, chromium_path


def pytest_configure(config):
    # SQLite: one request at a time (``SerialWSGIServer`` says why).
    if connection.vendor == "sqlite":
        LiveServerThread.server_class = SerialWSGIServer


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs it (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    context.route(
        "**/tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE_PNG),
    )
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def torino(transactional_db, torino):
    """Turin, committed where the live server's thread sees it (emptied after the test)."""
    return torino
