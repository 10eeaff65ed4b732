"""Sending a private file once a view has checked that the user may see it
(docs/decisions/0011).

Outside production, and wherever ``PRIVATE_MEDIA_ACCEL_REDIRECT`` is empty, Django streams the
file itself. In production the proxy does: the answer is empty and carries
``X-Accel-Redirect: <PRIVATE_MEDIA_ACCEL_REDIRECT><name>``, which nginx serves from an
``internal`` location aliased to ``PRIVATE_MEDIA_ROOT`` (a location that clients cannot ask
for themselves). Either way the file comes as a download (``Content-Disposition:
attachment``, with its original name), is never sniffed into another type, never runs
scripts, and is kept by no shared cache."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from cocity.core import uploads

# Sent with every private file, whoever serves the bytes (nginx keeps these headers of the
# answer on an X-Accel-Redirect; the internal location adds nosniff itself, see the README).
SANDBOX_POLICY = "default-src 'none'; sandbox"
CACHE_CONTROL = "private, no-store"
#: The type of a file whose own is not known.
OCTET_STREAM = "application/octet-stream"


def private_file_response(*, file: FieldFile, filename: str, content_type: str) -> HttpResponseBase:
    """The answer that sends ``file`` as ``filename``. The caller has checked the permission;
    a field without a file, or a file gone from the disk, is a 404."""
    if not file or not file.name:
        raise Http404
    response: HttpResponseBase
    prefix = settings.PRIVATE_MEDIA_ACCEL_REDIRECT
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(f"{prefix.rstrip('/')}/{file.name}")
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        try:
            handle = file.storage.open(file.name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Security-Policy"] = SANDBOX_POLICY
    return response


def refuse(request: HttpRequest) -> HttpResponseBase:
    """The answer to someone who may not have the file, or asks for one that does not exist
    (the two look the same): a visitor is asked to log in, a logged-in user gets a 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404(_("This file does not exist, or you may not see it."))


@dataclass(frozen=True)
class PrivateFile[R]:
    """One kind of private file: the file field of a row of type ``R``, who may have it, and
    the name and type it is sent with, from the row and the stored file's extension."""

    file: Callable[[R], FieldFile]
    may_have: Callable[[Any, R], bool]
    filename: Callable[[R, str], str]
    content_type: Callable[[R, str], str]

    def answer(self, request: HttpRequest, row: R | None) -> HttpResponseBase:
        """The file of ``row`` for the person asking, or ``refuse`` when there is no such row
        or they may not have it."""
        if row is None or not self.may_have(request.user, row):
            return refuse(request)
        file = self.file(row)
        extension = uploads.extension_of(file.name)
        return private_file_response(
            file=file,
            filename=self.filename(row, extension),
            content_type=self.content_type(row, extension),
        )
