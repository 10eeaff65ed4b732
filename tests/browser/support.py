"""What the browser journeys share: the browser's settings, logging in, following a link to
its page, acting in the office, waiting for the map, the screenshots and the accessibility
check."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.servers.basehttp import WSGIServer

from cocity.commons.models import Commons
from cocity.municipalities.models import Municipality
from tests.accounts.factories import PASSWORD
from tests.commons.factories import CommonsFactory

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


class SerialWSGIServer(WSGIServer):
    """The live server for SQLite. There the test database lives in memory and the live
    server's threads share its one connection, which SQLite cannot use from two threads at
    once (pages that fetch two things at a time, like the map, then fail at random): one
    request at a time."""

    def __init__(self, *args, connections_override=None, **kwargs):
        # The server thread itself already uses the shared connection (LiveServerThread.run).
        super().__init__(*args, **kwargs)


# Commons of Turin that the journeys look for: name, kind, longitude, latitude.
CATALOGUE = [
    ("Ex bagni pubblici di via Agliè", Commons.Kind.BUILDING, 7.6943, 45.0895),
    ("Giardino Lamarmora", Commons.Kind.GREEN_AREA, 7.6680, 45.0655),
    ("Scuola primaria Pascoli", Commons.Kind.SCHOOL, 7.6800, 45.0500),
    ("Piazza Foroni", Commons.Kind.SQUARE_STREET, 7.6960, 45.0900),
    ("Casa del Quartiere di San Salvario", Commons.Kind.BUILDING, 7.6810, 45.0560),
]


def add_catalogue(municipality: Municipality, entries=CATALOGUE) -> dict[str, Commons]:
    """The commons of ``entries`` in the municipality's catalogue, by name."""
    return {
        name: CommonsFactory(
            municipality=municipality,
            name=name,
            kind=kind,
            point=(lon, lat),
            address="Torino",
            description="Un bene comune della città.",
        )
        for name, kind, lon, lat in entries
    }


def login(page, user) -> None:
    """Log in as ``user`` (with ``PASSWORD``) from a fresh session."""
    page.context.clear_cookies()
    page.goto(page.base_url + "/account/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/account/profile/")


def navigate(page, locator) -> None:
    """Click something that loads a new page, and wait for that page."""
    with page.expect_navigation():
        locator.click()


def office_action(page, number, label, note="") -> None:
    """Take the action ``label`` on Turin's pact ``number`` from its office page."""
    page.goto(page.base_url + f"/torino/office/pacts/{number}/")
    if note:
        page.get_by_label("Motivazione o nota").fill(note)
    navigate(page, page.get_by_role("button", name=label, exact=True))


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


PHONE_WIDTH = 375


def assert_accessible_at_both_widths(page, label: str) -> None:
    """``assert_accessible`` at the page's desktop width and at a phone's, then back."""
    size = page.viewport_size or {"width": 1280, "height": 900}
    assert_accessible(page, f"{label} (desktop)")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": size["height"]})
    try:
        assert_accessible(page, f"{label} (phone)")
    finally:
        page.set_viewport_size(size)


@contextmanager
def page_without_javascript(browser, live_server) -> Iterator[Any]:
    """A page of a browser context with JavaScript off, at the live server: forms must work
    without it."""
    context = browser.new_context(locale="it-IT", java_script_enabled=False)
    page = context.new_page()
    page.base_url = live_server.url
    try:
        yield page
    finally:
        context.close()
