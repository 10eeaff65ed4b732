"""Bearer tokens of staff members, for systems that write through the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from cocity.accounts.models import ApiToken
from cocity.accounts.services import api_token_authenticate


class StaffToken(HttpBearer):
    """``Authorization: Bearer cct_…``: the request acts as the token's user, only in the
    token's municipality."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = api_token_authenticate(token)
        if api_token is not None:
            request.user = api_token.user
        return api_token


def token_of(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]
