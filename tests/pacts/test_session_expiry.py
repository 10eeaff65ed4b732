"""A text sent after the session expired is found again after logging in (issue #11,
finding 11): the observation on a pact's page, a step of the proposal, an article in the
co-design workspace. Nothing is saved until the person sends it again, and nobody else who
signs in on the same browser sees it."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from cocity.pacts import services
from cocity.pacts.models import Adhesion, Meeting, Observation, Pact, Status
from tests.accounts.factories import PASSWORD, UserFactory
from tests.pacts.factories import PactFactory

TEXT = "Propongo di aggiungere due panchine vicino all'aiuola, all'ombra del tiglio."


def sign_in(client, user, next_url: str):
    """The login form, as the person fills it in, going back to ``next_url``."""
    return client.post(
        f"/account/login/?next={next_url}",
        {"login": user.email, "password": PASSWORD},
        follow=True,
    )


def signed_in_browser(client, user, page: str) -> None:
    """A browser where ``user`` signed in and looked at ``page``, whose session then expired."""
    client.force_login(user)
    assert client.get(page).status_code == 200
    Session.objects.all().delete()


def pact_page(pact: Pact) -> str:
    return f"/torino/pacts/{pact.number}/"


def observations(pact: Pact) -> str:
    """The address the observation form of the pact's page is sent to."""
    return f"/torino/pacts/{pact.number}/observations/"


@pytest.mark.django_db
class TestObservation:
    def test_the_observation_is_in_the_form_after_logging_in_again(self, client, cast):
        citizen = UserFactory()
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        signed_in_browser(client, citizen, pact_page(pact))

        sent = client.post(observations(pact), {"obs-text": TEXT})
        assert sent.status_code == 302 and "/account/login/" in sent["Location"]
        page = sign_in(client, citizen, pact_page(pact))

        assert page.redirect_chain[-1][0].endswith(pact_page(pact))
        html = page.content.decode()
        assert "due panchine vicino all&#x27;aiuola" in html.split('name="obs-text"')[1]
        assert "La sessione era scaduta" in html
        assert not Observation.objects.filter(pact=pact).exists()

    def test_it_is_given_back_once(self, client, cast):
        citizen = UserFactory()
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        signed_in_browser(client, citizen, pact_page(pact))
        client.post(observations(pact), {"obs-text": TEXT})
        sign_in(client, citizen, pact_page(pact))

        again = client.get(pact_page(pact)).content.decode()

        assert "due panchine" not in again

    def test_another_person_signing_in_on_the_same_browser_does_not_see_it(self, client, cast):
        citizen, neighbour = UserFactory(), UserFactory()
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        signed_in_browser(client, citizen, pact_page(pact))
        client.post(observations(pact), {"obs-text": TEXT})

        page = sign_in(client, neighbour, pact_page(pact)).content.decode()

        assert "due panchine" not in page
        assert "La sessione era scaduta" not in page

    def test_after_logging_out_nothing_is_kept(self, client, cast):
        citizen = UserFactory()
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        client.force_login(citizen)
        client.get(pact_page(pact))
        client.post("/account/logout/")

        client.post(observations(pact), {"obs-text": TEXT})
        page = sign_in(client, citizen, pact_page(pact)).content.decode()

        assert "due panchine" not in page

    def test_a_browser_where_nobody_signed_in_keeps_nothing(self, client, cast):
        citizen = UserFactory()
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)

        client.post(observations(pact), {"obs-text": TEXT})
        page = sign_in(client, citizen, pact_page(pact)).content.decode()

        assert "due panchine" not in page

    def test_a_request_to_join_is_given_back_too(self, client, cast):
        citizen = UserFactory()
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        signed_in_browser(client, citizen, pact_page(pact))

        sent = client.post(f"{pact_page(pact)}adhesions/", {"adh-offer": TEXT})
        page = sign_in(client, citizen, pact_page(pact))

        assert sent["Location"] == f"/account/login/?next={pact_page(pact)}"
        assert "due panchine" in page.content.decode().split('name="adh-offer"')[1][:2000]
        assert not Adhesion.objects.filter(pact=pact).exists()


@pytest.mark.django_db
class TestProposal:
    def test_a_step_sent_after_the_session_expired_is_filled_in_again(self, client, cast):
        citizen = UserFactory()
        pact = services.pact_create_draft(
            actor=citizen, municipality=cast.municipality, title="Panchine al giardino"
        )
        step = f"/torino/pacts/drafts/{pact.pk}/people/"
        signed_in_browser(client, citizen, step)

        sent = client.post(step, {"people_involved": TEXT})
        assert "/account/login/" in sent["Location"]
        page = sign_in(client, citizen, step)

        assert page.redirect_chain[-1][0].endswith(step)
        assert "due panchine" in page.content.decode()
        pact.refresh_from_db()
        assert pact.people_involved == ""

    def test_the_first_step_of_a_new_proposal_too(self, client, cast):
        citizen = UserFactory()
        signed_in_browser(client, citizen, "/torino/pacts/new/")

        client.post("/torino/pacts/new/", {"title": "Panchine all'ombra del tiglio"})
        page = sign_in(client, citizen, "/torino/pacts/new/").content.decode()

        assert "Panchine all&#x27;ombra del tiglio" in page
        assert not Pact.objects.filter(title__contains="tiglio").exists()


@pytest.mark.django_db
class TestWorkspace:
    def test_an_article_sent_after_the_session_expired_is_in_its_form_again(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        clause = pact.clauses.get(key="object")
        workspace = f"/torino/pacts/{pact.number}/workspace/"
        signed_in_browser(client, pact.proponent, workspace)

        client.post(
            f"{workspace}articles/{clause.key}/",
            {
                f"clause-{clause.pk}-text": TEXT,
                f"clause-{clause.pk}-version": clause.version,
            },
        )
        page = sign_in(client, pact.proponent, workspace).content.decode()

        assert "due panchine" in page.split(f'name="clause-{clause.pk}-text"')[1][:2000]
        clause.refresh_from_db()
        assert "panchine" not in clause.text

    def test_a_meeting_sent_after_the_session_expired_is_in_its_form_again(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        workspace = f"/torino/pacts/{pact.number}/workspace/"
        signed_in_browser(client, pact.proponent, workspace)

        sent = client.post(
            f"{workspace}meetings/",
            {"meeting-starts_at": "2026-12-01T18:00", "meeting-place": TEXT},
        )
        page = sign_in(client, pact.proponent, workspace)

        assert sent["Location"] == f"/account/login/?next={workspace}"
        assert page.redirect_chain[-1][0].endswith(workspace)
        assert "due panchine" in page.content.decode().split('name="meeting-place"')[1][:2000]
        assert not Meeting.objects.filter(pact=pact).exists()
