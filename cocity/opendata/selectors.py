"""Reads on the office's imports of a register of pacts (``ImportRun``), always within one
municipality."""

from __future__ import annotations

from django.db.models import QuerySet

from cocity.municipalities.models import Municipality
from cocity.opendata.models import ImportRun

RECENT_RUNS = 10


def import_run_list(*, municipality: Municipality, limit: int = RECENT_RUNS) -> QuerySet[ImportRun]:
    """The municipality's latest imports that were confirmed (queued, running or done), newest
    first, with who uploaded them (one query). Unconfirmed checks are their uploader's alone."""
    return ImportRun.objects.filter(
        municipality=municipality,
        state__in=[ImportRun.State.QUEUED, ImportRun.State.RUNNING, ImportRun.State.DONE],
    ).select_related("created_by")[:limit]


def import_run_detail(*, municipality: Municipality, pk: int) -> ImportRun:
    """The run ``pk`` of the municipality; ``ImportRun.DoesNotExist`` when there is none there
    (a run of another city included). The run keeps the municipality given, not read again."""
    run = ImportRun.objects.get(municipality=municipality, pk=pk)
    run.municipality = municipality
    return run
