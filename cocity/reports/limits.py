"""How long each text of the activity log and of the reports may be, in characters
(docs/decisions/0013). The ``CharField`` limits are the models'; the ``TextField`` ones are
enforced by the forms and the services."""

from __future__ import annotations

ACTIVITY = 300  # what was done on a day, typed on a phone
MATERIALS = 300
RESULTS = 10_000
PROBLEMS = 4_000
NEXT_STEPS = 4_000
REVIEW_NOTE = 2_000  # the office's note when it sends a report back

REPORT_FIELDS: dict[str, int] = {
    "results": RESULTS,
    "problems": PROBLEMS,
    "next_steps": NEXT_STEPS,
}
