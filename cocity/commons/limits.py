"""How long each text of the catalogue may be, in characters (docs/decisions/0013). The
``CharField`` limits are the models'; the ``TextField`` ones are enforced by the form and the
services."""

from __future__ import annotations

NAME = 200
ADDRESS = 255
OWNING_DEPARTMENT = 120
DESCRIPTION = 10_000  # the commons' page: history, state, what it offers
HERITAGE_NOTES = 4_000
# A GeoJSON polygon pasted by the office: a park's outline can have thousands of vertices.
POLYGON = 500_000
PHOTO_ALT_TEXT = 250
PHOTO_CAPTION = 250
DOCUMENT_TITLE = 200
HUB_OPENING_HOURS = 1_000

COMMONS_FIELDS: dict[str, int] = {
    "name": NAME,
    "address": ADDRESS,
    "owning_department": OWNING_DEPARTMENT,
    "description": DESCRIPTION,
    "heritage_notes": HERITAGE_NOTES,
}
