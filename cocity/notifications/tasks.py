"""Background tasks of the notifications app (Django's task framework)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task


@task
def send_email(*, to: list[str], subject: str, body: str) -> int:
    """Send one plain-text message. Run after commit, never inside a transaction."""
    return send_mail(subject, body, None, to, fail_silently=False)
