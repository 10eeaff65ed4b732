"""The documents of a pact and the municipality's categories."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cocity.accounts.models import User
from cocity.core import changes, uploads
from cocity.municipalities.models import Municipality
from cocity.pacts import limits
from cocity.pacts.models import Attachment, Category, Pact
from cocity.pacts.services.base import limit, lock, now_or, record, require


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    pact: Pact,
    upload: UploadedFile,
    title: str,
    public: bool = False,
    at: dt.datetime | None = None,
) -> Attachment:
    """A document or a photo of the pact. Unless ``public``, only the parties and the city see
    it (an identity document, a private letter); public ones show on the pact's page once the
    pact is public. A photo is stored re-encoded, without its metadata."""
    locked = lock(pact)
    require(actor, "pacts.edit_text", locked, _("Only the parties and the office add documents."))
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    limit("title", title, limits.ATTACHMENT_TITLE)
    try:
        content_type, photo = uploads.check_attachment(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    stored = photo or upload  # a photo is stored re-encoded, without its metadata
    attachment = Attachment(
        pact=locked,
        title=title.strip(),
        content_type=content_type,
        size=stored.size or 0,
        public=public,
        uploaded_by=actor,
    )
    attachment.original_name = uploads.original_name(upload)
    attachment.file.save(attachment.original_name, stored, save=False)
    attachment.save()
    record(locked, action="attachment", actor=actor, at=now_or(at))
    return attachment


@transaction.atomic
def category_create(
    *, municipality: Municipality, name: str, description: str = "", position: int = 0
) -> Category:
    limit("name", name, limits.CATEGORY_NAME)
    limit("description", description, limits.CATEGORY_DESCRIPTION)
    category = Category(
        municipality=municipality,
        name=name.strip(),
        slug=slugify(name)[:120],
        description=description,
        position=position,
    )
    category.full_clean()
    category.save()
    changes.changed(municipality_id=municipality.pk, kind="pacts.category", pk=category.pk)
    return category
