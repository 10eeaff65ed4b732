"""Outgoing messages. Mail is rendered now, in the language of the recipient, and queued after
the surrounding transaction commits, so that a rolled-back action sends nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from cocity.notifications.tasks import send_email


def email_send_on_commit(
    *, to: str, template: str, context: dict[str, Any], language: str | None = None
) -> None:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` and queue the message."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or translation.get_language()):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    transaction.on_commit(
        lambda: send_email.enqueue(to=[to], subject=" ".join(subject.split()), body=body)
    )
