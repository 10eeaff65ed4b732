import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocity.pacts import selectors, services
from cocity.pacts.models import Pact, Status
from tests.accounts.factories import UserFactory
from tests.pacts.factories import PactFactory


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.django_db
class TestProposingWithoutJavaScript:
    def test_a_citizen_proposes_in_steps_and_gets_a_receipt(self, client, cast):
        citizen = UserFactory()
        client.force_login(citizen)

        response = client.post(
            "/torino/pacts/new/", {"title": "Orto di via Roma", "commons": cast.commons.pk}
        )
        pact = Pact.objects.get(title="Orto di via Roma")
        assert response["Location"] == f"/torino/pacts/drafts/{pact.pk}/content/"
        client.post(
            f"/torino/pacts/drafts/{pact.pk}/content/",
            {
                "category": cast.category.pk,
                "complexity": "ordinary",
                "objectives": "Un orto condiviso",
                "activities": "Semina e cura",
            },
        )
        client.post(
            f"/torino/pacts/drafts/{pact.pk}/people/",
            {"people_involved": "I vicini", "invite": "vicina@example.org"},
        )
        client.post(f"/torino/pacts/drafts/{pact.pk}/timing/", {"duration_months": "24"})
        response = client.post(f"/torino/pacts/drafts/{pact.pk}/review/", follow=True)

        pact.refresh_from_db()
        assert pact.status == Status.SUBMITTED
        assert re.fullmatch(r"TO-\d{4}-\d{4}", pact.number)
        assert pact.number in response.content.decode()
        assert pact.parties.filter(invited_email="vicina@example.org").exists()

    def test_duration_over_the_limit_is_a_form_error(self, client, cast):
        citizen = UserFactory()
        client.force_login(citizen)
        pact = services.pact_create_draft(
            actor=citizen, municipality=cast.municipality, title="Orto"
        )

        response = client.post(
            f"/torino/pacts/drafts/{pact.pk}/timing/", {"duration_months": "120"}
        )

        assert response.status_code == 400
        assert "36" in " ".join(response.context["form"].errors["duration_months"])
        assert Pact.objects.get(pk=pact.pk).duration_months is None

    def test_submitting_an_incomplete_draft_says_what_is_missing(self, client, cast):
        citizen = UserFactory()
        client.force_login(citizen)
        pact = services.pact_create_draft(
            actor=citizen, municipality=cast.municipality, title="Orto"
        )

        response = client.post(
            f"/torino/pacts/drafts/{pact.pk}/review/",
            follow=True,
            headers={"accept-language": "en"},
        )

        assert "objectives, activities, duration are missing" in response.content.decode()
        assert Pact.objects.get(pk=pact.pk).status == Status.DRAFT


@pytest.mark.django_db
class TestOfficeActions:
    def test_office_publishes_from_its_page(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        client.force_login(cast.office)

        response = client.post(
            f"/torino/office/pacts/{pact.number}/actions/publish/", {"version": pact.version}
        )

        assert response["Location"] == f"/torino/office/pacts/{pact.number}/"
        assert Pact.objects.get(pk=pact.pk).status == Status.CONSULTATION

    def test_two_staff_on_the_same_pact_one_gets_reload(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        seen = pact.version
        client.force_login(cast.office)
        client.post(f"/torino/pacts/{pact.number}/actions/publish/", {"version": seen})

        response = client.post(
            f"/torino/pacts/{pact.number}/actions/request_info/",
            {"version": seen, "note": "x"},
            follow=True,
        )

        assert "ricaric" in response.content.decode() or "reload" in response.content.decode()
        assert pact.events.filter(action="request_info").count() == 0

    def test_citizen_cannot_publish(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        client.force_login(UserFactory())

        client.post(f"/torino/pacts/{pact.number}/actions/publish/", {"version": pact.version})

        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED


@pytest.mark.django_db
class TestRegistryAndPrivacy:
    def test_private_citizens_are_anonymous_in_public(self, client, cast):
        shy = UserFactory(display_name="Mario Riservato", show_name_publicly=False)
        open_ = UserFactory(display_name="Lucia Pubblica", show_name_publicly=True)
        PactFactory(cast=cast, status=Status.ACTIVE, proponent=shy)
        PactFactory(cast=cast, status=Status.ACTIVE, proponent=open_)

        registry = client.get("/torino/pacts/").content.decode()
        api = client.get("/api/v1/torino/pacts").content.decode()

        assert "Lucia Pubblica" in registry and "Lucia Pubblica" in api
        assert "Mario Riservato" not in registry and "Mario Riservato" not in api

    def test_filters(self, client, cast):
        PactFactory(cast=cast, status=Status.ACTIVE)
        PactFactory(cast=cast, status=Status.SUBMITTED)

        def statuses(query):
            return {p.status for p in client.get(f"/torino/pacts/?{query}").context["page"]}

        assert statuses("stage=pact") == {Status.ACTIVE}
        assert statuses("stage=proposal") == {Status.SUBMITTED}
        assert client.get("/torino/pacts/?status=draft").status_code == 400

    def test_query_counts_do_not_grow(self, client, cast):
        def urls(pact):
            return [
                "/torino/pacts/",
                f"/torino/pacts/{pact.number}/",
                "/torino/pacts/?stage=pact&q=giardino",
                "/api/v1/torino/pacts",
                f"/api/v1/torino/pacts/{pact.number}",
            ]

        pact = PactFactory(cast=cast, status=Status.ACTIVE)
        PactFactory(cast=cast, status=Status.SUBMITTED)
        client.force_login(cast.office)
        for url in urls(pact):  # warm up: per-process lookups cached once, as in production
            client.get(url)
        small = {u: queries(client, u) for u in urls(pact)}
        small_worklist = queries(client, "/torino/office/pacts/")

        for status in (
            Status.ACTIVE,
            Status.SUBMITTED,
            Status.CONSULTATION,
            Status.EVALUATION,
            Status.CO_DESIGN,
        ) * 3:
            PactFactory(cast=cast, status=status)
        for _ in range(10):  # a longer history for the same pact
            pact = services.pact_transition(
                actor=cast.office, pact=pact, action="suspend", note="Lavori"
            )
            pact = services.pact_transition(actor=cast.office, pact=pact, action="resume")

        assert {u: queries(client, u) for u in urls(pact)} == small
        assert queries(client, "/torino/office/pacts/") == small_worklist

    def test_the_worklist_comes_in_pages_the_most_overdue_first(self, client, cast, monkeypatch):
        monkeypatch.setattr(selectors, "WORKLIST_PAGE_SIZE", 2)
        pacts = [PactFactory(cast=cast, status=Status.SUBMITTED) for _ in range(3)]
        oldest = pacts[2]
        Pact.objects.filter(pk=oldest.pk).update(
            clock_started_at=timezone.now() - dt.timedelta(days=60)
        )
        client.force_login(cast.office)

        first = client.get("/torino/office/pacts/")
        second = client.get("/torino/office/pacts/?page=2")

        assert [p.pk for p in first.context["pacts"]][0] == oldest.pk
        assert first.context["pacts"][0].overdue
        assert len(first.context["pacts"]) == 2 and len(second.context["pacts"]) == 1
        seen = {p.pk for p in first.context["pacts"]} | {p.pk for p in second.context["pacts"]}
        assert seen == {p.pk for p in pacts}
        assert "page=2" in first.content.decode()


@pytest.mark.django_db
class TestApi:
    def test_detail_shape_and_timeline(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.ACTIVE)

        body = client.get(f"/api/v1/torino/pacts/{pact.number}").json()

        assert set(body) == {
            "activities",
            "category",
            "commitments",
            "commons",
            "commons_id",
            "complexity",
            "district",
            "end_date",
            "events",
            "number",
            "objectives",
            "parties",
            "pdf",
            "proponent",
            "signed_text_hash",
            "stage",
            "start_date",
            "status",
            "submitted_at",
            "supports",
            "title",
            "url",
        }
        assert [e["to_status"] for e in body["events"] if e["to_status"]] == [
            "draft",
            "submitted",
            "consultation",
            "evaluation",
            "co_design",
            "awaiting_signature",
            "active",
        ]
        assert body["pdf"].endswith(f"/torino/pacts/{pact.number}/pact.pdf")

    def test_a_draft_is_not_in_the_api(self, client, cast):
        PactFactory(cast=cast, status=Status.DRAFT)
        assert client.get("/api/v1/torino/pacts").json()["count"] == 0

    def test_bad_filter_is_400(self, client, cast):
        response = client.get("/api/v1/torino/pacts?year=abc")
        assert response.status_code == 400 and "year" in response.json()["detail"]


@pytest.mark.django_db
def test_api_cursor_walks_the_whole_registry_newest_first(client, cast):
    for status in (
        Status.SUBMITTED,
        Status.ACTIVE,
        Status.REJECTED,
        Status.CONSULTATION,
        Status.SUBMITTED,
    ):
        PactFactory(cast=cast, status=status)
    seen, url = [], "/api/v1/torino/pacts?page_size=2"
    while url:
        body = client.get(url).json()
        assert body["count"] == 5
        seen += [r["number"] for r in body["results"]]
        url = body["next"]

    expected = list(
        Pact.objects.exclude(status="draft")
        .order_by("-submitted_at", "-id")
        .values_list("number", flat=True)
    )
    assert seen == expected


@pytest.mark.django_db
def test_the_wizard_steps_follow_the_language(client, cast):
    client.force_login(UserFactory())

    english = client.get("/torino/pacts/new/", headers={"accept-language": "en"})
    italian = client.get("/torino/pacts/new/", headers={"accept-language": "it"})

    assert "Objectives and activities" in english.content.decode()
    assert "Obiettivi e attività" in italian.content.decode()
