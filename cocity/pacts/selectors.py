"""Reads on pacts, each in a fixed number of queries whatever the number of pacts or events."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cocity.accounts.models import Organisation, User
from cocity.commons.models import Commons
from cocity.core import search, versions
from cocity.core.permissions import can
from cocity.municipalities.models import Municipality
from cocity.pacts import workflow
from cocity.pacts.models import (
    STAGE_STATUSES,
    Adhesion,
    Category,
    Clause,
    ClauseVersion,
    Commitment,
    Meeting,
    Observation,
    Opinion,
    Pact,
    PactEvent,
    Party,
    Stage,
    Status,
)


def pact_registry(
    *,
    municipality: Municipality,
    q: str = "",
    stage: str = "",
    status: str = "",
    category: str = "",
    district: str = "",
    commons: int | None = None,
    year: int | None = None,
) -> QuerySet[Pact]:
    """Every pact past its draft, newest first, filtered like the registry page. ``q`` is a
    pact number or its start (``TO-2026``), or words searched in the title, the objectives
    and the proponent organisation's name (``cocity.core.search``): the best matches first."""
    qs = Pact.objects.filter(municipality=municipality).exclude(status=Status.DRAFT)
    if q:
        number = _number_start(q)
        if number:
            qs = qs.filter(number__startswith=number)
        else:
            qs = search.search(qs, text=q, index=PACT_SEARCH)
    if stage:
        qs = qs.filter(status__in=STAGE_STATUSES.get(stage, ()))
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category__slug=category)
    if district:
        qs = qs.filter(commons__district__slug=district)
    if commons:
        qs = qs.filter(commons_id=commons)
    if year:
        qs = qs.filter(submitted_at__year=year)
    if search.searched(qs):
        # Ranked, every match is sorted before a page is taken: joined, each match would be
        # joined to its four rows first (90 ms for a common word in Turin). The page's rows
        # are loaded for the page only, a query each.
        qs = qs.only(*REGISTRY_FIELDS, *REGISTRY_RELATED).prefetch_related(
            Prefetch("category", queryset=Category.objects.only("name")),
            Prefetch(
                "commons",
                queryset=Commons.objects.select_related("district").only("name", "district__name"),
            ),
            Prefetch("proponent_organisation", queryset=Organisation.objects.only("name")),
            Prefetch("proponent", queryset=User.objects.only("display_name", "show_name_publicly")),
        )
    else:
        qs = qs.select_related(*REGISTRY_RELATED, "commons__district").only(
            *REGISTRY_FIELDS,
            "category__name",
            "commons__name",
            "commons__district__name",
            "proponent_organisation__name",
            "proponent__display_name",
            "proponent__show_name_publicly",
        )
    return search.ranked(qs, "-submitted_at", "-id")


def pact_registry_rows(qs: QuerySet[Pact], *, start: int, stop: int) -> list[Pact]:
    """Rows ``start`` to ``stop`` of ``pact_registry``'s ``qs``: the keys sorted first (on the
    pacts' own index), then those rows with what they name. Joining every pact to its rows
    before the page was taken cost 110 ms for page 156 of Turin's registry."""
    keys = list(qs.values_list("pk", flat=True)[start:stop])
    rows = {pact.pk: pact for pact in qs.order_by().filter(pk__in=keys)}
    return [rows[key] for key in keys if key in rows]


# What the registry and the API's list show of a pact, and the rows it names.
REGISTRY_FIELDS = (
    "number",
    "title",
    "status",
    "submitted_at",
    "start_date",
    "end_date",
    "complexity",
    "municipality_id",
)
REGISTRY_RELATED = ("category", "commons", "proponent_organisation", "proponent")


# The searched text of a pact: its title, its objectives and its proponent organisation's
# name, as the migration pacts 0007 installed it (tests/search checks that they agree).
PACT_SEARCH = search.Index(
    table="pacts_pact",
    columns=(("title", "A"), ("objectives", "B")),
    related=(
        search.Related(
            key="proponent_organisation_id",
            table="accounts_organisation",
            column="name",
            weight="C",
        ),
    ),
)
# A pact number as the registry shows it (TO-2026-0042), or its start from the hyphen on.
_NUMBER = re.compile(r"[^\W\d_]+-[0-9-]*")


def _number_start(q: str) -> str:
    """The pact number, or the start of one, that ``q`` is (in capitals), else ``""``."""
    q = q.strip()
    return q.upper() if _NUMBER.fullmatch(q) else ""


def pact_get(*, municipality: Municipality, number: str) -> Pact:
    """A public pact with everything its page shows (one query per kind of row)."""
    return _page_ready(_pact_page_rows().get(municipality=municipality, number=number))


def pact_for_user(
    *, municipality: Municipality, number: str, user: Any, office: bool = False
) -> Pact:
    """The pact ``number`` of ``municipality`` with everything its page shows, if ``user``
    may see it (``pacts.view``); otherwise ``Pact.DoesNotExist``, as for a number that does
    not exist, so that no page tells a pact hidden from this person from a missing one. With
    ``office``, as the office's page shows it (``office_pact_get``: with its deadline)."""
    get = office_pact_get if office else pact_get
    pact = get(municipality=municipality, number=number)
    if not can(user, "pacts.view", pact):
        raise Pact.DoesNotExist(f"pact {number} is not visible to this user")
    return pact


# The shapes (GeoJSON, tens of kilobytes for a district) that no pact page draws.
HEAVY = ("municipality__boundary", "commons__boundary", "commons__district__boundary")
PAGE_SELECT = (
    "municipality",
    "category",
    "commons",
    "commons__district",
    "proponent",
    "proponent_organisation",
    "renewal_of",
)


def _page_prefetches(without: frozenset[str] = frozenset()) -> list[Prefetch | str]:
    rows: tuple[Prefetch | str, ...] = (
        Prefetch(
            "parties",
            queryset=Party.objects.select_related("user", "organisation", "signed_by").order_by(
                "id"
            ),
        ),
        Prefetch(
            "commitments",
            queryset=Commitment.objects.select_related("party__user", "party__organisation"),
        ),
        "supports",
        "attachments",
        Prefetch("events", queryset=PactEvent.objects.select_related("actor").order_by("at", "id")),
        Prefetch("observations", queryset=Observation.objects.select_related("author")),
        Prefetch("adhesions", queryset=Adhesion.objects.select_related("user", "organisation")),
        Prefetch("clauses", queryset=Clause.objects.order_by("position")),
        Prefetch("meetings", queryset=Meeting.objects.order_by("starts_at")),
        Prefetch("opinions", queryset=Opinion.objects.order_by("requested_at")),
        Prefetch(
            "renewals", queryset=Pact.objects.only("number", "renewal_of_id", "municipality_id")
        ),
    )
    return [row for row in rows if getattr(row, "prefetch_to", row) not in without]


def _pact_page_rows(without: frozenset[str] = frozenset()) -> QuerySet[Pact]:
    """A pact's rows for its pages, less the kinds of rows in ``without``."""
    return (
        Pact.objects.select_related(*PAGE_SELECT)
        .defer(*HEAVY)
        .prefetch_related(*_page_prefetches(without))
        .exclude(number="")
    )


def pact_head_for_user(*, municipality: Municipality, number: str, user: Any) -> Pact:
    """The pact ``number`` with what its page's head shows (one query), if ``user`` may see
    it (as ``pact_for_user``); the rest of the page (parties, events, texts…) comes from
    ``pact_page_fill``, only when a fragment of the page is not in the cache."""
    pact = (
        Pact.objects.select_related("category")
        .exclude(number="")
        .get(municipality=municipality, number=number)
    )
    pact.municipality = municipality
    if not can(user, "pacts.view", pact):
        raise Pact.DoesNotExist(f"pact {number} is not visible to this user")
    return pact


def pact_page_fill(pact: Pact) -> Pact:
    """The pact of ``pact``'s page with everything its public page shows, read again from
    the primary database (it is kept in the page's fragments under the pact's version,
    ``versions.kept``): the pact with what it names, then one query per kind of row (not the
    workspace's meetings, opinions and adhesions, which the public page does not show)."""

    def read() -> Pact:
        full = Pact.objects.select_related(*PAGE_SELECT).defer(*HEAVY).get(pk=pact.pk)
        prefetch_related_objects([full], *_page_prefetches(NOT_ON_PUBLIC_PAGE))
        return _page_ready(full)

    return versions.kept(read)


NOT_ON_PUBLIC_PAGE = frozenset({"meetings", "opinions", "adhesions"})
NOT_ON_OFFICE_PAGE = frozenset({"meetings", "renewals"})


def _page_ready(pact: Pact) -> Pact:
    # The parties reached through the commitments name the city through their pact: point
    # them at this one instead of loading the pact and its municipality again for each.
    if pact.commons is not None and pact.commons.municipality_id == pact.municipality_id:
        pact.commons.municipality = pact.municipality  # for its link
    for party in pact.parties.all():
        party.pact = pact
    for commitment in pact.commitments.all():
        commitment.party.pact = pact
    return pact


def pact_draft_get(*, pk: int) -> Pact:
    return Pact.objects.select_related(
        "municipality", "category", "commons", "proponent_organisation"
    ).get(pk=pk)


def with_deadline(qs: QuerySet[Pact], municipality: Municipality) -> QuerySet[Pact]:
    """Annotate the office's deadline: the step's start, plus its days from the municipality's
    current settings, plus the time the clock was paused."""
    whens = [
        When(
            status=status,
            then=ExpressionWrapper(
                F("clock_started_at")
                + Coalesce(F("clock_paused"), Value(dt.timedelta(0)))
                + Value(dt.timedelta(days=getattr(municipality, setting))),
                output_field=DateTimeField(),
            ),
        )
        for status, setting in workflow.OFFICE_STEPS.items()
    ]
    return qs.annotate(deadline=Case(*whens, default=Value(None), output_field=DateTimeField()))


WORKLIST_PAGE_SIZE = 25  # as the registry


def office_worklist(*, municipality: Municipality) -> list[Pact]:
    """Every pact waiting for the office, the most overdue first."""
    return _mark_overdue(list(_worklist(municipality)))


def _worklist_filtered(
    municipality: Municipality, filters: dict[str, Any] | None
) -> QuerySet[Pact]:
    filters = filters or {}
    qs = Pact.objects.filter(municipality=municipality, status__in=list(workflow.OFFICE_STEPS))
    if filters.get("q"):
        # Substrings of the proponent's name and e-mail, which the public full-text index
        # does not hold, over the city's open proposals only (docs/decisions/0020).
        q = filters["q"].strip()
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(proponent__display_name__icontains=q)
            | Q(proponent__email__icontains=q)
            | Q(proponent_organisation__name__icontains=q)
        )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("category"):
        qs = qs.filter(category__slug=filters["category"])
    if filters.get("district"):
        qs = qs.filter(commons__district__slug=filters["district"])
    qs = with_deadline(qs, municipality)
    if filters.get("overdue"):
        qs = qs.filter(deadline__lt=timezone.now())  # type: ignore[misc]
    return qs


def office_status_counts(*, municipality: Municipality) -> dict[str, int]:
    """How many pacts wait for the office in each of its steps, in one query."""
    rows = (
        Pact.objects.filter(municipality=municipality, status__in=list(workflow.OFFICE_STEPS))
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["status"]: row["n"] for row in rows}
    return {status: counts.get(status, 0) for status in workflow.OFFICE_STEPS}


def office_worklist_page(
    *,
    municipality: Municipality,
    number: str | int | None,
    filters: dict[str, Any] | None = None,
) -> Page[Pact]:
    """One page of the worklist, searched and filtered: a large city has more than a
    thousand open proposals."""
    # Sort the keys first, then load the page's rows: sorting every open pact of a large city
    # together with its joins made PostgreSQL scan the whole table in parallel (46 ms, three
    # processes) instead of the city's index (5 ms).
    order = _worklist_filtered(municipality, filters).order_by(
        F("deadline").asc(nulls_last=True), "id"
    )
    keys_page = Paginator(order.values_list("pk", flat=True), WORKLIST_PAGE_SIZE).get_page(number)
    keys = list(keys_page.object_list)
    rows = {pact.pk: pact for pact in _worklist(municipality).filter(pk__in=keys)}
    pacts = _mark_overdue([rows[key] for key in keys if key in rows])
    return Page(pacts, keys_page.number, keys_page.paginator)  # type: ignore[arg-type]


def _worklist(municipality: Municipality) -> QuerySet[Pact]:
    # A subquery, not a join and GROUP BY over every column: the list sorts all open pacts of
    # the city (over a thousand in a large one) before it takes a page.
    open_opinions = (
        Opinion.objects.filter(pact=OuterRef("pk"), answered_at__isnull=True)
        .order_by()
        .values("pact")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = (
        Pact.objects.filter(municipality=municipality, status__in=list(workflow.OFFICE_STEPS))
        .select_related("commons")
        .only(
            "number",
            "title",
            "status",
            "complexity",
            "place_name",
            "municipality_id",
            "clock_started_at",
            "clock_paused",
            "commons__name",
        )
        .annotate(open_opinions=Coalesce(Subquery(open_opinions), 0))
    )
    return with_deadline(qs, municipality).order_by(F("deadline").asc(nulls_last=True), "id")


def _mark_overdue(pacts: list[Pact]) -> list[Pact]:
    now = timezone.now()
    for pact in pacts:
        pact.overdue = bool(pact.deadline and pact.deadline < now)  # type: ignore[attr-defined]
    return pacts


def waiting_for_proponents(*, municipality: Municipality) -> QuerySet[Pact]:
    return (
        Pact.objects.filter(municipality=municipality, status=Status.INCOMPLETE)
        .select_related("proponent")
        .order_by("status_changed_at", "id")
    )


def opinion_worklist(*, municipality: Municipality, user: User) -> QuerySet[Opinion]:
    """Open requests for opinions addressed to the departments of the user's roles."""
    departments = list(
        user.staff_roles.filter(municipality=municipality, role="department").values_list(
            "department", flat=True
        )
    )
    qs = Opinion.objects.filter(pact__municipality=municipality, answered_at__isnull=True)
    if not user.is_superuser:
        qs = qs.filter(department__in=departments)
    return qs.select_related("pact", "requested_by").order_by("requested_at")


def user_pacts(*, user: User) -> QuerySet[Pact]:
    """Pacts where the user is a party (their drafts included).

    The ids come first, in one query, from three indexed lookups joined by ``UNION``
    (proposed, party in person, party through an organisation they represent): one query
    joining the three with ``OR`` made PostgreSQL scan every pact and party of the country
    (150–220 ms at national scale)."""
    proposed = Pact.objects.filter(proponent=user).order_by().values_list("pk", flat=True)
    in_person = Party.objects.filter(user=user).order_by().values_list("pact_id", flat=True)
    represented = (
        Party.objects.filter(
            organisation__memberships__user=user,
            organisation__memberships__role="representative",
        )
        .order_by()
        .values_list("pact_id", flat=True)
    )
    ids = set(proposed.union(in_person, represented).order_by())
    return (
        Pact.objects.filter(pk__in=ids)
        .select_related("municipality")
        .defer("municipality__boundary")
        .order_by("-updated_at")
    )


def stage_counts(ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Pacts by stage for each municipality, in one query."""
    whens = [
        When(status__in=statuses, then=Value(stage)) for stage, statuses in STAGE_STATUSES.items()
    ]
    rows = (
        Pact.objects.filter(municipality_id__in=list(ids))
        .exclude(status=Status.DRAFT)
        .annotate(stage_key=Case(*whens, default=Value("")))
        .values("municipality_id", "stage_key")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        result.setdefault(row["municipality_id"], {})[row["stage_key"]] = row["n"]
    return result


def _stage_statistic(stage: str) -> Any:
    def compute(ids: Iterable[int]) -> dict[int, int]:
        return {mid: counts.get(stage, 0) for mid, counts in stage_counts(ids).items()}

    return compute


STAGE_STATISTICS = {stage: _stage_statistic(stage) for stage in Stage.values}


def commons_for_pact(*, municipality: Municipality, pk: int) -> Commons | None:
    """A commons of the municipality that a proposal may name."""
    return Commons.objects.filter(municipality=municipality, pk=pk).first()


# The changes of an article shown on one page of its public history.
HISTORY_PAGE_SIZE = 10
# Unchanged lines shown around each change.
HISTORY_CONTEXT_LINES = 1


@dataclass(frozen=True)
class VersionChange:
    """What one version changed: hunks of (kind, line), kind one of ``same``, ``add``,
    ``del``; between hunks, lines left out."""

    version: ClauseVersion
    hunks: list[list[tuple[str, str]]]


def _hunks(older: str, newer: str) -> list[list[tuple[str, str]]]:
    before, after = older.splitlines(), newer.splitlines()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(HISTORY_CONTEXT_LINES):
        lines: list[tuple[str, str]] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [("same", line) for line in before[i1:i2]]
                continue
            lines += [("del", line) for line in before[i1:i2]]
            lines += [("add", line) for line in after[j1:j2]]
        hunks.append(lines)
    return hunks


def clause_history_page(
    clause: Clause, number: str | int | None
) -> tuple[Page, list[VersionChange]]:
    """One page of an article's changes, newest first: each version after the first (the
    template) with what it changed from the one before, only the changed lines and their
    context. Raises ``InvalidPage`` for a page that does not exist. Two queries."""
    versions = clause.versions.filter(number__gt=1).select_related("author").order_by("-number")
    page = Paginator(versions, HISTORY_PAGE_SIZE).page(number or 1)
    shown = list(page.object_list)
    numbers = [version.number - 1 for version in shown]
    previous = dict(clause.versions.filter(number__in=numbers).values_list("number", "text"))
    changes = [
        VersionChange(version=v, hunks=_hunks(previous.get(v.number - 1, ""), v.text))
        for v in shown
    ]
    return page, changes


def parties_to_sign(user: User, pact: Pact) -> list[Party]:
    """The parties of a pact awaiting signature for which ``user`` signs and has not yet."""
    from cocity.pacts.permissions import may_sign_for

    if pact.status != Status.AWAITING_SIGNATURE or not user.is_authenticated:
        return []
    return [
        p for p in pact.parties.all() if p.signs and p.signed_at is None and may_sign_for(user, p)
    ]


def office_pact_get(*, municipality: Municipality, number: str) -> Pact:
    """A pact as the office's page shows it: everything of ``pact_get``, with the deadline of
    the current step (``deadline``, ``overdue``)."""
    rows = with_deadline(
        _pact_page_rows(NOT_ON_OFFICE_PAGE).filter(municipality=municipality), municipality
    )
    return _mark_overdue([_page_ready(rows.get(number=number))])[0]


def office_summary(*, municipality: Municipality) -> dict[str, int]:
    """What waits for the office, for its home: pacts to process and how many are overdue."""
    waiting = sum(office_status_counts(municipality=municipality).values())
    overdue = _worklist_filtered(municipality, {"overdue": True}).count()
    return {"waiting": waiting, "overdue": overdue}
