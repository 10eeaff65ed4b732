"""Real documents for upload tests, made here: a PDF that opens, OpenDocument and Office Open XML
archives with their parts, a CAdES (.p7m) envelope, a photo that tells where it was taken, and
the fakes that only look like them; ``upload`` hands any of them over as a browser would."""

from __future__ import annotations

import io
import zipfile

from asn1crypto import cms, x509
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

OOXML = "application/vnd.openxmlformats-officedocument"
ODF = "application/vnd.oasis.opendocument"

# Office Open XML: the main part and its content type, by extension.
OOXML_MAIN = {
    "docx": ("word/document.xml", f"{OOXML}.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", f"{OOXML}.spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", f"{OOXML}.presentationml.presentation.main+xml"),
}
ODF_TYPES = {"odt": f"{ODF}.text", "ods": f"{ODF}.spreadsheet", "odp": f"{ODF}.presentation"}


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def ooxml_entries(extension: str, *, main_type: str | None = None) -> dict[str, bytes]:
    part, content_type = OOXML_MAIN[extension]
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override ContentType="{main_type or content_type}" PartName="/{part}"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Target="{part}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument"/></Relationships>'
    )
    return {
        "[Content_Types].xml": types.encode(),
        "_rels/.rels": rels.encode(),
        part: b'<?xml version="1.0" encoding="UTF-8"?><document/>',
    }


def ooxml_bytes(extension: str, **kwargs: str) -> bytes:
    return zip_bytes(ooxml_entries(extension, **kwargs))


def odf_entries(extension: str, *, mimetype: str | None = None) -> dict[str, bytes]:
    return {
        "mimetype": (mimetype or ODF_TYPES[extension]).encode(),
        "content.xml": b'<?xml version="1.0" encoding="UTF-8"?><office:document-content/>',
        "META-INF/manifest.xml": b'<?xml version="1.0" encoding="UTF-8"?><manifest/>',
    }


def odf_bytes(extension: str, **kwargs: str) -> bytes:
    return zip_bytes(odf_entries(extension, **kwargs))


def p7m_bytes(content: bytes | None = None) -> bytes:
    """A CMS SignedData envelope around ``content`` (a PDF by default), with one signer. The
    signature is not valid: the platform checks the envelope, not the certificate."""
    signer = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": {
                        "issuer": x509.Name.build({"common_name": "Demo CA"}),
                        "serial_number": 1,
                    }
                }
            ),
            "digest_algorithm": {"algorithm": "sha256"},
            "signature_algorithm": {"algorithm": "rsassa_pkcs1v15"},
            "signature": b"\x00" * 256,
        }
    )
    signed = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {
                "content_type": "data",
                "content": content if content is not None else pdf_bytes(),
            },
            "signer_infos": [signer],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()


def jpeg_with_gps() -> bytes:
    """A small JPEG whose EXIF carries a GPS position and a camera model."""
    image = Image.new("RGB", (64, 48), (200, 80, 40))
    exif = Image.Exif()
    exif[0x0110] = "Camera Segreta"  # Model
    exif[0x8825] = {1: "N", 2: (45.0, 4.0, 8.0), 3: "E", 4: (7.0, 41.0, 35.0)}  # GPS IFD
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
