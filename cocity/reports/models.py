"""What the parties of a pact do (the activity log) and account for (the periodic reports)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocity.accounts.fields import done_by
from cocity.core.storage import RandomName, private_storage
from cocity.pacts.models import Pact

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class ActivityLog(models.Model):
    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="activity_log")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activities"
    )
    date = models.DateField(_("date"))
    activity = models.CharField(_("activity"), max_length=300)
    hours = models.DecimalField(
        _("hours of volunteering"), max_digits=7, decimal_places=2, validators=NON_NEGATIVE
    )
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)
    people_reached = models.PositiveIntegerField(_("people reached"), default=0)
    materials = models.CharField(_("materials used"), max_length=300, blank=True)
    money_spent = models.DecimalField(
        _("money spent (€)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=NON_NEGATIVE,
    )
    money_raised = models.DecimalField(
        _("money raised (€)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=NON_NEGATIVE,
    )
    # Private to the parties and the office (docs/decisions/0011), sent by
    # ``cocity.reports.files``.
    photo = models.ImageField(
        _("photo"), storage=private_storage, upload_to=RandomName("reports/photos"), blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        indexes = [models.Index(fields=["pact", "date"], name="activity_pact_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.activity}"


class Report(models.Model):
    """The report of one period of an active pact. Its totals are computed from the activity
    log when it is submitted."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")  # waiting for the office
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")  # back to the parties
        ACCEPTED = "accepted", _("Accepted")  # closed

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    results = models.TextField(_("results"))
    problems = models.TextField(_("problems"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    hours = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    volunteers = models.PositiveIntegerField(default=0)
    people_reached = models.PositiveIntegerField(default=0)
    money_spent = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    money_raised = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    activities = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    reviewed_by = done_by(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("note of the office"), blank=True)

    class Meta:
        ordering = ["pact", "period_start"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["pact", "period_start"], name="report_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.pact_id} {self.period_start}–{self.period_end}"
