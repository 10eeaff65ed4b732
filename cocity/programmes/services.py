"""Writes on funding programmes (the office's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cocity.accounts.models import User
from cocity.commons.permissions import check_office
from cocity.core import changes
from cocity.municipalities.models import Municipality
from cocity.pacts.models import Pact
from cocity.programmes.models import Funding, Programme

_REFUSAL = gettext_lazy("Only the commons office manages funding programmes.")


def _check(actor: User | None, municipality: Municipality) -> None:
    check_office(actor, municipality, _REFUSAL)


@transaction.atomic
def programme_create(
    *,
    actor: User | None,
    municipality: Municipality,
    name: str,
    funder: str,
    budget: Decimal,
    start_date: dt.date,
    end_date: dt.date | None = None,
    description: str = "",
) -> Programme:
    _check(actor, municipality)
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("The end comes before the start.")})
    programme = Programme(
        municipality=municipality,
        name=name.strip(),
        funder=funder.strip(),
        budget=budget,
        start_date=start_date,
        end_date=end_date,
        description=description.strip(),
    )
    programme.full_clean()
    programme.save()
    changes.changed(municipality_id=municipality.pk, kind="programmes.programme")
    return programme


@transaction.atomic
def funding_set(
    *, actor: User | None, programme: Programme, pact: Pact, amount: Decimal
) -> Funding:
    """Record (or change) what a pact received from a programme."""
    _check(actor, programme.municipality)
    if pact.municipality_id != programme.municipality_id:
        raise ValidationError(_("The pact belongs to another municipality."))
    if amount < 0:
        raise ValidationError({"amount": _("The amount may not be negative.")})
    funding, _created = Funding.objects.update_or_create(
        programme=programme, pact=pact, defaults={"amount": amount}
    )
    changes.changed(municipality_id=programme.municipality_id, kind="programmes.programme")
    return funding
