"""What a person's page ("I miei patti", ``cocity.core.views.my_pacts``) shows of their pacts:
each proposal or pact they are party to, where it stands and what is expected of them, with
the page where they do it (issue #13, item 1)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from cocity.accounts.models import User
from cocity.core.dates import short_date
from cocity.core.registry import PersonalItem
from cocity.pacts import selectors
from cocity.pacts.models import Pact, Status

CLOSED = {Status.CONCLUDED, Status.TERMINATED, Status.REJECTED, Status.WITHDRAWN, Status.ARCHIVED}


def _item(pact: Pact, group: str, text: str, link: str, label: str) -> PersonalItem:
    return PersonalItem(
        group=group,
        title=pact.title,
        reference=pact.number or _("draft"),
        city=pact.municipality.name,
        status=pact.get_status_display(),
        text=text,
        link=link,
        link_label=label,
    )


def personal_pacts(user: User) -> Iterable[PersonalItem]:
    items: list[PersonalItem] = []
    for pact in selectors.user_pacts(user=user).prefetch_related("parties"):
        city = pact.municipality.slug
        page = pact.url_for(city)
        status = pact.status
        if status in {Status.DRAFT, Status.INCOMPLETE}:
            text = (
                _("Not sent yet: complete the proposal and send it to the office.")
                if status == Status.DRAFT
                else _(
                    "The office asks for more information: complete the proposal and send it again."
                )
            )
            link = reverse("pacts:draft", kwargs={"city": city, "pk": pact.pk})
            items.append(_item(pact, "todo", text, link, _("Complete the proposal")))
        elif status == Status.CO_DESIGN:
            link = reverse("pacts:workspace", kwargs={"city": city, "number": pact.number})
            text = _("In co-design: write the text of the pact with the office.")
            items.append(_item(pact, "todo", text, link, _("Open the workspace")))
        elif status == Status.AWAITING_SIGNATURE:
            owed = selectors.parties_to_sign(user, pact)
            for party in owed:
                link = reverse(
                    "pacts:sign", kwargs={"city": city, "number": pact.number, "party": party.pk}
                )
                text = _("Your signature is expected.")
                items.append(_item(pact, "todo", text, link, _("Sign the pact")))
            if not owed:
                text = _("Approved: waiting for the signatures of the other parties.")
                items.append(_item(pact, "waiting", text, page, _("See the pact")))
        elif status in {
            Status.SUBMITTED,
            Status.CONSULTATION,
            Status.EVALUATION,
            Status.AWAITING_APPROVAL,
        }:
            waiting: dict[str, str] = {
                Status.SUBMITTED: _("The office is checking that the proposal is complete."),
                Status.CONSULTATION: _(
                    "In public consultation until %(date)s: anyone may comment and ask to join."
                )
                % {"date": short_date(pact.consultation_ends_on)},
                Status.EVALUATION: _("The office is evaluating the proposal."),
                Status.AWAITING_APPROVAL: _("Waiting for the approval of the executive (Giunta)."),
            }
            text = waiting[status]
            items.append(_item(pact, "waiting", text, page, _("See the proposal")))
        elif status in {Status.ACTIVE, Status.SUSPENDED}:
            if pact.starts_later:
                text = _(
                    "Signed by every party: it starts on %(date)s, and activities can be "
                    "recorded from that day."
                ) % {"date": short_date(pact.start_date)}
            elif status == Status.ACTIVE:
                text = _("Active until %(date)s: record the activities you carry out.") % {
                    "date": short_date(pact.end_date)
                }
            else:
                text = _("Suspended by the office: activities are paused.")
            items.append(_item(pact, "party", text, page, _("Open the pact")))
        elif status in CLOSED:
            text = _("Closed: its history stays public.")
            items.append(_item(pact, "party", text, page, _("Open the pact")))
    return items
