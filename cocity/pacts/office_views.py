"""The office's pages for pacts: ``/<city>/office/pacts/`` and the departments' opinions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cocity.accounts.models import User
from cocity.accounts.office import office_view
from cocity.core.forms import add_service_errors
from cocity.municipalities.models import Municipality
from cocity.pacts import selectors, services, workflow
from cocity.pacts.filters import WorklistFilterForm
from cocity.pacts.forms import HideForm, NoteForm, OpinionAnswerForm, OpinionRequestForm
from cocity.pacts.models import Adhesion, Observation, Opinion, Pact, Status


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@office_view()
def worklist(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    counts = selectors.office_status_counts(municipality=municipality)
    form = WorklistFilterForm(request.GET, municipality=municipality, statuses=list(counts))
    page = selectors.office_worklist_page(
        municipality=municipality, number=request.GET.get("page"), filters=form.filters()
    )
    waiting = Paginator(
        selectors.waiting_for_proponents(municipality=municipality), selectors.WORKLIST_PAGE_SIZE
    ).get_page(request.GET.get("waiting"))
    return render(
        request,
        "pacts/office_worklist.html",
        {
            "page": page,
            "pacts": page.object_list,
            "form": form,
            "counts": [(Status(status).label, n) for status, n in counts.items()],
            "waiting_page": waiting,
            "page_query": _query_without(request, "page"),
            "waiting_query": _query_without(request, "waiting"),
        },
        status=400 if form.errors else 200,
    )


def _query_without(request: HttpRequest, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


@office_view()
@require_http_methods(["GET", "POST"])
def pact(request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
    try:
        item = selectors.office_pact_get(municipality=municipality, number=number)
    except Pact.DoesNotExist:
        raise Http404(
            _("There is no pact %(number)s in %(city)s.")
            % {"number": number, "city": municipality.name}
        ) from None
    user = _user(request)
    opinion_form = OpinionRequestForm(prefix="opinion")
    hide_form = HideForm(prefix="hide")
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "opinion":
                opinion_form = OpinionRequestForm(request.POST, prefix="opinion")
                if opinion_form.is_valid():
                    services.opinion_request(actor=user, pact=item, **opinion_form.cleaned_data)
                    messages.success(request, _("The opinion has been asked."))
                    return redirect("pacts_office:pact", city=municipality.slug, number=number)
            elif action == "hide":
                hide_form = HideForm(request.POST, prefix="hide")
                observation = Observation.objects.get(
                    pk=request.POST.get("observation", ""), pact=item
                )
                if hide_form.is_valid():
                    services.observation_hide(
                        actor=user, observation=observation, reason=hide_form.cleaned_data["reason"]
                    )
                    messages.success(request, _("The observation has been hidden."))
                    return redirect("pacts_office:pact", city=municipality.slug, number=number)
            elif action in {"accept", "decline"}:
                adhesion = Adhesion.objects.get(pk=request.POST.get("adhesion", ""), pact=item)
                services.adhesion_decide(actor=user, adhesion=adhesion, accept=action == "accept")
                messages.success(request, _("The request to join has been decided."))
                return redirect("pacts_office:pact", city=municipality.slug, number=number)
            elif action == "renew":
                renewal = services.pact_renew(actor=user, pact=item)
                messages.success(
                    request,
                    _("Renewal %(number)s opened in co-design.") % {"number": renewal.number},
                )
                return redirect("pacts_office:pact", city=municipality.slug, number=renewal.number)
            else:
                messages.error(request, _("Unknown action."))
        except (Observation.DoesNotExist, Adhesion.DoesNotExist, ValueError):
            messages.error(request, _("This request could not be understood."))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            form = opinion_form if action == "opinion" else hide_form
            if action in {"opinion", "hide"}:
                add_service_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    actions = services.actions_offered(user, item)
    return render(
        request,
        "pacts/office_pact.html",
        {
            "pact": item,
            "actions": actions,
            "note_form": NoteForm(),
            "opinion_form": opinion_form,
            "hide_form": hide_form,
            "can_renew": item.status in ("active", "concluded"),
            "termination_reasons": workflow.TERMINATION_REASONS,
        },
        status=400 if request.method == "POST" else 200,
    )


@office_view()
@require_http_methods(["GET", "POST"])
def opinions(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """The worklist of a department: opinions asked of it, answered from here."""
    user = _user(request)
    forms_by_id: dict[int, OpinionAnswerForm] = {}
    if request.method == "POST":
        try:
            opinion = Opinion.objects.select_related("pact").get(
                pk=request.POST.get("opinion", ""), pact__municipality=municipality
            )
        except (Opinion.DoesNotExist, ValueError):
            raise Http404(_("This request for an opinion does not exist.")) from None
        form = OpinionAnswerForm(request.POST, prefix=f"op{opinion.pk}")
        forms_by_id[opinion.pk] = form
        if form.is_valid():
            try:
                services.opinion_answer(actor=user, opinion=opinion, **form.cleaned_data)
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your opinion has been sent to the office."))
                return redirect("pacts_office:opinions", city=municipality.slug)
    items = list(selectors.opinion_worklist(municipality=municipality, user=user))
    rows = [(o, forms_by_id.get(o.pk) or OpinionAnswerForm(prefix=f"op{o.pk}")) for o in items]
    return render(
        request,
        "pacts/office_opinions.html",
        {"rows": rows},
        status=400 if request.method == "POST" else 200,
    )
