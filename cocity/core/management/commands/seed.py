"""``manage.py seed [--seed N] [--if-empty]``: the demo data, made through the services.

Deterministic for a given ``--seed``; running it twice adds nothing the second time. Each app
that has demo data contributes a ``seeds.seed(rng=...)`` function, called in ``SEEDERS`` order.
"""

from __future__ import annotations

import importlib
import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.test.utils import override_settings

from cocity.municipalities.models import Municipality

SEEDERS = (
    "cocity.municipalities.seeds",
    "cocity.accounts.seeds",
    "cocity.commons.seeds",
    "cocity.pacts.seeds",
    "cocity.reports.seeds",
)
DUMMY_MAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = "Create the demo data (Torino, Reggio Emilia, Latina, users, organisations, staff)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--only",
            default="",
            help="comma-separated apps to seed (e.g. municipalities,accounts); default: all",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already holds a municipality",
        )

    def handle(self, *args: Any, seed: int, if_empty: bool, only: str, **options: Any) -> None:
        wanted = {name.strip() for name in only.split(",") if name.strip()}
        seeders = [m for m in SEEDERS if not wanted or m.split(".")[1] in wanted]
        if if_empty and Municipality.objects.exists():
            self.stdout.write("The database already holds data: not seeding.")
            return
        # Demo data sends no mail: the services queue thousands of messages on commit.
        with override_settings(MAILERS={"default": {"BACKEND": DUMMY_MAIL}}):
            for module_name in seeders:
                # One random stream per app, so that adding data to one app leaves the others
                # as they were for the same seed.
                rng = random.Random(f"{seed}:{module_name}")
                module = importlib.import_module(module_name)
                started = time.monotonic()
                with transaction.atomic():
                    module.seed(rng=rng)
                self.stdout.write(
                    f"  seeded {module_name.split('.')[1]} ({time.monotonic() - started:.1f} s)"
                )
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
