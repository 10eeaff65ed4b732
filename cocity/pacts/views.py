"""Pages of pacts for citizens: the registry, a pact's page, proposing, the co-design
workspace, signing. Views validate input, call one service or selector, and render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cocity.accounts.models import User
from cocity.core import registry as contributions
from cocity.core import unsent
from cocity.core.forms import add_service_errors
from cocity.core.permissions import can
from cocity.core.unsent import login_required_keeping_text
from cocity.municipalities.city import city_view
from cocity.municipalities.models import Municipality
from cocity.pacts import selectors, services, workflow
from cocity.pacts.filters import PactFilterForm
from cocity.pacts.forms import (
    AdhesionForm,
    AttachmentForm,
    ClauseForm,
    CommitmentForm,
    ContentForm,
    MeetingForm,
    NoteForm,
    ObservationForm,
    PeopleForm,
    PlaceForm,
    SignForm,
    SupportForm,
    SupportItemForm,
    TimingForm,
)
from cocity.pacts.models import Clause, Pact, Party, Status

PAGE_SIZE = 25

STEPS = (
    (
        "place",
        PlaceForm,
        ("title", "commons", "place_name", "place_lat", "place_lon", "proponent_organisation"),
    ),
    ("content", ContentForm, ("category", "complexity", "objectives", "activities")),
    ("people", PeopleForm, ("people_involved",)),
    ("support", SupportForm, ("support_requested",)),
    ("timing", TimingForm, ("desired_start", "duration_months")),
    ("attachments", AttachmentForm, ()),
    ("review", None, ()),
)
# Lazy: the labels are read in each request's language, not the one active at import.
STEP_LABELS = {
    "place": gettext_lazy("Commons and title"),
    "content": gettext_lazy("Objectives and activities"),
    "people": gettext_lazy("People involved"),
    "support": gettext_lazy("Support asked"),
    "timing": gettext_lazy("Start and duration"),
    "attachments": gettext_lazy("Attachments"),
    "review": gettext_lazy("Review and submit"),
}
STEP_LIST = [{"key": key, "label": STEP_LABELS[key]} for key, _form, _fields in STEPS]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _pact(municipality: Municipality, number: str, request: HttpRequest) -> Pact:
    try:
        pact = selectors.pact_get(municipality=municipality, number=number)
    except Pact.DoesNotExist:
        raise Http404(
            _("There is no pact %(number)s in %(city)s.")
            % {"number": number, "city": municipality.name}
        ) from None
    if not can(request.user, "pacts.view", pact):
        raise Http404(
            _("There is no pact %(number)s in %(city)s.")
            % {"number": number, "city": municipality.name}
        )
    return pact


@city_view
@require_GET
def registry(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = PactFilterForm(request.GET, municipality=municipality)
    valid = form.is_valid()
    qs = (
        selectors.pact_registry(municipality=municipality, **form.filters())
        if valid
        else (Pact.objects.none())
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pacts/registry.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=200 if valid else 400,
    )


@city_view
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
    pact = _pact(municipality, number, request)
    observation_form = ObservationForm(prefix="obs")
    adhesion_form = AdhesionForm(prefix="adh")
    unsent.give_back(request, observation_form, adhesion_form)
    if request.method == "POST":
        if not request.user.is_authenticated:
            unsent.keep(request)
            return redirect(f"{reverse('account_login')}?next={request.path}")
        user = _user(request)
        try:
            if request.POST.get("action") == "observe":
                observation_form = ObservationForm(request.POST, prefix="obs")
                if observation_form.is_valid():
                    services.observation_add(
                        actor=user, pact=pact, text=observation_form.cleaned_data["text"]
                    )
                    messages.success(request, _("Your observation has been published."))
                    return redirect(pact.url_for(municipality.slug))
            elif request.POST.get("action") == "adhere":
                adhesion_form = AdhesionForm(request.POST, prefix="adh")
                if adhesion_form.is_valid():
                    services.adhesion_request(
                        actor=user, pact=pact, offer=adhesion_form.cleaned_data["offer"]
                    )
                    messages.success(
                        request, _("Your request to join has been sent to the office.")
                    )
                    return redirect(pact.url_for(municipality.slug))
        except ValidationError as exc:
            target = observation_form if request.POST.get("action") == "observe" else adhesion_form
            add_service_errors(target, exc)
    return render(
        request,
        "pacts/detail.html",
        {
            "pact": pact,
            "observation_form": observation_form,
            "adhesion_form": adhesion_form,
            "can_workspace": can(request.user, "pacts.use_workspace", pact),
            "can_act_office": can(request.user, "pacts.act_as_office", pact),
            "proponent_actions": workflow.actions_for(request.user, pact, "pacts.act_as_proponent"),
            "sections": contributions.pact_sections(pact),
            "signable": selectors.parties_to_sign(request.user, pact),  # type: ignore[arg-type]
        },
        status=400 if observation_form.errors or adhesion_form.errors else 200,
    )


@city_view
@require_POST
def transition(request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
    """Perform one transition from a button; the form carries the version the page showed."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    pact = _pact(municipality, number, request)
    action = request.POST.get("action", "")
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    back = request.POST.get("back") == "office"
    target = (
        reverse("pacts_office:pact", kwargs={"city": municipality.slug, "number": number})
        if back
        else pact.url_for(municipality.slug)
    )
    try:
        services.pact_transition(
            actor=_user(request),
            pact=pact,
            action=action,
            note=form.cleaned_data.get("note") or "",
            expected_version=version,
        )
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    else:
        label = workflow.TRANSITIONS[action].label
        messages.success(request, _("Done: %(action)s.") % {"action": label})
    return redirect(target)


# --- Proposing ------------------------------------------------------------------------------


@city_view
@login_required_keeping_text
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """The first step of a proposal; saving it creates the draft. ``?commons=<id>`` (the link
    on a commons' page) chooses that commons in advance."""
    user = _user(request)
    chosen = request.GET.get("commons", "")
    initial = {"commons": int(chosen)} if chosen.isdecimal() else {}
    form = PlaceForm(request.POST or None, initial=initial, municipality=municipality, user=user)
    unsent.give_back(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            pact = services.pact_create_draft(
                actor=user, municipality=municipality, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your draft is saved: you can come back to it at any time from “My pacts”."),
            )
            return redirect("pacts:draft_step", city=municipality.slug, pk=pact.pk, step="content")
    return render(
        request,
        "pacts/wizard.html",
        {"form": form, "step": "place", "steps": STEP_LIST, "pact": None},
        status=400 if form.errors else 200,
    )


def _draft(request: HttpRequest, municipality: Municipality, pk: int) -> Pact:
    try:
        pact = selectors.pact_draft_get(pk=pk)
    except Pact.DoesNotExist:
        raise Http404(_("This proposal does not exist.")) from None
    if pact.municipality_id != municipality.pk or not can(request.user, "pacts.edit_draft", pact):
        raise Http404(_("This proposal does not exist."))
    return pact


@city_view
@login_required
@require_GET
def receipt(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    """The receipt of a submitted proposal, with its protocol number, for its proponent."""
    try:
        pact = selectors.pact_draft_get(pk=pk)
    except Pact.DoesNotExist:
        raise Http404(_("This proposal does not exist.")) from None
    if pact.municipality_id != municipality.pk or pact.proponent_id != request.user.pk:
        raise Http404(_("This proposal does not exist."))
    if not pact.number:
        return redirect("pacts:draft", city=municipality.slug, pk=pk)
    return render(request, "pacts/receipt.html", {"pact": pact})


@city_view
@login_required
def draft(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    pact = _draft(request, municipality, pk)
    if pact.number and pact.status not in services.EDITABLE_STATUSES:
        return redirect(pact.url_for(municipality.slug))
    return redirect("pacts:draft_step", city=municipality.slug, pk=pk, step="review")


@city_view
@login_required_keeping_text
@require_http_methods(["GET", "POST"])
def draft_step(
    request: HttpRequest, municipality: Municipality, pk: int, step: str
) -> HttpResponse:
    pact = _draft(request, municipality, pk)
    if pact.status not in services.EDITABLE_STATUSES:
        messages.info(request, _("The proposal has been submitted and can no longer be edited."))
        return redirect(pact.url_for(municipality.slug))
    steps = [key for key, _f, _fields in STEPS]
    if step not in steps:
        raise Http404(_("This step does not exist."))
    index = steps.index(step)
    form_class, fields = STEPS[index][1], STEPS[index][2]
    user = _user(request)
    kwargs: dict[str, Any] = {}
    if form_class in (PlaceForm,):
        kwargs = {"municipality": municipality, "user": user}
    elif form_class is ContentForm:
        kwargs = {"municipality": municipality}
    initial = {field: getattr(pact, field) for field in fields}
    form: forms.Form | None = None
    if form_class is not None:
        form = form_class(request.POST or None, request.FILES or None, initial=initial, **kwargs)
        unsent.give_back(request, form)
    if request.method == "POST":
        if step == "review":
            action = "resubmit" if pact.status == Status.INCOMPLETE else "submit"
            try:
                submitted = services.pact_transition(actor=user, pact=pact, action=action)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
                return redirect("pacts:draft_step", city=municipality.slug, pk=pk, step="review")
            # Redirect after the POST: a reload of the receipt submits nothing again.
            return redirect("pacts:receipt", city=municipality.slug, pk=submitted.pk)
        assert form is not None
        if form.is_valid():
            try:
                if step == "attachments":
                    services.attachment_add(
                        actor=user,
                        pact=pact,
                        upload=form.cleaned_data["file"],
                        title=form.cleaned_data["title"],
                        public=form.cleaned_data["public"],
                    )
                else:
                    data = {k: v for k, v in form.cleaned_data.items() if k in fields}
                    services.pact_update_draft(actor=user, pact=pact, **data)
                    if step == "people" and form.cleaned_data.get("invite"):
                        services.pact_invite_co_signatory(
                            actor=user, pact=pact, email=form.cleaned_data["invite"]
                        )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                next_step = (
                    step
                    if step in {"attachments", "people"} and request.POST.get("stay")
                    else steps[min(index + 1, len(steps) - 1)]
                )
                messages.success(request, _("Saved."))
                return redirect("pacts:draft_step", city=municipality.slug, pk=pk, step=next_step)
    return render(
        request,
        "pacts/wizard.html",
        {
            "form": form,
            "step": step,
            "steps": STEP_LIST,
            "pact": pact,
            "parties": pact.parties.select_related("user", "organisation"),
            "attachments": pact.attachments.all(),
            "request_note": pact.events.filter(action="request_info").order_by("-at").first(),
        },
        status=400 if form is not None and form.errors else 200,
    )


# --- Co-design workspace -------------------------------------------------------------------


@city_view
@login_required_keeping_text
@require_http_methods(["GET", "POST"])
def workspace(request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
    pact = _pact(municipality, number, request)
    if not can(request.user, "pacts.use_workspace", pact):
        raise PermissionDenied(
            _("The workspace is for the parties of the pact and the city's staff.")
        )
    user = _user(request)
    party_choices = [
        (p.pk, f"{p.get_role_display()}: {p.display_name(public=False)}")
        for p in pact.parties.all()
        if p.role != Party.Role.ADHERENT
    ]
    meeting_form = MeetingForm(prefix="meeting")
    commitment_form = CommitmentForm(prefix="commitment", parties=party_choices)
    support_form = SupportItemForm(prefix="support")
    clause_forms = {
        c.pk: ClauseForm(prefix=f"clause-{c.pk}", initial={"text": c.text, "version": c.version})
        for c in pact.clauses.all()
    }
    unsent.give_back(request, meeting_form, commitment_form, support_form, *clause_forms.values())
    if request.method == "POST":
        action = request.POST.get("action", "")
        bound: forms.Form | None = None
        try:
            if action == "meeting":
                bound = meeting_form = MeetingForm(request.POST, prefix="meeting")
                if meeting_form.is_valid():
                    services.meeting_add(actor=user, pact=pact, **meeting_form.cleaned_data)
            elif action == "commitment":
                bound = commitment_form = CommitmentForm(
                    request.POST, prefix="commitment", parties=party_choices
                )
                if commitment_form.is_valid():
                    party = pact.parties.get(pk=commitment_form.cleaned_data["party"])
                    services.commitment_add(
                        actor=user,
                        pact=pact,
                        party=party,
                        text=commitment_form.cleaned_data["text"],
                    )
            elif action == "support":
                bound = support_form = SupportItemForm(request.POST, prefix="support")
                if support_form.is_valid():
                    services.support_add(actor=user, pact=pact, **support_form.cleaned_data)
            elif action.startswith("clause-"):
                clause = pact.clauses.get(pk=int(action.split("-", 1)[1]))
                bound = clause_forms[clause.pk] = ClauseForm(request.POST, prefix=action)
                if bound.is_valid():
                    services.clause_edit(
                        actor=user,
                        clause=clause,
                        text=bound.cleaned_data["text"],
                        expected_version=bound.cleaned_data["version"],
                    )
            else:
                raise ValidationError(_("Unknown action."))
        except (ValidationError, Clause.DoesNotExist, Party.DoesNotExist, ValueError) as exc:
            if bound is not None and isinstance(exc, ValidationError):
                add_service_errors(bound, exc)
            else:
                messages.error(request, _("This request could not be understood."))
        if bound is not None and bound.is_bound and not bound.errors:
            messages.success(request, _("Saved."))
            return redirect("pacts:workspace", city=municipality.slug, number=number)
    return render(
        request,
        "pacts/workspace.html",
        {
            "pact": pact,
            "meeting_form": meeting_form,
            "commitment_form": commitment_form,
            "support_form": support_form,
            "clauses": [(c, clause_forms[c.pk]) for c in pact.clauses.all()],
            "editable": pact.status == Status.CO_DESIGN
            and can(request.user, "pacts.edit_text", pact),
            "actions": services.actions_offered(request.user, pact),
            "signable": selectors.parties_to_sign(user, pact),
        },
        status=400 if request.method == "POST" else 200,
    )


@city_view
@require_GET
def clause_history(
    request: HttpRequest, municipality: Municipality, number: str, key: str
) -> HttpResponse:
    pact = _pact(municipality, number, request)
    try:
        clause = pact.clauses.get(key=key)
    except Clause.DoesNotExist:
        raise Http404(_("This article does not exist.")) from None
    try:
        page, changes = selectors.clause_history_page(clause, request.GET.get("page"))
    except InvalidPage:
        raise Http404(_("This page of the history does not exist.")) from None
    return render(
        request,
        "pacts/clause_history.html",
        {"pact": pact, "clause": clause, "page": page, "changes": changes},
    )


@city_view
@login_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, municipality: Municipality, number: str, party: int) -> HttpResponse:
    pact = _pact(municipality, number, request)
    try:
        target = pact.parties.get(pk=party)
    except Party.DoesNotExist:
        raise Http404(_("This party does not exist.")) from None
    user = _user(request)
    form = SignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            signed = services.pact_sign(
                actor=user,
                party=target,
                password=form.cleaned_data.get("password"),
                signed_file=form.cleaned_data.get("file"),
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if signed.status == Status.ACTIVE:
                messages.success(
                    request, _("Signed. Every party has signed: the pact is now active.")
                )
            else:
                messages.success(
                    request, _("Signed. The pact becomes active when every party has signed.")
                )
            return redirect(signed.url_for(municipality.slug))
    return render(
        request,
        "pacts/sign.html",
        {"pact": pact, "party": target, "form": form, "text_hash": services.pact_text_hash(pact)},
        status=400 if form.errors else 200,
    )
