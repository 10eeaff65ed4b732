"""The national-scale data set: ``manage.py seed --scale national`` (or a multiplier).

The demo (``--scale small``) is made through the services, one action at a time, so that every
row is what the product itself would write. At national scale that would take hours, so this
module writes the same models through bulk paths: it plans every pact's whole life in memory
(the same statuses, transitions and events that ``cocity.pacts.workflow`` allows, with
plausible dates), then writes them in batches (``bulk_insert``: COPY on PostgreSQL). What
the services would have derived (protocol numbers and their counters, the office's clock,
the signed text's hash, the commons' availability, the totals of each report) is derived
here the same way.

Sizes at ``national`` (multiplied by ``--scale N``): 300 municipalities with districts,
100,000 commons, 80,000 pacts, 500,000 users, 2,000,000 activity entries; plus the
organisations, parties, commitments, supports, articles, observations, reports and fundings
that go with them. The demo cities stay as the demo made them and receive their share too.

Deterministic for a given seed. Running it again on a database that already holds the
national data adds nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

import numpy as np
import shapely
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from shapely.geometry import shape

from cocity.accounts.models import Membership, Organisation, StaffRole, User
from cocity.commons.models import Commons
from cocity.core import geo
from cocity.core.bulk import assign_ids, bulk_insert, bulk_insert_rows, keys_reset
from cocity.core.dates import add_months
from cocity.municipalities import reference
from cocity.municipalities.models import District, Municipality
from cocity.municipalities.services import municipality_create
from cocity.pacts import workflow
from cocity.pacts.clauses import clause_texts, text_hash
from cocity.pacts.models import (
    Category,
    Clause,
    ClauseVersion,
    Commitment,
    Observation,
    Pact,
    PactEvent,
    Party,
    Status,
    Support,
)
from cocity.pacts.services import BulkNumbers, bulk
from cocity.programmes.models import Funding, Programme
from cocity.reports.models import ActivityLog, Report
from cocity.seeding import italian
from cocity.seeding.municipalities import districts_create
from cocity.seeding.pacts import ACTIVITIES as PACT_ACTIVITIES
from cocity.seeding.pacts import OBJECTIVES, PLACE, SUPPORT_REQUESTS, TITLES
from cocity.seeding.reports import ACTIVITIES as LOG_ACTIVITIES

S = Status
K = Commons.Kind

NATIONAL = {
    "municipalities": 300,
    "commons": 100_000,
    "pacts": 80_000,
    "users": 500_000,
    "activities": 2_000_000,
    "organisations": 20_000,
}
DOMAIN = "persone.example.org"  # the national data's users: persona0000001@persone.example.org
FIRST_DAY = dt.date(2017, 1, 16)
BATCH = 2_000  # pacts per transaction
INSERT_BATCH = 5_000
UNUSABLE_PASSWORD = "!national-seed"  # noqa: S105 - marks the password unusable (Django's "!")

# The share of each status among the pacts, close to the registers of Turin and Bologna.
STATUS_WEIGHTS: dict[str, int] = {
    S.DRAFT: 5,
    S.SUBMITTED: 3,
    S.INCOMPLETE: 2,
    S.CONSULTATION: 2,
    S.EVALUATION: 3,
    S.CO_DESIGN: 4,
    S.AWAITING_APPROVAL: 1,
    S.AWAITING_SIGNATURE: 2,
    S.ACTIVE: 24,
    S.SUSPENDED: 2,
    S.CONCLUDED: 26,
    S.TERMINATED: 3,
    S.REJECTED: 11,
    S.WITHDRAWN: 7,
    S.ARCHIVED: 5,
}
SIGNED = frozenset({S.ACTIVE, S.SUSPENDED, S.CONCLUDED, S.TERMINATED})
KIND_WEIGHTS = (
    (K.GREEN_AREA, 34),
    (K.SQUARE_STREET, 20),
    (K.BUILDING, 16),
    (K.SCHOOL, 14),
    (K.SPORTS_FACILITY, 8),
    (K.IMMATERIAL, 3),
    (PLACE, 5),
)
CATEGORIES = (
    ("Cura del verde", "Giardini, aiuole, orti e aree verdi."),
    ("Spazi pubblici", "Piazze, strade, portici e arredo urbano."),
    ("Edifici e spazi", "Uso e rigenerazione di edifici e locali pubblici."),
    ("Scuole", "Cortili, orti e spazi delle scuole aperti al quartiere."),
    ("Sport e tempo libero", "Impianti sportivi e attività all'aperto."),
    ("Cultura e socialità", "Beni immateriali, eventi, memoria e inclusione."),
)
KIND_CATEGORY = {
    K.GREEN_AREA: 0,
    K.SQUARE_STREET: 1,
    K.BUILDING: 2,
    K.SCHOOL: 3,
    K.SPORTS_FACILITY: 4,
    K.IMMATERIAL: 5,
    PLACE: 1,
}
COMMONS_NAMES: dict[str, tuple[str, ...]] = {
    K.GREEN_AREA: (
        "Giardino di {street}",
        "Aiuola di {street}",
        "Parco {person}",
        "Orto di {street}",
    ),
    K.SQUARE_STREET: ("Piazza {person}", "Largo {person}", "Portici di {street}", "{Street}"),
    K.BUILDING: ("Ex scuola di {street}", "Ex lavatoio di {street}", "Casa {person}"),
    K.SCHOOL: ("Scuola primaria {person}", "Cortile della scuola {person}", "Istituto {person}"),
    K.SPORTS_FACILITY: ("Campo sportivo di {street}", "Bocciofila di {street}"),
    K.IMMATERIAL: ("Memoria del quartiere {district}", "Feste di {district}"),
}
PEOPLE = (
    "Garibaldi", "Mazzini", "Cavour", "Matteotti", "Gramsci", "Montessori", "Deledda",
    "Don Milani", "Rodari", "Falcone", "Borsellino", "Levi", "Calvino", "Pertini", "Verdi",
    "Manzoni", "Leopardi", "Dante", "Marconi", "Volta", "Fermi", "Curie", "Frank", "Mandela",
    "Sciascia", "Pavese", "Ginzburg", "Morante", "Merini", "Basaglia",
)  # fmt: skip
STREETS = (
    "via Roma", "via Verdi", "via Milano", "via Garibaldi", "via dei Mille", "via Po",
    "via della Pace", "via Dante", "viale Europa", "via delle Rose", "via dei Tigli",
    "via San Francesco", "via XX Settembre", "corso Italia", "via Nazionale", "via del Lavoro",
    "via dei Ciliegi", "via Montegrappa", "via Trieste", "via Trento", "via Piave",
    "via della Repubblica", "via Marconi", "via Gramsci", "via della Libertà",
)  # fmt: skip
FIRST_NAMES = (
    "Giulia", "Marco", "Francesca", "Luca", "Chiara", "Andrea", "Sara", "Matteo", "Elena",
    "Davide", "Martina", "Paolo", "Anna", "Giorgio", "Laura", "Simone", "Valentina", "Stefano",
    "Alessia", "Roberto", "Federica", "Giovanni", "Silvia", "Antonio", "Ilaria", "Youssef",
    "Fatima", "Ionut", "Mei", "Amara",
)  # fmt: skip
LAST_NAMES = (
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
    "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano",
    "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi",
    "Caruso", "Ferrara", "Galli", "Martini", "Leone",
)  # fmt: skip
ORGANISATION_KINDS = (
    (Organisation.Kind.ASSOCIATION, "Associazione {x}", 40),
    (Organisation.Kind.INFORMAL_GROUP, "Gruppo {x}", 20),
    (Organisation.Kind.COMMITTEE, "Comitato {x}", 15),
    (Organisation.Kind.THIRD_SECTOR, "{x} APS", 10),
    (Organisation.Kind.COOPERATIVE, "Cooperativa sociale {x}", 8),
    (Organisation.Kind.SCHOOL, "Istituto comprensivo {x}", 7),
)
ORGANISATION_WORDS = (
    "Amici di {street}", "Vivere {district}", "{District} Bene Comune", "Retake {district}",
    "Orti in città", "Il Quartiere", "Mani Verdi", "La Piazza", "Insieme per {district}",
    "Genitori di {street}", "Custodi del verde", "Cittadinanza attiva",
)  # fmt: skip
COMMITMENTS = (
    "Svolgere le attività previste con cura e continuità, secondo il calendario concordato.",
    "Tenere aggiornato il registro delle attività e presentare le relazioni periodiche.",
    "Coinvolgere gli abitanti del quartiere e tenere aperte le attività a chi vuole partecipare.",
)
CITY_COMMITMENTS = (
    "Fornire i materiali e gli attrezzi concordati e ritirare i rifiuti raccolti.",
    "Garantire la copertura assicurativa dei volontari.",
    "Dare visibilità al patto sui canali di comunicazione del Comune.",
)
OBSERVATIONS = (
    "Bella proposta: abito vicino e posso dare una mano il sabato mattina.",
    "Chiedo che gli orari delle attività tengano conto del riposo dei residenti.",
    "Sarebbe utile coinvolgere anche la scuola del quartiere.",
    "Attenzione all'accessibilità per chi ha difficoltà motorie.",
)
# Who takes each action of a seeded life and after how many days (low, high).
GAPS: dict[str, tuple[str, int, int]] = {
    "submit": ("proponent", 1, 20),
    "request_info": ("office", 5, 25),
    "resubmit": ("proponent", 5, 40),
    "skip_consultation": ("office", 5, 20),
    "publish": ("office", 5, 20),
    "close_consultation": ("office", 15, 30),
    "reject": ("office", 10, 45),
    "admit": ("office", 10, 45),
    "send_to_executive": ("office", 30, 120),
    "approve": ("manager", 30, 120),
    "activate": ("system", 5, 30),
    "suspend": ("office", 30, 200),
    "terminate": ("office", 30, 200),
    "withdraw": ("proponent", 5, 60),
    "archive": ("office", 30, 60),
}

NOTES = {
    "request_info": "Mancano la planimetria dell'area e l'elenco dei volontari.",
    "reject": "La proposta riguarda un bene non disponibile per il periodo richiesto.",
    "withdraw": "Non riusciamo più a garantire la continuità delle attività.",
    "archive": "Nessuna risposta alla richiesta di integrazioni entro i termini.",
    "suspend": "Lavori di manutenzione straordinaria sull'area.",
    "terminate": "Recesso concordato: il gruppo si è sciolto.",
}
REPORT_TEXTS = (
    "Le attività si sono svolte con regolarità; il gruppo di volontari è cresciuto.",
    "Buona partecipazione del quartiere; alcune attività rinviate per maltempo.",
    "Obiettivi raggiunti; chiediamo più materiali per la prossima stagione.",
)
MATERIALS = ("", "", "sacchi e guanti", "vernici", "terriccio e piantine", "attrezzi")
LOG_TEXTS = tuple(text for group in LOG_ACTIVITIES.values() for text, _public in group)


class Entry(NamedTuple):
    """A row of the activity log: two million of them are tuples, not model instances."""

    pact_id: int
    author_id: int
    date: dt.date
    activity: str
    hours: Decimal
    volunteers: int
    people_reached: int
    materials: str
    money_spent: Decimal
    money_raised: Decimal
    photo: str
    created_at: dt.datetime


@dataclass
class Sizes:
    municipalities: int
    commons: int
    pacts: int
    users: int
    activities: int
    organisations: int

    @classmethod
    def for_scale(cls, factor: float) -> Sizes:
        counts = {name: max(1, round(value * factor)) for name, value in NATIONAL.items()}
        counts["municipalities"] = max(4, counts["municipalities"])
        return cls(**counts)


@dataclass
class City:
    municipality: Municipality
    weight: float
    districts: list[District]
    categories: list[Category]
    office_id: int
    manager_id: int
    executive_id: int
    commons: list[tuple[int, str, str]] = field(default_factory=list)  # id, kind, name
    organisations: list[int] = field(default_factory=list)  # representative user ids, by org
    organisation_ids: list[int] = field(default_factory=list)


@dataclass
class Step:
    action: str
    from_status: str
    to_status: str
    at: dt.datetime
    actor: str  # "proponent", "office", "manager", "executive", "system"
    duration: dt.timedelta | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    city: City
    status: str
    kind: str
    complex: bool
    created: dt.datetime
    steps: list[Step]
    proponent_id: int
    organisation_id: int | None
    co_signatory_id: int | None
    commons: tuple[int, str, str] | None
    duration_months: int
    start: dt.date | None = None
    end: dt.date | None = None
    number: str = ""


def _chunks[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class NationalSeeder:
    """Builds the national data set. ``progress(total, desc)`` returns a tqdm-like bar."""

    def __init__(
        self,
        *,
        factor: float,
        seed: int = 2026,
        progress: Callable[..., Any] | None = None,
    ) -> None:
        self.sizes = Sizes.for_scale(factor)
        self.rng = random.Random(f"{seed}:national")
        self.np_rng = np.random.default_rng(seed)
        self.progress = progress or _NoProgress
        self.zone = timezone.get_current_timezone()
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.cities: list[City] = []
        self.user_ids: list[int] = []
        self.user_cursor = 0

    # --- entry point ----------------------------------------------------------------------

    @staticmethod
    def already_done() -> bool:
        return User.objects.filter(email__endswith=f"@{DOMAIN}").exists()

    def run(self) -> None:
        keys_reset()
        with transaction.atomic():
            self._municipalities()
        self._users()
        self._organisations()
        self._commons()
        plans = self._plans()
        self._numbers(plans)
        self._pacts(plans)
        with transaction.atomic():
            self.numbers.save()
            self._availability()
            self._programmes()
        # The planner's statistics still describe the empty tables: without them it picks
        # plans for a few rows (the registry took 100 ms instead of 6 before this).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        from cocity.core import changes

        for city in self.cities:
            changes.changed(municipality_id=city.municipality.pk, kind="pacts.pact")

    # --- municipalities and districts -----------------------------------------------------

    def _municipalities(self) -> None:
        rng = self.rng
        existing = {m.istat_code: m for m in Municipality.objects.all()}
        refs = reference.national()
        # The demo cities first, then the largest municipalities by area (a fair proxy for
        # the cities that run pacts: Rome, Ravenna, Venice, Foggia, Parma…).
        demo = [existing[code] for code in ("001272", "035033", "059011") if code in existing]
        by_area = sorted(
            (r for r in refs.values() if r.istat not in existing),
            key=lambda r: -shape(r.boundary).area,
        )
        names = {m.name.casefold() for m in existing.values()}
        wanted = self.sizes.municipalities - len(demo)
        chosen: list[reference.ReferenceMunicipality] = []
        for ref in by_area:
            if len(chosen) >= wanted:
                break
            if ref.name.casefold() in names:
                continue
            names.add(ref.name.casefold())
            chosen.append(ref)
        bar = self.progress(total=len(chosen), desc="municipalities", unit="")
        municipalities = list(demo)
        slugs = set(Municipality.objects.values_list("slug", flat=True))
        for ref in chosen:
            slug = slugify(ref.name)[:60] or f"comune-{ref.istat}"
            if slug in slugs:
                slug = f"{slug[:50]}-{ref.istat}"
            slugs.add(slug)
            municipality = municipality_create(
                slug=slug,
                name=ref.name,
                istat_code=ref.istat,
                simple_pacts_skip_consultation=rng.random() < 0.3,
                report_interval_months=rng.choice((6, 12, 12)),
            )
            self._districts(municipality)
            bar.update(1)
        bar.close()
        municipalities.extend(
            chosen_m
            for chosen_m in Municipality.objects.filter(
                istat_code__in=[r.istat for r in chosen]
            ).order_by("pk")
        )
        staff = self._staff(municipalities)
        for rank, municipality in enumerate(municipalities, start=1):
            categories = list(municipality.pact_categories.order_by("position", "pk"))
            if len(categories) < len(CATEGORIES):
                categories = self._categories(municipality)
            self.cities.append(
                City(
                    municipality=municipality,
                    weight=1 / rank**0.8,
                    districts=list(municipality.districts.order_by("number", "pk")),
                    categories=categories,
                    office_id=staff[municipality.pk]["office_id"],
                    manager_id=staff[municipality.pk]["manager_id"],
                    executive_id=staff[municipality.pk]["executive_id"],
                )
            )

    def _districts(self, municipality: Municipality) -> None:
        boundary = municipality.boundary
        assert boundary is not None
        area = shape(boundary)
        count = max(2, min(9, round(math.sqrt(area.area * 10_000) / 4)))
        centres = [geo.inside_point(boundary)]
        centres += [tuple(p) for p in self._points_in(area, count - 1)]
        cx, cy = centres[0]
        used: set[str] = set()
        named: list[tuple[str, tuple[float, float]]] = []
        for number, (x, y) in enumerate(centres, start=1):
            name = "Centro" if number == 1 else _compass(x - cx, y - cy)
            if name in used:
                name = f"{name} {number}"
            used.add(name)
            named.append((name, (x, y)))
        districts_create(municipality, boundary, named)

    def _points_in(self, area: Any, count: int) -> np.ndarray:
        """``count`` random points inside a shape (rejection sampling in its bounding box)."""
        if count <= 0:
            return np.empty((0, 2))
        min_x, min_y, max_x, max_y = area.bounds
        shapely.prepare(area)
        found: list[np.ndarray] = []
        have = 0
        while have < count:
            n = max(64, (count - have) * 3)
            xs = self.np_rng.uniform(min_x, max_x, n)
            ys = self.np_rng.uniform(min_y, max_y, n)
            inside = shapely.contains_xy(area, xs, ys)
            points = np.column_stack((xs[inside], ys[inside]))[: count - have]
            found.append(points)
            have += len(points)
        return np.round(np.concatenate(found), 6)

    def _categories(self, municipality: Municipality) -> list[Category]:
        Category.objects.bulk_create(
            [
                Category(
                    municipality=municipality,
                    name=name,
                    slug=slugify(name),
                    description=description,
                    position=position,
                )
                for position, (name, description) in enumerate(CATEGORIES)
            ],
            ignore_conflicts=True,
        )
        return list(municipality.pact_categories.order_by("position", "pk"))

    def _staff(self, municipalities: Sequence[Municipality]) -> dict[int, dict[str, int]]:
        """The office, a manager and an executive of every city (the demo cities' own)."""
        result: dict[int, dict[str, int]] = {}
        roles = (
            ("office_id", StaffRole.Role.OFFICE, "ufficio"),
            ("manager_id", StaffRole.Role.MANAGER, "dirigente"),
            ("executive_id", StaffRole.Role.EXECUTIVE, "giunta"),
        )
        existing: dict[tuple[int, str], int] = {}
        for user_id, municipality_id, role in StaffRole.objects.order_by("pk").values_list(
            "user_id", "municipality_id", "role"
        ):
            existing.setdefault((municipality_id, role), user_id)
        new_users = []
        for municipality in municipalities:
            for _key, role, word in roles:
                if (municipality.pk, role) not in existing:
                    new_users.append(
                        User(
                            email=f"{word}.{municipality.slug}@comuni.example.org",
                            display_name=f"{italian.cap(word)} – {municipality.name}",
                            password=UNUSABLE_PASSWORD,
                            date_joined=self.now,
                        )
                    )
        created = {u.email: u for u in User.objects.bulk_create(new_users, INSERT_BATCH)}
        grants: list[StaffRole] = []
        for municipality in municipalities:
            ids = {}
            for key, role, word in roles:
                found = existing.get((municipality.pk, role))
                if found is None:
                    user = created[f"{word}.{municipality.slug}@comuni.example.org"]
                    found = user.pk
                    grants.append(StaffRole(user=user, municipality=municipality, role=role))
                ids[key] = found
            result[municipality.pk] = ids
        StaffRole.objects.bulk_create(grants, INSERT_BATCH)
        return result

    # --- people ---------------------------------------------------------------------------

    def _users(self) -> None:
        rng = self.rng
        total = self.sizes.users
        bar = self.progress(total=total, desc="users", unit="")
        start = self.now - dt.timedelta(days=(self.today - FIRST_DAY).days)
        span = (self.now - start).total_seconds()
        for first in range(0, total, INSERT_BATCH):
            batch = []
            for n in range(first, min(total, first + INSERT_BATCH)):
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                batch.append(
                    User(
                        email=f"persona{n + 1:07d}@{DOMAIN}",
                        display_name=name,
                        show_name_publicly=rng.random() < 0.4,
                        password=UNUSABLE_PASSWORD,
                        date_joined=start + dt.timedelta(seconds=span * math.sqrt(rng.random())),
                    )
                )
            with transaction.atomic():
                bulk_insert(User, batch)
            self.user_ids.extend(user.pk for user in batch)
            bar.update(len(batch))
        bar.close()
        self.rng.shuffle(self.user_ids)

    def _user(self) -> int:
        """Users take part in turn, so that most of them have done something."""
        user_id = self.user_ids[self.user_cursor % len(self.user_ids)]
        self.user_cursor += 1
        return user_id

    def _organisations(self) -> None:
        rng = self.rng
        kinds = [(kind, template) for kind, template, _w in ORGANISATION_KINDS]
        weights = [w for *_rest, w in ORGANISATION_KINDS]
        cities = self.cities
        city_weights = [c.weight for c in cities]
        plans: list[tuple[City, Organisation, int]] = []
        for _n in range(self.sizes.organisations):
            city = rng.choices(cities, city_weights)[0]
            kind, template = rng.choices(kinds, weights)[0]
            district = rng.choice(city.districts).name if city.districts else city.municipality.name
            words = rng.choice(ORGANISATION_WORDS).format(
                street=rng.choice(STREETS),
                district=district,
                District=italian.cap(district),
            )
            representative = self._user()
            plans.append(
                (
                    city,
                    Organisation(
                        name=template.format(x=words)[:200],
                        kind=kind,
                        informal=kind == Organisation.Kind.INFORMAL_GROUP,
                        municipality=city.municipality,
                        created_by_id=representative,
                        created_at=self.now,
                    ),
                    representative,
                )
            )
        bar = self.progress(total=len(plans), desc="organisations", unit="")
        for chunk in _chunks(plans, INSERT_BATCH):
            created = [org for _c, org, _r in chunk]
            assign_ids(Organisation, created)
            memberships = [
                Membership(
                    user_id=rep,
                    organisation=org,
                    role=Membership.Role.REPRESENTATIVE,
                    created_at=self.now,
                )
                for (_c, _o, rep), org in zip(chunk, created, strict=True)
            ]
            with transaction.atomic():
                bulk_insert(Organisation, created)
                bulk_insert(Membership, memberships)
            for (city, _o, rep), org in zip(chunk, created, strict=True):
                city.organisations.append(rep)
                city.organisation_ids.append(org.pk)
            bar.update(len(chunk))
        bar.close()

    # --- commons --------------------------------------------------------------------------

    def _commons(self) -> None:
        rng = self.rng
        cities = self.cities
        total_weight = sum(c.weight for c in cities)
        kinds = [k for k, _w in KIND_WEIGHTS if k != PLACE]
        kind_weights = [w for k, w in KIND_WEIGHTS if k != PLACE]
        bar = self.progress(total=self.sizes.commons, desc="commons", unit="")
        pending: list[Commons] = []

        def flush() -> None:
            with transaction.atomic():
                bulk_insert(Commons, pending)
            for row in pending:
                city = by_municipality[row.municipality_id]
                city.commons.append((row.pk, row.kind, row.name))
            bar.update(len(pending))
            pending.clear()

        by_municipality = {c.municipality.pk: c for c in cities}
        for city in cities:
            count = round(self.sizes.commons * city.weight / total_weight)
            districts = city.districts
            if not districts or count == 0:
                continue
            shares = self.np_rng.multinomial(count, [1 / len(districts)] * len(districts))
            for district, share in zip(districts, shares, strict=True):
                assert district.boundary is not None
                for lon, lat in self._points_in(shape(district.boundary), int(share)):
                    kind = rng.choices(kinds, kind_weights)[0]
                    name = rng.choice(COMMONS_NAMES[kind]).format(
                        street=rng.choice(STREETS),
                        Street=italian.cap(rng.choice(STREETS)),
                        person=rng.choice(PEOPLE),
                        district=district.name,
                    )
                    lon, lat = float(lon), float(lat)
                    pending.append(
                        Commons(
                            municipality=city.municipality,
                            name=name,
                            slug=slugify(name)[:200],
                            kind=kind,
                            description=f"{name}, quartiere {district.name}.",
                            address=f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
                            district=district,
                            availability=Commons.Availability.OPEN,
                            boundary={"type": "Point", "coordinates": [lon, lat]},
                            lon=lon,
                            lat=lat,
                            min_lon=lon,
                            max_lon=lon,
                            min_lat=lat,
                            max_lat=lat,
                            created_at=self.now,
                            updated_at=self.now,
                        )
                    )
                    if len(pending) >= INSERT_BATCH:
                        flush()
        flush()
        bar.close()

    # --- pacts: the plan of each life ------------------------------------------------------

    def _plans(self) -> list[Plan]:
        rng = self.rng
        cities = self.cities
        weights = [c.weight for c in cities]
        statuses = list(STATUS_WEIGHTS)
        status_weights = list(STATUS_WEIGHTS.values())
        kinds = [k for k, _w in KIND_WEIGHTS]
        kind_weights = [w for _k, w in KIND_WEIGHTS]
        plans = []
        for _n in range(self.sizes.pacts):
            city = rng.choices(cities, weights)[0]
            status = rng.choices(statuses, status_weights)[0]
            kind = rng.choices(kinds, kind_weights)[0]
            commons = None
            if kind != PLACE and city.commons:
                commons = rng.choice(city.commons)
                kind = commons[1]
            elif kind != PLACE:
                kind = PLACE
            # Only complex pacts wait for the executive's approval.
            complex_ = status == S.AWAITING_APPROVAL or (kind == K.BUILDING and rng.random() < 0.4)
            organisation_id = None
            if city.organisation_ids and rng.random() < 0.6:
                index = rng.randrange(len(city.organisation_ids))
                organisation_id = city.organisation_ids[index]
                proponent = city.organisations[index]
            else:
                proponent = self._user()
            co_signatory = self._user() if rng.random() < 0.35 else None
            duration = rng.choice((12, 12, 18, 24, 24, 36)) if not complex_ else 36
            plan = Plan(
                city=city,
                status=status,
                kind=kind,
                complex=complex_,
                created=self.now,
                steps=[],
                proponent_id=proponent,
                organisation_id=organisation_id,
                co_signatory_id=co_signatory,
                commons=commons,
                duration_months=duration,
            )
            self._life(plan)
            plans.append(plan)
        return plans

    def _life(self, plan: Plan) -> None:
        """The transitions that lead to the plan's status (``workflow.path``), with gaps in
        days, then dated."""
        rng = self.rng
        target = plan.status
        leave = None
        if target == S.WITHDRAWN:
            leave = rng.choice((S.SUBMITTED, S.INCOMPLETE, S.EVALUATION, S.CO_DESIGN))
        elif target == S.ARCHIVED:
            leave = rng.choice((S.SUBMITTED, S.INCOMPLETE, S.INCOMPLETE, S.EVALUATION))
        elif target == S.TERMINATED and rng.random() < 0.3:
            leave = S.SUSPENDED
        # Ordinary pacts skip the consultation where the city's regulation allows it.
        skip = plan.city.municipality.simple_pacts_skip_consultation and not plan.complex
        actions = workflow.path(
            target,
            complex_pact=plan.complex,
            consultation=target == S.CONSULTATION or not skip,
            asked_info=rng.random() < 0.2,
            leave=leave,
        )
        if target == S.CONCLUDED:
            actions.pop()  # dated below, at the end of the term
        path: list[tuple[str, str, str, str, int]] = []  # action, from, to, actor, gap days
        current: str = S.DRAFT
        for action in actions:
            actor, low, high = GAPS[action]
            if action == "approve":
                actor, low, high = ("executive", 10, 40) if plan.complex else ("manager", 30, 120)
            to = workflow.TRANSITIONS[action].target
            path.append((action, current, to, actor, rng.randint(low, high)))
            current = to
        # Date the life: concluded pacts ran their whole term; running ones are under way.
        pre = sum(gap for *_x, gap in path)
        months = plan.duration_months
        term = months * 30
        days_back_today = (self.today - FIRST_DAY).days
        if target == S.CONCLUDED:
            span_needed = pre + term + 1
            if span_needed >= days_back_today:
                plan.duration_months = months = 12
                term = 360
                span_needed = pre + term + 1
            back = rng.randint(span_needed, max(span_needed, days_back_today))
        elif target in (S.ACTIVE, S.SUSPENDED):
            # Started between a few days ago and (term - 10) days ago.
            since_start = rng.randint(5, max(6, term - 10))
            tail = sum(gap for action, *_r, gap in path if action in ("suspend",))
            since_start = max(since_start, tail + 1)
            back = pre - tail + since_start
        elif target == S.DRAFT:
            back = rng.randint(1, 700)
        elif target in (S.REJECTED, S.WITHDRAWN, S.ARCHIVED, S.TERMINATED):
            back = rng.randint(pre + 1, max(pre + 1, days_back_today))
        else:  # open steps: recent proposals
            back = rng.randint(pre + 1, pre + 240)
        back = min(back, max(days_back_today, pre + 1))
        created_day = self.today - dt.timedelta(days=back)
        plan.created = self._moment(created_day, "citizen")
        day = created_day
        previous = plan.created
        for action, from_status, to_status, actor, gap in path:
            day = day + dt.timedelta(days=gap)
            at = max(self._moment(day, "citizen" if actor == "proponent" else "office"), previous)
            at = min(at, self.now - dt.timedelta(minutes=1))
            plan.steps.append(
                Step(action, from_status, to_status, at, actor, duration=at - previous)
            )
            if action == "activate":
                plan.start = at.astimezone(self.zone).date()
                plan.end = add_months(plan.start, plan.duration_months)
            previous = at
        if target == S.CONCLUDED:
            assert plan.end is not None
            end_at = self._moment(plan.end, "office")
            plan.steps.append(
                Step("conclude", S.ACTIVE, S.CONCLUDED, end_at, "system", end_at - previous)
            )

    def _moment(self, day: dt.date, who: str) -> dt.datetime:
        low, high = (8, 22) if who == "citizen" else (9, 17)
        return dt.datetime.combine(
            day, dt.time(self.rng.randint(low, high), self.rng.randint(0, 59)), tzinfo=self.zone
        )

    def _numbers(self, plans: list[Plan]) -> None:
        """Protocol numbers in the order of submission, after those the city already used."""
        self.numbers = BulkNumbers()
        submitted = [(p.steps[0].at, i) for i, p in enumerate(plans) if p.steps]
        for at, index in sorted(submitted):
            plan = plans[index]
            plan.number = self.numbers.next(plan.city.municipality, at)

    # --- pacts: writing them --------------------------------------------------------------

    def _pacts(self, plans: list[Plan]) -> None:
        signed_days = sum(self._logged_days(p)[1] for p in plans if p.status in SIGNED)
        self.log_rate = self.sizes.activities / max(1, signed_days)  # entries per pact-day
        bar = self.progress(total=len(plans), desc="pacts", unit="")
        self.log_bar = self.progress(total=self.sizes.activities, desc="activity log", unit="")
        for chunk in _chunks(plans, BATCH):
            with transaction.atomic():
                self._pact_batch(chunk)
            bar.update(len(chunk))
        bar.close()
        self.log_bar.close()

    def _pact_batch(self, plans: Sequence[Plan]) -> None:
        rng = self.rng
        pacts = [self._pact(plan) for plan in plans]
        assign_ids(Pact, pacts)
        events: list[PactEvent] = []
        parties: list[tuple[Plan, Pact, Party]] = []
        observations: list[Observation] = []
        for plan, pact in zip(plans, pacts, strict=True):
            events.extend(bulk.pact_lived(pact, [self._lived(plan, step) for step in plan.steps]))
            reached = {step.to_status for step in plan.steps}
            parties.append(
                (
                    plan,
                    pact,
                    Party(
                        pact=pact,
                        role=Party.Role.PROPONENT,
                        user_id=plan.proponent_id,
                        organisation_id=plan.organisation_id,
                        created_at=plan.created,
                    ),
                )
            )
            if plan.co_signatory_id and plan.steps:
                parties.append(
                    (
                        plan,
                        pact,
                        Party(
                            pact=pact,
                            role=Party.Role.CO_SIGNATORY,
                            user_id=plan.co_signatory_id,
                            created_at=plan.steps[0].at,
                        ),
                    )
                )
            if S.CO_DESIGN in reached:
                admitted = next(s.at for s in plan.steps if s.action == "admit")
                parties.append(
                    (plan, pact, Party(pact=pact, role=Party.Role.CITY, created_at=admitted))
                )
            if S.CONSULTATION in reached:
                publish = next(s.at for s in plan.steps if s.action == "publish")
                for _n in range(rng.choice((0, 0, 1, 1, 2, 3))):
                    observations.append(
                        Observation(
                            pact=pact,
                            author_id=self._user(),
                            text=rng.choice(OBSERVATIONS),
                            created_at=publish + dt.timedelta(hours=rng.randint(2, 300)),
                        )
                    )
        assign_ids(Party, [party for *_x, party in parties])
        for observation in observations:
            events.append(
                bulk.event(
                    observation.pact,
                    action="observation",
                    actor_id=observation.author_id,
                    at=observation.created_at,
                )
            )
        texts, articles, versions, commitments, supports = self._texts(plans, pacts, parties)
        for plan, pact, party in parties:
            activation = next((s for s in plan.steps if s.action == "activate"), None)
            if activation is None or not party.signs:
                continue
            offset = {"proponent": 3, "co_signatory": 2, "city": 1}[party.role]
            party.signed_at = activation.at - dt.timedelta(hours=offset)
            party.signed_by_id = party.user_id or plan.city.manager_id
            party.signature_method = Party.Method.QUALIFIED
            party.signed_text_hash = texts[pact.pk]
            events.append(
                bulk.event(
                    pact,
                    action="signed",
                    actor_id=party.signed_by_id,
                    at=party.signed_at,
                    data={"party": party.pk, "method": party.signature_method},
                )
            )
        for pact in pacts:
            if pact.pk in texts and pact.status in SIGNED:
                pact.signed_text_hash = texts[pact.pk]
        entries, reports = self._activity(plans, pacts, parties)
        bulk.pacts_write(pacts)
        bulk_insert(Party, [party for *_x, party in parties])
        bulk_insert(Observation, observations)
        bulk_insert(Clause, articles)
        bulk_insert(ClauseVersion, versions)
        bulk_insert(Commitment, commitments)
        bulk_insert(Support, supports)
        bulk.events_write(events)
        bulk_insert_rows(ActivityLog, Entry._fields, entries)
        bulk_insert(Report, reports)
        self.log_bar.update(len(entries))

    def _pact(self, plan: Plan) -> Pact:
        rng = self.rng
        city = plan.city
        kind = plan.kind
        fields: dict[str, Any] = {}
        if plan.commons is not None:
            commons_id, _kind, name = plan.commons
            fields["commons_id"] = commons_id
        else:
            name = f"Area verde di {rng.choice(STREETS)}"
            district = rng.choice(city.districts) if city.districts else None
            lon = district.lon if district else city.municipality.lon
            lat = district.lat if district else city.municipality.lat
            fields.update(place_name=name, place_lon=lon, place_lat=lat)
        template = rng.choice(TITLES[kind])
        title = template.format(
            of=italian.of(name), the=italian.the(name), name=name, Name=italian.cap(name)
        )
        objectives = " ".join(rng.sample(OBJECTIVES[kind], k=2)).format(the=italian.the(name))
        activities = "\n".join(
            f"- {italian.cap(a)}" for a in rng.sample(PACT_ACTIVITIES[kind], k=3)
        )
        desired = (plan.created + dt.timedelta(days=rng.randint(30, 90))).date()
        if plan.start is not None:  # the seeded term starts at the last signature
            desired = min(desired, plan.start)
        return Pact(
            municipality=city.municipality,
            number=plan.number,
            title=italian.cap(title)[:200],
            category=city.categories[KIND_CATEGORY[kind]] if city.categories else None,
            complexity="complex" if plan.complex else "ordinary",
            objectives=italian.cap(objectives),
            activities=activities,
            people_involved=f"Circa {rng.randint(4, 40)} volontari del quartiere.",
            support_requested=SUPPORT_REQUESTS[kind],
            desired_start=desired,
            duration_months=plan.duration_months,
            proponent_id=plan.proponent_id,
            proponent_organisation_id=plan.organisation_id,
            created_at=plan.created,
            **fields,
        )

    def _lived(self, plan: Plan, step: Step) -> bulk.Lived:
        city = plan.city
        actor = {
            "proponent": plan.proponent_id,
            "office": city.office_id,
            "manager": city.manager_id,
            "executive": city.executive_id,
            "system": None,
        }[step.actor]
        data = {"last_signature_by": plan.proponent_id} if step.action == "activate" else step.data
        return bulk.Lived(step.action, step.at, actor, note=NOTES.get(step.action, ""), data=data)

    def _texts(
        self, plans: Sequence[Plan], pacts: Sequence[Pact], parties: list[tuple[Plan, Pact, Party]]
    ) -> tuple[dict[int, str], list[Clause], list[ClauseVersion], list[Commitment], list[Support]]:
        """Articles, commitments and supports of the pacts that reached co-design, and the
        SHA-256 of each one's signed text, as ``pact_text_hash`` computes it."""
        rng = self.rng
        clauses: list[Clause] = []
        commitments: list[Commitment] = []
        supports: list[Support] = []
        admitted: dict[int, dt.datetime] = {}
        for plan, pact in zip(plans, pacts, strict=True):
            at = next((s.at for s in plan.steps if s.action == "admit"), None)
            if at is None:
                continue
            admitted[pact.pk] = at
            texts = clause_texts(
                commons=plan.commons[2] if plan.commons else pact.place_name,
                objectives=pact.objectives,
                activities=pact.activities,
                duration=plan.duration_months,
                report_interval=plan.city.municipality.report_interval_months,
                desired_start=(
                    pact.desired_start.strftime("%d/%m/%Y")
                    if pact.desired_start
                    else "non indicata"
                ),
            )
            for position, (key, title, text) in enumerate(texts, start=1):
                clauses.append(
                    Clause(pact=pact, key=key, title=title, position=position, text=text)
                )
            kinds = rng.sample(list(Support.Kind), k=rng.choice((1, 2, 2, 3)))
            for kind in kinds:
                value = (
                    Decimal(f"{rng.randrange(100, 5000, 50)}.00") if kind != "free_use" else None
                )
                supports.append(
                    Support(
                        pact=pact,
                        kind=kind,
                        description=str(Support.Kind(kind).label),
                        estimated_value=value,
                    )
                )
        for _plan, pact, party in parties:
            if pact.pk not in admitted:
                continue
            pool = CITY_COMMITMENTS if party.role == Party.Role.CITY else COMMITMENTS
            for position, text in enumerate(rng.sample(pool, k=2)):
                commitments.append(Commitment(pact=pact, party=party, text=text, position=position))
        assign_ids(Clause, clauses)
        versions = [
            ClauseVersion(
                clause=clause, number=1, text=clause.text, created_at=admitted[clause.pact_id]
            )
            for clause in clauses
        ]
        signed: dict[int, tuple[list[Any], list[Any], list[Any]]] = defaultdict(
            lambda: ([], [], [])
        )
        for clause in clauses:
            signed[clause.pact_id][0].append((clause.title, clause.text))
        for commitment in commitments:
            signed[commitment.pact_id][1].append((commitment.party_id, commitment.text))
        for support in supports:
            signed[support.pact_id][2].append(
                (support.kind, support.description, support.estimated_value)
            )
        hashes = {pact_id: text_hash(*parts) for pact_id, parts in signed.items()}
        return hashes, clauses, versions, commitments, supports

    # --- activity log and reports ---------------------------------------------------------

    def _activity(
        self, plans: Sequence[Plan], pacts: Sequence[Pact], parties: list[tuple[Plan, Pact, Party]]
    ) -> tuple[list[Entry], list[Report]]:
        rng = self.rng
        authors: dict[int, list[int]] = defaultdict(list)
        for _plan, pact, party in parties:
            if party.user_id and party.role != Party.Role.CITY:
                authors[pact.pk].append(party.user_id)
        entries: list[Entry] = []
        reports: list[Report] = []
        for plan, pact in zip(plans, pacts, strict=True):
            if plan.status not in SIGNED or plan.start is None:
                continue
            last_day, days = self._logged_days(plan)
            expected = days * self.log_rate
            count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            pact_entries = []
            for _n in range(count):
                day = plan.start + dt.timedelta(days=rng.randrange(days))
                volunteers = rng.randint(1, 12)
                hours = Decimal(volunteers * rng.choice((1, 2, 2, 3, 4)))
                entry = Entry(
                    pact.pk,
                    rng.choice(authors[pact.pk]),
                    day,
                    rng.choice(LOG_TEXTS),
                    hours,
                    volunteers,
                    rng.choice((0, 0, 5, 10, 20, 40, 80)),
                    rng.choice(MATERIALS),
                    Decimal(rng.choice((0, 0, 0, 15, 40, 120))),
                    Decimal(rng.choice((0, 0, 0, 0, 50))),
                    "",
                    self._moment(day, "citizen"),
                )
                pact_entries.append(entry)
            entries.extend(pact_entries)
            reports.extend(self._reports(plan, pact, pact_entries, authors[pact.pk], last_day))
        return entries, reports

    def _logged_days(self, plan: Plan) -> tuple[dt.date, int]:
        """The last day a signed pact ran (to today, its end, or its suspension or
        termination) and how many days it ran."""
        if plan.start is None:
            return self.today, 0
        last_day = self.today
        if plan.status == S.CONCLUDED and plan.end:
            last_day = plan.end
        ended = next((s.at for s in plan.steps if s.action in ("terminate", "suspend")), None)
        if ended is not None:
            last_day = min(last_day, ended.astimezone(self.zone).date())
        return last_day, max(1, (last_day - plan.start).days)

    def _reports(
        self,
        plan: Plan,
        pact: Pact,
        entries: Sequence[Entry],
        authors: Sequence[int],
        last_day: dt.date,
    ) -> Iterable[Report]:
        assert plan.start is not None
        months = plan.city.municipality.report_interval_months
        start = plan.start
        while True:
            end = add_months(start, months) - dt.timedelta(days=1)
            if end >= last_day or end >= self.today:
                return
            inside = [e for e in entries if start <= e.date <= end]
            submitted = self._moment(end + dt.timedelta(days=self.rng.randint(3, 40)), "citizen")
            if submitted >= self.now:
                return
            reviewed = submitted + dt.timedelta(days=self.rng.randint(3, 30))
            accepted = reviewed < self.now
            yield Report(
                pact=pact,
                period_start=start,
                period_end=end,
                results=self.rng.choice(REPORT_TEXTS),
                hours=sum((e.hours for e in inside), Decimal(0)),
                volunteers=max((e.volunteers for e in inside), default=0),
                people_reached=sum(e.people_reached for e in inside),
                money_spent=sum((e.money_spent for e in inside), Decimal(0)),
                money_raised=sum((e.money_raised for e in inside), Decimal(0)),
                activities=len(inside),
                status=Report.Status.ACCEPTED if accepted else Report.Status.SUBMITTED,
                submitted_by_id=self.rng.choice(authors),
                submitted_at=submitted,
                reviewed_by_id=plan.city.office_id if accepted else None,
                reviewed_at=reviewed if accepted else None,
            )
            start = end + dt.timedelta(days=1)

    # --- what the services keep in step ---------------------------------------------------

    def _availability(self) -> None:
        running = Pact.objects.filter(
            status__in=[S.ACTIVE, S.SUSPENDED], commons__isnull=False
        ).values("commons_id")
        Commons.objects.filter(pk__in=running).exclude(
            availability=Commons.Availability.UNDER_PACT
        ).update(availability=Commons.Availability.UNDER_PACT)

    def _programmes(self) -> None:
        """Each new city's own fund for the pacts, funding about a tenth of the signed ones."""
        rng = self.rng
        fundings = []
        for city in self.cities:
            municipality = city.municipality
            if municipality.programmes.exists():
                continue
            programme = Programme.objects.create(
                municipality=municipality,
                name="Fondo per i beni comuni",
                funder=f"Comune di {municipality.name}",
                budget=Decimal(rng.randrange(50_000, 2_000_000, 10_000)),
                start_date=dt.date(2018, 1, 1),
                description="Contributi per materiali, attrezzi e assicurazioni dei patti.",
            )
            signed = Pact.objects.filter(
                municipality=municipality, status__in=list(SIGNED)
            ).values_list("pk", flat=True)
            for pact_id in signed:
                if rng.random() < 0.1:
                    amount = Decimal(rng.randrange(500, 20_000, 100))
                    fundings.append(Funding(programme=programme, pact_id=pact_id, amount=amount))
        Funding.objects.bulk_create(fundings, INSERT_BATCH)


def database_size() -> str:
    """The size of the database, for the report at the end."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            return str(cursor.fetchone()[0])
    with connection.cursor() as cursor:
        cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        size = int(cursor.fetchone()[0])
    return f"{size / 1024 / 1024:.0f} MB"


def table_counts() -> list[tuple[str, int]]:
    tables = (
        ("municipalities", Municipality),
        ("districts", District),
        ("users", User),
        ("organisations", Organisation),
        ("commons", Commons),
        ("pacts", Pact),
        ("pact events", PactEvent),
        ("parties", Party),
        ("articles", Clause),
        ("commitments", Commitment),
        ("supports", Support),
        ("observations", Observation),
        ("activity entries", ActivityLog),
        ("reports", Report),
        ("fundings", Funding),
    )
    return [(label, model.objects.count()) for label, model in tables]


def _compass(dx: float, dy: float) -> str:
    angle = math.degrees(math.atan2(dy, dx)) % 360
    names = ("Est", "Nord-Est", "Nord", "Nord-Ovest", "Ovest", "Sud-Ovest", "Sud", "Sud-Est")
    return names[round(angle / 45) % 8]


class _NoProgress:
    def __init__(self, **kwargs: Any) -> None:
        pass

    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass
