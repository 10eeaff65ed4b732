"""Each form of a pact's pages is sent to an address of its own, whose view calls one service
(issue #12): no view reads an ``action`` field. At each address: what is saved goes back to
the page with a message; what is refused renders the page that holds the form again, as a 400,
with the form's error and the other forms of the page, and saves nothing; a person without the
role gets the 403 page with the reason; a GET of the address goes to the page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from cocity.pacts import services
from cocity.pacts.models import (
    Adhesion,
    Clause,
    Commitment,
    Meeting,
    Observation,
    Opinion,
    Pact,
    Party,
    Status,
    Support,
)
from tests.factories import UserFactory
from tests.pacts.helpers import Cast, walk

EN = {"accept-language": "en"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(torino) -> Cast:
    return Cast(torino)


def page_of(pact: Pact) -> str:
    return f"/torino/pacts/{pact.number}/"


def office_page_of(pact: Pact) -> str:
    return f"/torino/office/pacts/{pact.number}/"


def post(client, url: str, data: dict | None = None):
    return client.post(url, data or {}, headers=EN)


def refused(response, *texts: str) -> str:
    """The page rendered again with the form's errors: a 400 showing each of ``texts``."""
    assert response.status_code == 400, response.status_code
    html = response.content.decode()
    for text in texts:
        assert escape(text) in html, text
    return html


def forbidden(response, reason: str) -> None:
    assert response.status_code == 403, response.status_code
    assert escape(reason) in response.content.decode()


# --- The pact's page ------------------------------------------------------------------------


class TestObservations:
    def test_an_observation_is_published_and_the_page_says_so(self, client, cast):
        pact = walk(cast, Status.CONSULTATION)
        client.force_login(UserFactory())

        response = post(client, f"{page_of(pact)}observations/", {"obs-text": "Bella idea"})

        assert response.status_code == 302 and response["Location"] == page_of(pact)
        assert Observation.objects.get(pact=pact).text == "Bella idea"
        followed = client.get(response["Location"], headers=EN).content.decode()
        assert "Your observation has been published." in followed

    def test_an_empty_observation_is_the_page_again_with_the_error(self, client, cast):
        pact = walk(cast, Status.CONSULTATION)
        client.force_login(UserFactory())

        response = post(client, f"{page_of(pact)}observations/", {"obs-text": "  "})

        html = refused(response, "This field is required.")
        assert 'name="adh-offer"' in html  # the other form of the page is there
        assert f'action="{page_of(pact)}observations/"' in html
        assert not Observation.objects.exists()

    def test_the_service_refusal_goes_on_the_form(self, client, cast):
        pact = walk(cast, Status.CO_DESIGN)
        client.force_login(UserFactory())

        response = post(client, f"{page_of(pact)}observations/", {"obs-text": "Tardi"})

        refused(response)
        assert response.context["observation_form"].non_field_errors() == [
            "Observations are accepted only during the consultation."
        ]
        assert not Observation.objects.exists()

    def test_anonymous_goes_to_the_login_and_back_to_the_page(self, client, cast):
        pact = walk(cast, Status.CONSULTATION)

        response = post(client, f"{page_of(pact)}observations/", {"obs-text": "Bella idea"})

        assert response.status_code == 302
        assert response["Location"] == f"/account/login/?next={page_of(pact)}"
        assert not Observation.objects.exists()

    def test_a_get_of_the_address_goes_to_the_page(self, client, cast):
        pact = walk(cast, Status.CONSULTATION)
        client.force_login(UserFactory())

        response = client.get(f"{page_of(pact)}observations/")

        assert response.status_code == 302 and response["Location"] == page_of(pact)

    def test_the_page_itself_answers_no_post(self, client, cast):
        pact = walk(cast, Status.CONSULTATION)
        client.force_login(UserFactory())

        response = post(client, page_of(pact), {"action": "observe", "obs-text": "Bella idea"})

        assert response.status_code == 405
        assert not Observation.objects.exists()

    def test_the_csrf_token_is_still_required(self, cast):
        pact = walk(cast, Status.CONSULTATION)
        client = Client(enforce_csrf_checks=True)
        client.force_login(UserFactory())

        response = client.post(f"{page_of(pact)}observations/", {"obs-text": "Bella idea"})

        assert response.status_code == 403
        assert not Observation.objects.exists()

    def test_a_pact_of_another_city_is_a_404(self, client, cast, reggio):
        pact = walk(cast, Status.CONSULTATION)
        client.force_login(UserFactory())

        response = post(
            client, f"/reggio-emilia/pacts/{pact.number}/observations/", {"obs-text": "x"}
        )

        assert response.status_code == 404
        assert not Observation.objects.exists()


class TestAdhesions:
    def test_a_request_to_join_is_sent(self, client, cast):
        pact = walk(cast, Status.CONSULTATION)
        citizen = UserFactory()
        client.force_login(citizen)

        response = post(client, f"{page_of(pact)}adhesions/", {"adh-offer": "Due ore"})

        assert response.status_code == 302 and response["Location"] == page_of(pact)
        assert Adhesion.objects.get(pact=pact).user == citizen

    def test_an_empty_offer_is_the_page_again_with_the_error(self, client, cast):
        pact = walk(cast, Status.CONSULTATION)
        client.force_login(UserFactory())

        response = post(client, f"{page_of(pact)}adhesions/", {"adh-offer": ""})

        html = refused(response, "This field is required.")
        assert 'name="obs-text"' in html
        assert not Adhesion.objects.exists()

    def test_asking_twice_is_refused_on_the_form(self, client, cast):
        pact = walk(cast, Status.CONSULTATION)
        client.force_login(UserFactory())
        post(client, f"{page_of(pact)}adhesions/", {"adh-offer": "Due ore"})

        response = post(client, f"{page_of(pact)}adhesions/", {"adh-offer": "Tre ore"})

        refused(response, "You have already asked to join this pact.")
        assert Adhesion.objects.count() == 1


class TestTransitions:
    def test_the_proponent_withdraws_from_the_pact_page(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)
        client.force_login(pact.proponent)
        html = client.get(page_of(pact)).content.decode()
        assert f'action="{page_of(pact)}actions/withdraw/"' in html

        response = post(client, f"{page_of(pact)}actions/withdraw/", {"version": pact.version})

        assert response.status_code == 302 and response["Location"] == page_of(pact)
        assert Pact.objects.get(pk=pact.pk).status == Status.WITHDRAWN

    def test_a_transition_of_another_role_is_refused_with_the_reason(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)
        client.force_login(pact.proponent)

        response = post(client, f"{page_of(pact)}actions/publish/", {"version": pact.version})

        assert response["Location"] == page_of(pact)
        followed = client.get(page_of(pact), headers=EN).content.decode()
        assert escape("You may not perform “Publish for consultation” on this pact.") in followed
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED

    def test_an_unknown_action_changes_nothing(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)
        client.force_login(cast.office)

        response = post(client, f"{page_of(pact)}actions/fly/", {"version": pact.version})

        assert response["Location"] == page_of(pact)
        assert "Unknown action: fly." in client.get(page_of(pact), headers=EN).content.decode()
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED

    def test_anonymous_goes_to_the_login_and_back_to_the_page(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)

        response = post(client, f"{page_of(pact)}actions/withdraw/", {"version": pact.version})

        assert response["Location"] == f"/account/login/?next={page_of(pact)}"
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED


# --- The co-design workspace ---------------------------------------------------------------


def workspace_of(pact: Pact) -> str:
    return f"/torino/pacts/{pact.number}/workspace/"


class TestWorkspaceForms:
    def test_the_page_sends_each_form_to_its_address(self, client, cast):
        pact = walk(cast, Status.CO_DESIGN)
        client.force_login(pact.proponent)

        html = client.get(workspace_of(pact)).content.decode()

        for address in ("meetings/", "commitments/", "supports/", "articles/object/"):
            assert f'action="{workspace_of(pact)}{address}"' in html, address
        assert 'name="action"' not in html

    def test_a_meeting_is_recorded(self, client, cast):
        pact = walk(cast, Status.CO_DESIGN)
        client.force_login(pact.proponent)

        response = post(
            client,
            f"{workspace_of(pact)}meetings/",
            {"meeting-starts_at": "2026-12-01T18:00", "meeting-place": "Casa del Quartiere"},
        )

        assert response.status_code == 302 and response["Location"] == workspace_of(pact)
        assert Meeting.objects.get(pact=pact).place == "Casa del Quartiere"

    def test_a_meeting_without_place_is_the_workspace_again(self, client, cast):
        pact = walk(cast, Status.CO_DESIGN)
        client.force_login(pact.proponent)

        response = post(
            client, f"{workspace_of(pact)}meetings/", {"meeting-starts_at": "2026-12-01T18:00"}
        )

        html = refused(response, "Give a place or an online link.")
        assert 'value="2026-12-01T18:00"' in html  # what was written is kept
        assert 'name="commitment-text"' in html and 'name="support-description"' in html
        assert html.count('<article class="clause') == pact.clauses.count()
        assert not Meeting.objects.exists()

    def test_a_staff_member_who_does_not_write_the_pact_is_refused(self, client, cast):
        pact = walk(cast, Status.CO_DESIGN)
        client.force_login(cast.department)

        response = post(
            client,
            f"{workspace_of(pact)}meetings/",
            {"meeting-starts_at": "2026-12-01T18:00", "meeting-place": "Municipio"},
        )

        forbidden(response, "Only the parties and the office record meetings.")
        assert not Meeting.objects.exists()

    def test_a_commitment_is_added(self, client, cast):
        pact = walk(cast, Status.CO_DESIGN)
        party = pact.parties.get(role=Party.Role.PROPONENT)
        client.force_login(pact.proponent)

        response = post(
            client,
            f"{workspace_of(pact)}commitments/",
            {"commitment-party": party.pk, "commitment-text": "Pulire ogni sabato"},
        )

        assert response.status_code == 302
        assert Commitment.objects.get(pact=pact).party == party

    def test_a_commitment_for_no_party_is_refused(self, client, cast):
        pact = walk(cast, Status.CO_DESIGN)
        client.force_login(pact.proponent)

        response = post(
            client,
            f"{workspace_of(pact)}commitments/",
            {"commitment-party": "999999", "commitment-text": "Pulire"},
        )

        refused(response)
        assert 'name="meeting-starts_at"' in response.content.decode()
        assert not Commitment.objects.exists()

    def test_someone_outside_the_pact_gets_a_403(self, client, cast):
        pact = walk(cast, Status.CO_DESIGN)
        client.force_login(UserFactory())
        party = pact.parties.get(role=Party.Role.PROPONENT)

        for address, data in (
            ("commitments/", {"commitment-party": party.pk, "commitment-text": "x"}),
            ("supports/", {"support-kind": "tools", "support-description": "Rastrelli"}),
        ):
            response = post(client, f"{workspace_of(pact)}{address}", data)
            forbidden(
                response, "The workspace is for the parties of the pact and the city's staff."
            )
        assert not Commitment.objects.exists() and not Support.objects.exists()

    def test_a_support_is_added(self, client, cast):
        pact = walk(cast, Status.CO_DESIGN)
        client.force_login(cast.office)

        response = post(
            client,
            f"{workspace_of(pact)}supports/",
            {"support-kind": "tools", "support-description": "Rastrelli e guanti"},
        )

        assert response.status_code == 302 and response["Location"] == workspace_of(pact)
        assert Support.objects.get(pact=pact).description == "Rastrelli e guanti"

    def test_a_support_of_negative_value_is_refused(self, client, cast):
        pact = walk(cast, Status.CO_DESIGN)
        client.force_login(cast.office)

        response = post(
            client,
            f"{workspace_of(pact)}supports/",
            {
                "support-kind": "tools",
                "support-description": "Rastrelli",
                "support-estimated_value": "-5",
            },
        )

        refused(response, "Ensure this value is greater than or equal to 0.")
        assert not Support.objects.exists()


class TestArticles:
    def test_an_article_is_saved_with_its_version(self, client, cast):
        pact = walk(cast, Status.CO_DESIGN)
        clause = pact.clauses.get(key="object")
        client.force_login(pact.proponent)

        response = post(
            client,
            f"{workspace_of(pact)}articles/object/",
            {f"clause-{clause.pk}-text": "La cura del giardino.", f"clause-{clause.pk}-version": 1},
        )

        assert response.status_code == 302 and response["Location"] == workspace_of(pact)
        clause.refresh_from_db()
        assert (clause.version, clause.text) == (2, "La cura del giardino.")

    def test_an_article_changed_meanwhile_is_refused_on_its_form(self, client, cast):
        pact = walk(cast, Status.CO_DESIGN)
        clause = pact.clauses.get(key="object")
        services.clause_edit(actor=cast.office, clause=clause, text="Dell'ufficio.")
        client.force_login(pact.proponent)

        response = post(
            client,
            f"{workspace_of(pact)}articles/object/",
            {f"clause-{clause.pk}-text": "Della proponente.", f"clause-{clause.pk}-version": 1},
        )

        html = refused(response, "Someone else changed this article meanwhile")
        assert "Della proponente." in html  # given back in its form, not lost
        assert Clause.objects.get(pk=clause.pk).text == "Dell'ufficio."

    def test_someone_outside_the_pact_gets_a_403(self, client, cast):
        pact = walk(cast, Status.CO_DESIGN)
        clause = pact.clauses.get(key="object")
        client.force_login(UserFactory())

        response = post(
            client,
            f"{workspace_of(pact)}articles/object/",
            {f"clause-{clause.pk}-text": "Altro", f"clause-{clause.pk}-version": 1},
        )

        forbidden(response, "The workspace is for the parties of the pact and the city's staff.")
        assert Clause.objects.get(pk=clause.pk).version == 1

    def test_an_unknown_article_is_a_404(self, client, cast):
        pact = walk(cast, Status.CO_DESIGN)
        client.force_login(pact.proponent)

        response = post(client, f"{workspace_of(pact)}articles/nope/", {})

        assert response.status_code == 404


# --- The office's page of a pact ----------------------------------------------------------


class TestOfficeTransitions:
    def test_each_button_has_its_address(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)
        client.force_login(cast.office)

        html = client.get(office_page_of(pact)).content.decode()

        assert f'formaction="{office_page_of(pact)}actions/publish/"' in html
        assert 'name="action"' not in html

    def test_a_note_is_required_to_ask_for_information(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)
        client.force_login(cast.office)

        response = post(
            client, f"{office_page_of(pact)}actions/request_info/", {"version": pact.version}
        )

        assert response["Location"] == office_page_of(pact)
        followed = client.get(office_page_of(pact), headers=EN).content.decode()
        assert escape("Give a reason: it is shown in the pact's history.") in followed
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED

    def test_a_citizen_cannot_reach_the_office_address(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)
        client.force_login(UserFactory())

        response = post(client, f"{office_page_of(pact)}actions/publish/", {"version": 1})

        assert response.status_code == 403
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED

    def test_anonymous_goes_to_the_login_then_to_the_page(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)
        address = f"{office_page_of(pact)}actions/publish/"

        response = post(client, address, {"version": pact.version})

        assert response["Location"].startswith("/account/login/")
        client.force_login(cast.office)
        assert client.get(address)["Location"] == office_page_of(pact)
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED


class TestOpinions:
    def test_the_office_asks_a_department(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)
        client.force_login(cast.office)

        response = post(
            client,
            f"{office_page_of(pact)}opinions/new/",
            {"opinion-department": "Verde pubblico", "opinion-question": "Alberi?"},
        )

        assert response.status_code == 302 and response["Location"] == office_page_of(pact)
        assert Opinion.objects.get(pact=pact).department == "Verde pubblico"

    def test_a_question_missing_is_the_page_again_with_the_error(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)
        client.force_login(cast.office)

        response = post(
            client, f"{office_page_of(pact)}opinions/new/", {"opinion-department": "Verde"}
        )

        html = refused(response, "This field is required.")
        assert 'value="Verde"' in html
        assert f'formaction="{office_page_of(pact)}actions/publish/"' in html
        assert not Opinion.objects.exists()

    def test_a_department_may_not_ask(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)
        client.force_login(cast.department)

        response = post(
            client,
            f"{office_page_of(pact)}opinions/new/",
            {"opinion-department": "Verde", "opinion-question": "Alberi?"},
        )

        forbidden(response, "Only the office asks for opinions.")
        assert not Opinion.objects.exists()


def observed(cast: Cast) -> tuple[Pact, Observation]:
    pact = walk(cast, Status.CONSULTATION)
    return pact, services.observation_add(actor=UserFactory(), pact=pact, text="Fuori tema")


class TestHiding:
    def test_the_office_hides_an_observation(self, client, cast):
        pact, observation = observed(cast)
        client.force_login(cast.office)

        response = post(
            client,
            f"{office_page_of(pact)}observations/{observation.pk}/hide/",
            {"hide-reason": "Fuori tema"},
        )

        assert response.status_code == 302 and response["Location"] == office_page_of(pact)
        observation.refresh_from_db()
        assert observation.hidden_at is not None and observation.hidden_reason == "Fuori tema"

    def test_no_reason_is_the_page_again_with_the_error(self, client, cast):
        pact, observation = observed(cast)
        client.force_login(cast.office)

        response = post(client, f"{office_page_of(pact)}observations/{observation.pk}/hide/", {})

        html = refused(response, "This field is required.")
        assert 'name="opinion-question"' in html
        observation.refresh_from_db()
        assert observation.hidden_at is None

    def test_a_department_may_not_hide(self, client, cast):
        pact, observation = observed(cast)
        client.force_login(cast.department)

        response = post(
            client,
            f"{office_page_of(pact)}observations/{observation.pk}/hide/",
            {"hide-reason": "No"},
        )

        forbidden(response, "Only the office moderates observations.")
        observation.refresh_from_db()
        assert observation.hidden_at is None

    def test_an_observation_of_another_pact_is_a_404(self, client, cast):
        pact, _observation = observed(cast)
        _other, elsewhere = observed(cast)
        client.force_login(cast.office)

        response = post(
            client,
            f"{office_page_of(pact)}observations/{elsewhere.pk}/hide/",
            {"hide-reason": "No"},
        )

        assert response.status_code == 404
        elsewhere.refresh_from_db()
        assert elsewhere.hidden_at is None


def asked_to_join(cast: Cast, status: str = Status.CONSULTATION) -> tuple[Pact, Adhesion]:
    pact = walk(cast, status)
    return pact, services.adhesion_request(actor=UserFactory(), pact=pact, offer="Due ore")


class TestAdhesionDecisions:
    def test_accept_and_decline_each_have_their_address(self, client, cast):
        pact, adhesion = asked_to_join(cast)
        client.force_login(cast.office)
        html = client.get(office_page_of(pact)).content.decode()
        assert f'action="{office_page_of(pact)}adhesions/{adhesion.pk}/accept/"' in html
        assert f'formaction="{office_page_of(pact)}adhesions/{adhesion.pk}/decline/"' in html

        response = post(client, f"{office_page_of(pact)}adhesions/{adhesion.pk}/accept/")

        assert response.status_code == 302 and response["Location"] == office_page_of(pact)
        assert Adhesion.objects.get(pk=adhesion.pk).status == Adhesion.Status.ACCEPTED
        assert pact.parties.filter(role=Party.Role.ADHERENT, user=adhesion.user).exists()

    def test_decline(self, client, cast):
        pact, adhesion = asked_to_join(cast)
        client.force_login(cast.office)

        post(client, f"{office_page_of(pact)}adhesions/{adhesion.pk}/decline/")

        assert Adhesion.objects.get(pk=adhesion.pk).status == Adhesion.Status.DECLINED
        assert not pact.parties.filter(role=Party.Role.ADHERENT).exists()

    def test_deciding_twice_is_the_page_again_with_the_reason(self, client, cast):
        pact, adhesion = asked_to_join(cast)
        client.force_login(cast.office)
        post(client, f"{office_page_of(pact)}adhesions/{adhesion.pk}/decline/")

        response = post(client, f"{office_page_of(pact)}adhesions/{adhesion.pk}/accept/")

        refused(response, "This request has already been decided.")
        assert Adhesion.objects.get(pk=adhesion.pk).status == Adhesion.Status.DECLINED

    def test_a_department_may_not_decide(self, client, cast):
        pact, adhesion = asked_to_join(cast)
        client.force_login(cast.department)

        response = post(client, f"{office_page_of(pact)}adhesions/{adhesion.pk}/accept/")

        forbidden(response, "Only the office decides on adhesions.")
        assert Adhesion.objects.get(pk=adhesion.pk).status == Adhesion.Status.PENDING


class TestRenewal:
    def test_the_button_shows_only_for_a_renewable_pact(self, client, cast):
        active, submitted = walk(cast, Status.ACTIVE), walk(cast, Status.SUBMITTED)
        client.force_login(cast.office)

        assert f'action="{office_page_of(active)}renew/"' in (
            client.get(office_page_of(active)).content.decode()
        )
        assert "/renew/" not in client.get(office_page_of(submitted)).content.decode()

    def test_the_office_renews_and_goes_to_the_renewal(self, client, cast):
        pact = walk(cast, Status.ACTIVE)
        client.force_login(cast.office)

        response = post(client, f"{office_page_of(pact)}renew/")

        renewal = Pact.objects.get(renewal_of=pact)
        assert response.status_code == 302 and response["Location"] == office_page_of(renewal)
        assert renewal.status == Status.CO_DESIGN

    def test_a_pact_that_is_not_renewable_is_the_page_again_with_the_reason(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)
        client.force_login(cast.office)

        response = post(client, f"{office_page_of(pact)}renew/")

        assert response.status_code == 400
        assert not Pact.objects.filter(renewal_of=pact).exists()

    def test_a_department_may_not_renew(self, client, cast):
        pact = walk(cast, Status.ACTIVE)
        client.force_login(cast.department)

        response = post(client, f"{office_page_of(pact)}renew/")

        assert response.status_code == 403
        assert not Pact.objects.filter(renewal_of=pact).exists()
