"""``manage.py seed [--scale small|national|N] [--seed N] [--if-empty]``: the demo data.

``small`` (the default) is the demo, made through the services. Each module of
``cocity.seeding`` named in ``SEEDERS`` (one per app with demo data) has a ``seed(rng=...)``
function, called in that order. ``national`` adds,
on top of the demo, the national-scale data set of ``cocity.seeding.national`` (300
municipalities, 80,000 pacts, 2 million activity entries…) through bulk paths; a number
(``--scale 0.1``) multiplies the national sizes. Deterministic for a given ``--seed``; running
it twice adds nothing the second time.
"""

from __future__ import annotations

import argparse
import importlib
import random
import time
from functools import partial
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.test.utils import override_settings
from tqdm import tqdm

from cocity.municipalities.models import Municipality
from cocity.seeding import national

SEEDERS = (
    "cocity.seeding.municipalities",
    "cocity.seeding.accounts",
    "cocity.seeding.commons",
    "cocity.seeding.pacts",
    "cocity.seeding.reports",
)
DUMMY_MAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = "Create the demo data (Torino, Reggio Emilia, Latina, users, organisations, staff)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            default="small",
            type=_scale,
            help="small (the demo, default), national, or a multiplier of the national sizes",
        )
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

    def handle(
        self, *args: Any, seed: int, if_empty: bool, only: str, scale: float, **options: Any
    ) -> None:
        wanted = {name.strip() for name in only.split(",") if name.strip()}
        seeders = [m for m in SEEDERS if not wanted or m.rsplit(".", 1)[1] in wanted]
        if if_empty and Municipality.objects.exists():
            self.stdout.write("The database already holds data: not seeding.")
            return
        started = time.monotonic()
        self._demo(seeders, seed)
        if scale:
            self._national(scale, seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Data ready in {time.monotonic() - started:.0f} s; "
                f"database size {national.database_size()}."
            )
        )

    def _demo(self, seeders: list[str], seed: int) -> None:
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
                    f"  seeded {module_name.rsplit('.', 1)[1]} ({time.monotonic() - started:.1f} s)"
                )

    def _national(self, scale: float, seed: int) -> None:
        if national.NationalSeeder.already_done():
            self.stdout.write("The national data set is already there: not adding it again.")
            return
        seeder = national.NationalSeeder(
            factor=scale, seed=seed, progress=partial(tqdm, file=self.stderr._out, leave=True)
        )
        sizes = seeder.sizes
        self.stdout.write(
            f"  national data ×{scale:g}: {sizes.municipalities} municipalities, "
            f"{sizes.commons:,} commons, {sizes.pacts:,} pacts, {sizes.users:,} users, "
            f"{sizes.activities:,} activity entries"
        )
        started = time.monotonic()
        with override_settings(MAILERS={"default": {"BACKEND": DUMMY_MAIL}}):
            seeder.run()
        self.stdout.write(f"  seeded national ({time.monotonic() - started:.1f} s)")
        for label, count in national.table_counts():
            self.stdout.write(f"    {label:<18} {count:>10,}")


def _scale(value: str) -> float:
    """``small`` → 0 (the demo only), ``national`` → 1, or a positive number."""
    if value == "small":
        return 0.0
    if value == "national":
        return 1.0
    try:
        factor = float(value)
    except ValueError:
        factor = -1.0
    if not 0 < factor <= 10:
        raise argparse.ArgumentTypeError(
            f"{value!r}: use small, national, or a number between 0 and 10 (e.g. 0.1)"
        )
    return factor
