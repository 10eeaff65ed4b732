"""The README lists every demo account of every demo city (issue #13, done means 3), and
every demo city has someone who signs for it."""

from __future__ import annotations

from pathlib import Path

from cocity.accounts.models import StaffRole
from cocity.seeding.accounts import DEMO_ACCOUNTS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_every_demo_account():
    text = README.read_text()
    missing = [account.email for account in DEMO_ACCOUNTS if f"`{account.email}`" not in text]
    assert not missing


def test_every_demo_city_has_a_manager_to_sign_for_it():
    cities = {slug for account in DEMO_ACCOUNTS for slug, _role, _dept in account.roles}
    signers = {
        slug
        for account in DEMO_ACCOUNTS
        for slug, role, _dept in account.roles
        if role in {StaffRole.Role.MANAGER, StaffRole.Role.EXECUTIVE}
    }
    assert cities == signers == {"torino", "reggio-emilia", "latina"}
