from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cocity.accounts.models import Membership, Organisation, User
from cocity.commons.models import Commons
from cocity.commons.selectors import commons_choices
from cocity.core.forms import DateInput, DateTimeInput, LimitedText, LongSelect
from cocity.core.markup import MARKDOWN_HELP
from cocity.municipalities.models import Municipality
from cocity.pacts import limits
from cocity.pacts.models import Category, Pact, Support


class PlaceForm(forms.Form):
    """Step 1: which commons (or a new place) and under which title."""

    title = LimitedText(label=_("Title of the proposal"), max_length=limits.TITLE)
    # Only in a city with more commons than a list can show (``commons_choices``): the words
    # to look for, sent with the "search" button (``SEARCH_BUTTON``), which saves nothing.
    commons_search = forms.CharField(
        label=_("Search the catalogue of commons"),
        required=False,
        max_length=100,
        help_text=_("Part of the name or of the address, then press “Search the catalogue”."),
    )
    commons = forms.ModelChoiceField(
        label=_("Commons from the catalogue"),
        required=False,
        queryset=Commons.objects.none(),
        widget=LongSelect,  # every commons of the city: thousands in a large one
    )
    place_name = LimitedText(
        label=_("Or a place not in the catalogue"),
        required=False,
        max_length=limits.PLACE_NAME,
        help_text=_("Name and address of the place"),
    )
    place_lat = forms.FloatField(label=_("Latitude of the place"), required=False)
    place_lon = forms.FloatField(label=_("Longitude of the place"), required=False)
    proponent_organisation = forms.ModelChoiceField(
        label=_("On behalf of"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_("Leave empty to propose as a private citizen."),
    )

    #: The button that searches the catalogue (``includes/form_fields.html``).
    inline_button = {
        "after": "commons_search",
        "name": "find_commons",
        "label": _("Search the catalogue"),
    }

    def __init__(self, *args: Any, municipality: Municipality, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commons = self.fields["commons"]
        organisation = self.fields["proponent_organisation"]
        assert isinstance(commons, forms.ModelChoiceField)
        assert isinstance(organisation, forms.ModelChoiceField)
        commons.queryset = Commons.objects.filter(municipality=municipality).only("name")
        commons.empty_label = _("— choose a commons —")
        self._offer_commons(municipality, commons)
        organisation.queryset = Organisation.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.REPRESENTATIVE
        )
        organisation.empty_label = _("— myself, as a citizen —")

    def _offer_commons(self, municipality: Municipality, commons: forms.ModelChoiceField) -> None:
        """The list shows what ``commons_choices`` offers; any commons of the city is valid."""
        source = self.data if self.is_bound else self.initial
        query = str(source.get(self.add_prefix("commons_search"), "") or "").strip()[:100]
        chosen = str(source.get(self.add_prefix("commons"), "") or "")
        offer = commons_choices(
            municipality=municipality,
            q=query,
            chosen=int(chosen) if chosen.isdecimal() else None,
            limit=self.ALL_COMMONS_UP_TO,
        )
        commons.widget.choices = [("", commons.empty_label), *offer.rows]
        if offer.count <= self.ALL_COMMONS_UP_TO:
            del self.fields["commons_search"]
            self.inline_button = {}
        elif not query:
            commons.help_text = _(
                "The catalogue has %(count)s commons: search it by name or address to choose one."
            ) % {"count": offer.count}
        elif offer.matches:
            commons.help_text = ngettext(
                "%(found)s commons matches “%(q)s”: choose it in the list.",
                "%(found)s commons match “%(q)s”: choose one in the list.",
                offer.matches,
            ) % {"found": offer.matches, "q": query}
        else:
            commons.help_text = _(
                "No commons matches “%(q)s”: try other words, or name below a place that is "
                "not in the catalogue."
            ) % {"q": query}

    #: Up to this many commons, the list shows them all and there is no search.
    ALL_COMMONS_UP_TO = 200

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("commons") and not (data.get("place_name") or "").strip():
            raise forms.ValidationError(_("Choose a commons from the catalogue or name a place."))
        return data


class ContentForm(forms.Form):
    """Step 2: what the pact is for."""

    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    complexity = forms.ChoiceField(
        label=_("Ordinary or complex"),
        choices=Pact.Complexity.choices,
        help_text=_(
            "Complex pacts involve lasting interventions on buildings or larger areas "
            "and are approved by the executive."
        ),
    )
    objectives = LimitedText(
        label=_("Objectives"), max_length=limits.OBJECTIVES, rows=4, help_text=MARKDOWN_HELP
    )
    activities = LimitedText(label=_("Activities"), max_length=limits.ACTIVITIES, rows=5)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = Category.objects.filter(municipality=municipality)


class PeopleForm(forms.Form):
    """Step 3: who is involved; co-signatories are invited by e-mail."""

    people_involved = LimitedText(
        label=_("People and organisations involved"),
        required=False,
        max_length=limits.PEOPLE_INVOLVED,
        rows=4,
    )
    invite = forms.EmailField(
        label=_("Invite a co-signatory by e-mail"), required=False, max_length=limits.EMAIL
    )


class SupportForm(forms.Form):
    support_requested = LimitedText(
        label=_("Support asked of the city"),
        required=False,
        max_length=limits.SUPPORT_REQUESTED,
        rows=4,
        help_text=_("Free use of a space, materials, tools, training, insurance…"),
    )


class TimingForm(forms.Form):
    desired_start = forms.DateField(label=_("Desired start"), required=False, widget=DateInput)
    duration_months = forms.IntegerField(label=_("Duration (months)"), min_value=1, max_value=240)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Document or photo"),
        help_text=_("A PDF, OpenDocument or Office document, or a JPEG, PNG or WebP photo."),
    )
    title = LimitedText(label=_("Title"), max_length=limits.ATTACHMENT_TITLE)
    public = forms.BooleanField(
        label=_("Publish it with the proposal"),
        required=False,
        help_text=_(
            "Otherwise only the parties and the city's offices see it. Leave it unticked "
            "for documents with personal data, such as an identity document."
        ),
    )


class NoteForm(forms.Form):
    note = LimitedText(label=_("Reason or note"), required=False, max_length=limits.NOTE, rows=3)


class ObservationForm(forms.Form):
    text = LimitedText(
        label=_("Your observation"),
        max_length=limits.OBSERVATION,
        rows=4,
        help_text=MARKDOWN_HELP,
    )


class AdhesionForm(forms.Form):
    offer = LimitedText(
        label=_("What you offer to the pact"), max_length=limits.ADHESION_OFFER, rows=3
    )


class HideForm(forms.Form):
    reason = LimitedText(label=_("Reason for hiding"), max_length=limits.HIDDEN_REASON)


class OpinionRequestForm(forms.Form):
    department = LimitedText(label=_("Department"), max_length=limits.DEPARTMENT)
    question = LimitedText(label=_("Question"), max_length=limits.OPINION_QUESTION, rows=3)


class OpinionAnswerForm(forms.Form):
    answer = LimitedText(label=_("Opinion"), max_length=limits.OPINION_ANSWER, rows=4)
    favourable = forms.TypedChoiceField(
        label=_("Outcome"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Favourable")), ("no", _("Not favourable"))],
    )


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput)
    place = LimitedText(label=_("Place"), max_length=limits.MEETING_PLACE, required=False)
    link = forms.URLField(label=_("Online link"), required=False, max_length=limits.MEETING_LINK)
    participants = LimitedText(
        label=_("Participants"),
        required=False,
        max_length=limits.MEETING_PARTICIPANTS,
        rows=2,
    )
    minutes = LimitedText(
        label=_("Minutes"),
        required=False,
        max_length=limits.MEETING_MINUTES,
        rows=4,
        help_text=MARKDOWN_HELP,
    )


class ClauseForm(forms.Form):
    text = LimitedText(
        label=_("Text of the article"),
        max_length=limits.CLAUSE,
        rows=6,
        help_text=MARKDOWN_HELP,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CommitmentForm(forms.Form):
    party = forms.TypedChoiceField(label=_("Party"), coerce=int)
    text = LimitedText(label=_("Commitment"), max_length=limits.COMMITMENT, rows=2)

    def __init__(self, *args: Any, parties: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        party = self.fields["party"]
        assert isinstance(party, forms.TypedChoiceField)
        party.choices = parties


class SupportItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Support.Kind.choices)
    description = LimitedText(label=_("Description"), max_length=limits.SUPPORT_DESCRIPTION)
    estimated_value = forms.DecimalField(
        label=_("Estimated value (€)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )


class SignForm(forms.Form):
    read = forms.BooleanField(
        label=_("I have read the text of the pact and I accept it."),
        error_messages={
            "required": _("Please confirm that you have read the text of the pact before signing.")
        },
    )
    password = forms.CharField(
        label=_("Your password"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    file = forms.FileField(
        label=_("Or the pact signed with a qualified digital signature (PDF or .p7m)"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("password") and not data.get("file"):
            raise forms.ValidationError(_("Enter your password, or upload the signed file."))
        return data
