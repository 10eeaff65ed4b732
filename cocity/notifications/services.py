"""Outgoing messages. Mail is rendered now, in the language of the recipient, and queued after
the surrounding transaction commits, so that a rolled-back action sends nothing; the task
sends it outside the request (``cocity.notifications.tasks.send_email``), so that a mail server
that is down delays the message and never fails the page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from cocity.core.site import SITE_NAME, site_url
from cocity.notifications.tasks import send_email


def email_send_on_commit(
    *, to: str, template: str, context: dict[str, Any], language: str | None = None
) -> None:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` as plain text (no HTML
    escaping: the "text" template engine) and queue the message, with its HTML part."""
    context = {"site_url": site_url(), "site_name": SITE_NAME, **context}
    with translation.override(language or translation.get_language()):
        subject = render_to_string(f"{template}_subject.txt", context, using="text").strip()
        body = render_to_string(f"{template}_body.txt", context, using="text")
        subject = " ".join(subject.split())
        html = html_part(subject=subject, body=body)
    _enqueue_on_commit(to=[to], subject=subject, body=body, html=html)


def html_part(*, subject: str, body: str) -> str:
    """The HTML alternative of a plain-text message: the same words, escaped once, with its
    paragraphs and its links, in the site's simple layout."""
    return render_to_string(
        "notifications/email/message.html",
        {
            "subject": subject,
            "body": body.strip(),
            "site_name": SITE_NAME,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        },
    )


def email_message_send_on_commit(*, message: EmailMessage) -> None:
    """Queue a message rendered elsewhere (allauth's, by ``cocity.accounts.adapter``): its
    subject, bodies (the HTML alternative too), sender, recipients and extra headers.
    Attachments are not carried (allauth's messages have none)."""
    html = None
    if isinstance(message, EmailMultiAlternatives):
        html = next(
            (str(content) for content, mimetype in message.alternatives if mimetype == "text/html"),
            None,
        )
    if html is None and message.content_subtype == "plain":
        html = html_part(subject=str(message.subject), body=str(message.body))
    _enqueue_on_commit(
        to=list(message.to),
        cc=list(message.cc) or None,
        bcc=list(message.bcc) or None,
        reply_to=list(message.reply_to) or None,
        subject=str(message.subject),
        body=str(message.body),
        html=html,
        subtype=message.content_subtype,
        from_email=message.from_email,
        headers={str(k): str(v) for k, v in message.extra_headers.items()} or None,
    )


def _enqueue_on_commit(**kwargs: Any) -> None:
    # robust: the data is already committed; a queue that refuses the message must not turn
    # the page into an error (the failure is logged).
    transaction.on_commit(lambda: send_email.enqueue(**kwargs), robust=True)
