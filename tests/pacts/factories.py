"""Pacts for the tests, made through ``cocity.pacts.services`` as in real life.

``PactFactory(status=...)`` creates the draft with ``pact_create_draft`` and takes it along the
table (``workflow.path``) to the status asked for, through ``pact_transition`` and
``pact_sign``, each action taken by the person who takes it: the proponent submits, the office
publishes and admits, the manager (the executive for a complex pact) approves, every party
signs. The people are a ``Cast``: pass ``cast=`` to act with people the test knows, otherwise
the factory gathers one for the pact's municipality."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from cocity.accounts.models import StaffRole, User
from cocity.commons.models import Commons
from cocity.municipalities.models import Municipality
from cocity.pacts import services, workflow
from cocity.pacts.models import Category, Pact, Party, Status
from tests.accounts.factories import PASSWORD, UserFactory, staff
from tests.commons.factories import CommonsFactory
from tests.municipalities.factories import MunicipalityFactory

# The actions that need a reason in the table.
NOTE = "Motivo"


class Cast:
    """The people around one municipality's pacts: its office, manager, executive and a
    department, with the category and the commons the pacts are about (the municipality's
    first ones, else new ones, unless given)."""

    def __init__(
        self,
        municipality: Municipality,
        *,
        category: Category | None = None,
        commons: Commons | None = None,
    ):
        self.municipality = municipality
        self.office = staff(municipality=municipality, role=StaffRole.Role.OFFICE)
        self.manager = staff(municipality=municipality, role=StaffRole.Role.MANAGER)
        self.executive = staff(municipality=municipality, role=StaffRole.Role.EXECUTIVE)
        self.department = staff(municipality=municipality, role=StaffRole.Role.DEPARTMENT)
        self.category = (
            category
            or Category.objects.filter(municipality=municipality).first()
            or CategoryFactory(municipality=municipality, name="Cura dello spazio pubblico")
        )
        self.commons = (
            commons
            or Commons.objects.filter(municipality=municipality).first()
            or CommonsFactory(
                municipality=municipality,
                name="Giardino di via Roma",
                kind=Commons.Kind.GREEN_AREA,
                address="",
                point=(municipality.lon, municipality.lat),
            )
        )

    def actor_for(self, pact: Pact, action: str) -> User | None:
        """Who takes ``action`` on the pact."""
        if action in {"submit", "resubmit", "withdraw"}:
            return pact.proponent
        if action == "approve":
            return self.executive if pact.complexity == "complex" else self.manager
        return self.office

    def sign_all(self, pact: Pact, at: dt.datetime | None = None) -> Pact:
        """Every party still to sign signs (the manager for the city); the last signature
        activates the pact."""
        for party in list(pact.parties.filter(signs=True, signed_at__isnull=True)):
            signer = (
                self.manager if party.role == Party.Role.CITY else (party.user or pact.proponent)
            )
            pact = services.pact_sign(actor=signer, party=party, password=PASSWORD, at=at)
        return pact

    def walk_on(self, pact: Pact, status: str) -> Pact:
        """Take a draft along the table to ``status``, each action by its actor."""
        for action in workflow.path(status, complex_pact=pact.complexity == "complex"):
            if action == "activate":  # the last signature activates the pact
                pact = self.sign_all(pact)
                continue
            if action in {"close_consultation", "conclude"}:
                pact = meet_guards(pact, action)
            note = NOTE if workflow.TRANSITIONS[action].needs_note else ""
            pact = services.pact_transition(
                actor=self.actor_for(pact, action), pact=pact, action=action, note=note
            )
        assert pact.status == status, (pact.status, status)
        return pact


def meet_guards(pact: Pact, action: str) -> Pact:
    """Make the guard of ``action`` true, as time and the parties would: the consultation
    ended yesterday, the term ended yesterday, the city lets simple pacts skip the
    consultation, every party has signed."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    if action == "close_consultation":
        Pact.objects.filter(pk=pact.pk).update(consultation_ends_on=yesterday)
    if action == "conclude":
        Pact.objects.filter(pk=pact.pk).update(end_date=yesterday)
    if action == "skip_consultation":
        pact.municipality.simple_pacts_skip_consultation = True
        pact.municipality.save()
    if action == "activate":
        pact.parties.filter(signed_at__isnull=True).update(signed_at=timezone.now())
    pact.refresh_from_db()
    return pact


class CategoryFactory(factory.Factory):
    class Meta:
        model = Category

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Categoria {n}")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.category_create(**kwargs)


class PactFactory(factory.Factory):
    """A pact in ``status`` (a draft by default), proposed by ``proponent``.

    ``cast=`` gives the people who act on it and its municipality, category and commons;
    without it they are made for the pact. ``complexity="complex"`` takes it through the
    executive (``status="awaiting_approval"`` implies it). ``start_date=``/``end_date=`` move
    the term of a pact that has one, as if it had been signed then."""

    class Meta:
        model = Pact

    cast = None
    municipality = factory.Maybe(
        "cast",
        yes_declaration=factory.SelfAttribute("cast.municipality"),
        no_declaration=factory.SubFactory(MunicipalityFactory),
    )
    category = factory.Maybe(
        "cast",
        yes_declaration=factory.SelfAttribute("cast.category"),
        no_declaration=factory.SubFactory(
            CategoryFactory, municipality=factory.SelfAttribute("..municipality")
        ),
    )
    commons = factory.Maybe(
        "cast",
        yes_declaration=factory.SelfAttribute("cast.commons"),
        no_declaration=factory.SubFactory(
            CommonsFactory, municipality=factory.SelfAttribute("..municipality")
        ),
    )
    proponent = factory.SubFactory(UserFactory)
    title = "Cura del giardino"
    complexity = "ordinary"
    objectives = "Un giardino curato"
    activities = "Pulizia e piantumazione"
    duration_months = 12
    status = Status.DRAFT
    start_date = None
    end_date = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        cast = kwargs.pop("cast")
        status = kwargs.pop("status")
        term = {field: kwargs.pop(field) for field in ("start_date", "end_date")}
        if status == Status.AWAITING_APPROVAL:
            kwargs["complexity"] = "complex"  # only complex pacts wait for the executive
        pact = services.pact_create_draft(actor=kwargs.pop("proponent"), **kwargs)
        if status != Status.DRAFT:
            cast = cast or Cast(
                pact.municipality, category=kwargs["category"], commons=kwargs["commons"]
            )
            pact = cast.walk_on(pact, status)
        term = {field: day for field, day in term.items() if day is not None}
        if term:
            Pact.objects.filter(pk=pact.pk).update(**term)
            pact.refresh_from_db()
        return pact
