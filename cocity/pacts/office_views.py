"""The office's pages for pacts: ``/<city>/office/pacts/`` and the departments' opinions. Each
form and button of a pact's page is sent to an address of its own (``cocity.core.formviews``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cocity.accounts.models import User
from cocity.accounts.office import office_view
from cocity.core import versions
from cocity.core.forms import add_service_errors, page_forms
from cocity.core.formviews import posted_from, refused
from cocity.municipalities.models import Municipality
from cocity.pacts import selectors, services, workflow
from cocity.pacts.filters import WorklistFilterForm
from cocity.pacts.forms import HideForm, NoteForm, OpinionAnswerForm, OpinionRequestForm
from cocity.pacts.models import Opinion, Pact, Status
from cocity.pacts.pages import FormPage, pact_or_404
from cocity.pacts.views import perform_transition


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@office_view()
def worklist(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """The office's worklist. Its lists are the same for every officer of the city: they are
    kept by the city's version and the hour (the deadlines turn overdue), and read only when
    the fragment is not kept (docs/decisions/0022-caching-by-scope.md)."""
    counts = selectors.office_status_counts(municipality=municipality)
    form = WorklistFilterForm(request.GET, municipality=municipality, statuses=list(counts))
    filters = form.filters()
    # Read only when the fragment is not kept, from the primary (versions.kept).
    page = SimpleLazyObject(
        lambda: versions.kept(
            lambda: selectors.office_worklist_page(
                municipality=municipality, number=request.GET.get("page"), filters=filters
            )
        )
    )
    waiting = SimpleLazyObject(
        lambda: versions.kept(
            lambda: _with_rows(
                Paginator(
                    selectors.waiting_for_proponents(municipality=municipality),
                    selectors.WORKLIST_PAGE_SIZE,
                ).get_page(request.GET.get("waiting"))
            )
        )
    )
    hour = timezone.localtime().strftime("%Y-%m-%dT%H")
    return render(
        request,
        "pacts/office_worklist.html",
        {
            "page": page,
            "pacts": SimpleLazyObject(lambda: page.object_list),
            "form": form,
            "counts": [(Status(status).label, n) for status, n in counts.items()],
            "waiting_page": waiting,
            "page_query": _query_without(request, "page"),
            "waiting_query": _query_without(request, "waiting"),
            "fragment_version": f"{versions.city_token(municipality.pk)}.{hour}",
            "fragment_seconds": settings.FRAGMENT_CACHE_SECONDS,
        },
        status=400 if form.errors else 200,
    )


def _with_rows(page: Page[Any]) -> Page[Any]:
    """``page`` with its rows read now (inside ``versions.kept``), not when it is shown."""
    page.object_list = list(page.object_list)
    return page


def _query_without(request: HttpRequest, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


def office_url(municipality: Municipality, number: str, **_kwargs: Any) -> str:
    """The office's page of the pact, which holds its forms and buttons."""
    return reverse("pacts_office:pact", kwargs={"city": municipality.slug, "number": number})


def _office_pact(request: HttpRequest, municipality: Municipality, number: str) -> Pact:
    """The pact as the office's page shows it (with its deadline), or the 404 page."""
    return pact_or_404(request, municipality, number, office=True)


def _office_page(
    request: HttpRequest, item: Pact, sent: forms.BaseForm | None = None
) -> HttpResponse:
    """The office's page of the pact with its forms: ``sent`` is the one just sent and
    refused."""
    opinion_form, hide_form = page_forms(
        sent, OpinionRequestForm(prefix="opinion"), HideForm(prefix="hide")
    )
    return render(
        request,
        "pacts/office_pact.html",
        {
            "pact": item,
            "actions": services.actions_offered(request.user, item),
            "note_form": NoteForm(),
            "opinion_form": opinion_form,
            "hide_form": hide_form,
            "termination_reasons": workflow.TERMINATION_REASONS,
        },
    )


OFFICE = FormPage(url=office_url, pact=_office_pact, build=_office_page)


@office_view()
@require_GET
def pact(request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
    return OFFICE.show(request, municipality, number)


@office_view()
@posted_from(office_url)
def transition(
    request: HttpRequest, municipality: Municipality, number: str, action: str
) -> HttpResponse:
    """One transition from its button on the office's page, which it goes back to."""
    item = pact_or_404(request, municipality, number)
    return perform_transition(request, item, action, then=office_url(municipality, number))


@office_view()
@posted_from(office_url)
def opinion_request(request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
    """Ask a department for its opinion on the pact."""
    item = _office_pact(request, municipality, number)
    return OFFICE.answer(
        request,
        item,
        OpinionRequestForm(request.POST, prefix="opinion"),
        lambda data: services.opinion_request(actor=_user(request), pact=item, **data),
        done=_("The opinion has been asked."),
    )


@office_view()
@posted_from(office_url)
def observation_hide(
    request: HttpRequest, municipality: Municipality, number: str, pk: int
) -> HttpResponse:
    """Hide an observation, with the reason shown in its place."""
    item = _office_pact(request, municipality, number)
    observation = _one(item.observations.all(), pk, _("This observation does not exist."))
    return OFFICE.answer(
        request,
        item,
        HideForm(request.POST, prefix="hide"),
        lambda data: services.observation_hide(
            actor=_user(request), observation=observation, reason=data["reason"]
        ),
        done=_("The observation has been hidden."),
    )


@office_view()
@posted_from(office_url)
def adhesion_decide(
    request: HttpRequest, municipality: Municipality, number: str, pk: int, accept: bool
) -> HttpResponse:
    """Accept or decline a request to join (two addresses: ``accept`` comes from the URL)."""
    item = _office_pact(request, municipality, number)
    adhesion = _one(item.adhesions.all(), pk, _("This request to join does not exist."))
    return _office_button(
        request,
        item,
        lambda: services.adhesion_decide(actor=_user(request), adhesion=adhesion, accept=accept),
        done=lambda _adhesion: _("The request to join has been decided."),
        then=lambda _adhesion: office_url(municipality, number),
    )


@office_view()
@posted_from(office_url)
def support_decide(
    request: HttpRequest, municipality: Municipality, number: str, pk: int, accept: bool
) -> HttpResponse:
    """Confirm or decline a support a party asked for (``accept`` comes from the URL)."""
    item = _office_pact(request, municipality, number)
    support = _one(item.supports.all(), pk, _("This support does not exist."))
    return _office_button(
        request,
        item,
        lambda: services.support_decide(actor=_user(request), support=support, accept=accept),
        done=lambda decided: (
            _("Confirmed: it is part of the pact's text.")
            if decided.status == "confirmed"
            else _("Declined.")
        ),
        then=lambda _support: office_url(municipality, number),
    )


@office_view()
@posted_from(office_url)
def renew(request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
    """Open the renewal of an active or concluded pact, and go to its page."""
    item = _office_pact(request, municipality, number)
    return _office_button(
        request,
        item,
        lambda: services.pact_renew(actor=_user(request), pact=item),
        done=lambda renewal: (
            _("Renewal %(number)s opened in co-design.") % {"number": renewal.number}
        ),
        then=lambda renewal: office_url(municipality, renewal.number),
    )


def _one[M: Model](rows: Iterable[M], pk: int, missing: str) -> M:
    """The row ``pk`` among those of the pact already read, or the 404 page."""
    for row in rows:
        if row.pk == pk:
            return row
    raise Http404(missing)


def _office_button[T](
    request: HttpRequest,
    item: Pact,
    act: Callable[[], T],
    *,
    done: Callable[[T], str],
    then: Callable[[T], str],
) -> HttpResponse:
    """A button of the office's page without a form: ``act`` calls the service; a refusal
    comes back on the page as a message (400)."""
    try:
        result = act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return refused(_office_page(request, item))
    messages.success(request, done(result))
    return redirect(then(result))


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
