"""Funding programmes (ERDF, the city's own budget…) and what each pact received from them."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocity.municipalities.models import Municipality
from cocity.pacts.models import Pact


class Programme(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    funder = models.CharField(
        _("funder"), max_length=200, help_text=_("e.g. ERDF (UIA), the city, a foundation")
    )
    budget = models.DecimalField(
        _("budget (€)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["municipality", "-start_date", "name"]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="programme_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Funding(models.Model):
    """The amount a pact received from a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="fundings")
    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="fundings")
    amount = models.DecimalField(
        _("amount (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        constraints = [
            models.UniqueConstraint(fields=["programme", "pact"], name="funding_unique_pact")
        ]

    def __str__(self) -> str:
        return f"{self.programme} → {self.pact_id}: {self.amount}"
