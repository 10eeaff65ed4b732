from __future__ import annotations

import pytest

from cocity.accounts.models import StaffRole
from tests.accounts.factories import staff


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def office(client, torino):
    """A member of Turin's office, logged in on ``client``."""
    user = staff(municipality=torino, role=StaffRole.Role.OFFICE)
    client.force_login(user)
    return user
