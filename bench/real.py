"""The real-workload profile of the benchmark (``--profile real``; docs/performance.md, "Real
workload").

The per-view table loads one URL at a time with every client on it. This profile loads the
mix a city sees, in one run against one gunicorn:

- **Who asks.** Each client thread draws, for every request, who makes it: an anonymous
  visitor (73%), a signed-in citizen (20%) or the office's staff (7%). Anonymous visitors ask
  for a pact page, a registry page, a filtered registry, a search or a commons page; 80% of
  them in Turin, the rest in the other cities, each by its number of pacts. Citizens (real
  seeded proponents of Turin pacts) ask for the registry, "My pacts", one of their pacts and
  the proposal form; staff for the worklist and a pact's office page.
- **What they ask for** is drawn from the database in this process, with a seeded RNG
  (``--seed``): every public pact page, every registry and catalogue page, the filter
  combinations (stage, category, district, year) that exist, every commons page, and
  searches of 1–3 consecutive words of the pact titles.
- **A writer** thread makes one real write a second through the services (an observation on
  a pact in consultation, an activity entry on an active pact), spread over the cities; each
  write announces its change, so the page cache forgets what it must, as in production. For
  that the writer and gunicorn share the cache: the profile runs with ``REDIS_URL``.
- **Around it**, in the same run: the ceiling (``/ping``), the text search alone (one client,
  each query once, so every answer is rendered), and the CPU time a rendered page costs in
  this process (Django's test client, the page cache off).

The pure helpers (the draws, the percentiles, the checks) need no Django; the rest imports
it inside the functions, after ``bench.run`` has set it up.
"""

from __future__ import annotations

import http.client
import math
import random
import statistics
import string
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bench.common import (
    CITY,
    HOST,
    REQUEST_TIMEOUT,
    STAFF_EMAIL,
    BenchError,
    errors_cell,
    fmt_ms,
    percentile_ms,
    say,
)

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own: flushed at the start

# Who makes a request, and what each asks for (weights).
VISITORS = {"anonymous": 0.73, "citizen": 0.20, "staff": 0.07}
ANONYMOUS_PAGES = {
    "pact page": 0.40,
    "registry": 0.20,
    "filter": 0.15,
    "search": 0.10,
    "commons": 0.15,
}
CITIZEN_PAGES = {"registry": 1, "my pacts": 1, "pact page": 1, "proposal form": 1}
STAFF_PAGES = {"worklist": 1, "office pact page": 1}
HOME_SHARE = 0.8  # of anonymous requests on Turin's pages; the rest on other cities', by size
FIRST_PAGE_SHARE = 0.3  # of registry and catalogue requests for the first page
CATALOGUE_SHARE = 1 / 3  # of commons requests for a page of the catalogue, not a commons
CITIZENS = 8
WRITES_PER_SECOND = 1.0
WARMUP_SECONDS = 3.0
SEARCH_ALONE_SECONDS = 15.0
CPU_ROUNDS = 20
CPU_WARMUP = 3

# The real workload's targets (issue #14): at national scale, on PostgreSQL, with 16 clients.
TARGET_P95_MS = 150.0
TARGET_RPS = 200.0
TARGET_CPU_MS = 10.0
TARGET_SEARCH_P95_MS = 50.0

ANONYMOUS_CLASSES = [f"anonymous: {page}" for page in ANONYMOUS_PAGES]
# The classes of the targets; a citizen's and the staff's requests are also shown by page.
CLASSES = [*ANONYMOUS_CLASSES, "citizen", "staff"]
PAGES_OF = {"citizen": list(CITIZEN_PAGES), "staff": list(STAFF_PAGES)}
WRITER = "writer (services, 1/s)"
PUNCTUATION = string.punctuation + "«»“”‘’–—…"


# --- pure helpers: the draws -----------------------------------------------------------------


def seeded(*parts: object) -> random.Random:
    """A random generator seeded with ``parts`` (``--seed`` and who draws): the same run
    draws the same requests."""
    return random.Random(":".join(map(str, parts)))  # noqa: S311 (draws, not secrets)


def pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def page_number(rng: random.Random, pages: int) -> int:
    """A page of a list of ``pages``: the first one ``FIRST_PAGE_SHARE`` of the time, else
    any other."""
    if pages <= 1 or rng.random() < FIRST_PAGE_SHARE:
        return 1
    return rng.randint(2, pages)


def with_page(path: str, page: int) -> str:
    return path if page == 1 else f"{path}?page={page}"


def search_phrase(title: str, rng: random.Random) -> str | None:
    """1–3 consecutive words of ``title`` as it writes them (punctuation around them dropped),
    the first and last of 4 characters or more, so that the phrase is a part of the title;
    ``None`` when the title has none."""
    words = title.split()
    flat = " ".join(words).casefold()
    size = rng.randint(1, 3)
    starts = list(range(len(words) - size + 1))
    rng.shuffle(starts)
    for start in starts:
        run = [word.strip(PUNCTUATION) for word in words[start : start + size]]
        if len(run[0]) < 4 or len(run[-1]) < 4:
            continue
        phrase = " ".join(run)
        if phrase.casefold() in flat:
            return phrase
    return None


def search_phrases(titles: Iterable[str], rng: random.Random) -> list[str]:
    """A phrase from each title (``search_phrase``), each once, in a seeded order."""
    seen: dict[str, str] = {}
    for title in titles:
        phrase = search_phrase(title, rng)
        if phrase is not None:
            seen.setdefault(phrase.casefold(), phrase)
    phrases = list(seen.values())
    rng.shuffle(phrases)
    return phrases


def filter_query(combo: dict[str, str], rng: random.Random) -> str:
    """The query of a filtered registry: some of the fields of a combination that exists
    (each kept half of the time, at least one), so that the page lists pacts."""
    keys = [key for key, value in combo.items() if value]
    chosen = [key for key in keys if rng.random() < 0.5] or [rng.choice(keys)]
    return urllib.parse.urlencode({key: combo[key] for key in chosen})


def url_template(make: Callable[..., str], **marks: str) -> Callable[..., str]:
    """A fast builder of URLs: ``make`` (``reverse``) once with placeholder values (``marks``,
    each one that its URL pattern accepts and that appears nowhere else in the URL), then the
    placeholders replaced by the quoted values (``reverse`` for each of 100,000 commons would
    take seconds)."""
    template = make(**marks)

    def build(**values: Any) -> str:
        path = template
        for name, mark in marks.items():
            path = path.replace(mark, urllib.parse.quote(str(values[name]), safe=""))
        return path

    return build


# --- pure helpers: the figures ---------------------------------------------------------------


@dataclass
class Tally:
    """What one class of requests (or the writer) got."""

    latencies: list[float] = field(default_factory=list)  # seconds, every answered request
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)  # connection errors, timeouts, exceptions
    hits: int = 0  # X-Page-Cache: hit
    misses: int = 0  # X-Page-Cache: miss
    body_bytes: int = 0
    other_city: int = 0  # requests on the pages of a city other than Turin
    first_errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200) + len(self.failures)

    def add(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.failures += other.failures
        self.hits += other.hits
        self.misses += other.misses
        self.body_bytes += other.body_bytes
        self.other_city += other.other_city
        self.first_errors += other.first_errors[: max(0, 10 - len(self.first_errors))]

    def p(self, percentile: float) -> float:
        return percentile_ms(self.latencies, percentile)

    def hit_rate(self) -> float:
        cached = self.hits + self.misses
        return self.hits / cached if cached else math.nan


def merge(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total


def class_tally(classes: dict[str, Tally], klass: str) -> Tally:
    """The requests of a class of ``CLASSES``: a citizen's or the staff's, of every page."""
    if klass in PAGES_OF:
        return merge(classes.get(f"{klass}: {page}", Tally()) for page in PAGES_OF[klass])
    return classes.get(klass, Tally())


@dataclass
class Check:
    """A target: ``value`` against ``limit`` (at most, or at least), with the gap."""

    what: str
    value: float
    limit: float
    unit: str = "ms"
    at_most: bool = True

    @property
    def met(self) -> bool:
        if math.isnan(self.value):
            return False
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    def line(self) -> str:
        sign = "≤" if self.at_most else "≥"
        if math.isnan(self.value):
            return f"- {self.what} {sign} {self.limit:g} {self.unit}: **not measured**"
        verdict = "pass" if self.met else "MISS"
        gap = self.value - self.limit
        return (
            f"- {self.what}: {self.value:.1f} {self.unit} (target {sign} {self.limit:g}): "
            f"**{verdict}**, {gap:+.1f} {self.unit}"
        )


def rate_cell(rate: float) -> str:
    return "–" if math.isnan(rate) else f"{100 * rate:.0f}%"


# --- what to ask for: drawn from the database ------------------------------------------------


@dataclass
class CityPages:
    slug: str
    pacts: list[str]  # the numbers of its public pacts
    registry_pages: int
    filters: list[dict[str, str]]  # combinations of the registry's filters that exist
    commons: list[tuple[int, str]]  # (pk, slug) of its commons
    catalogue_pages: int
    searches: list[str]


@dataclass
class Citizen:
    user_id: int
    email: str
    pacts: list[str]  # the numbers of their public pacts in Turin
    cookie: str = ""


@dataclass
class Population:
    home: CityPages
    others: list[CityPages]
    other_weights: list[int]  # public pacts of each other city
    open_pacts: list[str]  # Turin's pacts the office is working on
    search_alone: list[str]  # Turin phrases kept apart from the mix: each is asked once
    citizens: list[Citizen]
    observation_pacts: list[int]  # the writer's: pacts in consultation, every city
    activity_pacts: list[tuple[int, int]]  # (pact, its proponent): active pacts, every city
    authors: list[int]  # the writer's observers: citizens of any city
    pact_url: Callable[..., str]
    commons_url: Callable[..., str]
    notes: list[str]


def draw_population(seed: int) -> Population:
    """What the visitors and the writer will ask for (see the module's text)."""
    from django.urls import reverse
    from django.utils import timezone

    from cocity.accounts.models import User
    from cocity.commons.models import Commons
    from cocity.commons.views import PAGE_SIZE as CATALOGUE_PAGE_SIZE
    from cocity.municipalities.models import Municipality
    from cocity.pacts.models import STAGE_STATUSES, Pact, Stage, Status
    from cocity.pacts.views import PAGE_SIZE

    rng = seeded(seed)
    slugs = dict(Municipality.objects.values_list("pk", "slug"))
    home_id = next((pk for pk, slug in slugs.items() if slug == CITY), None)
    if home_id is None:
        raise BenchError(f"the seeded database holds no municipality {CITY!r}")
    public = Pact.objects.exclude(number="").exclude(status=Status.DRAFT)

    numbers: dict[int, list[str]] = defaultdict(list)
    titles: dict[int, list[str]] = defaultdict(list)
    rows = public.order_by("municipality_id", "number").values_list(
        "municipality_id", "number", "title"
    )
    for city, number, title in rows.iterator(chunk_size=5000):
        numbers[city].append(number)
        titles[city].append(title)
    if not numbers[home_id]:
        raise BenchError(f"no public pact in {CITY}")

    stage_of = {status: stage for stage, statuses in STAGE_STATUSES.items() for status in statuses}
    filters: dict[int, set[tuple[str, str, str, str]]] = defaultdict(set)
    combos = public.values_list(
        "municipality_id",
        "status",
        "category__slug",
        "commons__district__slug",
        "submitted_at__year",
    ).distinct()
    for city, status, category, district, year in combos.iterator(chunk_size=5000):
        filters[city].add(
            (stage_of.get(status, ""), category or "", district or "", str(year or ""))
        )

    commons: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for city, pk, slug in (
        Commons.objects.order_by("municipality_id", "pk")
        .values_list("municipality_id", "pk", "slug")
        .iterator(chunk_size=5000)
    ):
        commons[city].append((pk, slug))

    def city_pages(city: int) -> CityPages:
        combos = [
            dict(zip(("stage", "category", "district", "year"), combo, strict=True))
            for combo in sorted(filters[city])
        ]
        return CityPages(
            slug=slugs[city],
            pacts=numbers[city],
            registry_pages=max(1, math.ceil(len(numbers[city]) / PAGE_SIZE)),
            filters=[combo for combo in combos if any(combo.values())],
            commons=commons[city],
            catalogue_pages=max(1, math.ceil(len(commons[city]) / CATALOGUE_PAGE_SIZE)),
            searches=search_phrases(titles[city], rng),
        )

    home = city_pages(home_id)
    home.searches, search_alone = home.searches[0::2], home.searches[1::2]
    others = [city_pages(city) for city in sorted(numbers) if city != home_id and numbers[city]]

    open_statuses = STAGE_STATUSES[Stage.PROPOSAL] + STAGE_STATUSES[Stage.CO_DESIGN]
    open_pacts = list(
        public.filter(municipality_id=home_id, status__in=open_statuses)
        .order_by("number")
        .values_list("number", flat=True)
    )

    citizens_qs = public.filter(
        municipality_id=home_id,
        proponent__is_active=True,
        proponent__is_staff=False,
        proponent__is_superuser=False,
        proponent__staff_roles__isnull=True,
    )
    proponents = sorted(set(citizens_qs.values_list("proponent_id", flat=True)))
    chosen = sorted(rng.sample(proponents, min(CITIZENS, len(proponents))))
    own: dict[int, list[str]] = defaultdict(list)
    for user_id, number in (
        citizens_qs.filter(proponent_id__in=chosen)
        .order_by("number")
        .values_list("proponent_id", "number")
    ):
        own[user_id].append(number)
    emails = dict(User.objects.filter(pk__in=chosen).values_list("pk", "email"))
    citizens = [Citizen(user_id, emails[user_id], own[user_id]) for user_id in chosen]
    if not citizens:
        raise BenchError(f"no citizen proposes a public pact in {CITY}")

    observation_pacts = list(
        public.filter(status=Status.CONSULTATION).order_by("pk").values_list("pk", flat=True)
    )
    activity_pacts = list(
        public.filter(
            status=Status.ACTIVE,
            start_date__lte=timezone.localdate(),
            proponent__isnull=False,
        )
        .order_by("pk")
        .values_list("pk", "proponent_id")
    )
    everyone = sorted(
        set(
            public.filter(proponent__is_staff=False, proponent__staff_roles__isnull=True)
            .exclude(proponent__isnull=True)
            .values_list("proponent_id", flat=True)
        )
    )
    authors = rng.sample(everyone, min(500, len(everyone)))

    own_counts = [len(c.pacts) for c in citizens]
    notes = [
        f"{CITY}: {len(home.pacts)} public pact pages, {home.registry_pages} registry pages, "
        f"{len(home.filters)} filter combinations that exist, {len(home.commons)} commons pages "
        f"and {home.catalogue_pages} catalogue pages, {len(home.searches) + len(search_alone)} "
        f"search phrases from the titles (half for the mix, half for the search alone); "
        f"{len(others)} other cities with public pacts "
        f"({sum(len(c.pacts) for c in others)} pacts)",
        f"citizens: {len(citizens)} seeded proponents of {CITY} pacts "
        f"({min(own_counts)}–{max(own_counts)} pacts each), signed in with sessions created in "
        f"this process; staff: {STAFF_EMAIL} (password and authenticator code through the "
        f"forms); the office's pact pages: {len(open_pacts)} open pacts of {CITY}",
        f"writer: {len(observation_pacts)} pacts in consultation and {len(activity_pacts)} "
        "active pacts in every city, drawn at random (so spread over the cities by their size)",
    ]
    return Population(
        home=home,
        others=others,
        other_weights=[len(c.pacts) for c in others],
        open_pacts=open_pacts or home.pacts,
        search_alone=search_alone,
        citizens=citizens,
        observation_pacts=observation_pacts,
        activity_pacts=activity_pacts,
        authors=authors,
        pact_url=url_template(
            lambda **kw: reverse("pacts:detail", kwargs=kw), city="zzcityzz", number="zznumzz"
        ),
        commons_url=url_template(
            lambda **kw: reverse("commons:detail", kwargs=kw),
            city="zzcityzz",
            pk="987654321",
            slug="zzslugzz",
        ),
        notes=notes,
    )


def sign_in_citizens(population: Population) -> None:
    """A session for each citizen, as Django's login makes it (``Client.force_login`` in this
    process, on the same database and secret key as gunicorn): the cost of logging in is not
    what the profile measures, and eight password hashes would only slow it down."""
    from django.conf import settings
    from django.test import Client

    from cocity.accounts.models import User

    users = User.objects.in_bulk([c.user_id for c in population.citizens])
    for citizen in population.citizens:
        client = Client()
        client.force_login(users[citizen.user_id], "django.contrib.auth.backends.ModelBackend")
        name = settings.SESSION_COOKIE_NAME
        citizen.cookie = f"{name}={client.cookies[name].value}"


# --- the requests ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    klass: str
    path: str
    cookie: str = ""
    other_city: bool = False


class Workload:
    """Draws the next request of a client (see the module's text)."""

    def __init__(self, population: Population, staff_cookie: str) -> None:
        self.pop = population
        self.staff_cookie = staff_cookie

    def anonymous(self, rng: random.Random) -> Request:
        pop = self.pop
        other = bool(pop.others) and rng.random() >= HOME_SHARE
        city = rng.choices(pop.others, weights=pop.other_weights)[0] if other else pop.home
        page = pick(rng, ANONYMOUS_PAGES)
        registry = f"/{city.slug}/pacts/"
        if page == "filter" and not city.filters:
            page = "registry"
        if page == "search" and not city.searches:
            page = "registry"
        if page == "commons" and not city.commons:
            page = "pact page"
        if page == "pact page":
            path = pop.pact_url(city=city.slug, number=rng.choice(city.pacts))
        elif page == "registry":
            path = with_page(registry, page_number(rng, city.registry_pages))
        elif page == "filter":
            path = f"{registry}?{filter_query(rng.choice(city.filters), rng)}"
        elif page == "search":
            path = f"{registry}?{urllib.parse.urlencode({'q': rng.choice(city.searches)})}"
        elif rng.random() < CATALOGUE_SHARE:
            path = with_page(f"/{city.slug}/commons/", page_number(rng, city.catalogue_pages))
        else:
            pk, slug = rng.choice(city.commons)
            path = pop.commons_url(city=city.slug, pk=pk, slug=slug)
        return Request(f"anonymous: {page}", path, other_city=other)

    def citizen(self, rng: random.Random, citizen: Citizen) -> Request:
        page = pick(rng, CITIZEN_PAGES)
        if page == "registry":
            path = with_page(f"/{CITY}/pacts/", page_number(rng, self.pop.home.registry_pages))
        elif page == "my pacts":
            path = "/my/pacts/"
        elif page == "pact page":
            number = rng.choice(citizen.pacts or self.pop.home.pacts)
            path = self.pop.pact_url(city=CITY, number=number)
        else:
            path = f"/{CITY}/pacts/new/"
        return Request(f"citizen: {page}", path, citizen.cookie)

    def staff(self, rng: random.Random) -> Request:
        page = pick(rng, STAFF_PAGES)
        if page == "worklist":
            path = f"/{CITY}/office/pacts/"
        else:
            number = urllib.parse.quote(rng.choice(self.pop.open_pacts), safe="")
            path = f"/{CITY}/office/pacts/{number}/"
        return Request(f"staff: {page}", path, self.staff_cookie)

    def next(self, rng: random.Random, client: int) -> Request:
        visitor = pick(rng, VISITORS)
        if visitor == "citizen":
            citizens = self.pop.citizens
            return self.citizen(rng, citizens[client % len(citizens)])
        if visitor == "staff":
            return self.staff(rng)
        return self.anonymous(rng)


NextRequest = Callable[[random.Random, int], Request | None]


def hammer(
    port: int, clients: int, seconds: float, next_request: NextRequest, seed: int
) -> tuple[dict[str, Tally], float]:
    """``clients`` threads, each with its own connection and its own seeded RNG, ask for
    ``next_request``'s requests for ``seconds`` (or until it answers ``None``); answers the
    tally of each class and the seconds it took."""
    stop = threading.Event()
    deadline = time.monotonic() + seconds
    parts: list[dict[str, Tally]] = [defaultdict(Tally) for _ in range(clients)]

    def client(index: int) -> None:
        rng = seeded(seed, index)
        tallies = parts[index]
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                request = next_request(rng, index)
                if request is None:
                    return
                tally = tallies[request.klass]
                headers = {"Cookie": request.cookie} if request.cookie else {}
                started = time.perf_counter()
                try:
                    conn.request("GET", request.path, headers=headers)
                    response = conn.getresponse()
                    size = len(response.read())
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    tally.failures.append(f"{type(exc).__name__}: {exc} ({request.path})")
                    time.sleep(0.01)
                    continue
                tally.latencies.append(time.perf_counter() - started)
                tally.statuses[response.status] += 1
                tally.body_bytes += size
                tally.other_city += request.other_city
                cache = response.headers.get("X-Page-Cache", "")
                tally.hits += cache == "hit"
                tally.misses += cache == "miss"
                if response.status != 200 and len(tally.first_errors) < 10:
                    tally.first_errors.append(f"{response.status} {request.path}")
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.5)
    finally:
        stop.set()
    elapsed = time.perf_counter() - started
    classes: dict[str, Tally] = defaultdict(Tally)
    for part in parts:
        for klass, tally in part.items():
            classes[klass].add(tally)
    return classes, elapsed


# --- the writer ------------------------------------------------------------------------------


class Writer(threading.Thread):
    """One write a second through the services, as a person makes it from a page: load the
    pact and the person, call the service. Alternately an observation on a pact in
    consultation (by a citizen of any city) and an activity entry on an active pact (by its
    proponent), each pact drawn at random from every city's."""

    def __init__(self, population: Population, seed: int) -> None:
        super().__init__(daemon=True, name="bench-writer")
        self.pop = population
        self.rng = seeded(seed, "writer")
        self.stop = threading.Event()
        self.tally = Tally()
        self.kinds: Counter[str] = Counter()

    def write(self) -> str:
        from django.utils import timezone

        from cocity.accounts.models import User
        from cocity.pacts.models import Pact
        from cocity.pacts.services import observation_add
        from cocity.reports.services import activity_log_add

        observe = bool(self.pop.observation_pacts) and (
            not self.pop.activity_pacts or self.rng.random() < 0.5
        )
        if observe:
            pact = Pact.objects.get(pk=self.rng.choice(self.pop.observation_pacts))
            author = User.objects.get(pk=self.rng.choice(self.pop.authors))
            observation_add(
                actor=author,
                pact=pact,
                text="Un'osservazione scritta dal benchmark (bench/real.py).",
            )
            return "observation"
        pact_id, proponent_id = self.rng.choice(self.pop.activity_pacts)
        pact = Pact.objects.get(pk=pact_id)
        today = timezone.localdate()
        activity_log_add(
            actor=User.objects.get(pk=proponent_id),
            pact=pact,
            date=min(pact.end_date or today, today),
            activity="Cura dell'area: una voce scritta dal benchmark (bench/real.py).",
            hours=Decimal("2"),
            volunteers=3,
        )
        return "activity entry"

    def run(self) -> None:
        from django.db import connection

        interval = 1 / WRITES_PER_SECOND
        next_at = time.monotonic()
        try:
            while not self.stop.wait(max(0.0, next_at - time.monotonic())):
                next_at += interval
                started = time.perf_counter()
                try:
                    kind = self.write()
                except Exception as exc:  # counted and shown, the run goes on
                    self.tally.failures.append(f"{type(exc).__name__}: {exc}")
                    continue
                self.tally.latencies.append(time.perf_counter() - started)
                self.tally.statuses[200] += 1
                self.kinds[kind] += 1
                next_at = max(next_at, time.monotonic())  # late: no burst to catch up
        finally:
            connection.close()


# --- CPU of a rendered page ------------------------------------------------------------------


@dataclass
class CpuRow:
    page: str
    example: str
    cpu_ms: float  # median time.process_time() of a request to a URL rendered before
    first_cpu_ms: float  # the same, of the first request to each URL
    wall_ms: float  # median wall time of a request to a URL rendered before
    requests: int
    statuses: Counter[int]


def cpu_per_page(population: Population, seed: int) -> list[CpuRow]:
    """Render pages through Django's test client in this process with the page cache off:
    the median CPU time (``time.process_time()``: this process, every thread; nothing else
    runs in it meanwhile) of a request, over ``CPU_ROUNDS`` distinct URLs of each kind, after
    ``CPU_WARMUP`` not counted. Each URL is asked for twice: the first request renders it
    from nothing, the second as a rendered page usually costs (whatever the application keeps
    between requests besides the whole page, e.g. fragments, is in place). The database's
    time is in it only as far as the client side of the driver (PostgreSQL's own work is
    another process)."""
    from django.test import Client
    from django.test.utils import override_settings

    from cocity.accounts.models import User

    rng = seeded(seed, "cpu")
    home = population.home
    n = CPU_ROUNDS + CPU_WARMUP

    def sample(items: Sequence[Any]) -> list[Any]:
        if not items:
            return []
        drawn = rng.sample(list(items), min(n, len(items)))
        return drawn + [rng.choice(items) for _ in range(n - len(drawn))]

    registry = f"/{CITY}/pacts/"
    pages = range(1, home.registry_pages + 1)
    kinds: list[tuple[str, list[str], bool]] = [
        (
            "pact page",
            [population.pact_url(city=CITY, number=x) for x in sample(home.pacts)],
            False,
        ),
        ("registry page", [with_page(registry, page) for page in sample(pages)], False),
        (
            "registry search",
            [f"{registry}?{urllib.parse.urlencode({'q': q})}" for q in sample(home.searches)],
            False,
        ),
        (
            "commons page",
            [
                population.commons_url(city=CITY, pk=pk, slug=slug)
                for pk, slug in sample(home.commons)
            ],
            False,
        ),
        (
            "office worklist (staff)",
            [with_page(f"/{CITY}/office/pacts/", 1)] * n,
            True,
        ),
    ]
    anonymous = Client(HTTP_HOST=HOST, raise_request_exception=False)
    staff = Client(HTTP_HOST=HOST, raise_request_exception=False)
    staff.force_login(
        User.objects.get(email=STAFF_EMAIL), "django.contrib.auth.backends.ModelBackend"
    )

    def timed(client: Client, path: str) -> tuple[float, float, int]:
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        response = client.get(path)
        cpu_end, wall_end = time.process_time(), time.perf_counter()
        return cpu_end - cpu_start, wall_end - wall_start, int(response.status_code)

    rows = []
    with override_settings(PAGE_CACHE_SECONDS=0):
        for page, paths, signed_in in kinds:
            if not paths:
                continue
            client = staff if signed_in else anonymous
            first: list[float] = []
            again: list[float] = []
            wall: list[float] = []
            statuses: Counter[int] = Counter()
            for i, path in enumerate(paths):
                first_cpu, _, _ = timed(client, path)
                cpu, seconds, status = timed(client, path)
                if i < CPU_WARMUP:
                    continue
                first.append(first_cpu)
                again.append(cpu)
                wall.append(seconds)
                statuses[status] += 1
            rows.append(
                CpuRow(
                    page,
                    paths[-1],
                    statistics.median(again) * 1000,
                    statistics.median(first) * 1000,
                    statistics.median(wall) * 1000,
                    len(again),
                    statuses,
                )
            )
    return rows


# --- the profile ------------------------------------------------------------------------------


@dataclass
class RealResult:
    classes: dict[str, Tally]
    elapsed: float
    writer: Tally
    writer_kinds: Counter[str]
    ceiling: Tally
    ceiling_elapsed: float
    search_alone: Tally
    search_elapsed: float
    cpu: list[CpuRow]
    clients: int

    @property
    def overall(self) -> Tally:
        return merge(self.classes.values())

    @property
    def errors(self) -> int:
        return (
            self.overall.errors
            + self.writer.errors
            + self.ceiling.errors
            + self.search_alone.errors
        )


def flush_redis(url: str) -> None:
    """Empty the profile's Redis database (``--redis-url``): no page, count or version of an
    earlier run."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5).flushdb()
    except redis.RedisError as exc:
        raise BenchError(
            f"Redis at {url} does not answer ({exc}): the real profile shares the page cache "
            "between gunicorn and its writer through Redis. Start redis-server, pass "
            "--redis-url, or run --profile views"
        ) from exc


def measure(
    port: int,
    population: Population,
    *,
    staff_cookie: str,
    clients: int,
    seconds: float,
    ceiling_seconds: float,
    warmup_clients: int,
    seed: int,
    cpu: list[CpuRow],
) -> RealResult:
    """The ceiling, a warm-up, the mix with the writer, then the search alone."""
    sign_in_citizens(population)
    workload = Workload(population, staff_cookie)

    say(f"  the ceiling: /ping, {clients} clients, {ceiling_seconds:g} s")
    ping, ping_elapsed = hammer(
        port, clients, ceiling_seconds, lambda rng, i: Request("ceiling", "/ping"), seed
    )
    ceiling = ping.get("ceiling", Tally())
    say(f"    {ceiling.requests / ping_elapsed:.0f} req/s")

    say(f"  warming up: the mix, {warmup_clients} clients, {WARMUP_SECONDS:g} s")
    warm, _ = hammer(port, warmup_clients, WARMUP_SECONDS, workload.next, seed + 1)
    warm_errors = merge(warm.values())
    if warm_errors.errors:
        say(f"    warning: {errors_cell(warm_errors)} while warming up")

    say(f"  the mix: {clients} clients and the writer, {seconds:g} s")
    writer = Writer(population, seed)
    writer.start()
    try:
        classes, elapsed = hammer(port, clients, seconds, workload.next, seed)
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    overall = merge(classes.values())
    anonymous = merge(classes.get(c, Tally()) for c in ANONYMOUS_CLASSES)
    say(
        f"    {overall.requests / elapsed:.0f} req/s, p95 {fmt_ms(overall.p(95))} ms, "
        f"page cache hits {rate_cell(anonymous.hit_rate())}, "
        f"{writer.tally.requests} writes, errors {errors_cell(overall)}"
    )

    phrases = iter(population.search_alone)

    def next_search(rng: random.Random, index: int) -> Request | None:
        phrase = next(phrases, None)
        if phrase is None:
            return None
        return Request("search", f"/{CITY}/pacts/?{urllib.parse.urlencode({'q': phrase})}")

    say(f"  the search alone: 1 client, each query once, at most {SEARCH_ALONE_SECONDS:g} s")
    alone, alone_elapsed = hammer(port, 1, SEARCH_ALONE_SECONDS, next_search, seed)
    search = alone.get("search", Tally())
    say(f"    {search.requests} searches, p95 {fmt_ms(search.p(95))} ms")
    return RealResult(
        classes=dict(classes),
        elapsed=elapsed,
        writer=writer.tally,
        writer_kinds=writer.kinds,
        ceiling=ceiling,
        ceiling_elapsed=ping_elapsed,
        search_alone=search,
        search_elapsed=alone_elapsed,
        cpu=cpu,
        clients=clients,
    )


# --- the report ------------------------------------------------------------------------------


def checks(result: RealResult) -> list[Check]:
    found = [
        Check(f"p95, {klass}", class_tally(result.classes, klass).p(95), TARGET_P95_MS)
        for klass in CLASSES
    ]
    found.append(Check(f"p95, {WRITER}", result.writer.p(95), TARGET_P95_MS))
    found.append(
        Check(
            "throughput, overall",
            result.overall.requests / result.elapsed if result.elapsed else math.nan,
            TARGET_RPS,
            unit="req/s",
            at_most=False,
        )
    )
    cpu = {row.page: row.cpu_ms for row in result.cpu}
    for page in ("pact page", "registry page"):
        found.append(Check(f"CPU of a rendered {page}", cpu.get(page, math.nan), TARGET_CPU_MS))
    found.append(Check("text search alone, p95", result.search_alone.p(95), TARGET_SEARCH_P95_MS))
    return found


def render(result: RealResult, *, notes: Sequence[str], seconds: float, seed: int) -> str:
    overall = result.overall
    anonymous = merge(result.classes.get(c, Tally()) for c in ANONYMOUS_CLASSES)
    other = sum(t.other_city for t in result.classes.values())
    ceiling_rps = result.ceiling.requests / result.ceiling_elapsed if result.ceiling_elapsed else 0
    lines = ["## Real workload", ""]
    lines += [
        f"- load: {result.clients} clients for {seconds:g} s (after {WARMUP_SECONDS:g} s of "
        f"warm-up), each drawing for every request who makes it (anonymous "
        f"{VISITORS['anonymous']:.0%}, citizen {VISITORS['citizen']:.0%}, staff "
        f"{VISITORS['staff']:.0%}) and what they ask for; seed {seed}; gunicorn with "
        "`REDIS_URL` (the page cache shared with the writer)",
        f"- anonymous requests on another city's pages: {other} of {anonymous.requests} "
        f"({rate_cell(other / anonymous.requests if anonymous.requests else math.nan)})",
        f"- page cache: {anonymous.hits} hits, {anonymous.misses} misses among the anonymous "
        f"requests: hit rate **{rate_cell(anonymous.hit_rate())}**",
        f"- writer: {result.writer.requests} writes ("
        + ", ".join(f"{n} × {kind}" for kind, n in sorted(result.writer_kinds.items()))
        + f"), {len(result.writer.failures)} failed",
        f"- ceiling (`/ping`, {result.clients} clients, same gunicorn, before the mix): "
        f"{ceiling_rps:.0f} req/s, p95 {fmt_ms(result.ceiling.p(95))} ms",
    ]
    lines += [f"- {note}" for note in notes]
    lines += [
        "",
        "| class | share | requests | p50 ms | p95 ms | p99 ms | req/s | % of ceiling "
        "| cache hits | KB | errors |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]

    def row(name: str, tally: Tally, elapsed: float, *, share: str = "", http: bool = True) -> str:
        """A row of the table; ``http`` false for the writer (no page, no cache, no body)."""
        rps = tally.requests / elapsed if elapsed else 0.0
        of_ceiling = f"{100 * rps / ceiling_rps:.0f}%" if ceiling_rps and http else "–"
        size = f"{tally.body_bytes / tally.requests / 1024:.1f}" if tally.requests and http else "–"
        return (
            f"| {name} | {share or '–'} | {tally.requests} | {fmt_ms(tally.p(50))} "
            f"| {fmt_ms(tally.p(95))} | {fmt_ms(tally.p(99))} | {rps:.1f} | {of_ceiling} "
            f"| {rate_cell(tally.hit_rate())} | {size} | {errors_cell(tally)} |"
        )

    def share(tally: Tally) -> str:
        return rate_cell(tally.requests / overall.requests if overall.requests else math.nan)

    for klass in CLASSES:
        tally = class_tally(result.classes, klass)
        lines.append(row(klass, tally, result.elapsed, share=share(tally)))
        for page in PAGES_OF.get(klass, []):
            tally = result.classes.get(f"{klass}: {page}", Tally())
            lines.append(row(f"{klass}: {page}", tally, result.elapsed, share=share(tally)))
    lines.append(row(f"**overall** ({seconds:g} s)", overall, result.elapsed, share="100%"))
    lines.append(row(WRITER, result.writer, result.elapsed, http=False))
    lines.append(row("ceiling: /ping", result.ceiling, result.ceiling_elapsed))
    alone = result.search_alone
    lines.append(row("text search alone (1 client)", alone, result.search_elapsed))

    lines += [
        "",
        f"Rendered pages, page cache off: CPU time of a request in the benchmark's process "
        f"(Django's test client, `time.process_time()`), median over {CPU_ROUNDS} distinct URLs "
        f"after {CPU_WARMUP} not counted; each URL asked for twice (the targets take the "
        "second request: what the application keeps between requests besides the whole page, "
        "such as fragments, is then in place):",
        "",
        "| page | CPU ms | first request, CPU ms | wall ms | requests | statuses | example |",
        "|---|--:|--:|--:|--:|---|---|",
    ]
    for cpu in result.cpu:
        statuses = ", ".join(f"{n}×{s}" for s, n in sorted(cpu.statuses.items()))
        lines.append(
            f"| {cpu.page} | {cpu.cpu_ms:.1f} | {cpu.first_cpu_ms:.1f} | {cpu.wall_ms:.1f} "
            f"| {cpu.requests} | {statuses} | `{cpu.example}` |"
        )

    lines += [
        "",
        "Against the real workload's targets (set for national scale on PostgreSQL with 16 "
        "clients):",
        "",
    ]
    lines += [check.line() for check in checks(result)]
    failing = [
        f"{name} {errors_cell(tally)}"
        for name, tally in [
            *result.classes.items(),
            (WRITER, result.writer),
            ("ceiling", result.ceiling),
            ("search alone", alone),
        ]
        if tally.errors
    ]
    lines.append("- errors: " + ("; ".join(failing) if failing else "none"))
    first = [e for t in result.classes.values() for e in t.first_errors][:10]
    first += [f for t in [*result.classes.values(), alone] for f in t.failures][:5]
    first += [f"writer: {f}" for f in result.writer.failures[:5]]
    if first:
        lines += ["", "First errors:", ""] + [f"- `{e}`" for e in first]
    return "\n".join(lines) + "\n"
