"""The pact as a PDF document (WeasyPrint), made from the same clauses as the page.

A PDF is rendered once for what it shows and then served from storage
(docs/decisions/0013-text-limits-and-stored-pdf.md):

- ``pact_pdf_locate`` gathers what the PDF shows (the header, the parties and their names as
  this reader may see them, the articles, the commitments, the supports, the signatures) as
  plain data; its name in storage is the SHA-256 of that data, of the template and of
  ``PDF_FORMAT``. A change of any of them gives another name: a stale file is never served.
- The public copy (private citizens named only with their consent) is a public file, in the
  default storage; the parties' and the staff's copy, with every name, lives in the private
  storage (docs/decisions/0011) unless it is the same as the public one.
- ``pact_pdf_store`` renders a file that is not stored yet, under a lock in the cache, so that
  the same file is never rendered twice at once; the other requests meanwhile are told that it
  is being prepared. The services queue ``cocity.pacts.tasks.pact_pdf_render`` after each
  change, so that visitors normally find the file ready.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cocity.accounts.models import User
from cocity.core.permissions import can
from cocity.municipalities.city import city_view
from cocity.municipalities.models import Municipality
from cocity.pacts.models import Pact, Party
from cocity.pacts.pages import pact_or_404

# Change it when the PDF changes in a way that neither its data nor its template shows (the
# Markdown rendering, the fonts): every PDF is then rendered again when next asked for.
PDF_FORMAT = "2"
TEMPLATE = "pacts/pdf.html"
FOLDER = "pacts/pdf"
# Longer than any rendering takes (the texts have limits: cocity.pacts.limits); a process that
# dies while rendering holds the lock this long at most.
LOCK_SECONDS = 5 * 60
RETRY_AFTER_SECONDS = 5
PRIVATE_CACHE_CONTROL = "private, no-store"


@dataclass(frozen=True)
class PactPdf:
    """One copy of a pact's PDF: what it shows and where it is (or will be) stored."""

    pact_id: int
    number: str
    public: bool  # the public copy, or the one with every name
    document: dict[str, Any]
    fingerprint: str

    @property
    def name(self) -> str:
        return f"{FOLDER}/{self.pact_id}/{self.fingerprint}.pdf"

    @property
    def storage(self) -> Storage:
        return storages["default"] if self.public else storages["private"]


def _person(user: User | None, public: bool) -> str:
    if user is None:
        return ""
    return user.display_name if (not public or user.show_name_publicly) else "un cittadino"


def _party(party: Party, public: bool) -> dict[str, Any]:
    # Who signs for the city does so in office: that name is always public.
    official = party.role == Party.Role.CITY
    organisation = party.organisation
    return {
        "pk": party.pk,
        "role": party.role,
        "role_label": party.get_role_display(),
        "legal_name": party.display_name(public=public),
        "organisation": bool(organisation),
        "tax_code": organisation.tax_code if organisation else "",
        "representative_name": _person(party.user, public) if organisation else "",
        "signs": party.signs,
        "signed_at": party.signed_at,
        "signer_name": _person(party.signed_by, public and not official),
        "signature_method": party.signature_method,
        "signature_method_label": party.get_signature_method_display(),
        "signed_text_hash": party.signed_text_hash,
    }


def _document(pact: Pact, *, public: bool) -> dict[str, Any]:
    """Everything the template shows, as plain data (the template reads nothing else)."""
    municipality, commons = pact.municipality, pact.commons
    supports = [
        {
            "kind": s.kind,
            "kind_label": s.get_kind_display(),
            "description": s.description,
            "estimated_value": s.estimated_value,
        }
        for s in pact.confirmed_supports
    ]
    values = [s["estimated_value"] for s in supports if s["estimated_value"] is not None]
    return {
        "number": pact.number,
        "title": pact.title,
        "status": pact.status,
        "signed_text_hash": pact.signed_text_hash,
        "municipality": {
            "name": municipality.name,
            "province": municipality.province,
            "ipa_code": municipality.ipa_code,
        },
        "commons": {
            "name": commons.name,
            "address": commons.address,
            "district": commons.district.name if commons.district else "",
        }
        if commons
        else None,
        "place_name": pact.place_name,
        "category": pact.category.name if pact.category else "",
        "complexity": pact.complexity,
        "start_date": pact.start_date,
        "end_date": pact.end_date,
        "duration_months": pact.duration_months,
        "approved_at": pact.approved_at,
        "renewal_of": pact.renewal_of.number if pact.renewal_of else "",
        "parties": [_party(party, public) for party in pact.parties.all()],
        "clauses": [{"title": c.title, "text": c.text} for c in pact.clauses.all()],
        "commitments": [
            {"party_id": c.party_id, "text": c.text}
            for c in sorted(pact.commitments.all(), key=lambda c: (c.position, c.pk))
        ],
        "supports": supports,
        "supports_total": sum(values) if values else None,
    }


@functools.cache
def _template_digest() -> str:
    source = getattr(get_template(TEMPLATE).template, "source", "")  # type: ignore[attr-defined]
    return hashlib.sha256(source.encode()).hexdigest()


def _fingerprint(document: dict[str, Any]) -> str:
    payload = json.dumps(
        {"format": PDF_FORMAT, "template": _template_digest(), "document": document},
        cls=DjangoJSONEncoder,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def pact_pdf_locate(pact: Pact, *, public: bool) -> PactPdf:
    """The copy of the pact's PDF for a reader who sees the public copy or every name. The
    copy with every name is the public one when the two show the same (no private citizen
    among the parties): then it is a public file."""
    with translation.override("it"):
        document = _document(pact, public=public)
        if not public:
            public_document = _document(pact, public=True)
            if public_document == document:
                public = True
    return PactPdf(
        pact_id=pact.pk,
        number=pact.number,
        public=public,
        document=document,
        fingerprint=_fingerprint(document),
    )


def _lock_key(pdf: PactPdf) -> str:
    return f"pactpdf:lock:{pdf.name}"


@contextmanager
def rendering(pdf: PactPdf) -> Iterator[bool]:
    """Hold the lock of this file while it is made: yields whether this caller got it. With
    Redis (``REDIS_URL``) the lock holds across processes; the memory cache locks one process."""
    key, token = _lock_key(pdf), uuid.uuid4().hex
    mine = cache.add(key, token, LOCK_SECONDS)
    try:
        yield mine
    finally:
        if mine and cache.get(key) == token:
            cache.delete(key)


def render_pdf(pdf: PactPdf) -> bytes:
    """The PDF of this copy, in Italian, whatever the interface language."""
    from weasyprint import HTML

    with translation.override("it"):
        html = render_to_string(TEMPLATE, {"pact": pdf.document})
    return HTML(string=html).write_pdf()


def _forget_others(pdf: PactPdf) -> None:
    """Delete this pact's older files of the same kind: they will never be served again."""
    folder = f"{FOLDER}/{pdf.pact_id}"
    try:
        _folders, files = pdf.storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        if f"{folder}/{name}" != pdf.name:
            pdf.storage.delete(f"{folder}/{name}")


def pact_pdf_store(pdf: PactPdf) -> bool:
    """Make sure the file is stored: render it unless it is there. ``False`` when someone else
    is rendering it right now (the caller answers "being prepared"); never renders twice at
    once. Call it outside a transaction: rendering takes a while."""
    storage = pdf.storage
    if storage.exists(pdf.name) and cache.get(_lock_key(pdf)) is None:
        return True
    with rendering(pdf) as mine:
        if not mine:
            return False
        if not storage.exists(pdf.name):
            saved = storage.save(pdf.name, ContentFile(render_pdf(pdf)))
            if saved != pdf.name:  # stored meanwhile by a process the lock did not reach
                storage.delete(saved)
            _forget_others(pdf)
    return True


def pact_pdf_bytes(pact: Pact, *, public: bool = True) -> bytes:
    """The stored PDF of the pact (rendered now if needed), for code outside a request."""
    pdf = pact_pdf_locate(pact, public=public)
    if not pact_pdf_store(pdf):
        return render_pdf(pdf)
    with pdf.storage.open(pdf.name, "rb") as handle:
        return handle.read()


def _being_prepared(request: HttpRequest) -> HttpResponse:
    response = render(request, "pacts/pdf_pending.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@city_view
@require_GET
def pact_pdf(request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
    pact = pact_or_404(request, municipality, number)
    if not pact.clauses.all():
        raise Http404(_("This pact has no text yet."))
    public = not can(request.user, "pacts.use_workspace", pact)
    pdf = pact_pdf_locate(pact, public=public)
    for _attempt in range(2):  # a file deleted between the check and the opening: once more
        if not pact_pdf_store(pdf):
            return _being_prepared(request)
        try:
            handle = pdf.storage.open(pdf.name, "rb")
        except FileNotFoundError:
            continue
        response = FileResponse(
            handle, content_type="application/pdf", filename=f"patto-{pact.number}.pdf"
        )
        if not pdf.public:
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response  # type: ignore[return-value]
    return _being_prepared(request)
