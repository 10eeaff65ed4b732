"""Each form of a pact's pages is sent to an address of its own, whose view calls one service
(issue #12): no view reads an ``action`` field. At each address: what is saved goes back to
the page with a message; what is refused renders the page that holds the form again, as a 400,
with the form's error and the other forms of the page, and saves nothing; a person without the
role gets the 403 page with the reason; a GET of the address goes to the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
from tests.accounts.factories import UserFactory
from tests.pacts.factories import Cast, PactFactory

EN = {"accept-language": "en"}

pytestmark = pytest.mark.django_db


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


# --- Every form, the same three ways ---------------------------------------------------------


def workspace_of(pact: Pact) -> str:
    return f"/torino/pacts/{pact.number}/workspace/"


@dataclass(frozen=True)
class Form:
    """One form of a pact's pages: the status its pact is in, the page that holds it, its
    address there, what it sends (``{party}``, ``{clause}``, ``{observation}`` and
    ``{adhesion}`` stand for those of the pact), who sends it and what it writes, read back."""

    status: str
    page: Callable[[Pact], str]
    address: str
    data: dict[str, Any]
    sender: str  # "citizen", "proponent" or a member of the cast: "office", "department"
    written: Callable[[Pact], Any]


def rows(model, *fields: str) -> Callable[[Pact], list]:
    """What a form writes: the ``fields`` of the pact's rows of ``model``."""
    return lambda pact: list(model.objects.filter(pact=pact).values_list(*fields))


WORKSPACE = "The workspace is for the parties of the pact and the city's staff."
CONSULTATION, CO_DESIGN = Status.CONSULTATION, Status.CO_DESIGN
FORMS = {
    "observation": Form(
        CONSULTATION, page_of, "observations/", {"obs-text": "Bella idea"}, "citizen",
        rows(Observation, "text"),
    ),
    "adhesion": Form(
        CONSULTATION, page_of, "adhesions/", {"adh-offer": "Due ore"}, "citizen",
        rows(Adhesion, "offer"),
    ),
    "meeting": Form(
        CO_DESIGN, workspace_of, "meetings/",
        {"meeting-starts_at": "2026-12-01T18:00", "meeting-place": "Casa del Quartiere"},
        "proponent", rows(Meeting, "place"),
    ),
    "commitment": Form(
        CO_DESIGN, workspace_of, "commitments/",
        {"commitment-party": "{party}", "commitment-text": "Pulire ogni sabato"},
        "proponent", rows(Commitment, "party", "text"),
    ),
    "support": Form(
        CO_DESIGN, workspace_of, "supports/",
        {"support-kind": "tools", "support-description": "Rastrelli e guanti"},
        "office", rows(Support, "description"),
    ),
    "article": Form(
        CO_DESIGN, workspace_of, "articles/object/",
        {"clause-{clause}-text": "La cura del giardino.", "clause-{clause}-version": 1},
        "proponent", rows(Clause, "key", "version", "text"),
    ),
    "opinion": Form(
        Status.SUBMITTED, office_page_of, "opinions/new/",
        {"opinion-department": "Verde pubblico", "opinion-question": "Alberi?"},
        "office", rows(Opinion, "department"),
    ),
    "hide": Form(
        CONSULTATION, office_page_of, "observations/{observation}/hide/",
        {"hide-reason": "Fuori tema"}, "office", rows(Observation, "hidden_reason"),
    ),
    "accept": Form(
        CONSULTATION, office_page_of, "adhesions/{adhesion}/accept/", {}, "office",
        rows(Adhesion, "status"),
    ),
    "renew": Form(
        Status.ACTIVE, office_page_of, "renew/", {}, "office",
        lambda pact: Pact.objects.filter(renewal_of=pact).count(),
    ),
}  # fmt: skip


def send(client, cast: Cast, form: Form, sender: str | None = None, **data: Any):
    """Send ``form`` (its data updated with ``data``) on a new pact, as ``sender`` (the form's
    own sender by default). The pact and the answer."""
    pact = PactFactory(cast=cast, status=form.status)
    keys = {"party": pact.parties.get(role=Party.Role.PROPONENT).pk}
    if "{clause}" in str(form.data):
        keys["clause"] = pact.clauses.get(key="object").pk
    if "{observation}" in form.address:
        keys["observation"] = services.observation_add(
            actor=UserFactory(), pact=pact, text="Fuori tema"
        ).pk
    if "{adhesion}" in form.address:
        keys["adhesion"] = services.adhesion_request(
            actor=UserFactory(), pact=pact, offer="Due ore"
        ).pk
    who = sender or form.sender
    person = {"citizen": UserFactory, "proponent": lambda: pact.proponent}.get(who)
    client.force_login(person() if person else getattr(cast, who))
    values = {
        key.format(**keys): value.format(**keys) if isinstance(value, str) else value
        for key, value in {**form.data, **data}.items()
    }
    before = form.written(pact)
    response = post(client, form.page(pact) + form.address.format(**keys), values)
    return pact, response, before


@pytest.mark.parametrize("name", [n for n in FORMS if n != "renew"])
def test_what_is_saved_goes_back_to_the_page(client, cast, name):
    form = FORMS[name]

    pact, response, before = send(client, cast, form)

    assert response.status_code == 302 and response["Location"] == form.page(pact)
    assert form.written(pact) != before


@pytest.mark.parametrize(
    ("name", "data", "error", "other_form"),
    [
        ("observation", {"obs-text": "  "}, "This field is required.", 'name="adh-offer"'),
        ("adhesion", {"adh-offer": ""}, "This field is required.", 'name="obs-text"'),
        (
            "meeting",
            {"meeting-place": ""},
            "Give a place or an online link.",
            'name="commitment-text"',
        ),
        ("commitment", {"commitment-party": "999999"}, "", 'name="meeting-starts_at"'),
        (
            "support",
            {"support-estimated_value": "-5"},
            "Ensure this value is greater than or equal to 0.",
            'name="commitment-text"',
        ),
        ("opinion", {"opinion-question": ""}, "This field is required.", "actions/publish/"),
        ("hide", {"hide-reason": ""}, "This field is required.", 'name="opinion-question"'),
    ],
)
def test_what_is_refused_is_the_page_again_with_the_error_and_saves_nothing(
    client, cast, name, data, error, other_form
):
    form = FORMS[name]

    pact, response, before = send(client, cast, form, **data)

    html = refused(response, *[error] * bool(error))
    assert other_form in html  # the other forms of the page are there
    assert f'action="{form.page(pact)}{form.address.split("{")[0]}' in html
    assert form.written(pact) == before


@pytest.mark.parametrize(
    ("name", "sender", "reason"),
    [
        ("meeting", "department", "Only the parties and the office record meetings."),
        ("commitment", "citizen", WORKSPACE),
        ("support", "citizen", WORKSPACE),
        ("article", "citizen", WORKSPACE),
        ("opinion", "department", "Only the office asks for opinions."),
        ("hide", "department", "Only the office moderates observations."),
        ("accept", "department", "Only the office decides on adhesions."),
        ("renew", "department", ""),
    ],
)
def test_a_person_without_the_role_gets_the_403_with_the_reason(client, cast, name, sender, reason):
    form = FORMS[name]

    pact, response, before = send(client, cast, form, sender=sender)

    forbidden(response, reason)
    assert form.written(pact) == before


# --- The pact's page ------------------------------------------------------------------------


class TestObservations:
    def test_an_observation_is_published_and_the_page_says_so(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        client.force_login(UserFactory())

        response = post(client, f"{page_of(pact)}observations/", {"obs-text": "Bella idea"})

        assert response.status_code == 302 and response["Location"] == page_of(pact)
        assert Observation.objects.get(pact=pact).text == "Bella idea"
        followed = client.get(response["Location"], headers=EN).content.decode()
        assert "Your observation has been published." in followed

    def test_the_service_refusal_goes_on_the_form(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        client.force_login(UserFactory())

        response = post(client, f"{page_of(pact)}observations/", {"obs-text": "Tardi"})

        refused(response)
        assert response.context["observation_form"].non_field_errors() == [
            "Observations are accepted only during the consultation."
        ]
        assert not Observation.objects.exists()

    def test_anonymous_goes_to_the_login_and_back_to_the_page(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)

        response = post(client, f"{page_of(pact)}observations/", {"obs-text": "Bella idea"})

        assert response.status_code == 302
        assert response["Location"] == f"/account/login/?next={page_of(pact)}"
        assert not Observation.objects.exists()

    def test_a_get_of_the_address_goes_to_the_page(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        client.force_login(UserFactory())

        response = client.get(f"{page_of(pact)}observations/")

        assert response.status_code == 302 and response["Location"] == page_of(pact)

    def test_the_page_itself_answers_no_post(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        client.force_login(UserFactory())

        response = post(client, page_of(pact), {"action": "observe", "obs-text": "Bella idea"})

        assert response.status_code == 405
        assert not Observation.objects.exists()

    def test_the_csrf_token_is_still_required(self, cast):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        client = Client(enforce_csrf_checks=True)
        client.force_login(UserFactory())

        response = client.post(f"{page_of(pact)}observations/", {"obs-text": "Bella idea"})

        assert response.status_code == 403
        assert not Observation.objects.exists()

    def test_a_pact_of_another_city_is_a_404(self, client, cast, reggio):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        client.force_login(UserFactory())

        response = post(
            client, f"/reggio-emilia/pacts/{pact.number}/observations/", {"obs-text": "x"}
        )

        assert response.status_code == 404
        assert not Observation.objects.exists()


class TestAdhesions:
    def test_asking_twice_is_refused_on_the_form(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        client.force_login(UserFactory())
        post(client, f"{page_of(pact)}adhesions/", {"adh-offer": "Due ore"})

        response = post(client, f"{page_of(pact)}adhesions/", {"adh-offer": "Tre ore"})

        refused(response, "You have already asked to join this pact.")
        assert Adhesion.objects.count() == 1


class TestTransitions:
    def test_the_proponent_withdraws_from_the_pact_page(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        client.force_login(pact.proponent)
        html = client.get(page_of(pact)).content.decode()
        assert f'action="{page_of(pact)}actions/withdraw/"' in html

        response = post(client, f"{page_of(pact)}actions/withdraw/", {"version": pact.version})

        assert response.status_code == 302 and response["Location"] == page_of(pact)
        assert Pact.objects.get(pk=pact.pk).status == Status.WITHDRAWN

    def test_a_transition_of_another_role_is_refused_with_the_reason(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        client.force_login(pact.proponent)

        response = post(client, f"{page_of(pact)}actions/publish/", {"version": pact.version})

        assert response["Location"] == page_of(pact)
        followed = client.get(page_of(pact), headers=EN).content.decode()
        assert escape("You may not perform “Publish for consultation” on this pact.") in followed
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED

    def test_an_unknown_action_changes_nothing(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        client.force_login(cast.office)

        response = post(client, f"{page_of(pact)}actions/fly/", {"version": pact.version})

        assert response["Location"] == page_of(pact)
        assert "Unknown action: fly." in client.get(page_of(pact), headers=EN).content.decode()
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED

    def test_anonymous_goes_to_the_login_and_back_to_the_page(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)

        response = post(client, f"{page_of(pact)}actions/withdraw/", {"version": pact.version})

        assert response["Location"] == f"/account/login/?next={page_of(pact)}"
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED


# --- The co-design workspace ---------------------------------------------------------------


class TestWorkspaceForms:
    def test_the_page_sends_each_form_to_its_address(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        client.force_login(pact.proponent)

        html = client.get(workspace_of(pact)).content.decode()

        for address in ("meetings/", "commitments/", "supports/", "articles/object/"):
            assert f'action="{workspace_of(pact)}{address}"' in html, address
        assert 'name="action"' not in html

    def test_a_meeting_without_place_is_the_workspace_again(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        client.force_login(pact.proponent)

        response = post(
            client, f"{workspace_of(pact)}meetings/", {"meeting-starts_at": "2026-12-01T18:00"}
        )

        html = refused(response, "Give a place or an online link.")
        assert 'value="2026-12-01T18:00"' in html  # what was written is kept
        assert 'name="commitment-text"' in html and 'name="support-description"' in html
        assert html.count('<article class="clause') == pact.clauses.count()
        assert not Meeting.objects.exists()


class TestArticles:
    def test_an_article_changed_meanwhile_is_refused_on_its_form(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
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

    def test_an_unknown_article_is_a_404(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        client.force_login(pact.proponent)

        response = post(client, f"{workspace_of(pact)}articles/nope/", {})

        assert response.status_code == 404


# --- The office's page of a pact ----------------------------------------------------------


class TestOfficeTransitions:
    def test_each_button_has_its_address(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        client.force_login(cast.office)

        html = client.get(office_page_of(pact)).content.decode()

        assert f'formaction="{office_page_of(pact)}actions/publish/"' in html
        assert 'name="action"' not in html

    def test_a_note_is_required_to_ask_for_information(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        client.force_login(cast.office)

        response = post(
            client, f"{office_page_of(pact)}actions/request_info/", {"version": pact.version}
        )

        assert response["Location"] == office_page_of(pact)
        followed = client.get(office_page_of(pact), headers=EN).content.decode()
        assert escape("Give a reason: it is shown in the pact's history.") in followed
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED

    def test_a_citizen_cannot_reach_the_office_address(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        client.force_login(UserFactory())

        response = post(client, f"{office_page_of(pact)}actions/publish/", {"version": 1})

        assert response.status_code == 403
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED

    def test_anonymous_goes_to_the_login_then_to_the_page(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        address = f"{office_page_of(pact)}actions/publish/"

        response = post(client, address, {"version": pact.version})

        assert response["Location"].startswith("/account/login/")
        client.force_login(cast.office)
        assert client.get(address)["Location"] == office_page_of(pact)
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED


def observed(cast: Cast) -> tuple[Pact, Observation]:
    pact = PactFactory(cast=cast, status=Status.CONSULTATION)
    return pact, services.observation_add(actor=UserFactory(), pact=pact, text="Fuori tema")


class TestHiding:
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
    pact = PactFactory(cast=cast, status=status)
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


class TestRenewal:
    def test_the_button_shows_only_for_a_renewable_pact(self, client, cast):
        active, submitted = (
            PactFactory(cast=cast, status=Status.ACTIVE),
            PactFactory(cast=cast, status=Status.SUBMITTED),
        )
        client.force_login(cast.office)

        assert f'action="{office_page_of(active)}renew/"' in (
            client.get(office_page_of(active)).content.decode()
        )
        assert "/renew/" not in client.get(office_page_of(submitted)).content.decode()

    def test_the_office_renews_and_goes_to_the_renewal(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.ACTIVE)
        client.force_login(cast.office)

        response = post(client, f"{office_page_of(pact)}renew/")

        renewal = Pact.objects.get(renewal_of=pact)
        assert response.status_code == 302 and response["Location"] == office_page_of(renewal)
        assert renewal.status == Status.CO_DESIGN

    def test_a_pact_that_is_not_renewable_is_the_page_again_with_the_reason(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        client.force_login(cast.office)

        response = post(client, f"{office_page_of(pact)}renew/")

        assert response.status_code == 400
        assert not Pact.objects.filter(renewal_of=pact).exists()
