"""``manage.py conclude_pacts``: move active pacts whose end date has passed to ``concluded``.
Run it daily (cron, or the scheduler of the deployment)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cocity.pacts.services import pacts_conclude_due


class Command(BaseCommand):
    help = "Conclude the active pacts whose end date has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        numbers = pacts_conclude_due()
        self.stdout.write(f"Concluded {len(numbers)} pact(s): {', '.join(numbers) or '—'}")
