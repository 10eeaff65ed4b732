"""How long the texts of accounts and organisations may be, in characters
(docs/decisions/0013). The ``CharField`` limits are the models'; the description is enforced
by the form and the service."""

from __future__ import annotations

DISPLAY_NAME = 150
ORGANISATION_NAME = 200
ORGANISATION_DESCRIPTION = 4_000

ORGANISATION_FIELDS: dict[str, int] = {
    "name": ORGANISATION_NAME,
    "description": ORGANISATION_DESCRIPTION,
}
