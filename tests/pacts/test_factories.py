"""The pact factory walks the table as people would: each status is reached through the
transitions of ``workflow.path``, each taken by its person, as the pact's history shows."""

from __future__ import annotations

import pytest

from cocity.pacts import workflow
from cocity.pacts.models import Party, Status

pytestmark = pytest.mark.django_db


def transitions(pact) -> list[tuple[str, int | None]]:
    return [(e.action, e.actor_id) for e in pact.events.exclude(to_status="").order_by("at", "id")]


def test_the_pact_fixture_is_a_draft_of_the_user_on_the_commons_of_the_municipality(
    pact, user, municipality, commons, category
):
    assert (pact.status, pact.proponent, pact.municipality) == (Status.DRAFT, user, municipality)
    assert (pact.commons, pact.category) == (commons, category)
    assert transitions(pact) == [("create", user.pk)]


@pytest.mark.parametrize("pact__status", [Status.ACTIVE])
def test_the_fixture_walks_to_the_status_asked_each_step_by_its_person(pact, user):
    office = pact.events.get(action="publish").actor

    assert pact.status == Status.ACTIVE
    assert [action for action, _actor in transitions(pact)] == [
        "create",
        *workflow.path(Status.ACTIVE),
    ]
    assert pact.events.get(action="submit").actor == user
    assert pact.events.get(action="admit").actor == office
    assert office.staff_roles.get(municipality=pact.municipality).role == "office"
    assert pact.events.get(action="activate").actor is None  # the last signature activates
    assert not pact.parties.filter(signs=True, signed_at__isnull=True).exists()
    assert (
        pact.parties.get(role=Party.Role.CITY).signed_by == pact.events.get(action="approve").actor
    )


def test_a_pact_awaiting_the_executive_is_a_complex_one_approved_by_the_executive(
    pact_factory, cast
):
    pact = pact_factory(cast=cast, status=Status.AWAITING_APPROVAL)

    assert (pact.complexity, pact.municipality) == ("complex", cast.municipality)
    assert pact.events.get(action="send_to_executive").actor == cast.office

    signed = cast.sign_all(
        cast.walk_on(pact_factory(cast=cast, complexity="complex"), Status.AWAITING_SIGNATURE)
    )
    assert signed.status == Status.ACTIVE
    assert signed.events.get(action="approve").actor == cast.executive
