"""The office's document form of a commons accepts a document only if it opens as what its
name says (issue #11, finding 12); a refused file leaves nothing behind. Commons documents are
public: they stay at /media/ for anyone."""

from __future__ import annotations

import pytest

from cocity.commons.models import Document
from tests.commons.factories import CommonsFactory
from tests.documents import ooxml_bytes, pdf_bytes, upload

REFUSED = "Il file non si apre come il documento indicato dal suo nome"


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


@pytest.mark.django_db
class TestCommonsDocumentForm:
    @pytest.mark.parametrize(
        "name, content",
        [
            ("scheda.pdf", b"%PDF-1.4<html><script>alert(1)</script></html>"),
            ("scheda.docx", b"PK\x03\x04<html><script>alert(1)</script></html>"),
        ],
    )
    def test_a_look_alike_is_refused_and_nothing_is_stored(
        self, client, office, torino, media, name, content
    ):
        commons = CommonsFactory(municipality=torino)

        response = client.post(
            f"/torino/office/commons/{commons.pk}/documents/",
            {"document-file": upload(name, content), "document-title": "X"},
        )

        assert response.status_code == 400
        errors = response.context["document_form"].errors
        assert REFUSED in " ".join(message for field in errors.values() for message in field)
        assert not Document.objects.exists()
        assert stored_files(media) == []

    def test_a_real_document_is_stored_and_public(self, client, office, torino, media):
        commons = CommonsFactory(municipality=torino)

        response = client.post(
            f"/torino/office/commons/{commons.pk}/documents/",
            {
                "document-file": upload("regolamento.docx", ooxml_bytes("docx")),
                "document-title": "Regolamento d'uso",
            },
        )

        assert response.status_code == 302
        document = Document.objects.get()
        client.logout()
        served = client.get(document.file.url)
        assert document.file.url.startswith("/media/commons/")
        assert served.status_code == 200

    def test_a_pdf_that_opens_is_accepted(self, client, office, torino, media):
        commons = CommonsFactory(municipality=torino)

        client.post(
            f"/torino/office/commons/{commons.pk}/documents/",
            {
                "document-file": upload("scheda.pdf", pdf_bytes()),
                "document-title": "Scheda",
            },
        )

        assert Document.objects.get().content_type == "application/pdf"
