"""``manage.py create_municipality --slug palermo --name Palermo [--istat 082053]``

Idempotent: running it again with the same slug and name changes nothing and succeeds."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cocity.municipalities.models import Municipality
from cocity.municipalities.services import municipality_check_slug, municipality_create


class Command(BaseCommand):
    help = "Add a municipality to the platform (boundary from the ISTAT reference data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True, help="lowercase letters, digits, hyphens")
        parser.add_argument("--name", required=True)
        parser.add_argument("--istat", help="ISTAT code, six digits (e.g. 082053)")

    def handle(self, *args: Any, slug: str, name: str, istat: str | None, **options: Any) -> None:
        try:
            municipality_check_slug(slug)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        existing = Municipality.objects.filter(slug=slug).first()
        if (
            existing is not None
            and existing.name.casefold() == name.strip().casefold()
            and (istat is None or existing.istat_code == istat)
        ):
            self.stdout.write(f"{existing.name} ({slug}) already exists: nothing changed.")
            return
        try:
            municipality = municipality_create(slug=slug, name=name, istat_code=istat)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        source = (
            f"boundary from ISTAT {municipality.istat_code}"
            if municipality.boundary
            else "no boundary (add one in the admin)"
        )
        self.stdout.write(self.style.SUCCESS(f"Created {municipality.name} ({slug}), {source}."))
