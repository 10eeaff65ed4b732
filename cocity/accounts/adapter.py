"""The account adapter of the site (``ACCOUNT_ADAPTER``): allauth's, with

- its mail queued after commit and sent by the task worker, like every other message of the
  site (``cocity.notifications``): a sign-up or a password reset answers its page whether the
  mail server is up or not, and a mail server that is down only delays the message;
- the client's address found as every other limit finds it (``cocity.core.client_address``:
  the connection's, or the configured proxies'), for allauth's limits per address;
- the login limits of ``cocity.accounts.login_limits``."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from cocity.accounts.login_limits import LoginLimitsMixin
from cocity.core.client_address import client_ip
from cocity.core.site import site_url
from cocity.notifications.services import email_message_send_on_commit


class QueuedMailMixin(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the message as allauth does (its templates, subject prefix and sender, the
        HTML alternative when there is a template for one) and queue it after commit."""
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "site_url": site_url(),
        }
        full_context.update(context)
        message = self.render_mail(template_prefix, email, full_context)
        email_message_send_on_commit(message=message)


class ClientAddressMixin(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip


class AccountAdapter(QueuedMailMixin, ClientAddressMixin, LoginLimitsMixin, DefaultAccountAdapter):
    pass
