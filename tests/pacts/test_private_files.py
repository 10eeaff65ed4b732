"""Files that are not public (issue #11, finding 5): a draft's attachments, the documents not
marked public, the files signed with a qualified signature and the activity photos are stored
under random names outside MEDIA_ROOT and are served only through views that ask the same
permission as the page that links to them. Public files stay public. docs/decisions/0011."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cocity.accounts.models import StaffRole, User
from cocity.commons.services import commons_photo_add
from cocity.pacts import services
from cocity.pacts.models import Attachment, Pact, Party, Status
from cocity.reports.models import ActivityLog
from cocity.reports.services import activity_log_add
from tests.accounts.factories import PASSWORD, UserFactory, staff
from tests.documents import jpeg_with_gps, p7m_bytes, pdf_bytes
from tests.pacts.factories import Cast, PactFactory

ID_CARD = pdf_bytes()
REFUSED = "Il file non si apre come il documento indicato dal suo nome"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(cast, reggio) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "another_citizen": UserFactory(),
        "turin_office": cast.office,
        "reggio_office": staff(municipality=reggio, role=StaffRole.Role.OFFICE),
    }


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def get_as(client, user: User | None, url: str):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def attach(pact: Pact, *, name: str = "documento-identita.pdf", public: bool = True):
    return services.attachment_add(
        actor=pact.proponent,
        pact=pact,
        upload=SimpleUploadedFile(name, ID_CARD, content_type="application/pdf"),
        title="Documento d'identità",
        public=public,
    )


def attachment_url(attachment: Attachment) -> str:
    return reverse(
        "pacts:attachment",
        kwargs={"city": attachment.pact.municipality.slug, "pk": attachment.pk},
    )


def assert_refused(response, who: str) -> None:
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/")
    else:
        assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
    assert ID_CARD not in body(response)


@pytest.mark.django_db
class TestAttachmentOfADraft:
    def test_it_is_stored_under_a_random_name_outside_the_media_folder(self, cast, media):
        draft = PactFactory(cast=cast)

        attachment = attach(draft)

        assert "documento-identita" not in attachment.file.name
        assert attachment.original_name == "documento-identita.pdf"
        assert files_under(media) == []
        (stored,) = files_under(media.parent / "private")
        assert stored.read_bytes() == ID_CARD

    def test_the_old_public_address_answers_404(self, client, cast, media):
        attach(PactFactory(cast=cast))

        response = client.get("/media/pacts/attachments/documento-identita.pdf")

        assert response.status_code == 404

    def test_the_owner_downloads_it(self, client, cast, media):
        draft = PactFactory(cast=cast)
        attachment = attach(draft)

        response = get_as(client, draft.proponent, attachment_url(attachment))

        assert response.status_code == 200
        assert body(response) == ID_CARD
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == ('attachment; filename="documento-identita.pdf"')
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"

    def test_the_office_of_the_same_city_downloads_it(self, client, cast, media):
        attachment = attach(PactFactory(cast=cast))

        response = get_as(client, cast.office, attachment_url(attachment))

        assert response.status_code == 200
        assert body(response) == ID_CARD

    @pytest.mark.parametrize("who", ["anonymous", "another_citizen", "reggio_office"])
    def test_nobody_else_gets_it(self, client, cast, media, people, who):
        attachment = attach(PactFactory(cast=cast))

        response = get_as(client, people[who], attachment_url(attachment))

        assert_refused(response, who)

    def test_it_is_not_reachable_through_another_city(self, client, cast, media, reggio):
        draft = PactFactory(cast=cast)
        attachment = attach(draft)
        url = reverse("pacts:attachment", kwargs={"city": reggio.slug, "pk": attachment.pk})

        response = get_as(client, draft.proponent, url)

        assert response.status_code == 404

    def test_the_development_media_view_does_not_reach_the_private_folder(
        self, client, cast, media
    ):
        attachment = attach(PactFactory(cast=cast))

        for path in (
            f"/media/{attachment.file.name}",
            f"/media/../private/{attachment.file.name}",
            f"/media/%2E%2E/private/{attachment.file.name}",
        ):
            assert client.get(path).status_code == 404, path


@pytest.mark.django_db
class TestAttachmentsOfAPublicPact:
    def test_a_public_document_is_public(self, client, cast, media):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        attachment = attach(pact)

        page = client.get(pact.url_for("torino"))
        response = client.get(attachment_url(attachment))

        assert attachment_url(attachment) in page.content.decode()
        assert "/media/" not in page.content.decode()
        assert response.status_code == 200
        assert body(response) == ID_CARD

    @pytest.mark.parametrize("who", ["anonymous", "another_citizen", "reggio_office"])
    def test_a_document_not_marked_public_stays_private(self, client, cast, media, people, who):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        attachment = attach(pact, public=False)

        page = get_as(client, people[who], pact.url_for("torino"))
        response = get_as(client, people[who], attachment_url(attachment))

        assert attachment_url(attachment) not in page.content.decode()
        assert_refused(response, who)

    @pytest.mark.parametrize("who", ["proponent", "turin_office"])
    def test_the_parties_and_the_office_see_the_private_document(
        self, client, cast, media, people, who
    ):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        attachment = attach(pact, public=False)
        user = pact.proponent if who == "proponent" else people[who]

        page = get_as(client, user, pact.url_for("torino"))
        response = get_as(client, user, attachment_url(attachment))

        assert attachment_url(attachment) in page.content.decode()
        assert response.status_code == 200
        assert body(response) == ID_CARD


@pytest.mark.django_db
class TestAttachmentThroughTheWizard:
    def test_a_document_is_private_unless_the_proponent_publishes_it(self, client, cast, media):
        draft = PactFactory(cast=cast)
        client.force_login(draft.proponent)
        url = f"/torino/pacts/drafts/{draft.pk}/attachments/"

        client.post(
            url,
            {"title": "Carta d'identità", "file": SimpleUploadedFile("ci.pdf", ID_CARD), "stay": 1},
        )
        client.post(
            url,
            {
                "title": "Planimetria",
                "file": SimpleUploadedFile("planimetria.pdf", ID_CARD),
                "public": "on",
                "stay": 1,
            },
        )

        assert dict(draft.attachments.values_list("title", "public")) == {
            "Carta d'identità": False,
            "Planimetria": True,
        }

    def test_a_fake_pdf_is_refused_and_nothing_is_stored(self, client, cast, media):
        draft = PactFactory(cast=cast)
        client.force_login(draft.proponent)

        response = client.post(
            f"/torino/pacts/drafts/{draft.pk}/attachments/",
            {
                "title": "Pagina",
                "file": SimpleUploadedFile("pagina.pdf", b"%PDF-1.4<html><script>x</script>"),
                "stay": 1,
            },
        )

        assert response.status_code == 400
        assert REFUSED in " ".join(response.context["form"].errors["file"])
        assert not Attachment.objects.exists()
        assert files_under(media) == [] and files_under(media.parent / "private") == []


def signed_by_file(cast: Cast, *, name: str = "TO-2023-0010-firmato.pdf") -> Party:
    pact = PactFactory(cast=cast, status=Status.AWAITING_SIGNATURE)
    party = pact.parties.get(role=Party.Role.PROPONENT)
    services.pact_sign(
        actor=pact.proponent,
        party=party,
        signed_file=SimpleUploadedFile(name, ID_CARD, content_type="application/pdf"),
    )
    party.refresh_from_db()
    return party


def signature_url(party: Party) -> str:
    return reverse("pacts:signature_file", kwargs={"city": "torino", "pk": party.pk})


@pytest.mark.django_db
class TestSignedFiles:
    def test_the_signed_file_is_stored_under_a_random_name(self, client, cast, media):
        party = signed_by_file(cast)

        assert "firmato" not in party.signature_file.name
        assert party.signature_file_name == "TO-2023-0010-firmato.pdf"
        assert files_under(media) == []
        assert client.get("/media/pacts/signatures/TO-2023-0010-firmato.pdf").status_code == 404

    @pytest.mark.parametrize("who", ["proponent", "turin_office"])
    def test_the_party_and_the_office_download_it(self, client, cast, media, people, who):
        party = signed_by_file(cast)
        user = party.pact.proponent if who == "proponent" else people[who]

        page = get_as(client, user, party.pact.url_for("torino"))
        response = get_as(client, user, signature_url(party))

        assert signature_url(party) in page.content.decode()
        assert response.status_code == 200
        assert body(response) == ID_CARD
        assert response["Content-Disposition"] == (
            'attachment; filename="TO-2023-0010-firmato.pdf"'
        )

    @pytest.mark.parametrize("who", ["anonymous", "another_citizen", "reggio_office"])
    def test_nobody_else_gets_it_although_the_pact_is_public(
        self, client, cast, media, people, who
    ):
        party = signed_by_file(cast)

        page = get_as(client, people[who], party.pact.url_for("torino"))
        response = get_as(client, people[who], signature_url(party))

        assert page.status_code == 200
        assert signature_url(party) not in page.content.decode()
        assert_refused(response, who)

    def test_a_party_signed_in_the_platform_has_no_file(self, client, cast, media):
        pact = PactFactory(cast=cast, status=Status.AWAITING_SIGNATURE)
        party = pact.parties.get(role=Party.Role.PROPONENT)
        services.pact_sign(actor=pact.proponent, party=party, password=PASSWORD)

        response = get_as(client, pact.proponent, signature_url(party))

        assert response.status_code == 404

    def test_a_cades_envelope_keeps_its_type(self, client, cast, media):
        pact = PactFactory(cast=cast, status=Status.AWAITING_SIGNATURE)
        party = pact.parties.get(role=Party.Role.PROPONENT)
        services.pact_sign(
            actor=pact.proponent,
            party=party,
            signed_file=SimpleUploadedFile("patto.pdf.p7m", p7m_bytes()),
        )

        response = get_as(client, pact.proponent, signature_url(party))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pkcs7-mime"
        assert response["Content-Disposition"] == 'attachment; filename="patto.pdf.p7m"'


def activity_with_photo(pact: Pact) -> ActivityLog:
    return activity_log_add(
        actor=pact.proponent,
        pact=pact,
        date=pact.start_date or dt.date.today(),
        activity="Pulizia del giardino",
        hours=Decimal("3"),
        photo=SimpleUploadedFile("volontari.jpg", jpeg_with_gps(), content_type="image/jpeg"),
    )


def photo_url(entry: ActivityLog) -> str:
    return reverse(
        "reports:activity_photo",
        kwargs={"city": "torino", "number": entry.pact.number, "pk": entry.pk},
    )


@pytest.mark.django_db
class TestActivityPhotos:
    @pytest.mark.parametrize("who", ["proponent", "turin_office"])
    def test_the_parties_and_the_office_see_it(self, client, cast, media, people, who):
        entry = activity_with_photo(PactFactory(cast=cast, status=Status.ACTIVE))
        user = entry.pact.proponent if who == "proponent" else people[who]

        page = get_as(client, user, f"/torino/pacts/{entry.pact.number}/activity/")
        response = get_as(client, user, photo_url(entry))

        assert files_under(media) == []
        assert photo_url(entry) in page.content.decode()
        assert response.status_code == 200
        assert body(response).startswith(b"\xff\xd8")  # a JPEG
        assert response["Content-Type"] == "image/jpeg"

    @pytest.mark.parametrize("who", ["anonymous", "another_citizen", "reggio_office"])
    def test_nobody_else_gets_it(self, client, cast, media, people, who):
        entry = activity_with_photo(PactFactory(cast=cast, status=Status.ACTIVE))

        response = get_as(client, people[who], photo_url(entry))

        assert_refused(response, who)


@pytest.mark.django_db
class TestPublicFilesStayPublic:
    def test_a_commons_photo_is_served_to_anyone(self, client, cast, media):
        photo = commons_photo_add(
            actor=cast.office,
            commons=cast.commons,
            upload=SimpleUploadedFile("facciata.jpg", jpeg_with_gps()),
            alt_text="La facciata",
        )

        response = client.get(photo.image.url)

        assert photo.image.url.startswith("/media/commons/")
        assert response.status_code == 200

    def test_the_pdf_of_a_public_pact_is_served_to_anyone(self, client, cast, media):
        pact = PactFactory(cast=cast, status=Status.ACTIVE)

        response = client.get(f"/torino/pacts/{pact.number}/pact.pdf")

        assert response.status_code == 200


@pytest.mark.django_db
class TestAcceleratedSend:
    """In production the proxy sends the bytes (nginx ``X-Accel-Redirect`` to an ``internal``
    location) once Django has said yes."""

    def test_the_answer_names_the_file_for_the_proxy(self, client, cast, media, settings):
        settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/protected/"
        draft = PactFactory(cast=cast)
        attachment = attach(draft)

        response = get_as(client, draft.proponent, attachment_url(attachment))

        assert response.status_code == 200
        assert response["X-Accel-Redirect"] == f"/protected/{attachment.file.name}"
        assert body(response) == b""
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == ('attachment; filename="documento-identita.pdf"')
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]

    def test_a_refusal_names_no_file(self, client, cast, media, settings, people):
        settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/protected/"
        attachment = attach(PactFactory(cast=cast))

        response = get_as(client, people["another_citizen"], attachment_url(attachment))

        assert response.status_code == 404
        assert "X-Accel-Redirect" not in response


@pytest.mark.django_db
class TestUpgrade:
    """An upgraded deployment stops exposing the files it already has: the migration moves
    them out of MEDIA_ROOT under random names and keeps their original names."""

    def test_existing_private_files_are_moved_out_of_the_media_folder(
        self, client, cast, media, django_capture_on_commit_callbacks
    ):
        draft = PactFactory(cast=cast)
        attachment = attach(draft)
        party = signed_by_file(cast)
        entry = activity_with_photo(PactFactory(cast=cast, status=Status.ACTIVE))
        # As before the upgrade: the files in MEDIA_ROOT under their original names.
        old = {
            Attachment: (attachment.pk, "file", "pacts/attachments/documento-identita.pdf"),
            Party: (party.pk, "signature_file", "pacts/signatures/TO-2023-0010-firmato.pdf"),
            ActivityLog: (entry.pk, "photo", "reports/photos/photo.jpg"),
        }
        for model, (pk, field, name) in old.items():
            (media / name).parent.mkdir(parents=True, exist_ok=True)
            (media / name).write_bytes(b"old bytes of " + name.encode())
            model.objects.filter(pk=pk).update(**{field: name})
        Attachment.objects.filter(pk=attachment.pk).update(original_name="")
        Party.objects.filter(pk=party.pk).update(signature_file_name="")
        assert client.get("/media/pacts/attachments/documento-identita.pdf").status_code == 200

        orphan = media / "pacts/attachments/of-a-deleted-pact.pdf"
        orphan.write_bytes(b"left behind")

        with django_capture_on_commit_callbacks(execute=True):
            for module in (
                "cocity.pacts.migrations.0004_private_files",
                "cocity.reports.migrations.0002_private_photos",
            ):
                importlib.import_module(module).move_to_private(apps, None)

        assert files_under(media) == []
        for path in old.values():
            assert client.get(f"/media/{path[2]}").status_code == 404
        attachment.refresh_from_db()
        party.refresh_from_db()
        entry.refresh_from_db()
        assert attachment.original_name == "documento-identita.pdf"
        assert "documento-identita" not in attachment.file.name
        assert party.signature_file_name == "TO-2023-0010-firmato.pdf"
        assert entry.photo.name.startswith("reports/photos/")
        assert entry.photo.name != "reports/photos/photo.jpg"
        response = get_as(client, draft.proponent, attachment_url(attachment))
        assert body(response) == b"old bytes of pacts/attachments/documento-identita.pdf"
        private = media.parent / "private"
        assert (
            private / "unreferenced" / "pacts/attachments/of-a-deleted-pact.pdf"
        ).read_bytes() == (b"left behind")

    def test_running_it_again_changes_nothing(
        self, cast, media, django_capture_on_commit_callbacks
    ):
        attachment = attach(PactFactory(cast=cast))
        name = attachment.file.name

        with django_capture_on_commit_callbacks(execute=True):
            importlib.import_module("cocity.pacts.migrations.0004_private_files").move_to_private(
                apps, None
            )

        attachment.refresh_from_db()
        assert attachment.file.name == name
        assert attachment.file.read() == ID_CARD
