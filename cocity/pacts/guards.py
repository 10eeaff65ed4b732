"""The rules a transition must meet besides the table and the permission, one function per
rule, named by the rows of ``workflow.TRANSITIONS`` (``Transition.guard``). A guard reads the
pact and its municipality's regulation and raises ``ValidationError`` saying why not; it
writes nothing, so the pages ask it too (``services.actions_offered``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocity.core.dates import short_date
from cocity.pacts.models import Pact, Status, Support


def check_duration(pact: Pact) -> None:
    """The duration the municipality allows for a pact of this kind."""
    if pact.duration_months is None:
        return
    municipality = pact.municipality
    limit = (
        municipality.complex_max_months
        if pact.complexity == Pact.Complexity.COMPLEX
        else municipality.ordinary_max_months
    )
    if not 1 <= pact.duration_months <= limit:
        raise ValidationError(
            {
                "duration_months": _(
                    "In %(city)s a pact of this kind lasts at most %(limit)s months."
                )
                % {"city": municipality.name, "limit": limit}
            }
        )


def complete(pact: Pact, today: dt.date) -> None:
    """A proposal is sent only with what the office needs to examine it."""
    missing = [
        label
        for label, present in (
            (_("title"), pact.title),
            (_("category"), pact.category_id),
            (_("commons or place"), pact.commons_id or pact.place_name),
            (_("objectives"), pact.objectives.strip()),
            (_("activities"), pact.activities.strip()),
            (_("duration"), pact.duration_months),
        )
        if not present
    ]
    if missing:
        raise ValidationError(
            _("The proposal is not complete: %(fields)s are missing.")
            % {"fields": ", ".join(str(m) for m in missing)}
        )
    check_duration(pact)


def may_skip_consultation(pact: Pact, today: dt.date) -> None:
    municipality = pact.municipality
    if municipality.simple_pacts_skip_consultation and pact.complexity == Pact.Complexity.ORDINARY:
        return
    raise ValidationError(
        _("In %(city)s only ordinary pacts may skip the consultation.")
        % {"city": municipality.name}
        if municipality.simple_pacts_skip_consultation
        else _("In %(city)s every proposal goes through public consultation.")
        % {"city": municipality.name}
    )


def consultation_over(pact: Pact, today: dt.date) -> None:
    if pact.consultation_ends_on and today < pact.consultation_ends_on:
        raise ValidationError(
            _("The consultation is open until %(day)s: it can be closed from that day.")
            % {"day": short_date(pact.consultation_ends_on)}
        )


def complex_pact(pact: Pact, today: dt.date) -> None:
    if pact.complexity != Pact.Complexity.COMPLEX:
        raise ValidationError(_("Only complex pacts go to the executive."))


def approvable(pact: Pact, today: dt.date) -> None:
    if pact.status == Status.CO_DESIGN and pact.complexity == Pact.Complexity.COMPLEX:
        raise ValidationError(
            _("A complex pact is approved by the executive: send it there first.")
        )
    if not pact.clauses.exists():
        raise ValidationError(_("The pact has no text yet."))
    asked = pact.supports.filter(status=Support.Status.REQUESTED).count()
    if asked:
        raise ValidationError(
            ngettext(
                "A party asked for a support that the office has not decided yet: confirm "
                "or decline it first.",
                "Parties asked for %(n)s supports that the office has not decided yet: "
                "confirm or decline them first.",
                asked,
            )
            % {"n": asked}
        )


def all_signed(pact: Pact, today: dt.date) -> None:
    if pact.parties.filter(signs=True, signed_at__isnull=True).exists():
        raise ValidationError(_("Not every party has signed yet."))


def term_over(pact: Pact, today: dt.date) -> None:
    if pact.end_date is None or pact.end_date > today:
        raise ValidationError(
            _("The pact runs until %(day)s: it can be concluded from that day.")
            % {"day": short_date(pact.end_date)}
        )
