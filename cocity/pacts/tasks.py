"""Background tasks of the pacts app (Django's task framework).

``pact_pdf_render`` stores the pact's PDF (its public copy and, when it differs, the copy with
every name) after a change of what the PDF shows, so that visitors find the file ready
(docs/decisions/0013-text-limits-and-stored-pdf.md). A burst of changes (a co-design session
saving article after article) asks for it many times: the task runs a few seconds later, and a
copy already stored under the current fingerprint is not rendered again.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from cocity.pacts import documents
from cocity.pacts.models import Pact

# Seconds between the change and the rendering, so that a burst is rendered once.
RENDER_DELAY_SECONDS = 10


@task
def pact_pdf_render(*, pact_id: int) -> int:
    """Store the copies of the pact's PDF that are not stored yet; answers how many copies are
    ready (0 for a pact gone or without text)."""
    pact = Pact.objects.select_related("municipality").filter(pk=pact_id).first()
    if pact is None or not pact.clauses.exists():
        return 0
    ready = 0
    for public in (True, False):
        pdf = documents.pact_pdf_locate(pact, public=public)
        if public is False and pdf.public:
            break  # the copy with every name is the public one
        ready += documents.pact_pdf_store(pdf)
    return ready


def pact_pdf_changed(pact: Pact) -> None:
    """Ask, after the commit of the current transaction, for the pact's PDF to be stored again.
    Only with a queue that runs tasks later (the database queue of production): in development
    and tests the first reader renders it, and a write never waits for WeasyPrint."""
    backend = pact_pdf_render.get_backend()
    if not backend.supports_defer:
        return
    pact_id = pact.pk
    transaction.on_commit(
        lambda: pact_pdf_render.using(
            run_after=timezone.now() + timedelta(seconds=RENDER_DELAY_SECONDS)
        ).enqueue(pact_id=pact_id),
        robust=True,
    )
