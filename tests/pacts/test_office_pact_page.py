"""The clerk's page of a pact has everything needed to decide (issue #13, item 9): the
proposal (objectives, activities, commons or place, people involved, support asked, start and
duration), its attachments, the proponent with the contact details, and the deadline of the
current step."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cocity.pacts import services
from cocity.pacts.models import Status
from tests.accounts.factories import UserFactory
from tests.documents import pdf_bytes
from tests.pacts.factories import PactFactory

pytestmark = pytest.mark.django_db


def test_the_office_page_shows_the_proposal_and_the_proponent(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    proponent = UserFactory(display_name="Giulia Rossi", email="giulia@example.org")
    pact = PactFactory(cast=cast, proponent=proponent)
    services.pact_update_draft(
        actor=proponent,
        pact=pact,
        people_involved="I vicini di via Roma",
        support_requested="Attrezzi e sacchi",
    )
    services.attachment_add(
        actor=proponent,
        pact=pact,
        upload=SimpleUploadedFile("planimetria.pdf", pdf_bytes(), "application/pdf"),
        title="Planimetria",
        public=False,
    )
    pact = cast.walk_on(pact, Status.SUBMITTED)
    client.force_login(cast.office)

    html = client.get(f"/torino/office/pacts/{pact.number}/").content.decode()

    for text in (
        "Un giardino curato",  # objectives
        "Pulizia e piantumazione",  # activities
        cast.commons.name,
        "I vicini di via Roma",
        "Attrezzi e sacchi",
        "12 mesi",
        "Giulia Rossi",
        "mailto:giulia@example.org",
        "Planimetria",
        "Scadenza della fase",
    ):
        assert text in html, text
