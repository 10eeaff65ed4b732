"""Who may perform each transition: a matrix of actors × every action of the table, through
the service (a refusal changes nothing)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from cocity.accounts.models import StaffRole
from cocity.core.permissions import can
from cocity.pacts import services, workflow
from cocity.pacts.models import Pact, PactEvent, Status
from tests.accounts.factories import UserFactory, staff
from tests.pacts.factories import Cast, PactFactory, meet_guards

ACTORS = [
    "anonymous",
    "citizen",
    "proponent",
    "co_signatory",
    "office",
    "department",
    "manager",
    "executive",
    "other_city_office",
    "platform_admin",
]

PROPONENT = {"proponent"}
OFFICE = {"office", "platform_admin"}
EXPECTED = {
    "submit": PROPONENT,
    "resubmit": PROPONENT,
    "withdraw": PROPONENT,
    "request_info": OFFICE,
    "publish": OFFICE,
    "skip_consultation": OFFICE,
    "close_consultation": OFFICE,
    "reject": OFFICE,
    "admit": OFFICE,
    "send_to_executive": OFFICE,
    "suspend": OFFICE,
    "resume": OFFICE,
    "conclude": OFFICE,
    "terminate": OFFICE,
    "archive": OFFICE,
    "approve": {"manager", "platform_admin"},  # an ordinary pact: its manager approves
    "activate": set(),  # only the last signature activates a pact
    "renew": OFFICE,  # opens the renewal, a new pact in co-design
}
# The approval of a complex pact, from awaiting_approval: the executive.
EXPECTED_COMPLEX_APPROVAL = {"executive", "platform_admin"}


def test_the_matrix_covers_every_action():
    assert set(EXPECTED) == set(workflow.TRANSITIONS)


@pytest.fixture
def world(torino, reggio):
    cast = Cast(torino)
    proponent = UserFactory()
    co_signatory = UserFactory()
    people = {
        "anonymous": AnonymousUser(),
        "citizen": UserFactory(),
        "proponent": proponent,
        "co_signatory": co_signatory,
        "office": cast.office,
        "department": cast.department,
        "manager": cast.manager,
        "executive": cast.executive,
        "other_city_office": staff(municipality=reggio, role=StaffRole.Role.OFFICE),
        "platform_admin": UserFactory(is_platform_admin=True),
    }
    return cast, people


def _source(transition, complex_approval: bool) -> str:
    if complex_approval:
        return Status.AWAITING_APPROVAL
    preferred = [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.INCOMPLETE,
        Status.CONSULTATION,
        Status.EVALUATION,
        Status.CO_DESIGN,
        Status.AWAITING_SIGNATURE,
        Status.ACTIVE,
        Status.SUSPENDED,
    ]
    return next(s for s in preferred if s in transition.sources)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action,complex_approval", [(a, False) for a in workflow.TRANSITIONS] + [("approve", True)]
)
def test_who_may_perform(world, action, complex_approval):
    cast, people = world
    transition = workflow.TRANSITIONS[action]
    source = _source(transition, complex_approval)
    complex_pact = complex_approval or action == "send_to_executive"
    pact = PactFactory(
        cast=cast,
        status=source,
        proponent=people["proponent"],
        complexity="complex" if complex_pact else "ordinary",
    )
    if source in {Status.DRAFT, Status.CO_DESIGN}:
        services.pact_invite_co_signatory(
            actor=people["proponent"], pact=pact, email=people["co_signatory"].email
        )
        pact.refresh_from_db()
    expected = EXPECTED_COMPLEX_APPROVAL if complex_approval else EXPECTED[action]

    for name, user in people.items():
        events = PactEvent.objects.filter(pact=pact).count()
        allowed = can(user, transition.permission, pact)
        assert allowed == (name in expected), (action, name)
        if user.is_anonymous:
            continue
        with transaction.atomic():  # each person tries on the same pact, then it is undone
            candidate = meet_guards(Pact.objects.get(pk=pact.pk), action)
            if allowed:
                result = services.pact_transition(
                    actor=user, pact=candidate, action=action, note="Motivo"
                )
                assert result.status == transition.target
            else:
                with pytest.raises(PermissionDenied):
                    services.pact_transition(
                        actor=user, pact=candidate, action=action, note="Motivo"
                    )
                assert PactEvent.objects.filter(pact=pact).count() == events
                assert Pact.objects.get(pk=pact.pk).status == source
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_views_and_workspace_follow_the_same_predicates(world, client):
    cast, people = world
    draft = PactFactory(cast=cast, status=Status.DRAFT, proponent=people["proponent"])
    co_design = PactFactory(cast=cast, status=Status.CO_DESIGN, proponent=people["proponent"])

    for name, user in people.items():
        if not user.is_anonymous:
            client.force_login(user)
        else:
            client.logout()
        may_see_draft = name in {"proponent"}
        response = client.get(f"/torino/pacts/drafts/{draft.pk}/place/")
        assert (response.status_code == 200) == may_see_draft, name
        workspace = client.get(f"/torino/pacts/{co_design.number}/workspace/")
        may_use = name in {
            "proponent",
            "office",
            "department",
            "manager",
            "executive",
            "platform_admin",
        }
        assert (workspace.status_code == 200) == may_use, (name, workspace.status_code)
