"""Background tasks of the notifications app (Django's task framework).

Every message of the site, allauth's included, is sent here, after the commit of the request
that wrote it and outside it: a mail server that is down or slow never fails or holds a page.
A message the server could not take now is tried again later (``RETRY_DELAYS``) when the task
backend can defer (the database queue of production); otherwise, and after the last try, the
failure is logged and the message dropped (docs/decisions/0014-shared-store-proxy-mail.md)."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

# Seconds to wait before the 2nd, 3rd… try: about eight and a half hours in all, well inside
# the validity of a verification or password-reset link (three days).
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 60 * 60, 6 * 60 * 60)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def _permanent(error: Exception) -> bool:
    """Whether the server refused the message itself (a 5xx answer to the sender or the
    recipients), so that trying again would be refused again. Not a refused login: the
    operator may fix the password meanwhile."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


@task
def send_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str | None = None,
    subtype: str = "plain",
    from_email: str | None = None,
    cc: list[str] | None = None,
    bcc: list[str] | None = None,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
    attempt: int = 1,
) -> int:
    """Send one message (``html``: its HTML alternative; ``subtype="html"``: the body itself is
    HTML). Answers the number of messages sent: 1, or 0 when it failed (then tried again
    later, or logged). Run after commit, never inside a transaction."""
    message = EmailMultiAlternatives(
        subject, body, from_email, to, bcc=bcc, cc=cc, reply_to=reply_to, headers=headers
    )
    message.content_subtype = subtype
    if html:
        message.attach_alternative(html, "text/html")
    try:
        return message.send()
    except (smtplib.SMTPException, OSError) as error:
        _retry_or_give_up(
            error,
            attempt=attempt,
            kwargs={
                "to": to,
                "subject": subject,
                "body": body,
                "html": html,
                "subtype": subtype,
                "from_email": from_email,
                "cc": cc,
                "bcc": bcc,
                "reply_to": reply_to,
                "headers": headers,
            },
        )
        return 0


def _retry_or_give_up(error: Exception, *, attempt: int, kwargs: dict[str, Any]) -> None:
    subject = kwargs["subject"]
    can_defer = send_email.get_backend().supports_defer
    if attempt < MAX_ATTEMPTS and can_defer and not _permanent(error):
        delay = RETRY_DELAYS[attempt - 1]
        logger.warning(
            "Mail %r not sent (try %d of %d: %s); trying again in %d s",
            subject,
            attempt,
            MAX_ATTEMPTS,
            error,
            delay,
        )
        send_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            **kwargs, attempt=attempt + 1
        )
        return
    reason = (
        "the server refused it"
        if _permanent(error)
        else "no try is left"
        if can_defer
        else "this task backend cannot try later"
    )
    logger.error("Mail %r not sent (try %d: %s); dropped: %s", subject, attempt, error, reason)
