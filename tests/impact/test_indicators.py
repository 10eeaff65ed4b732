"""The indicators against values computed by hand on a small fixed data set."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocity.impact import selectors
from cocity.impact.selectors import Filters
from cocity.pacts import services as pact_services
from cocity.pacts.models import Status
from cocity.programmes.services import funding_set, programme_create
from cocity.reports.services import activity_log_add, report_review
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.pacts.factories import Cast, PactFactory
from tests.reports.factories import ActivityLogFactory, ReportFactory


@pytest.fixture
def data(torino):
    """Four proposals: A signed (by an association), B rejected, C only submitted, D in
    co-design. A has two activity entries, two supports and a programme's funding."""
    cast = Cast(torino)
    rep = UserFactory()
    association = OrganisationFactory(representative=rep, municipality=torino)
    a = PactFactory(cast=cast, status=Status.CO_DESIGN, proponent=rep)
    # The association proposed it (set directly: the walk proposes as a private citizen).
    a.proponent_organisation = association
    a.save(update_fields=["proponent_organisation"])
    a.parties.filter(role="proponent").update(organisation=association)
    pact_services.support_add(
        actor=cast.office,
        pact=a,
        kind="tools",
        description="Attrezzi",
        estimated_value=Decimal("100"),
    )
    pact_services.support_add(
        actor=cast.office,
        pact=a,
        kind="materials",
        description="Piante",
        estimated_value=Decimal("200.50"),
    )
    a = pact_services.pact_transition(actor=cast.manager, pact=a, action="approve")
    a = cast.sign_all(a)
    ActivityLogFactory(
        pact=a,
        actor=rep,
        hours=Decimal("3"),
        volunteers=2,
        people_reached=10,
        money_spent=Decimal("20"),
    )
    ActivityLogFactory(
        pact=a,
        actor=rep,
        activity="Festa",
        hours=Decimal("4.5"),
        volunteers=5,
        people_reached=5,
        money_raised=Decimal("30"),
    )
    programme = programme_create(
        actor=None,
        municipality=torino,
        name="Co-City",
        funder="UIA",
        budget=Decimal("5100000"),
        start_date=dt.date(2017, 1, 1),
    )
    funding_set(actor=None, programme=programme, pact=a, amount=Decimal("1000"))
    PactFactory(cast=cast, status=Status.REJECTED)
    PactFactory(cast=cast, status=Status.SUBMITTED)
    PactFactory(cast=cast, status=Status.CO_DESIGN)
    return cast, a, programme


@pytest.mark.django_db
def test_indicators_match_hand_computed_values(data):
    cast, a, programme = data
    result = selectors.city_indicators(municipality=cast.municipality)

    assert dict(result["by_status"]) == {"active": 1, "rejected": 1, "submitted": 1, "co_design": 1}
    assert result["funnel"] == [("proposals", 4), ("co_design", 2), ("signed", 1)]
    assert result["conversion"] == 25.0
    assert result["running"] == 1
    assert result["organisations"] == 1
    assert result["citizens"] == 3  # the proponents of B, C and D, private citizens
    # No report accepted yet: what the parties recorded is provisional (decision 0019).
    assert result["hours"] == 0 and result["people_reached"] == 0
    assert result["provisional"] == {
        "hours": Decimal("7.5"),
        "people_reached": 15,
        "euros_citizens": Decimal("50"),
    }
    assert result["euros_city_supports"] == Decimal("300.50")
    assert result["euros_city_programmes"] == Decimal("1000")
    assert result["euros_city"] == Decimal("1300.50")
    assert result["euros_citizens"] == 0
    assert result["commons_under_care"] == 1
    assert result["signed_by_year"] == [(timezone.localdate().year, 1)]
    assert selectors.programme_totals(municipality=cast.municipality) == [
        {
            "id": programme.pk,
            "name": "Co-City",
            "funder": "UIA",
            "budget": Decimal("5100000"),
            "projects": 1,
            "organisations": 1,
            "euros": Decimal("1000"),
        }
    ]


@pytest.mark.django_db
def test_filters_narrow_the_figures(data):
    cast, a, programme = data

    funded = selectors.city_indicators(
        municipality=cast.municipality, filters=Filters(programme=programme.pk)
    )
    future = selectors.city_indicators(
        municipality=cast.municipality, filters=Filters(year_from=2099)
    )

    assert funded["funnel"] == [("proposals", 1), ("co_design", 1), ("signed", 1)]
    assert future["funnel"] == [("proposals", 0), ("co_design", 0), ("signed", 0)]
    assert future["hours"] == 0


@pytest.mark.django_db
def test_median_days_per_step(torino):
    cast = Cast(torino)
    start = timezone.now() - dt.timedelta(days=60)
    for days in (2, 4, 10):
        pact = PactFactory(cast=cast)
        pact = pact_services.pact_transition(
            actor=pact.proponent, pact=pact, action="submit", at=start
        )
        pact_services.pact_transition(
            actor=cast.office, pact=pact, action="publish", at=start + dt.timedelta(days=days)
        )

    medians = {
        s: (d, n) for s, d, n in selectors.city_indicators(municipality=torino)["median_days"]
    }

    assert medians["submitted"] == (4.0, 3)
    assert medians["evaluation"] == (None, 0)


@pytest.mark.django_db
def test_observatory_rows_and_national_total(data, reggio):
    cast, a, programme = data
    PactFactory(cast=Cast(reggio), status=Status.SUBMITTED)

    result = selectors.observatory()

    rows = {r["slug"]: r for r in result["rows"]}
    assert rows["torino"]["proposals"] == 4 and rows["torino"]["signed"] == 1
    assert rows["reggio-emilia"]["proposals"] == 1 and rows["reggio-emilia"]["signed"] == 0
    assert result["total"]["proposals"] == 5
    assert result["total"]["hours"] == 0  # provisional: no report accepted yet
    assert result["total"]["conversion"] == 20.0


@pytest.mark.django_db
def test_a_write_refreshes_the_cached_figures(data, django_capture_on_commit_callbacks):
    cast, a, programme = data
    before = selectors.city_indicators(municipality=cast.municipality)["provisional"]["hours"]

    with django_capture_on_commit_callbacks(execute=True):
        activity_log_add(
            actor=a.proponent_organisation.memberships.first().user,
            pact=a,
            date=timezone.localdate(),
            activity="Altro",
            hours=Decimal("1"),
        )

    after = selectors.city_indicators(municipality=cast.municipality)["provisional"]["hours"]
    assert after == before + 1


@pytest.mark.django_db
def test_activity_counts_once_the_office_accepts_the_report_of_its_period(
    torino, django_capture_on_commit_callbacks
):
    cast = Cast(torino)
    entry = ActivityLogFactory(
        pact__cast=cast, date=timezone.localdate() - dt.timedelta(days=300), hours=Decimal("6")
    )
    pact = entry.pact
    ActivityLogFactory(pact=pact, hours=Decimal("2"))  # today: a period not ended yet
    figures = selectors.city_indicators(municipality=torino)
    assert (figures["hours"], figures["provisional"]["hours"]) == (0, Decimal("8"))

    with django_capture_on_commit_callbacks(execute=True):
        report = ReportFactory(pact=pact)
        assert report.period_start <= entry.date <= report.period_end
        assert selectors.city_indicators(municipality=torino)["hours"] == 0  # only submitted
        report_review(actor=cast.office, report=report, accept=True)

    figures = selectors.city_indicators(municipality=torino)
    assert (figures["hours"], figures["provisional"]["hours"]) == (Decimal("6"), Decimal("2"))
    assert selectors.observatory()["total"]["hours"] == Decimal("6")


def _cold_queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_pacts_and_activity(client, data):
    cast, a, programme = data
    urls = ["/torino/impact/", "/", "/api/v1/torino/impact", "/api/v1/impact"]
    small = {u: _cold_queries(client, u) for u in urls}
    warm = dict.fromkeys(urls, 0)

    rep = a.proponent_organisation.memberships.first().user
    ActivityLogFactory.create_batch(30, pact=a, actor=rep)
    for status in (Status.ACTIVE, Status.REJECTED, Status.SUBMITTED, Status.CONSULTATION) * 3:
        PactFactory(cast=cast, status=status)

    assert {u: _cold_queries(client, u) for u in urls} == small
    for url in urls:  # and once computed, the figures come from the cache
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        warm[url] = len(ctx.captured_queries)
    assert all(warm[u] < small[u] for u in urls)
