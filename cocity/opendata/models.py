"""What the import of pact registers remembers: each run, and which pact each source row
became (so that a newer snapshot of the same register updates pacts instead of duplicating
them)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.accounts.fields import done_by
from cocity.municipalities.models import Municipality


class ImportRun(models.Model):
    """One import of a register file, kept here with its file (not in the media storage) until
    it is imported, and processed in the background in batches (``importer.import_run_process``).

    The office's upload is first checked (a dry run, ``checking``), then waits as a
    ``preview`` until its uploader confirms it; then it is ``queued`` and ``running`` until
    ``done``, when the file is dropped. ``rows_done`` is the progress of the current phase:
    each batch records it in the transaction that writes the batch's rows, so an import that
    stops (a killed worker) goes on from there when resumed, and never writes a row twice."""

    class State(models.TextChoices):
        CHECKING = "checking", _("Being checked")  # the dry run, in the background
        PREVIEW = "preview", _("Awaiting confirmation")  # checked; nothing written
        QUEUED = "queued", _("Waiting for the worker")  # confirmed; nothing written yet
        RUNNING = "running", _("Being imported")  # rows_done rows written, the rest not yet
        DONE = "done", _("Imported")

    # A run in these states is being processed, or should be (then it is resumable).
    WORKING = (State.CHECKING, State.QUEUED, State.RUNNING)
    # The city's one import that writes: two at once would race for the same source ids.
    WRITING = (State.QUEUED, State.RUNNING)
    # Without progress for this long (or after an error), a working run may be resumed.
    STALL_AFTER = dt.timedelta(minutes=5)

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="import_runs"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.CHECKING)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    source = models.BinaryField(blank=True, default=b"")
    mapping = models.TextField(_("mapping"), blank=True)
    # The language of the report's messages (the worker has no request to take it from).
    language = models.CharField(max_length=10, blank=True)
    report = models.JSONField(default=dict, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # The last progress (or the upload, the confirmation, the resumption).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Why the last attempt stopped, for the administrators; empty while all is well.
    error = models.TextField(blank=True)
    # ``None``: the management command.
    created_by = done_by(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(state__in=["queued", "running"]),
                name="importrun_one_writing_per_city",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.file_name} ({self.state})"

    @property
    def working(self) -> bool:
        return self.state in self.WORKING

    @property
    def stalled(self) -> bool:
        """Working, but stopped: an error, or no progress for ``STALL_AFTER``."""
        if not self.working:
            return False
        if self.error or self.heartbeat_at is None:
            return True
        return self.heartbeat_at < timezone.now() - self.STALL_AFTER


class ImportedPact(models.Model):
    """The pact made from a row of a source register, found again by the row's stable id."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="imported_pacts"
    )
    source_id = models.CharField(max_length=200)
    pact = models.OneToOneField(
        "pacts.Pact", on_delete=models.CASCADE, related_name="imported_from"
    )
    # SHA-256 of the row as interpreted (``values``): equal means nothing to do.
    row_hash = models.CharField(max_length=64)
    values = models.JSONField(default=dict, blank=True)
    document_url = models.URLField(max_length=500, blank=True)
    last_run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("imported pact")
        verbose_name_plural = _("imported pacts")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "source_id"], name="importedpact_unique_source_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.source_id} → {self.pact_id}"
