"""Downloads of a pact's private files (docs/decisions/0011): its documents and the files
signed with a qualified signature. Each view asks the same permissions as the pact's page,
which links to the file only for those who may have it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from cocity.core import uploads
from cocity.core.downloads import private_file_response, refuse
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


@require_GET
def attachment(request: HttpRequest, city: str, pk: int) -> HttpResponseBase:
    municipality = municipality_get(slug=city)
    document = (
        Attachment.objects.select_related("pact__municipality")
        .filter(pk=pk, pact__municipality=municipality)
        .first()
    )
    if document is None or not may_download_attachment(request.user, document):
        return refuse(request)
    extension = uploads.extension_of(document.file.name)
    return private_file_response(
        file=document.file,
        filename=document.original_name or f"{document.title}.{extension}".rstrip("."),
        content_type=document.content_type or "application/octet-stream",
    )


@require_GET
def signed_file(request: HttpRequest, city: str, pk: int) -> HttpResponseBase:
    municipality = municipality_get(slug=city)
    party = (
        Party.objects.select_related("pact__municipality")
        .filter(pk=pk, pact__municipality=municipality)
        .first()
    )
    if party is None or not may_download_signed_file(request.user, party):
        return refuse(request)
    extension = uploads.extension_of(party.signature_file.name)
    return private_file_response(
        file=party.signature_file,
        filename=party.signature_file_name or f"{party.pact.number}-signed.{extension}",
        content_type=SIGNED_TYPES.get(extension, "application/octet-stream"),
    )
