from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cocity.accounts.models import User
from cocity.seeding.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def handle(self, *args: Any, **options: Any) -> None:
        existing = set(
            User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS]).values_list(
                "email", flat=True
            )
        )
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD})\n")
        for account in DEMO_ACCOUNTS:
            if account.email in existing:
                self.stdout.write(f"  {account.email:<32} {account.description}")
        self.stdout.write("")
