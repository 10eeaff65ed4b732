"""A document is accepted only if it opens as what its name says (issue #11, finding 12): a PDF
must parse, an OpenDocument or Office Open XML file must be an archive with the right parts,
within limits that stop zip bombs. The first bytes alone are not enough."""

from __future__ import annotations

import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cocity.core import uploads
from tests.documents import (
    ODF_TYPES,
    OOXML,
    odf_bytes,
    odf_entries,
    ooxml_bytes,
    ooxml_entries,
    p7m_bytes,
    pdf_bytes,
    zip_bytes,
)

NOT_OPENING = "Il file non si apre come il documento indicato dal suo nome"
UNKNOWN_TYPE = "Il documento deve essere un file PDF o OpenDocument/Office"
TOO_BIG_UNCOMPRESSED = "Il documento è troppo grande una volta decompresso"


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        uploads.check_document(SimpleUploadedFile(name, content))
    return " ".join(caught.value.messages)


class TestDocumentsThatOpen:
    def test_a_pdf_that_parses_is_accepted(self):
        assert uploads.check_document(SimpleUploadedFile("a.pdf", pdf_bytes(2))) == (
            "application/pdf"
        )

    @pytest.mark.parametrize("extension", ["docx", "xlsx", "pptx"])
    def test_office_open_xml_with_its_main_part_is_accepted(self, extension):
        upload = SimpleUploadedFile(f"a.{extension}", ooxml_bytes(extension))
        assert uploads.check_document(upload) == uploads.OFFICE_TYPES[extension]

    @pytest.mark.parametrize("extension", ["odt", "ods", "odp"])
    def test_opendocument_with_its_mimetype_is_accepted(self, extension):
        upload = SimpleUploadedFile(f"a.{extension}", odf_bytes(extension))
        assert uploads.check_document(upload) == ODF_TYPES[extension]

    def test_the_upload_can_be_read_again_after_the_check(self):
        content = ooxml_bytes("docx")
        upload = SimpleUploadedFile("a.docx", content)
        uploads.check_document(upload)
        assert upload.read() == content


class TestLookAlikes:
    @pytest.mark.parametrize(
        "name, content",
        [
            ("pagina.pdf", b"%PDF-1.4<html><script>alert(document.cookie)</script></html>"),
            ("pagina.pdf", b"%PDF-1.4\n<html>\nstartxref\n0\n%%EOF\n"),
            ("troncato.pdf", pdf_bytes()[:200]),
            ("pagina.docx", b"PK\x03\x04<html><script>alert(1)</script></html>"),
            ("pagina.odt", b"PK\x03\x04<html><script>alert(1)</script></html>"),
        ],
    )
    def test_a_file_that_only_starts_like_a_document_is_refused(self, name, content):
        assert NOT_OPENING in refusal(name, content)

    def test_a_pdf_without_pages_is_refused(self):
        assert NOT_OPENING in refusal("vuoto.pdf", pdf_bytes(0))

    def test_a_zip_that_is_not_an_office_document_is_refused(self):
        content = zip_bytes({"index.html": b"<script>alert(1)</script>"})
        assert NOT_OPENING in refusal("archivio.docx", content)
        assert NOT_OPENING in refusal("archivio.odt", content)

    def test_office_parts_without_the_main_part_are_refused(self):
        entries = ooxml_entries("docx")
        del entries["word/document.xml"]
        assert NOT_OPENING in refusal("senza-corpo.docx", zip_bytes(entries))

    def test_a_macro_enabled_document_renamed_docx_is_refused(self):
        macro = "application/vnd.ms-word.document.macroEnabled.main+xml"
        content = ooxml_bytes("docx", main_type=macro)
        assert NOT_OPENING in refusal("macro.docx", content)

    def test_a_spreadsheet_renamed_as_a_text_is_refused(self):
        assert NOT_OPENING in refusal("foglio.docx", ooxml_bytes("xlsx"))
        assert NOT_OPENING in refusal("foglio.odt", odf_bytes("ods"))

    def test_opendocument_with_a_foreign_mimetype_is_refused(self):
        content = odf_bytes("odt", mimetype="text/html")
        assert NOT_OPENING in refusal("pagina.odt", content)

    def test_opendocument_without_its_content_is_refused(self):
        entries = odf_entries("odt")
        del entries["content.xml"]
        assert NOT_OPENING in refusal("vuoto.odt", zip_bytes(entries))

    def test_a_damaged_archive_is_refused(self):
        content = bytearray(odf_bytes("odt", mimetype=ODF_TYPES["odt"]))
        # Corrupt the compressed content of content.xml: its CRC no longer matches.
        start = content.index(b"content.xml") + len("content.xml")
        content[start + 2 : start + 12] = b"\xff" * 10
        assert NOT_OPENING in refusal("rotto.odt", bytes(content))

    def test_an_unknown_extension_is_refused_even_with_a_good_content(self):
        assert UNKNOWN_TYPE in refusal("documento.html", pdf_bytes())


class TestZipBombs:
    def test_too_much_uncompressed_content_is_refused(self):
        entries = ooxml_entries("docx")
        entries["word/media/zeros.bin"] = b"\0" * (uploads.MAX_UNCOMPRESSED_BYTES + 1)
        content = zip_bytes(entries)
        assert len(content) < 1024 * 1024  # small on the wire

        assert TOO_BIG_UNCOMPRESSED in refusal("bomba.docx", content)

    def test_too_many_entries_are_refused(self):
        entries = odf_entries("odt")
        entries.update({f"Pictures/{i}.png": b"" for i in range(uploads.MAX_ARCHIVE_ENTRIES)})
        content = zip_bytes(entries, compression=zipfile.ZIP_STORED)

        assert TOO_BIG_UNCOMPRESSED in refusal("tante.odt", content)

    def test_a_part_larger_than_it_says_is_refused(self):
        # The central directory says content.xml is small; its data inflates to far more.
        entries = odf_entries("odt")
        content = bytearray(zip_bytes(entries | {"content.xml": b"<x/>" * 500_000}))
        real = len(b"<x/>" * 500_000).to_bytes(4, "little")
        fake = (100).to_bytes(4, "little")
        content = content.replace(real, fake)
        assert NOT_OPENING in refusal("bugiardo.odt", bytes(content))


class TestSignedFiles:
    def test_a_pdf_and_a_cades_envelope_are_accepted(self):
        assert uploads.check_signed_document(SimpleUploadedFile("f.pdf", pdf_bytes())) == (
            "application/pdf"
        )
        assert uploads.check_signed_document(SimpleUploadedFile("f.p7m", p7m_bytes())) == (
            "application/pkcs7-mime"
        )

    @pytest.mark.parametrize(
        "name, content",
        [
            ("firmato.pdf", b"%PDF-1.7<html><script>alert(1)</script>"),
            ("firmato.p7m", b"\x30\x82\x01\x00<html><script>alert(1)</script>"),
            ("firmato.p7m", p7m_bytes()[:-10]),
            ("firmato.p7m", p7m_bytes() + b"<html>"),
            ("firmato.p7m", pdf_bytes()),
            ("firmato.docx", ooxml_bytes("docx")),
        ],
    )
    def test_look_alikes_are_refused(self, name, content):
        with pytest.raises(ValidationError) as caught:
            uploads.check_signed_document(SimpleUploadedFile(name, content))
        assert "firma digitale qualificata" in " ".join(caught.value.messages)


def test_office_types_cover_the_documented_extensions():
    assert set(uploads.OFFICE_TYPES) == {"odt", "ods", "odp", "docx", "xlsx", "pptx"}
    assert uploads.OFFICE_TYPES["docx"] == f"{OOXML}.wordprocessingml.document"
