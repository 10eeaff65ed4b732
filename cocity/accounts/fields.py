"""Model fields that point at a person, for the apps that record who did what."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from cocity.accounts.models import User


def done_by(*, blank: bool = False) -> models.ForeignKey[User | None, User | None]:
    """The person who did something (wrote, uploaded, decided…): the record outlives their
    account (``SET_NULL``), and the user gets no reverse accessor for it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name="+",
    )
