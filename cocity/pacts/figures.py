"""What each figure about pacts counts, defined once (issue #13, item 13): its label, a line
saying what it counts, and the condition on ``Pact`` that selects what it counts. The city's
and the nation's headline figures, the impact dashboard, the observatory, the funnel and the
CSV files all use these, so that the same word never counts two different things."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cocity.pacts.models import STAGE_STATUSES, Stage, Status


@dataclass(frozen=True)
class PactFigure:
    label: Promise
    counts: Promise  # one line: what is counted
    condition: Q


UNDER_EXAMINATION = PactFigure(
    _("Proposals under examination"),
    _("Sent to the office and not decided yet: completeness check, consultation, evaluation."),
    Q(status__in=STAGE_STATUSES[Stage.PROPOSAL]),
)
IN_CO_DESIGN = PactFigure(
    _("In co-design"),
    _("Admitted to co-design, until every party has signed."),
    Q(status__in=STAGE_STATUSES[Stage.CO_DESIGN]),
)
IN_FORCE = PactFigure(
    _("Pacts in force"),
    _("Signed and running: active or suspended."),
    Q(status__in=STAGE_STATUSES[Stage.PACT]),
)
CLOSED = PactFigure(
    pgettext_lazy("pacts, a headline figure", "Closed"),
    _("Concluded, terminated, rejected, withdrawn or archived."),
    Q(status__in=STAGE_STATUSES[Stage.CLOSED]),
)
SUBMITTED = PactFigure(
    _("Proposals submitted"),
    _("Every proposal ever sent to the office, whatever became of it."),
    Q(submitted_at__isnull=False),
)
ADMITTED = PactFigure(
    _("Admitted to co-design"),
    _("Every proposal the office admitted to co-design, whatever became of it."),
    Q(events__to_status=Status.CO_DESIGN),
)
SIGNED = PactFigure(
    _("Pacts signed"),
    _("Signed by every party, including the pacts that have ended since."),
    Q(start_date__isnull=False),
)

# The headline figure of each stage of the life cycle.
STAGES: dict[str, PactFigure] = {
    Stage.PROPOSAL: UNDER_EXAMINATION,
    Stage.CO_DESIGN: IN_CO_DESIGN,
    Stage.PACT: IN_FORCE,
    Stage.CLOSED: CLOSED,
}
