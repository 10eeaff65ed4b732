"""Pacts for the tests, made through the services: ``walk`` takes a new proposal along the
workflow to the status asked for, as the office, the manager and the parties would."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cocity.accounts.models import StaffRole, User
from cocity.commons.models import Commons
from cocity.commons.services import commons_create
from cocity.municipalities.models import Municipality
from cocity.pacts import services, workflow
from cocity.pacts.models import Category, Pact, Party, Status
from tests.factories import PASSWORD, UserFactory, staff


class Cast:
    """The people around one municipality's pacts."""

    def __init__(self, municipality: Municipality):
        self.municipality = municipality
        self.office = staff(municipality=municipality, role=StaffRole.Role.OFFICE)
        self.manager = staff(municipality=municipality, role=StaffRole.Role.MANAGER)
        self.executive = staff(municipality=municipality, role=StaffRole.Role.EXECUTIVE)
        self.department = staff(municipality=municipality, role=StaffRole.Role.DEPARTMENT)
        self.category = Category.objects.filter(municipality=municipality).first() or (
            services.category_create(municipality=municipality, name="Cura dello spazio pubblico")
        )
        self.commons = Commons.objects.filter(municipality=municipality).first() or commons_create(
            actor=None,
            municipality=municipality,
            name="Giardino di via Roma",
            kind=Commons.Kind.GREEN_AREA,
            lon=municipality.lon,
            lat=municipality.lat,
        )


def proposal(
    cast: Cast,
    proponent: User | None = None,
    *,
    complexity: str = "ordinary",
    title: str = "Cura del giardino",
) -> Pact:
    proponent = proponent or UserFactory()
    return services.pact_create_draft(
        actor=proponent,
        municipality=cast.municipality,
        title=title,
        category=cast.category,
        complexity=complexity,
        commons=cast.commons,
        objectives="Un giardino curato",
        activities="Pulizia e piantumazione",
        duration_months=12,
    )


def actor_for(cast: Cast, pact: Pact, action: str) -> User | None:
    if action in {"submit", "resubmit", "withdraw"}:
        return pact.proponent
    if action == "approve":
        return cast.executive if pact.complexity == "complex" else cast.manager
    return cast.office


def sign_all(cast: Cast, pact: Pact, at: dt.datetime | None = None) -> Pact:
    for party in list(pact.parties.filter(signs=True, signed_at__isnull=True)):
        signer = cast.manager if party.role == Party.Role.CITY else (party.user or pact.proponent)
        pact = services.pact_sign(actor=signer, party=party, password=PASSWORD, at=at)
    return pact


def walk(
    cast: Cast, status: str, *, complexity: str = "ordinary", proponent: User | None = None
) -> Pact:
    """A pact in ``status``, reached through the services like in real life."""
    if status == Status.AWAITING_APPROVAL:
        complexity = "complex"  # only complex pacts wait for the executive
    return walk_on(cast, proposal(cast, proponent, complexity=complexity), status)


def walk_on(cast: Cast, pact: Pact, status: str) -> Pact:
    """Take a draft along the workflow to ``status``, as ``walk`` does."""
    for action in workflow.path(status, complex_pact=pact.complexity == "complex"):
        if action == "activate":  # the last signature activates the pact
            pact = sign_all(cast, pact)
            continue
        if action == "close_consultation":
            # The consultation period is over: move its end to yesterday.
            Pact.objects.filter(pk=pact.pk).update(
                consultation_ends_on=timezone.localdate() - dt.timedelta(days=1)
            )
            pact.refresh_from_db()
        if action == "conclude":
            Pact.objects.filter(pk=pact.pk).update(
                end_date=timezone.localdate() - dt.timedelta(days=1)
            )
            pact.refresh_from_db()
        note = (
            "Motivo"
            if action in {"request_info", "reject", "suspend", "terminate", "archive"}
            else ""
        )
        pact = services.pact_transition(
            actor=actor_for(cast, pact, action), pact=pact, action=action, note=note
        )
    assert pact.status == status, (pact.status, status)
    return pact
