"""Downloads of the photos of a pact's activity log (docs/decisions/0011): the people keeping
the log see them (``pacts.edit_text``: the parties and the office), as the log's page links
them; nobody else, although the log's figures are open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from cocity.core.downloads import OCTET_STREAM, PrivateFile
from cocity.core.permissions import can
from cocity.municipalities.selectors import municipality_get
from cocity.reports.models import ActivityLog

PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def may_see_activity_photo(user: Any, entry: ActivityLog) -> bool:
    return can(user, "pacts.edit_text", entry.pact)


ACTIVITY_PHOTO = PrivateFile[ActivityLog](
    file=lambda entry: entry.photo,
    may_have=may_see_activity_photo,
    filename=lambda entry, extension: f"{entry.pact.number}-{entry.date.isoformat()}.{extension}",
    content_type=lambda _entry, extension: PHOTO_TYPES.get(extension, OCTET_STREAM),
)


@require_GET
def activity_photo(request: HttpRequest, city: str, number: str, pk: int) -> HttpResponseBase:
    entry = (
        ActivityLog.objects.select_related("pact__municipality")
        .filter(pk=pk, pact__municipality=municipality_get(slug=city), pact__number=number)
        .exclude(photo="")
        .first()
    )
    return ACTIVITY_PHOTO.answer(request, entry)
