"""Every page of the real workload (docs/performance.md, "Real workload") makes a bounded
number of queries, for each person who opens it, rendered afresh and with its shared parts
kept (docs/decisions/0022-caching-by-scope.md). The bounds are the project's budget: a page
over it is a regression even if it stays fast on a small database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cocity.pacts.models import Status
from tests.pacts.factories import PactFactory

pytestmark = pytest.mark.django_db

BUDGET = 15  # queries of any page, rendered afresh (docs/performance.md, "Targets")


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def pages(cast, commons_factory):
    """The URLs of the workload, for anonymous visitors, a citizen and the office."""
    pact = PactFactory(cast=cast, status=Status.CONSULTATION, title="Giardino condiviso")
    PactFactory(cast=cast, status=Status.ACTIVE)
    commons = cast.commons
    citizen = pact.proponent
    public = [
        "/",
        "/torino/",
        "/torino/pacts/",
        "/torino/pacts/?stage=pact",
        "/torino/pacts/?q=giardino",
        "/torino/pacts/?page=1",
        f"/torino/pacts/{pact.number}/",
        "/torino/commons/",
        commons.get_absolute_url(),
        "/torino/impact/",
        "/api/v1/torino/pacts",
        "/api/v1/torino/commons.geojson?bbox=7.57,44.99,7.78,45.15&zoom=12",
    ]
    mine = ["/torino/pacts/", f"/torino/pacts/{pact.number}/", "/my/pacts/", "/torino/pacts/new/"]
    office = ["/torino/office/pacts/", f"/torino/office/pacts/{pact.number}/"]
    return {
        "anonymous": (None, public),
        "citizen": (citizen, mine),
        "office": (cast.office, office),
    }


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["anonymous", "citizen", "office"])
def test_every_page_stays_within_the_budget(pages, who):
    user, urls = pages[who]
    client = _client(user)
    for url in urls:
        client.get(url)  # per-process lookups warmed once, as in production
    over = {url: n for url in urls if (n := _queries(client, url)) > BUDGET}
    assert over == {}


@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_kept_parts_leave_few_queries_to_a_pact_page_and_the_registry(pages, who, settings):
    settings.FRAGMENT_CACHE_SECONDS = 600
    user, urls = pages[who]
    pact_page = next(url for url in urls if url.count("/") == 4 and "/pacts/" in url)
    client = _client(user)
    fresh = {url: _queries(client, url) for url in ("/torino/pacts/", pact_page)}
    kept = {url: _queries(client, url) for url in ("/torino/pacts/", pact_page)}
    # The municipality, the page's own rows (the pact, or the registry's count and filters),
    # and for a citizen her session, her roles and her own parts.
    limit = 5 if user is None else 10
    assert all(kept[url] <= limit and kept[url] < fresh[url] for url in kept), (fresh, kept)
