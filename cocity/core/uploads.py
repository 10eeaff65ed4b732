"""Checks and processing of uploaded files, shared by every app that accepts them: the type is
read from the content (never from the name or the browser's word), sizes are bounded, photos
are re-encoded without their metadata, and documents are accepted only if they open as what
their name says: a PDF must parse, an OpenDocument or Office file must be an archive with the
parts of its kind, within limits that stop zip bombs."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from asn1crypto import cms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

MAX_PIXELS = 40_000_000  # 40 megapixels: a large phone photo, far below a decompression bomb
MAX_DIMENSION = 2400  # stored photos are scaled down to this on their longer side
THUMBNAIL_SIZE = (480, 360)
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# An archive (OpenDocument, Office Open XML) may hold at most this many entries and inflate to
# at most this many bytes: a long report with photos stays far below, a zip bomb does not.
MAX_ARCHIVE_ENTRIES = 2000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024  # [Content_Types].xml, mimetype: read whole, so bounded

_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"
OFFICE_TYPES = {
    "odt": f"{_ODF}.text",
    "ods": f"{_ODF}.spreadsheet",
    "odp": f"{_ODF}.presentation",
    "docx": f"{_OOXML}.wordprocessingml.document",
    "xlsx": f"{_OOXML}.spreadsheetml.sheet",
    "pptx": f"{_OOXML}.presentationml.presentation",
}
ODF_EXTENSIONS = {"odt", "ods", "odp"}
# The content type that [Content_Types].xml gives the main part of each Office Open XML kind
# (macro-enabled documents declare another one, and are refused).
OOXML_MAIN_TYPES = {
    "docx": f"{_OOXML}.wordprocessingml.document.main+xml",
    "xlsx": f"{_OOXML}.spreadsheetml.sheet.main+xml",
    "pptx": f"{_OOXML}.presentationml.presentation.main+xml",
}
DOCUMENT_EXTENSIONS = {"pdf", *OFFICE_TYPES}
PDF_TYPE = "application/pdf"
P7M_TYPE = "application/pkcs7-mime"

_OVERRIDE = re.compile(rb"<(?:\w+:)?Override\b[^>]*>")
_ATTRIBUTE = re.compile(rb"""\b(PartName|ContentType)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class _NotADocument(Exception):
    """The file does not open as the kind its name says."""


class _TooLarge(Exception):
    """The archive holds too many entries or inflates to too many bytes."""


@dataclass(frozen=True)
class ProcessedImage:
    image: ContentFile[bytes]
    thumbnail: ContentFile[bytes]
    width: int
    height: int


def check_size(upload: UploadedFile, limit: int | None = None) -> None:
    limit = limit or settings.MAX_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
        )


def process_photo(upload: UploadedFile) -> ProcessedImage:
    """Open the upload as an image (JPEG, PNG or WebP), refuse anything else, and re-encode it
    without EXIF (GPS position included), rotated as the camera meant, with a thumbnail."""
    check_size(upload)
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            fmt = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("The file is not an image in a format we accept (JPEG, PNG, WebP).")
        ) from None
    if fmt not in IMAGE_FORMATS:
        raise ValidationError(
            _("The file is not an image in a format we accept (JPEG, PNG, WebP).")
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("The image is too large: at most %(mp)s megapixels.")
            % {"mp": MAX_PIXELS // 1_000_000}
        )
    upload.seek(0)
    with Image.open(upload) as original:
        image = ImageOps.exif_transpose(original)
        image.load()
    if image.mode not in {"RGB", "RGBA", "L"}:
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    image.thumbnail((MAX_DIMENSION, MAX_DIMENSION))
    extension = IMAGE_FORMATS[fmt]
    thumb = image.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    return ProcessedImage(
        image=ContentFile(_encode(image, fmt), name=f"photo.{extension}"),
        thumbnail=ContentFile(_encode(thumb, fmt), name=f"thumb.{extension}"),
        width=image.width,
        height=image.height,
    )


def _encode(image: Image.Image, fmt: str) -> bytes:
    """Encode afresh: no ``exif``, ``icc_profile`` or other metadata is passed on."""
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
    else:
        image.save(buffer, format=fmt)
    return buffer.getvalue()


def extension_of(name: str | None) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def original_name(upload: UploadedFile, default: str = "document") -> str:
    """The name the file had on the uploader's computer, without any folder, for the download's
    ``Content-Disposition``; never used to store the file."""
    name = PurePath((upload.name or "").replace("\\", "/")).name.strip()
    return (name or default)[-200:]


def check_document(upload: UploadedFile) -> str:
    """The content type of an acceptable document, or a ValidationError: a PDF that parses, or
    an OpenDocument/Office Open XML archive of the kind its extension says."""
    check_size(upload)
    extension = extension_of(upload.name)
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _(
                "The document must be a PDF or an OpenDocument/Office file "
                "(.odt, .ods, .docx, .xlsx)."
            )
        )
    try:
        if extension == "pdf":
            _open_pdf(upload)
            return PDF_TYPE
        _open_office(upload, extension)
        return OFFICE_TYPES[extension]
    except _NotADocument:
        raise ValidationError(
            _("The file does not open as the document its name says (.%(extension)s).")
            % {"extension": extension}
        ) from None
    except _TooLarge:
        raise ValidationError(_("The document is too large once uncompressed.")) from None
    finally:
        upload.seek(0)


PHOTO_EXTENSIONS = {"jpg", "jpeg", "png", "webp"}
PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def check_attachment(upload: UploadedFile) -> tuple[str, ContentFile[bytes] | None]:
    """A document (``check_document``) or a photo: the content type, and for a photo the image
    re-encoded without its metadata (``process_photo``: no GPS position, no camera serial) to
    store instead of the upload."""
    if extension_of(upload.name) in PHOTO_EXTENSIONS:
        photo = process_photo(upload)
        extension = extension_of(photo.image.name)
        return PHOTO_TYPES[extension], photo.image
    try:
        return check_document(upload), None
    except ValidationError as exc:
        if extension_of(upload.name) not in DOCUMENT_EXTENSIONS:
            raise ValidationError(
                _(
                    "The file must be a document (PDF, OpenDocument or Office: .odt, .ods, "
                    ".docx, .xlsx) or a photo (JPEG, PNG, WebP)."
                )
            ) from exc
        raise


def check_signed_document(upload: UploadedFile, limit: int | None = None) -> str:
    """The content type of a file signed with a qualified signature, or a ValidationError: a
    PDF that parses (PAdES), or a CMS SignedData envelope with a signer (CAdES, ``.p7m``). The
    signature itself is verified by the office, not here."""
    check_size(upload, limit)
    extension = extension_of(upload.name)
    try:
        if extension == "pdf":
            _open_pdf(upload)
            return PDF_TYPE
        if extension == "p7m":
            _open_p7m(upload)
            return P7M_TYPE
    except _NotADocument:
        pass
    finally:
        upload.seek(0)
    raise ValidationError(
        _("Upload the pact signed with a qualified digital signature: a PDF or a .p7m file.")
    )


def _open_pdf(upload: UploadedFile) -> None:
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise _NotADocument
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            try:
                if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                    raise _NotADocument  # a password is needed to read it: the office cannot
            except DependencyError:
                return  # AES without a crypto library: the structure parsed, enough here
        pages = len(reader.pages)
    except _NotADocument:
        raise
    except Exception:  # pypdf raises many kinds on broken input; any of them means "not a PDF"
        raise _NotADocument from None
    if pages < 1:
        raise _NotADocument


def _open_office(upload: UploadedFile, extension: str) -> None:
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        raise _NotADocument
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ARCHIVE_ENTRIES:
                raise _TooLarge
            if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
                raise _TooLarge
            names = {entry.filename for entry in entries}
            if extension in ODF_EXTENSIONS:
                _check_odf(archive, names, extension)
            else:
                _check_ooxml(archive, names, extension)
    except (_NotADocument, _TooLarge):
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError):
        raise _NotADocument from None
    except (RuntimeError, NotImplementedError, ValueError):  # encrypted, unknown compression
        raise _NotADocument from None


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    """A small entry's bytes (a manifest), checked against its CRC."""
    info = archive.getinfo(name)
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _NotADocument
    with archive.open(info) as handle:
        return handle.read()


def _verify(archive: zipfile.ZipFile, name: str) -> None:
    """Inflate an entry and check its CRC, a piece at a time. zipfile stops at the size the
    archive declares (bounded above), so an entry that inflates to more fails its CRC."""
    with archive.open(name) as handle:
        while handle.read(1024 * 1024):
            pass


def _check_odf(archive: zipfile.ZipFile, names: set[str], extension: str) -> None:
    """OpenDocument: a ``mimetype`` entry that says the kind, the content and the manifest."""
    if not {"mimetype", "content.xml", "META-INF/manifest.xml"} <= names:
        raise _NotADocument
    if _read(archive, "mimetype").strip() != OFFICE_TYPES[extension].encode():
        raise _NotADocument
    _verify(archive, "META-INF/manifest.xml")
    _verify(archive, "content.xml")


def _check_ooxml(archive: zipfile.ZipFile, names: set[str], extension: str) -> None:
    """Office Open XML: ``[Content_Types].xml`` names the main part of the kind, and it exists."""
    if not {"[Content_Types].xml", "_rels/.rels"} <= names:
        raise _NotADocument
    types = _read(archive, "[Content_Types].xml")
    main = OOXML_MAIN_TYPES[extension].encode()
    parts = [
        attributes.get(b"PartName", b"")
        for attributes in (_attributes(tag) for tag in _OVERRIDE.findall(types))
        if attributes.get(b"ContentType") == main
    ]
    if len(parts) != 1:
        raise _NotADocument
    part = parts[0].decode("utf-8", "replace").lstrip("/")
    if part not in names:
        raise _NotADocument
    _verify(archive, "_rels/.rels")
    _verify(archive, part)


def _attributes(tag: bytes) -> dict[bytes, bytes]:
    return {match[0]: match[1] or match[2] for match in _ATTRIBUTE.findall(tag)}


def _open_p7m(upload: UploadedFile) -> None:
    upload.seek(0)
    data = upload.read()
    try:
        info = cms.ContentInfo.load(data, strict=True)
        if info["content_type"].native != "signed_data":
            raise _NotADocument
        signed: Any = info["content"]
        signed["encap_content_info"]["content_type"].native  # noqa: B018  (parses it)
        if len(signed["signer_infos"]) < 1:
            raise _NotADocument
    except _NotADocument:
        raise
    except Exception:  # asn1crypto raises ValueError, TypeError… on broken input
        raise _NotADocument from None
