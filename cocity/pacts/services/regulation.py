"""The municipality's model pact: the articles new pacts start from in co-design."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cocity.accounts.models import User
from cocity.core.limits import check_text_lengths
from cocity.municipalities.models import Municipality
from cocity.municipalities.services import regulation_change_record, regulation_check
from cocity.pacts import limits
from cocity.pacts.clauses import DEFAULT_TEMPLATE, PLACEHOLDERS, unknown_placeholders
from cocity.pacts.models import ClauseTemplate


@transaction.atomic
def clause_template_set(
    *,
    actor: User | None,
    municipality: Municipality,
    articles: Sequence[tuple[str, str]],
    note: str = "",
) -> list[ClauseTemplate]:
    """Replace the municipality's model pact with ``articles`` (title, text), in order; none
    means the default articles again. Pacts already in co-design keep their text; new ones
    start from this. Kept in the history of the regulation settings."""
    regulation_check(actor, municipality)
    cleaned = [(title.strip(), text.strip()) for title, text in articles]
    errors = []
    for position, (title, text) in enumerate(cleaned, start=1):
        if not title or not text:
            errors.append(_("Article %(n)s needs both a title and a text.") % {"n": position})
        unknown = unknown_placeholders(text)
        if unknown:
            errors.append(
                _(
                    "Article %(n)s names %(names)s, which no proposal fills: use only "
                    "%(known)s, or double a brace that belongs to the text ({{ }})."
                )
                % {
                    "n": position,
                    "names": ", ".join("{" + name + "}" for name in unknown),
                    "known": ", ".join("{" + name + "}" for name in PLACEHOLDERS),
                }
            )
        check_text_lengths(
            values={"title": title, "text": text},
            limits={"title": limits.CLAUSE_TITLE, "text": limits.CLAUSE},
        )
    if errors:
        raise ValidationError(errors)
    default = [(title, text) for _key, title, text in DEFAULT_TEMPLATE]
    current = list(
        ClauseTemplate.objects.filter(municipality=municipality).values_list("title", "text")
    )
    before, after = current or default, cleaned or default
    if before == after:
        return list(ClauseTemplate.objects.filter(municipality=municipality))
    ClauseTemplate.objects.filter(municipality=municipality).delete()
    default_keys = [key for key, _title, _text in DEFAULT_TEMPLATE]
    rows: list[ClauseTemplate] = []
    for position, (title, text) in enumerate(cleaned, start=1):
        key = default_keys[position - 1] if position <= len(default_keys) else ""
        key = key or slugify(title)[:50] or f"article-{position}"
        if any(row.key == key for row in rows):
            key = f"{key}-{position}"
        rows.append(
            ClauseTemplate(
                municipality=municipality, position=position, key=key, title=title, text=text
            )
        )
    ClauseTemplate.objects.bulk_create(rows)
    regulation_change_record(
        municipality=municipality,
        actor=actor,
        changes={
            "clause_template": [
                [title for title, _text in before],
                [title for title, _text in after],
            ]
        },
        note=note,
    )
    return rows
