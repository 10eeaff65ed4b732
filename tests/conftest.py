"""Fixtures for every test: the factories of each app (``tests/<app>/factories.py``) as
fixtures (pytest-factoryboy: ``user`` and ``user_factory``, ``pact`` and ``pact_factory``, …),
the two real cities, the people around Turin's pacts (``cast``) and what a system sends to
the API with a token of theirs (``bearer``, ``propose``)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import translation
from pytest_factoryboy import LazyFixture, register

from cocity.municipalities.models import Municipality
from tests.accounts.factories import (
    ApiTokenFactory,
    OrganisationFactory,
    StaffRoleFactory,
    UserFactory,
)
from tests.commons.factories import CommonsFactory
from tests.municipalities.factories import DistrictFactory, MunicipalityFactory
from tests.pacts.factories import Cast, CategoryFactory, PactFactory
from tests.reports.factories import RUNNING, ActivityLogFactory, ReportFactory

# Each model fixture is made of the others: ``commons``, ``category`` and ``staff_role`` are
# in ``municipality``; ``pact`` is ``user``'s draft there (``pact__status`` to walk it on).
register(MunicipalityFactory)
register(DistrictFactory)
register(UserFactory)
register(OrganisationFactory)
register(StaffRoleFactory)
register(ApiTokenFactory)
register(CommonsFactory)
register(CategoryFactory)
register(
    PactFactory,
    municipality=LazyFixture("municipality"),
    category=LazyFixture("category"),
    commons=LazyFixture("commons"),
)
# An activity and a report need a pact that runs: one of Turin's, signed 400 days ago.
_running = LazyFixture(lambda pact_factory, cast: pact_factory(cast=cast, **RUNNING))
register(ActivityLogFactory, pact=_running)
register(ReportFactory, pact=_running)


@pytest.fixture(autouse=True)
def _isolated(settings):
    """Each test starts with an empty cache and the Italian default."""
    cache.clear()
    translation.activate("it")
    yield
    cache.clear()


@pytest.fixture
def torino(db) -> Municipality:
    """Turin with its real boundary (from the ISTAT reference data)."""
    return MunicipalityFactory(slug="torino", name="Torino", istat_code="001272")


@pytest.fixture
def reggio(db) -> Municipality:
    return MunicipalityFactory(slug="reggio-emilia", name="Reggio Emilia", istat_code="035033")


@pytest.fixture
def cast(torino) -> Cast:
    """The office, manager, executive and department of Turin, its category and commons."""
    return Cast(torino)


@pytest.fixture
def bearer(api_token_factory, cast):
    """``bearer(user)``: the ``Authorization`` header of a new API token of ``user`` (Turin's
    office by default) in Turin, or in ``municipality``."""

    def header(user=None, municipality=None) -> dict[str, str]:
        token = api_token_factory(
            actor=user or cast.office, municipality=municipality or cast.municipality
        )
        return {"Authorization": f"Bearer {token.raw}"}

    return header


@pytest.fixture
def propose(client, cast):
    """``propose(headers, **fields)``: a proposal for Turin's commons sent to the API, each
    of ``fields`` in place of the usual value."""

    def send(headers, **fields):
        body = {
            "title": "Orto dallo sportello",
            "category": cast.category.slug,
            "commons": cast.commons.pk,
            "objectives": "Un orto",
            "activities": "Semina",
            "duration_months": 12,
            **fields,
        }
        return client.post(
            "/api/v1/torino/proposals", body, content_type="application/json", headers=headers
        )

    return send
