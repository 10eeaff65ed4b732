"""Checks and processing of uploaded files, shared by every app that accepts them: the type is
read from the content (never from the name or the browser's word), sizes are bounded, and
photos are re-encoded without their metadata."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # 40 megapixels: a large phone photo, far below a decompression bomb
MAX_DIMENSION = 2400  # stored photos are scaled down to this on their longer side
THUMBNAIL_SIZE = (480, 360)
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# Document types recognised by their first bytes.
DOCUMENT_SIGNATURES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"PK\x03\x04": ("application/zip", "zip"),  # OpenDocument and Office Open XML
}
_OOXML = "application/vnd.openxmlformats-officedocument"
OFFICE_TYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "docx": f"{_OOXML}.wordprocessingml.document",
    "xlsx": f"{_OOXML}.spreadsheetml.sheet",
    "pptx": f"{_OOXML}.presentationml.presentation",
}
DOCUMENT_EXTENSIONS = {"pdf", *OFFICE_TYPES}


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


def check_document(upload: UploadedFile) -> str:
    """The content type of an acceptable document (PDF, OpenDocument, Office), or a
    ValidationError."""
    check_size(upload)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    extension = (upload.name or "").rsplit(".", 1)[-1].lower()
    for signature, (content_type, kind) in DOCUMENT_SIGNATURES.items():
        if head.startswith(signature):
            if kind == "pdf" and extension == "pdf":
                return content_type
            if kind == "zip" and extension in DOCUMENT_EXTENSIONS - {"pdf"}:
                return OFFICE_TYPES[extension]
    raise ValidationError(
        _("The document must be a PDF or an OpenDocument/Office file (.odt, .ods, .docx, .xlsx).")
    )
