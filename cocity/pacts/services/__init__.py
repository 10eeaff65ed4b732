"""Writes on pacts, by stage of the life cycle. This package is the only code that writes a
pact's status and its ``PactEvent`` rows (``tests/pacts/test_one_writer.py`` checks it):

- ``drafting``: the private draft, its steps, the co-signatories;
- ``transitions``: every change of status along the table (``workflow.TRANSITIONS``: each row
  has its guard, its effects in ``effects`` and who is told), the actions offered, the daily
  conclusion;
- ``consultation``: observations, requests to join, opinions;
- ``codesign``: articles, meetings, commitments, supports;
- ``signing``: signatures, the last of which activates the pact;
- ``renewal``: the table's ``renew`` row, which opens a new pact;
- ``documents``: attachments and categories;
- ``regulation``: the municipality's model pact (the articles new pacts start from);
- ``imports``: pacts from a municipality's register (the importer);
- ``bulk``: many pacts at once along the table (the national seed).

Every service raises ``PermissionDenied`` or ``ValidationError`` having changed nothing."""

from cocity.core.dates import add_months
from cocity.pacts.clauses import pact_text_hash
from cocity.pacts.services.base import PactChanged
from cocity.pacts.services.codesign import (
    clause_edit,
    commitment_add,
    meeting_add,
    support_add,
    support_decide,
)
from cocity.pacts.services.consultation import (
    adhesion_decide,
    adhesion_request,
    observation_add,
    observation_hide,
    opinion_answer,
    opinion_request,
)
from cocity.pacts.services.documents import attachment_add, category_create
from cocity.pacts.services.drafting import (
    DRAFT_FIELDS,
    EDITABLE_STATUSES,
    pact_create_draft,
    pact_invite_co_signatory,
    pact_update_draft,
)
from cocity.pacts.services.imports import pact_import_new, pact_import_status
from cocity.pacts.services.numbering import BulkNumbers, pact_assign_number
from cocity.pacts.services.regulation import clause_template_set
from cocity.pacts.services.renewal import pact_renew
from cocity.pacts.services.signing import MAX_SIGNATURE_BYTES, pact_sign
from cocity.pacts.services.transitions import (
    ActionOffer,
    actions_offered,
    pact_transition,
    pacts_conclude_due,
)

__all__ = [
    "DRAFT_FIELDS",
    "EDITABLE_STATUSES",
    "MAX_SIGNATURE_BYTES",
    "ActionOffer",
    "BulkNumbers",
    "PactChanged",
    "actions_offered",
    "add_months",
    "adhesion_decide",
    "adhesion_request",
    "attachment_add",
    "category_create",
    "clause_edit",
    "clause_template_set",
    "commitment_add",
    "meeting_add",
    "observation_add",
    "observation_hide",
    "opinion_answer",
    "opinion_request",
    "pact_assign_number",
    "pact_create_draft",
    "pact_import_new",
    "pact_import_status",
    "pact_invite_co_signatory",
    "pact_renew",
    "pact_sign",
    "pact_text_hash",
    "pact_transition",
    "pact_update_draft",
    "pacts_conclude_due",
    "support_add",
    "support_decide",
]
