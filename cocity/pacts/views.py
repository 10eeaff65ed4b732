"""Pages of pacts for citizens: the registry, a pact's page, proposing, the co-design
workspace, signing. Views validate input, call one service or selector, and render; each form
of a page is sent to an address of its own (``cocity.core.formviews``)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cocity.accounts.models import User
from cocity.core import registry as contributions
from cocity.core import unsent, versions
from cocity.core.forms import add_service_errors, page_forms
from cocity.core.formviews import posted_from
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
from cocity.pacts.pages import FormPage, pact_head_or_404, pact_or_404

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


def detail_url(municipality: Municipality, number: str, **_kwargs: Any) -> str:
    """The pact's page, which holds the observation and adhesion forms."""
    return reverse("pacts:detail", kwargs={"city": municipality.slug, "number": number})


def workspace_url(municipality: Municipality, number: str, **_kwargs: Any) -> str:
    """The co-design workspace, which holds the meeting, commitment, support and article
    forms."""
    return reverse("pacts:workspace", kwargs={"city": municipality.slug, "number": number})


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
    query = request.GET.copy()
    query.pop("page", None)
    version = versions.city_token(municipality.pk)
    paginator = Paginator(qs, PAGE_SIZE)
    # The count of a large city's registry takes the database 20 ms: kept with the rows.
    filters_key = hashlib.sha256(query.urlencode().encode()).hexdigest()[:24]
    paginator.count = versions.remembered(
        f"registry-count:{municipality.pk}:{filters_key}",
        version,
        qs.count,
        settings.FRAGMENT_CACHE_SECONDS,
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "pacts/registry.html",
        {
            "form": form,
            "page": page,
            # Read only when the page's fragment is not kept, from the primary (versions.kept).
            "rows": SimpleLazyObject(
                lambda: versions.kept(
                    lambda: selectors.pact_registry_rows(
                        qs, start=(page.number - 1) * PAGE_SIZE, stop=page.number * PAGE_SIZE
                    )
                )
            ),
            "query": query.urlencode(),
            "fragment_version": version,
            "fragment_seconds": settings.FRAGMENT_CACHE_SECONDS,
        },
        status=200 if valid else 400,
    )


# --- A pact's page ---------------------------------------------------------------------------


def _detail_page(
    request: HttpRequest, pact: Pact, sent: forms.BaseForm | None = None
) -> HttpResponse:
    """The pact's page with its forms: ``sent`` is the one just sent and refused.

    What every visitor sees alike (the texts, parties, documents, observations, history) is
    rendered in fragments kept by the pact's version (``versions.pact_token``) and the day;
    ``full`` loads the rows they show only when a fragment must be rendered, so a signed-in
    person gets only their own parts rendered (docs/decisions/0022-caching-by-scope.md)."""
    observation_form, adhesion_form = page_forms(
        sent, ObservationForm(prefix="obs"), AdhesionForm(prefix="adh")
    )
    unsent.give_back(request, observation_form, adhesion_form)
    full = SimpleLazyObject(lambda: selectors.pact_page_fill(pact))
    version = versions.pact_token(pact.municipality_id, pact.pk)
    return render(
        request,
        "pacts/detail.html",
        {
            "pact": pact,
            "full": full,
            "fragment_version": f"{version}.{timezone.localdate().isoformat()}",
            "fragment_seconds": settings.FRAGMENT_CACHE_SECONDS,
            "observation_form": observation_form,
            "adhesion_form": adhesion_form,
            "can_workspace": can(request.user, "pacts.use_workspace", pact),
            "can_act_office": can(request.user, "pacts.act_as_office", pact),
            "may_join": can(request.user, "pacts.ask_to_join", pact),
            "proponent_actions": workflow.actions_for(request.user, pact, "pacts.act_as_proponent"),
            "sections": SimpleLazyObject(
                lambda: versions.kept(lambda: contributions.pact_sections(full))
            ),
            "signable": selectors.parties_to_sign(request.user, pact),  # type: ignore[arg-type]
        },
    )


DETAIL = FormPage(url=detail_url, pact=pact_head_or_404, build=_detail_page)


@city_view
@require_GET
def detail(request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
    return DETAIL.show(request, municipality, number)


def _form_view(
    page: FormPage,
    form: type[forms.Form],
    prefix: str,
    service: Callable[..., object],
    *,
    done: Promise,
) -> Callable[..., HttpResponse]:
    """The view of a form of ``page`` whose fields are what ``service`` takes besides the
    person and the pact. A person whose session has expired is sent to the login and gets
    back what they wrote."""

    def view(request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
        pact = page.pact(request, municipality, number)
        return page.answer(
            request,
            pact,
            form(request.POST, prefix=prefix),
            lambda data: service(actor=_user(request), pact=pact, **data),
            done=str(done),
        )

    return city_view(posted_from(page.url, keep_text=True)(view))


#: The observation form of the pact's page (during the consultation).
observe = _form_view(
    DETAIL,
    ObservationForm,
    "obs",
    services.observation_add,
    done=gettext_lazy("Your observation has been published."),
)
#: The form of the pact's page asking to join it.
adhere = _form_view(
    DETAIL,
    AdhesionForm,
    "adh",
    services.adhesion_request,
    done=gettext_lazy("Your request to join has been sent to the office."),
)


@city_view
@posted_from(detail_url, login=True)
def transition(
    request: HttpRequest, municipality: Municipality, number: str, action: str
) -> HttpResponse:
    """One transition from its button on the pact's page or the workspace."""
    pact = pact_or_404(request, municipality, number)
    return perform_transition(request, pact, action, then=pact.url_for(municipality.slug))


def perform_transition(request: HttpRequest, pact: Pact, action: str, *, then: str) -> HttpResponse:
    """Perform ``action`` on the pact, with the note and the version the page showed (a pact
    changed meanwhile is refused), and go back to ``then`` with what happened."""
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
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
    return redirect(then)


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
    form = _place_form(request, municipality, user, initial)
    unsent.give_back(request, form)
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            pact = services.pact_create_draft(
                actor=user, municipality=municipality, **_step_data(form, "place")
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


def _place_form(
    request: HttpRequest, municipality: Municipality, user: User, initial: dict[str, Any]
) -> PlaceForm:
    """The first step's form. Its "search the catalogue" button saves nothing: the same form
    comes back with what was written and the commons found, without errors."""
    if request.method == "POST" and "find_commons" in request.POST:
        sent = {**initial, **request.POST.dict()}
        return PlaceForm(initial=sent, municipality=municipality, user=user)
    return PlaceForm(request.POST or None, initial=initial, municipality=municipality, user=user)


def _step_data(form: forms.Form, step: str) -> dict[str, Any]:
    """What a step's form gives the service: its fields in ``STEPS``, not its helpers (the
    catalogue's search words)."""
    fields = next(f for key, _form, f in STEPS if key == step)
    return {k: v for k, v in form.cleaned_data.items() if k in fields}


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
    if form_class is ContentForm:
        kwargs = {"municipality": municipality}
    initial = {field: getattr(pact, field) for field in fields}
    form: forms.Form | None = None
    if form_class is PlaceForm:
        form = _place_form(request, municipality, user, initial)
        unsent.give_back(request, form)
    elif form_class is not None:
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
        if form.is_bound and form.is_valid():
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
                    services.pact_update_draft(actor=user, pact=pact, **_step_data(form, step))
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


def _workspace_pact(request: HttpRequest, municipality: Municipality, number: str) -> Pact:
    pact = pact_or_404(request, municipality, number)
    if not can(request.user, "pacts.use_workspace", pact):
        raise PermissionDenied(
            _("The workspace is for the parties of the pact and the city's staff.")
        )
    return pact


def _clause_or_404(pact: Pact, key: str) -> Clause:
    try:
        return pact.clauses.get(key=key)
    except Clause.DoesNotExist:
        raise Http404(_("This article does not exist.")) from None


def _commitment_form(pact: Pact, data: Any = None) -> CommitmentForm:
    """The commitment form, choosing among the parties that sign (not the adherents)."""
    parties = [
        (p.pk, f"{p.get_role_display()}: {p.display_name(public=False)}")
        for p in pact.parties.all()
        if p.role != Party.Role.ADHERENT
    ]
    return CommitmentForm(data, prefix="commitment", parties=parties)


def _workspace_page(
    request: HttpRequest, pact: Pact, sent: forms.BaseForm | None = None
) -> HttpResponse:
    """The workspace with its forms: ``sent`` is the one just sent and refused."""
    clauses = list(pact.clauses.all())
    meeting_form, commitment_form, support_form, *clause_forms = page_forms(
        sent,
        MeetingForm(prefix="meeting"),
        _commitment_form(pact),
        SupportItemForm(prefix="support"),
        *(
            ClauseForm(prefix=f"clause-{c.pk}", initial={"text": c.text, "version": c.version})
            for c in clauses
        ),
    )
    unsent.give_back(request, meeting_form, commitment_form, support_form, *clause_forms)
    return render(
        request,
        "pacts/workspace.html",
        {
            "pact": pact,
            "meeting_form": meeting_form,
            "commitment_form": commitment_form,
            "support_form": support_form,
            "clauses": list(zip(clauses, clause_forms, strict=True)),
            "editable": pact.status == Status.CO_DESIGN
            and can(request.user, "pacts.edit_text", pact),
            "office": can(request.user, "pacts.act_as_office", pact),
            "actions": services.actions_offered(request.user, pact),
            "signable": selectors.parties_to_sign(_user(request), pact),
        },
    )


WORKSPACE = FormPage(url=workspace_url, pact=_workspace_pact, build=_workspace_page)


@city_view
@login_required_keeping_text
@require_GET
def workspace(request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
    return WORKSPACE.show(request, municipality, number)


SAVED = gettext_lazy("Saved.")

meeting_add = _form_view(WORKSPACE, MeetingForm, "meeting", services.meeting_add, done=SAVED)
support_add = _form_view(WORKSPACE, SupportItemForm, "support", services.support_add, done=SAVED)


@city_view
@posted_from(workspace_url, keep_text=True)
def commitment_add(request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
    pact = _workspace_pact(request, municipality, number)
    # The form offers only the pact's parties: the one chosen is among those already read.
    parties = {p.pk: p for p in pact.parties.all()}
    return WORKSPACE.answer(
        request,
        pact,
        _commitment_form(pact, request.POST),
        lambda data: services.commitment_add(
            actor=_user(request), pact=pact, party=parties[data["party"]], text=data["text"]
        ),
        done=str(SAVED),
    )


@city_view
@posted_from(workspace_url, keep_text=True)
def clause_edit(
    request: HttpRequest, municipality: Municipality, number: str, key: str
) -> HttpResponse:
    """An article of the text, with the version the page showed: an article changed meanwhile
    by someone else is refused."""
    pact = _workspace_pact(request, municipality, number)
    clause = _clause_or_404(pact, key)
    return WORKSPACE.answer(
        request,
        pact,
        ClauseForm(request.POST, prefix=f"clause-{clause.pk}"),
        lambda data: services.clause_edit(
            actor=_user(request),
            clause=clause,
            text=data["text"],
            expected_version=data["version"],
        ),
        done=str(SAVED),
    )


@city_view
@require_GET
def clause_history(
    request: HttpRequest, municipality: Municipality, number: str, key: str
) -> HttpResponse:
    pact = pact_or_404(request, municipality, number)
    clause = _clause_or_404(pact, key)
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
    pact = pact_or_404(request, municipality, number)
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
