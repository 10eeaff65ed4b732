"""What the import of pact registers remembers: each run, and which pact each source row
became (so that a newer snapshot of the same register updates pacts instead of duplicating
them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocity.municipalities.models import Municipality


class ImportRun(models.Model):
    """One import of a register file. The office's upload waits as a ``preview`` (the file is
    kept here, not in the media storage) until confirmed; the file is dropped once imported."""

    class State(models.TextChoices):
        PREVIEW = "preview", _("Awaiting confirmation")
        DONE = "done", _("Imported")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="import_runs"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEW)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    source = models.BinaryField(blank=True, default=b"")
    mapping = models.TextField(_("mapping"), blank=True)
    report = models.JSONField(default=dict, blank=True)
    # ``None``: the management command.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.file_name} ({self.state})"


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
