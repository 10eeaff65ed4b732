"""One definition per figure (issue #13, item 13): the same word counts the same thing on the
city's home, the national view and the impact pages, and each figure says what it counts."""

import datetime as dt

import pytest
from django.utils import timezone

from cocity.pacts import services
from cocity.pacts.models import Pact, Status
from tests.accounts.factories import UserFactory
from tests.pacts.factories import Cast, PactFactory


def _card(html: str, label: str) -> str:
    """The value shown on the figure card with ``label``."""
    before = html.split(f'<span class="figure-label">{label}</span>')[0]
    return before.rsplit('<span class="figure-value">', 1)[1].split("</span>")[0].strip()


@pytest.fixture
def pacts(torino):
    cast = Cast(torino)
    for status in (Status.SUBMITTED, Status.ACTIVE, Status.SUSPENDED, Status.CONCLUDED):
        PactFactory(cast=cast, status=status)
    # A pact that was signed before the city joined, from its register: no signature event.
    imported = Pact(
        municipality=torino,
        title="Cura del parco Ruffini",
        proponent=UserFactory(),
        start_date=dt.date(2024, 3, 1),
        end_date=dt.date(2027, 3, 1),
        duration_months=36,
    )
    services.pact_import_new(
        imported,
        status=Status.ACTIVE,
        actor=None,
        now=timezone.now(),
        submitted=timezone.now() - dt.timedelta(days=900),
        note="",
        data={},
    )
    return cast


@pytest.mark.django_db
def test_the_city_home_names_each_stage_and_says_what_it_counts(client, pacts):
    html = client.get("/torino/").content.decode()
    assert _card(html, "Proposte in esame") == "1"
    assert _card(html, "Patti in corso") == "3"  # active, suspended, imported active
    assert _card(html, "Chiusi") == "1"
    assert "Firmati e in corso: attivi o sospesi." in html
    assert "Inviate all&#x27;ufficio e non ancora decise" in html


@pytest.mark.django_db
def test_the_impact_page_counts_pacts_in_force_and_signed_as_the_national_view(client, pacts):
    dashboard = client.get("/torino/impact/").content.decode()
    assert _card(dashboard, "Patti in corso") == "3"
    assert "Firmati da tutte le parti, compresi i patti che nel frattempo si sono chiusi." in (
        dashboard
    )
    # The funnel: 5 proposals submitted, 4 admitted here (the imported one never was), 4
    # signed (the imported one counts: it has a term, like every signed pact).
    assert "Proposte presentate" in dashboard
    national = client.get("/").content.decode()
    assert "Proposte in esame" in national and "Proposte presentate" in national
    row = national.split('href="/torino/">Torino</a>')[-1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row.split('<td class="text-end">')[1:]]
    assert cells[:3] == ["5", "4", "3"]  # submitted, signed, in force
    assert "Tutte le proposte inviate all&#x27;ufficio, qualunque sia stato il loro esito." in (
        national
    )


@pytest.mark.django_db
def test_the_dashboard_conversion_counts_the_imported_signed_pact(client, pacts):
    dashboard = client.get("/torino/impact/").content.decode()
    # 4 signed of 5 submitted.
    assert _card(dashboard, "Proposte diventate patti") == "80,0%"
