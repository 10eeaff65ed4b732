"""Renewal: the table's row ``renew`` opens a new pact in co-design, linked to the old one,
with the same parties and text; the old pact keeps its status."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cocity.accounts.models import User
from cocity.pacts.models import Clause, ClauseVersion, Pact, Party
from cocity.pacts.services.base import lock, now_or, record
from cocity.pacts.services.numbering import pact_assign_number
from cocity.pacts.services.transitions import check_row, row


@transaction.atomic
def pact_renew(*, actor: User | None, pact: Pact, at: dt.datetime | None = None) -> Pact:
    """Open the renewal of ``pact`` (active or concluded) as the office."""
    transition = row("renew")
    old = lock(pact)
    check_row(transition, actor, old, pact, version=old.version)
    now = now_or(at)
    new = Pact.objects.create(
        municipality=old.municipality,
        title=old.title,
        category=old.category,
        complexity=old.complexity,
        commons=old.commons,
        place_name=old.place_name,
        place_lon=old.place_lon,
        place_lat=old.place_lat,
        objectives=old.objectives,
        activities=old.activities,
        people_involved=old.people_involved,
        support_requested=old.support_requested,
        duration_months=old.duration_months,
        proponent=old.proponent,
        proponent_organisation=old.proponent_organisation,
        renewal_of=old,
        status=transition.target,
        submitted_at=now,
        status_changed_at=now,
        clock_started_at=now,
        clock_paused=dt.timedelta(0),
    )
    pact_assign_number(new, now)
    new.save(update_fields=["number"])
    for party in old.parties.exclude(role=Party.Role.ADHERENT):
        Party.objects.create(
            pact=new,
            role=party.role,
            user=party.user,
            organisation=party.organisation,
            invited_email=party.invited_email,
        )
    for clause in old.clauses.all():
        copy = Clause.objects.create(
            pact=new, key=clause.key, title=clause.title, position=clause.position, text=clause.text
        )
        ClauseVersion.objects.create(clause=copy, number=1, text=clause.text, author=actor)
    record(
        new,
        action="renewal",
        actor=actor,
        at=now,
        to_status=transition.target,
        data={"renewal_of": old.number},
    )
    record(old, action="renewed", actor=actor, at=now, data={"renewal": new.number})
    return new
