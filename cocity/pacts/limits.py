"""How long each text of a pact may be, in characters (docs/decisions/0013).

The forms (``maxlength``, the help text and the counter), the services (before they write) and
the API's schemas read these names. The model fields are not changed: the ``CharField`` lengths
are the same as the models', and the ``TextField`` limits are enforced above the database."""

from __future__ import annotations

# A proposal, as the proponent writes it in the wizard.
TITLE = 200  # the proposal's title (Pact.title)
PLACE_NAME = 200  # a place not in the catalogue, with its address
OBJECTIVES = 5_000  # copied into the first article: well below an article's limit
ACTIVITIES = 10_000  # copied into the third article
PEOPLE_INVOLVED = 3_000
SUPPORT_REQUESTED = 3_000

# The office's and the parties' texts around it.
NOTE = 2_000  # the reason or note of a transition, shown in the pact's history
OBSERVATION = 4_000  # a public comment during the consultation
HIDDEN_REASON = 300  # shown in place of a hidden observation
ADHESION_OFFER = 2_000  # what a person or group offers when asking to join
DEPARTMENT = 120  # the department asked for an opinion
OPINION_QUESTION = 4_000
OPINION_ANSWER = 10_000
ATTACHMENT_TITLE = 200
EMAIL = 254  # an invited co-signatory (Party.invited_email)

# Co-design: the text of the pact itself.
CLAUSE = 20_000  # one article: the longest text of the platform
COMMITMENT = 2_000  # one commitment of a party
SUPPORT_DESCRIPTION = 300
MEETING_PLACE = 200
MEETING_LINK = 200  # Meeting.link
MEETING_PARTICIPANTS = 2_000
MEETING_MINUTES = 20_000

# The municipality's categories of pacts (the office and the import).
CATEGORY_NAME = 120
CATEGORY_DESCRIPTION = 2_000

# The fields of a pact that the drafting services write, with their limits.
PACT_FIELDS: dict[str, int] = {
    "title": TITLE,
    "place_name": PLACE_NAME,
    "objectives": OBJECTIVES,
    "activities": ACTIVITIES,
    "people_involved": PEOPLE_INVOLVED,
    "support_requested": SUPPORT_REQUESTED,
}
CLAUSE_TITLE = 200  # the title of an article of the model pact
