"""What the e-mail of each transition says (the transition's row names who is told:
``workflow.Transition.tells``): a subject, what happened, and what the reader should do next,
with the page where they do it. Words for people, not the label of the button that was
pressed ("Approva il patto")."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Notice:
    subject: Promise
    happened: Promise  # %(title)s, %(number)s, %(until)s, %(start)s, %(end)s
    next: Promise
    # The page of the next step: "pact" (its public page), "draft", "workspace", "sign".
    link: str = "pact"
    # For a party whose signature is expected (the approval only).
    next_for_signer: Promise | None = None


NOTICES: dict[str, Notice] = {
    "request_info": Notice(
        subject=_("the office asks for more information"),
        happened=_(
            "The office has examined your proposal “%(title)s” and needs more information "
            "before it can go on."
        ),
        next=_("Please complete the proposal as the office asks and send it again from this page:"),
        link="draft",
    ),
    "publish": Notice(
        subject=_("published for public consultation"),
        happened=_(
            "Your proposal “%(title)s” (%(number)s) is now public: until %(until)s anyone can "
            "read it, comment on it and ask to join."
        ),
        next=_(
            "You can follow the comments on the pact's page; the office evaluates the proposal "
            "when the consultation closes."
        ),
    ),
    "skip_consultation": Notice(
        subject=_("under evaluation"),
        happened=_("The office is evaluating your proposal “%(title)s” (%(number)s)."),
        next=_("You will receive an e-mail when it has decided. The proposal is here:"),
    ),
    "close_consultation": Notice(
        subject=_("consultation closed, under evaluation"),
        happened=_(
            "The public consultation on your proposal “%(title)s” (%(number)s) has closed and "
            "the office is evaluating it."
        ),
        next=_("You will receive an e-mail when it has decided. The comments are here:"),
    ),
    "reject": Notice(
        subject=_("not admitted"),
        happened=_("The office has decided not to admit the proposal “%(title)s” (%(number)s)."),
        next=_(
            "The reason is above. You may write to the office, or make a new proposal. The "
            "proposal stays public here:"
        ),
    ),
    "admit": Notice(
        subject=_("admitted to co-design"),
        happened=_(
            "The proposal “%(title)s” (%(number)s) has been admitted to co-design: the parties "
            "and the office now write the text of the pact together."
        ),
        next=_("Please take part in the co-design in the pact's workspace:"),
        link="workspace",
    ),
    "send_to_executive": Notice(
        subject=_("sent to the executive for approval"),
        happened=_(
            "The text of the pact “%(title)s” (%(number)s) is complete and has been sent to the "
            "executive (Giunta) for approval."
        ),
        next=_("You will receive an e-mail when it has been approved. The pact is here:"),
    ),
    "approve": Notice(
        subject=_("approved: the signatures are expected"),
        happened=_(
            "The pact “%(title)s” (%(number)s) has been approved and is waiting for the "
            "signatures of the parties."
        ),
        next=_("The pact becomes active when every party has signed. You can follow it here:"),
        next_for_signer=_(
            "Your signature is expected: please read the text and sign it on this page:"
        ),
        link="sign",
    ),
    "activate": Notice(
        subject=_("signed by every party: the pact is active"),
        happened=_(
            "Every party has signed the pact “%(title)s” (%(number)s). It runs from %(start)s "
            "to %(end)s."
        ),
        next=_("Record the activities as you carry them out, from the pact's page:"),
    ),
    "suspend": Notice(
        subject=_("suspended"),
        happened=_("The office has suspended the pact “%(title)s” (%(number)s)."),
        next=_("The reason is above. Activities stop until the office resumes the pact:"),
    ),
    "resume": Notice(
        subject=_("resumed"),
        happened=_("The office has resumed the pact “%(title)s” (%(number)s)."),
        next=_("The activities can go on. The pact is here:"),
    ),
    "conclude": Notice(
        subject=_("concluded"),
        happened=_(
            "The pact “%(title)s” (%(number)s) has reached its end date and is concluded. "
            "Thank you for caring for this commons."
        ),
        next=_("Its history and reports stay public here:"),
    ),
    "terminate": Notice(
        subject=_("terminated"),
        happened=_("The pact “%(title)s” (%(number)s) has been terminated early."),
        next=_("The reason is above. Its history stays public here:"),
    ),
    "archive": Notice(
        subject=_("archived"),
        happened=_("Your proposal “%(title)s” has been archived, as it was not completed."),
        next=_("You may make a new proposal at any time. The proposal is here:"),
    ),
}
