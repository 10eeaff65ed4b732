"""Headless Chromium (Debian's package) driven by Playwright against a live server.

Never downloads a browser: the executable is /usr/bin/chromium (or $CHROMIUM). Map tiles are
answered by a stub, since this machine reaches no tile server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread


# With SQLite the test database lives in memory and the live server's threads share its one
# connection, which SQLite cannot use from two threads at once (pages that fetch two things
# at a time, like the map, then fail at random). One request at a time there.
class _SerialWSGIServer(WSGIServer):
    def __init__(self, *args, connections_override=None, **kwargs):
        # The server thread itself already uses the shared connection (LiveServerThread.run).
        super().__init__(*args, **kwargs)


if connection.vendor == "sqlite":
    LiveServerThread.server_class = _SerialWSGIServer

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
# A 1×1 transparent PNG for every tile request.
TILE_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


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


def wait_for_map(page, timeout: float = 60_000) -> None:
    """Wait until the map shows at least one marker or cluster (the GeoJSON has arrived)."""
    # A selector, not a JavaScript predicate: the site's CSP forbids eval, which
    # Playwright's string predicates rely on.
    page.wait_for_selector(
        ".leaflet-marker-icon, .leaflet-interactive", state="attached", timeout=timeout
    )


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # Transitions finished: a Leaflet popup fades in, and would be caught half transparent.
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def assert_accessible(page, label: str) -> None:
    """axe-core (WCAG 2.0/2.1 A and AA rules): no violation of serious or critical impact."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
            }
        },
    )
    bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} → "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in bad
    )
    assert not bad, f"axe found serious/critical violations on {label}:\n{details}"
