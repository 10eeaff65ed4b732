"""Every text of a pact has a length limit that fits its purpose (issue #11, finding 1). One
character over the limit is refused by the form (the message is shown, nothing is saved), by
the service (so that the API, the seed and every other caller are held to it) and by the API
(400 naming the field, nothing created). The limits are named in ``cocity.pacts.limits``."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from cocity.pacts import forms, limits, services
from cocity.pacts import models as pact_models
from cocity.pacts.models import Pact, Status
from tests.accounts.factories import UserFactory
from tests.pacts.factories import Cast, PactFactory
from tests.texts import italian_number, over, too_long_message

# --- The form fields ------------------------------------------------------------------------

FORM_FIELDS = [
    (forms.PlaceForm, "title", limits.TITLE),
    (forms.PlaceForm, "place_name", limits.PLACE_NAME),
    (forms.ContentForm, "objectives", limits.OBJECTIVES),
    (forms.ContentForm, "activities", limits.ACTIVITIES),
    (forms.PeopleForm, "people_involved", limits.PEOPLE_INVOLVED),
    (forms.SupportForm, "support_requested", limits.SUPPORT_REQUESTED),
    (forms.AttachmentForm, "title", limits.ATTACHMENT_TITLE),
    (forms.NoteForm, "note", limits.NOTE),
    (forms.ObservationForm, "text", limits.OBSERVATION),
    (forms.AdhesionForm, "offer", limits.ADHESION_OFFER),
    (forms.HideForm, "reason", limits.HIDDEN_REASON),
    (forms.OpinionRequestForm, "department", limits.DEPARTMENT),
    (forms.OpinionRequestForm, "question", limits.OPINION_QUESTION),
    (forms.OpinionAnswerForm, "answer", limits.OPINION_ANSWER),
    (forms.MeetingForm, "place", limits.MEETING_PLACE),
    (forms.MeetingForm, "participants", limits.MEETING_PARTICIPANTS),
    (forms.MeetingForm, "minutes", limits.MEETING_MINUTES),
    (forms.ClauseForm, "text", limits.CLAUSE),
    (forms.CommitmentForm, "text", limits.COMMITMENT),
    (forms.SupportItemForm, "description", limits.SUPPORT_DESCRIPTION),
]


@pytest.mark.parametrize(("form_class", "name", "limit"), FORM_FIELDS)
class TestFormFields:
    def test_one_character_over_the_limit_is_refused_with_the_message(
        self, form_class, name, limit
    ):
        field = form_class.base_fields[name]

        with pytest.raises(ValidationError) as refused:
            field.clean(over(limit))

        assert refused.value.messages == [too_long_message(limit)]

    def test_a_text_as_long_as_the_limit_is_accepted(self, form_class, name, limit):
        assert form_class.base_fields[name].clean("x" * limit) == "x" * limit

    def test_the_page_gives_the_limit_to_the_browser(self, form_class, name, limit):
        field = form_class.base_fields[name]

        html = field.widget.render(name, "", attrs=field.widget_attrs(field.widget))

        assert f'maxlength="{limit}"' in html
        if isinstance(field.widget, django_forms.Textarea):
            # The counter's text, and the limit stated for those without JavaScript.
            assert 'data-counter="{count} caratteri su {limit}"' in html
            assert f"Al massimo {italian_number(limit)} caratteri." in str(field.help_text)


# --- The pages: the message is shown and nothing is saved -----------------------------------


@pytest.mark.django_db
class TestPages:
    def test_an_observation_over_the_limit_is_shown_back_and_not_published(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        client.force_login(UserFactory())

        response = client.post(
            f"/torino/pacts/{pact.number}/observations/",
            {"obs-text": over(limits.OBSERVATION)},
        )

        assert response.status_code == 400
        assert too_long_message(limits.OBSERVATION) in response.content.decode()
        assert not pact_models.Observation.objects.exists()

    def test_objectives_over_the_limit_are_not_saved(self, client, cast):
        pact = PactFactory(cast=cast)
        client.force_login(pact.proponent)

        response = client.post(
            f"/torino/pacts/drafts/{pact.pk}/content/",
            {
                "category": cast.category.pk,
                "complexity": "ordinary",
                "objectives": over(limits.OBJECTIVES),
                "activities": "Semina e cura",
            },
        )

        assert response.status_code == 400
        assert too_long_message(limits.OBJECTIVES) in response.content.decode()
        pact.refresh_from_db()
        assert (pact.objectives, pact.activities) == (
            "Un giardino curato",
            "Pulizia e piantumazione",
        )

    def test_an_article_over_the_limit_is_not_saved(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        clause = pact.clauses.first()
        client.force_login(pact.proponent)

        response = client.post(
            f"/torino/pacts/{pact.number}/workspace/articles/{clause.key}/",
            {
                f"clause-{clause.pk}-text": over(limits.CLAUSE),
                f"clause-{clause.pk}-version": clause.version,
            },
        )

        assert response.status_code == 400
        assert too_long_message(limits.CLAUSE) in response.content.decode()
        assert pact_models.Clause.objects.get(pk=clause.pk).text == clause.text
        assert pact_models.ClauseVersion.objects.filter(clause=clause).count() == 1

    def test_the_observation_form_states_its_limit(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        client.force_login(UserFactory())

        html = client.get(f"/torino/pacts/{pact.number}/").content.decode()

        assert f'maxlength="{limits.OBSERVATION}"' in html
        assert "Al massimo 4.000 caratteri." in html
        assert "core/text-counter.js" in html


# --- The services: the same limits for every caller ------------------------------------------


@dataclass
class Case:
    """A service call with a text of a given length, and what must not have changed."""

    field: str
    limit: int
    given: Callable[[Cast], Any]
    call: Callable[[Cast, Any, str], Any]
    snapshot: Callable[[Any], Any]


def _draft(cast: Cast) -> Pact:
    return PactFactory(cast=cast)


def _consultation(cast: Cast) -> Pact:
    return PactFactory(cast=cast, status=Status.CONSULTATION)


def _co_design(cast: Cast) -> Pact:
    return PactFactory(cast=cast, status=Status.CO_DESIGN)


def _pact_texts(pact: Pact) -> tuple:
    pact = Pact.objects.get(pk=pact.pk)
    return tuple(getattr(pact, f) for f in limits.PACT_FIELDS) + (pact.version,)


def _draft_case(field: str) -> Case:
    return Case(
        field,
        limits.PACT_FIELDS[field],
        _draft,
        lambda cast, pact, text: services.pact_update_draft(
            actor=pact.proponent, pact=pact, **{field: text}
        ),
        _pact_texts,
    )


def _create_case(field: str) -> Case:
    def call(cast: Cast, proponent: Any, text: str) -> Pact:
        values: dict[str, Any] = {"title": "Orto", field: text}
        return services.pact_create_draft(
            actor=proponent, municipality=cast.municipality, category=cast.category, **values
        )

    return Case(
        field,
        limits.PACT_FIELDS[field],
        lambda cast: UserFactory(),
        call,
        lambda proponent: Pact.objects.count(),
    )


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _attachment(cast: Cast, pact: Pact, title: str) -> pact_models.Attachment:
    upload = SimpleUploadedFile("a.pdf", _pdf(), content_type="application/pdf")
    return services.attachment_add(actor=pact.proponent, pact=pact, upload=upload, title=title)


def _opinion(cast: Cast) -> pact_models.Opinion:
    pact = PactFactory(cast=cast, status=Status.EVALUATION)
    return services.opinion_request(
        actor=cast.office, pact=pact, department="Verde pubblico", question="Va bene?"
    )


def _meeting(field: str) -> Callable[[Cast, Pact, str], pact_models.Meeting]:
    def call(cast: Cast, pact: Pact, text: str) -> pact_models.Meeting:
        values = {"place": "Casa del quartiere", "participants": "", "minutes": ""}
        values[field] = text
        return services.meeting_add(
            actor=cast.office, pact=pact, starts_at=timezone.now(), **values
        )

    return call


def _observation(cast: Cast) -> pact_models.Observation:
    pact = _consultation(cast)
    return services.observation_add(actor=UserFactory(), pact=pact, text="Bella idea")


SERVICE_CASES = {
    **{f"create {field}": _create_case(field) for field in limits.PACT_FIELDS},
    **{f"update {field}": _draft_case(field) for field in limits.PACT_FIELDS},
    "transition note": Case(
        "note",
        limits.NOTE,
        lambda cast: PactFactory(cast=cast, status=Status.SUBMITTED),
        lambda cast, pact, text: services.pact_transition(
            actor=cast.office, pact=pact, action="request_info", note=text
        ),
        lambda pact: (Pact.objects.get(pk=pact.pk).status, pact_models.PactEvent.objects.count()),
    ),
    "observation": Case(
        "text",
        limits.OBSERVATION,
        _consultation,
        lambda cast, pact, text: services.observation_add(
            actor=UserFactory(), pact=pact, text=text
        ),
        lambda pact: (
            pact_models.Observation.objects.count(),
            pact_models.PactEvent.objects.count(),
        ),
    ),
    "hidden reason": Case(
        "reason",
        limits.HIDDEN_REASON,
        _observation,
        lambda cast, observation, text: services.observation_hide(
            actor=cast.office, observation=observation, reason=text
        ),
        lambda observation: pact_models.Observation.objects.get(pk=observation.pk).hidden_at,
    ),
    "adhesion": Case(
        "offer",
        limits.ADHESION_OFFER,
        _consultation,
        lambda cast, pact, text: services.adhesion_request(
            actor=UserFactory(), pact=pact, offer=text
        ),
        lambda pact: pact_models.Adhesion.objects.count(),
    ),
    "opinion department": Case(
        "department",
        limits.DEPARTMENT,
        lambda cast: PactFactory(cast=cast, status=Status.EVALUATION),
        lambda cast, pact, text: services.opinion_request(
            actor=cast.office, pact=pact, department=text, question="Va bene?"
        ),
        lambda pact: pact_models.Opinion.objects.count(),
    ),
    "opinion question": Case(
        "question",
        limits.OPINION_QUESTION,
        lambda cast: PactFactory(cast=cast, status=Status.EVALUATION),
        lambda cast, pact, text: services.opinion_request(
            actor=cast.office, pact=pact, department="Verde", question=text
        ),
        lambda pact: pact_models.Opinion.objects.count(),
    ),
    "opinion answer": Case(
        "answer",
        limits.OPINION_ANSWER,
        _opinion,
        lambda cast, opinion, text: services.opinion_answer(
            actor=cast.department, opinion=opinion, answer=text, favourable=True
        ),
        lambda opinion: pact_models.Opinion.objects.get(pk=opinion.pk).answered_at,
    ),
    "clause": Case(
        "text",
        limits.CLAUSE,
        lambda cast: _co_design(cast).clauses.first(),
        lambda cast, clause, text: services.clause_edit(
            actor=cast.office, clause=clause, text=text
        ),
        lambda clause: (
            pact_models.Clause.objects.get(pk=clause.pk).version,
            pact_models.ClauseVersion.objects.count(),
        ),
    ),
    "commitment": Case(
        "text",
        limits.COMMITMENT,
        _co_design,
        lambda cast, pact, text: services.commitment_add(
            actor=cast.office,
            pact=pact,
            party=pact.parties.get(role=pact_models.Party.Role.PROPONENT),
            text=text,
        ),
        lambda pact: pact_models.Commitment.objects.count(),
    ),
    "support": Case(
        "description",
        limits.SUPPORT_DESCRIPTION,
        _co_design,
        lambda cast, pact, text: services.support_add(
            actor=cast.office, pact=pact, kind=pact_models.Support.Kind.TOOLS, description=text
        ),
        lambda pact: pact_models.Support.objects.count(),
    ),
    **{
        f"meeting {field}": Case(
            field,
            limit,
            _co_design,
            _meeting(field),
            lambda pact: pact_models.Meeting.objects.count(),
        )
        for field, limit in (
            ("place", limits.MEETING_PLACE),
            ("participants", limits.MEETING_PARTICIPANTS),
            ("minutes", limits.MEETING_MINUTES),
        )
    },
    "attachment title": Case(
        "title",
        limits.ATTACHMENT_TITLE,
        _draft,
        _attachment,
        lambda pact: pact_models.Attachment.objects.count(),
    ),
    "category name": Case(
        "name",
        limits.CATEGORY_NAME,
        lambda cast: None,
        lambda cast, _, text: services.category_create(municipality=cast.municipality, name=text),
        lambda _: pact_models.Category.objects.count(),
    ),
    "category description": Case(
        "description",
        limits.CATEGORY_DESCRIPTION,
        lambda cast: None,
        lambda cast, _, text: services.category_create(
            municipality=cast.municipality, name="Orti", description=text
        ),
        lambda _: pact_models.Category.objects.count(),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", SERVICE_CASES.values(), ids=SERVICE_CASES.keys())
class TestServices:
    def test_one_character_over_is_refused_naming_the_field_and_nothing_changes(
        self, cast, case, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        given = case.given(cast)
        before = case.snapshot(given)

        with pytest.raises(ValidationError) as refused:
            case.call(cast, given, over(case.limit))

        assert refused.value.message_dict == {case.field: [too_long_message(case.limit)]}
        assert case.snapshot(given) == before

    def test_a_text_as_long_as_the_limit_is_written(self, cast, case, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        given = case.given(cast)
        before = case.snapshot(given)

        case.call(cast, given, "x" * case.limit)

        assert case.snapshot(given) != before


# --- The API ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestApi:
    @pytest.fixture
    def headers(self, bearer) -> dict[str, str]:
        return bearer()

    @pytest.mark.parametrize(
        ("field", "limit"),
        [
            ("title", limits.TITLE),
            ("place_name", limits.PLACE_NAME),
            ("objectives", limits.OBJECTIVES),
            ("activities", limits.ACTIVITIES),
        ],
    )
    def test_a_proposal_with_a_text_over_its_limit_is_400_naming_it(
        self, propose, headers, field, limit
    ):
        response = propose(headers, **{field: over(limit)})

        assert response.status_code == 400
        assert response.json() == {
            "detail": f"{field}: String should have at most {limit} characters"
        }
        assert not Pact.objects.exists()

    def test_five_megabytes_of_objectives_are_refused(self, propose, headers):
        response = propose(headers, objectives="- [a](https://x.org)\n" * 250_000)

        assert response.status_code == 400
        assert response.json()["detail"].startswith("objectives: ")
        assert not Pact.objects.exists()

    def test_texts_as_long_as_the_limits_are_accepted(self, propose, headers):
        response = propose(
            headers,
            title="t" * limits.TITLE,
            objectives="o" * limits.OBJECTIVES,
            activities="a" * limits.ACTIVITIES,
        )

        assert response.status_code == 201, response.content
        assert len(Pact.objects.get().objectives) == limits.OBJECTIVES

    def test_a_transition_note_over_the_limit_is_400_naming_it(self, client, cast, headers):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        events = pact_models.PactEvent.objects.count()

        response = client.post(
            f"/api/v1/torino/pacts/{pact.number}/transitions",
            {"action": "request_info", "note": over(limits.NOTE)},
            content_type="application/json",
            headers=headers,
        )

        assert response.status_code == 400
        assert response.json() == {
            "detail": f"note: String should have at most {limits.NOTE} characters"
        }
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED
        assert pact_models.PactEvent.objects.count() == events

    def test_the_schema_documents_the_limits(self, client):
        schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

        assert schema["ProposalIn"]["properties"]["objectives"]["maxLength"] == limits.OBJECTIVES
        assert schema["TransitionIn"]["properties"]["note"]["maxLength"] == limits.NOTE


def test_the_first_article_has_room_for_the_longest_objectives():
    """The objectives are copied into the first article when co-design starts."""
    from cocity.pacts.clauses import DEFAULT_TEMPLATE

    longest = max(len(text) for _key, _title, text in DEFAULT_TEMPLATE)
    assert longest + limits.OBJECTIVES + 200 < limits.CLAUSE
    assert longest + limits.ACTIVITIES + 200 < limits.CLAUSE
