"""Protocol numbers of pacts (TO-2026-0042), one counter per municipality and year."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from cocity.municipalities.models import Municipality
from cocity.pacts.models import Pact, ProtocolCounter


def pact_assign_number(pact: Pact, at: dt.datetime) -> None:
    """Give ``pact`` the next number of its municipality for the year of ``at`` (the counter
    row of the year is locked until the commit; the pact is not saved here)."""
    year = timezone.localtime(at).year
    try:
        with transaction.atomic():
            ProtocolCounter.objects.get_or_create(municipality=pact.municipality, year=year)
    except IntegrityError:
        pass  # created by a concurrent submission
    counter = ProtocolCounter.objects.select_for_update().get(
        municipality=pact.municipality, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    pact.number = f"{pact.municipality.code_prefix}-{year}-{counter.last:04d}"


class BulkNumbers:
    """Numbers for many pacts written at once (the national seed): handed out in the order
    the caller asks, after those the municipality already used, with the counters saved at
    the end (``save``) as ``pact_assign_number`` would have left them."""

    def __init__(self) -> None:
        self.last: dict[tuple[int, int], int] = {
            (m, y): last
            for m, y, last in ProtocolCounter.objects.values_list("municipality_id", "year", "last")
        }

    def next(self, municipality: Municipality, at: dt.datetime) -> str:
        year = timezone.localtime(at).year
        key = (municipality.pk, year)
        self.last[key] = self.last.get(key, 0) + 1
        return f"{municipality.code_prefix}-{year}-{self.last[key]:04d}"

    def save(self) -> None:
        existing = {(c.municipality_id, c.year): c for c in ProtocolCounter.objects.all()}
        new, changed = [], []
        for (municipality_id, year), last in self.last.items():
            counter = existing.get((municipality_id, year))
            if counter is None:
                new.append(ProtocolCounter(municipality_id=municipality_id, year=year, last=last))
            elif counter.last != last:
                counter.last = last
                changed.append(counter)
        ProtocolCounter.objects.bulk_create(new, 5000)
        ProtocolCounter.objects.bulk_update(changed, ["last"], batch_size=5000)
