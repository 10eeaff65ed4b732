"""Downloads of a pact's private files (docs/decisions/0011): its documents and the files
signed with a qualified signature. Each view asks the same permissions as the pact's page,
which links to the file only for those who may have it."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from cocity.core import uploads
from cocity.core.downloads import OCTET_STREAM, PrivateFile
from cocity.core.permissions import can
from cocity.municipalities.selectors import municipality_get
from cocity.pacts.models import Attachment, Party

SIGNED_TYPES = {"pdf": uploads.PDF_TYPE, "p7m": uploads.P7M_TYPE}


def may_download_attachment(user: Any, attachment: Attachment) -> bool:
    """Whoever sees the pact sees its public documents; the others only its parties and the
    city (``pacts.use_workspace``), as on the pact's page."""
    pact = attachment.pact
    return can(user, "pacts.view", pact) and (
        attachment.public or can(user, "pacts.use_workspace", pact)
    )


def may_download_signed_file(user: Any, party: Party) -> bool:
    """A signed file is the parties' and the city's, even when the pact is public: the
    registry shows who signed and when, and the pact's own PDF."""
    return can(user, "pacts.use_workspace", party.pact)


ATTACHMENT = PrivateFile[Attachment](
    file=lambda document: document.file,
    may_have=may_download_attachment,
    filename=lambda document, extension: (
        document.original_name or f"{document.title}.{extension}".rstrip(".")
    ),
    content_type=lambda document, _extension: document.content_type or OCTET_STREAM,
)
SIGNED_FILE = PrivateFile[Party](
    file=lambda party: party.signature_file,
    may_have=may_download_signed_file,
    filename=lambda party, extension: (
        party.signature_file_name or f"{party.pact.number}-signed.{extension}"
    ),
    content_type=lambda _party, extension: SIGNED_TYPES.get(extension, OCTET_STREAM),
)


def _of_the_city[M: Model](rows: QuerySet[M], city: str, pk: int) -> M | None:
    """The row ``pk`` among ``rows`` if its pact is one of the city's."""
    return (
        rows.select_related("pact__municipality")
        .filter(pk=pk, pact__municipality=municipality_get(slug=city))
        .first()
    )


@require_GET
def attachment(request: HttpRequest, city: str, pk: int) -> HttpResponseBase:
    return ATTACHMENT.answer(request, _of_the_city(Attachment.objects.all(), city, pk))


@require_GET
def signed_file(request: HttpRequest, city: str, pk: int) -> HttpResponseBase:
    return SIGNED_FILE.answer(request, _of_the_city(Party.objects.all(), city, pk))
