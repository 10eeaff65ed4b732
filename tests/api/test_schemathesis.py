"""Schemathesis against the live OpenAPI schema: for every operation, generated requests get
no server error and every response conforms to the schema; once anonymously, once with an
office's staff token, so that the writes reach the services too."""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from cocity.accounts.services import api_token_create
from cocity.pacts.workflow import TRANSITIONS
from tests.commons.factories import CommonsFactory
from tests.pacts.factories import Cast, PactFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

FUZZING = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
ACTIONS = sorted(TRANSITIONS)


@pytest.fixture
def world(torino, settings):
    """Some data for the generated requests to find, and no anonymous rate limit while fuzzing
    (the write limit stays: its 429 is in the schema). The requests go through the WSGI
    handler, whose end-of-request signal would close the test's database connection (and its
    transaction): detached here, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    settings.API_RATE_LIMIT = 0
    cache.clear()
    CommonsFactory(municipality=torino, name="Ex bagni pubblici")
    cast = Cast(torino)
    cast.pacts = [
        PactFactory(cast=cast, status="active"),
        PactFactory(cast=cast, status="submitted"),
    ]
    yield cast
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _towards_torino(case):
    # Half the time ask for the city that exists, so the happy paths are exercised too.
    if case.path_parameters and "city" in case.path_parameters and len(str(case.query)) % 2:
        case.path_parameters["city"] = "torino"


def _towards_real_data(case, cast):
    """Points the valid generated writes at the token's city and most of them at a pact, a
    category, a commons and an action that exist, so that the services run and answer 200 or
    201. Invalid (negative) cases are left alone: they must still be refused."""
    body = case.body
    if case.meta is None or case.meta.generation.mode.is_negative or not isinstance(body, dict):
        return
    case.path_parameters["city"] = "torino"
    pick = len(str(body))
    if not pick % 4:
        return
    if "number" in case.path_parameters:
        case.path_parameters["number"] = cast.pacts[pick // 2 % len(cast.pacts)].number
        body["action"] = ACTIONS[pick // 4 % len(ACTIONS)]
        if pick % 3:
            body.pop("version", None)
    else:
        body["category"] = cast.category.slug
        body["commons"] = cast.commons.pk
        body["duration_months"] = 1 + pick % 24


@pytest.mark.django_db
@schema.parametrize()
@FUZZING
def test_api_conforms_to_its_schema(case, world):
    _towards_torino(case)
    # The filters are plain strings in the schema and the API answers 400 (naming the
    # parameter) to values it cannot use, so schema-valid requests may be refused: the issue's
    # bar is no server error and no response that breaks the schema (docs/decisions/0005).
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


@pytest.fixture
def staff_token(world):
    _, raw = api_token_create(actor=world.office, municipality=world.municipality, name="Fuzz")
    return raw


@pytest.mark.django_db
@schema.parametrize()
@FUZZING
def test_api_conforms_to_its_schema_with_a_staff_token(case, world, staff_token):
    _towards_torino(case)
    _towards_real_data(case, world)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {staff_token}"},
        excluded_checks=[positive_data_acceptance],
    )


@pytest.mark.django_db
def test_a_refused_write_conforms_to_the_schema(world, staff_token, settings):
    """The write limit's 429 (body and Retry-After) is what the schema promises."""
    settings.WRITE_RATE_LIMIT = "1/m"
    case = schema["/api/v1/{city}/pacts/{number}/transitions"]["POST"].Case(
        path_parameters={"city": "torino", "number": world.pacts[1].number},
        body={"action": "publish"},
        headers={"Authorization": f"Bearer {staff_token}"},
    )
    assert case.call().status_code == 200

    refused = case.call()

    assert refused.status_code == 429
    case.validate_response(refused, excluded_checks=[positive_data_acceptance])
