"""Demo funding programmes, activity logs and reports of Torino, Reggio Emilia and Latina, made
through the services (``cocity.programmes.services`` and ``cocity.reports.services``).

For each city that has pacts but no activity log yet:

1. the city's funding programmes, and what they gave to the signed pacts that started during
   them;
2. the activity log of every active or concluded pact over the last two years of its life
   (2–4 entries a month, fitting what the pact is about);
3. a report for each ended period, submitted by the proponent a few days or weeks after the
   end and mostly accepted by the office; a few are sent back, and a few pacts have not yet
   reported on their last period (the office sees them as overdue).

Suspended and terminated pacts record no activity (the services refuse it); they reported on
the periods that ended before they stopped. Everything is drawn from ``rng``, against the real
current date."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from cocity.accounts.models import Membership, StaffRole, User
from cocity.commons.models import Commons
from cocity.core.permissions import can
from cocity.municipalities.models import Municipality
from cocity.pacts.models import Pact, Status
from cocity.programmes.models import Programme
from cocity.programmes.services import funding_set, programme_create
from cocity.reports.models import ActivityLog, Report
from cocity.reports.services import (
    Period,
    activity_log_add,
    period_totals,
    report_periods,
    report_review,
    report_submit,
)

S = Status
K = Commons.Kind
SIGNED = (S.ACTIVE, S.SUSPENDED, S.CONCLUDED, S.TERMINATED)
LOGGED = (S.ACTIVE, S.CONCLUDED)
LOG_DAYS = 730  # the activity log covers the last two years of a pact's life
HUNDRED = Decimal("100")


# --- Funding programmes -----------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeSeed:
    name: str
    funder: str
    budget: int
    start: dt.date
    end: dt.date | None
    description: str
    share: float  # of the signed pacts started during the programme that it funds
    amounts: tuple[int, int]  # euros, rounded to hundreds


PROGRAMMES: dict[str, tuple[ProgrammeSeed, ...]] = {
    "torino": (
        ProgrammeSeed(
            "Co-City",
            "UE – FESR, Urban Innovative Actions",
            5_100_000,
            dt.date(2017, 3, 1),
            dt.date(2020, 12, 31),
            "Progetto europeo Urban Innovative Actions che ha sperimentato i patti di "
            "collaborazione contro la povertà urbana, con le Case del quartiere, l'Università "
            "di Torino e la Fondazione Cascina Roccafranca.",
            0.9,
            (5_000, 60_000),
        ),
        ProgrammeSeed(
            "AxTO – Azioni per le periferie torinesi",
            "Presidenza del Consiglio dei Ministri – Bando periferie",
            45_000_000,
            dt.date(2017, 1, 1),
            dt.date(2021, 12, 31),
            "Piano di interventi nelle periferie della città: spazio pubblico, casa, scuola, "
            "commercio di vicinato e partecipazione dei residenti.",
            0.5,
            (3_000, 40_000),
        ),
        ProgrammeSeed(
            "Torino Social Factory",
            "Città di Torino – PON Metro",
            3_000_000,
            dt.date(2019, 1, 1),
            dt.date(2024, 12, 31),
            "Contributi a progetti di innovazione sociale e di cura dei beni comuni nei "
            "quartieri, finanziati dal Programma operativo nazionale Città metropolitane.",
            0.35,
            (2_000, 30_000),
        ),
        ProgrammeSeed(
            "Fondo cittadino per i beni comuni",
            "Città di Torino",
            1_500_000,
            dt.date(2022, 1, 1),
            None,
            "Fondo della Città per materiali, piccoli lavori, assicurazioni e attrezzature "
            "dei patti di collaborazione.",
            0.45,
            (1_000, 15_000),
        ),
    ),
    "reggio-emilia": (
        ProgrammeSeed(
            "Quartiere bene comune",
            "Comune di Reggio Emilia",
            1_200_000,
            dt.date(2015, 6, 1),
            None,
            "Laboratori di cittadinanza e accordi di cittadinanza nei quartieri, accompagnati "
            "dagli architetti di quartiere.",
            0.7,
            (1_000, 20_000),
        ),
    ),
    "latina": (
        ProgrammeSeed(
            "Latina Bene Comune",
            "Comune di Latina",
            300_000,
            dt.date(2018, 1, 1),
            None,
            "Contributi del Comune ai patti di collaborazione per la cura di spazi pubblici, "
            "verde e immobili inutilizzati.",
            0.6,
            (1_000, 10_000),
        ),
    ),
}


# --- Italian text ---------------------------------------------------------------------------

# What the parties do, by kind of commons: (description, open to the public).
GREEN = "green"
SPACE = "space"
BUILDING = "building"
SCHOOL = "school"
SPORTS = "sports"
CULTURE = "culture"

ACTIVITIES: dict[str, tuple[tuple[str, bool], ...]] = {
    GREEN: (
        ("Pulizia dell'aiuola", False),
        ("Sfalcio dell'erba e pulizia dei vialetti", False),
        ("Piantumazione di nuove essenze", False),
        ("Annaffiatura e cura delle piante", False),
        ("Potatura degli arbusti", False),
        ("Raccolta delle foglie", False),
        ("Semina e cura dell'orto condiviso", False),
        ("Raccolta dei rifiuti nel giardino", False),
        ("Manutenzione delle panchine e delle fioriere", False),
        ("Laboratorio di giardinaggio per bambini", True),
        ("Giornata di cura del verde aperta al quartiere", True),
        ("Merenda nell'orto con le famiglie", True),
    ),
    SPACE: (
        ("Pulizia della piazza", False),
        ("Rimozione di scritte dai muri", False),
        ("Cura delle fioriere", False),
        ("Raccolta dei rifiuti lungo la via", False),
        ("Tinteggiatura delle panchine", False),
        ("Piantumazione nelle fioriere", False),
        ("Festa di strada", True),
        ("Mercatino del baratto", True),
        ("Passeggiata di quartiere con i residenti", True),
        ("Cinema all'aperto", True),
    ),
    BUILDING: (
        ("Apertura dello spazio", True),
        ("Piccola manutenzione dei locali", False),
        ("Tinteggiatura di una sala", False),
        ("Pulizia e riordino dei locali", False),
        ("Sportello di ascolto per i residenti", True),
        ("Laboratorio di riparazione di biciclette e piccoli elettrodomestici", True),
        ("Corso di italiano per stranieri", True),
        ("Cena di quartiere", True),
        ("Mostra fotografica", True),
        ("Riordino del magazzino e inventario", False),
    ),
    SCHOOL: (
        ("Apertura del cortile al quartiere", True),
        ("Laboratorio per bambini", True),
        ("Cura dell'orto didattico", False),
        ("Doposcuola", True),
        ("Pulizia del cortile", False),
        ("Piccole riparazioni degli arredi", False),
        ("Lettura ad alta voce in biblioteca", True),
        ("Festa di fine anno con le famiglie", True),
    ),
    SPORTS: (
        ("Apertura del campo", True),
        ("Torneo di quartiere", True),
        ("Allenamento aperto ai ragazzi", True),
        ("Pulizia degli spogliatoi", False),
        ("Manutenzione delle reti e delle porte", False),
        ("Tracciatura delle linee del campo", False),
        ("Giornata dello sport per tutti", True),
        ("Ginnastica dolce per anziani", True),
    ),
    CULTURE: (
        ("Raccolta di testimonianze", True),
        ("Incontro pubblico", True),
        ("Serata di racconti", True),
        ("Registrazione di interviste agli abitanti", False),
        ("Digitalizzazione di fotografie storiche", False),
        ("Prove del coro di quartiere", False),
        ("Laboratorio di scrittura", True),
        ("Festa di quartiere", True),
    ),
}
COMMON_ACTIVITIES: tuple[tuple[str, bool], ...] = (
    ("Assemblea dei volontari", False),
    ("Riunione di coordinamento con i residenti", True),
    ("Incontro con l'ufficio beni comuni", False),
)
MATERIALS: dict[str, tuple[str, ...]] = {
    GREEN: (
        "Sacchi, guanti e pinze",
        "Terriccio e piantine",
        "Semi, terriccio e concime",
        "Decespugliatore e rastrelli",
        "Tubo e annaffiatoi",
    ),
    SPACE: (
        "Sacchi, guanti e pinze",
        "Vernice e pennelli",
        "Solvente per graffiti",
        "Gazebo, tavoli e sedie",
        "Piantine stagionali",
    ),
    BUILDING: (
        "Vernice e pennelli",
        "Prodotti per la pulizia",
        "Attrezzi da falegname",
        "Lampadine e materiale elettrico",
        "Cancelleria e materiali per i laboratori",
    ),
    SCHOOL: (
        "Cancelleria e materiali per i laboratori",
        "Libri e albi illustrati",
        "Semi e attrezzi da orto",
        "Colori, carta e colla",
    ),
    SPORTS: ("Palloni e casacche", "Reti e gesso per le linee", "Prodotti per la pulizia"),
    CULTURE: (
        "Registratore e schede di memoria",
        "Scanner e cartelline",
        "Impianto audio",
        "Cancelleria e stampe",
    ),
}

RESULTS = (
    "Nel periodo abbiamo svolto {activities} attività, per {hours} ore di volontariato. "
    "Lo spazio è curato con regolarità e il gruppo dei volontari si è allargato.",
    "Abbiamo mantenuto gli impegni del patto: {activities} interventi e {hours} ore di "
    "lavoro volontario. Le attività aperte hanno coinvolto circa {people} persone.",
    "Le attività sono proseguite secondo il calendario concordato ({activities} in tutto). "
    "Molti residenti si sono fermati a chiedere informazioni e alcuni si sono uniti a noi.",
    "Il bene è stato aperto e curato con continuità: {hours} ore di volontariato e {people} "
    "persone raggiunte. La collaborazione con la scuola e i negozi della via è cresciuta.",
    "Abbiamo completato le attività previste per il periodo ({activities}). Le iniziative "
    "aperte al quartiere sono state partecipate e hanno fatto conoscere il patto.",
)
RESULTS_UNLOGGED = (
    "Le attività del periodo si sono svolte secondo il patto; il resoconto dettagliato, con "
    "le presenze dei volontari, è stato consegnato all'ufficio su carta.",
    "Abbiamo curato il bene come previsto dal patto. Le presenze e le ore di volontariato "
    "sono state annotate sul registro cartaceo, consegnato all'ufficio.",
)
RESULTS_STOPPED = (
    "Nel periodo le attività sono state ridotte: il gruppo dei volontari si è assottigliato "
    "e abbiamo svolto solo gli interventi essenziali.",
)
PROBLEMS = (
    "",
    "",
    "Alcuni atti vandalici sulle fioriere, segnalati alla polizia municipale.",
    "Nei mesi estivi è stato difficile trovare volontari.",
    "La fornitura dei materiali da parte della Città è arrivata con qualche settimana di ritardo.",
    "L'accesso all'acqua è stato interrotto per un guasto, ora riparato.",
    "Qualche difficoltà a coordinare i turni di apertura.",
    "I rifiuti abbandonati restano un problema, soprattutto nel fine settimana.",
)
NEXT_STEPS = (
    "Proseguire con il calendario delle attività e coinvolgere nuovi volontari.",
    "Organizzare una festa aperta al quartiere per presentare il patto.",
    "Chiedere alla Città un secondo punto acqua e nuovi attrezzi.",
    "Avviare un laboratorio con la scuola del quartiere.",
    "Preparare il rinnovo del patto con gli stessi impegni.",
    "Migliorare la comunicazione delle aperture sui social e in bacheca.",
)
FINAL_STEPS = (
    "Il patto si è concluso: ringraziamo l'ufficio e i volontari. Valutiamo una nuova proposta.",
    "Con la conclusione del patto consegniamo i materiali e le chiavi alla Città.",
)
REVIEW_NOTES = (
    "Manca la documentazione fotografica delle attività: allegatela nel registro, per favore.",
    "Indicate le spese sostenute e come sono state coperte.",
    "Le ore di volontariato sembrano incomplete: verificate il registro del periodo.",
    "Descrivete meglio i problemi incontrati con la fornitura dei materiali.",
)
ACCEPT_NOTES = (
    "",
    "",
    "",
    "Grazie per il lavoro svolto.",
    "Relazione completa, grazie.",
    "Grazie: segnaliamo le vostre attività nella newsletter dei beni comuni.",
)


def _theme(pact: Pact) -> str:
    kind = pact.commons.kind if pact.commons is not None else None
    by_kind: dict[str, str] = {
        K.GREEN_AREA: GREEN,
        K.SQUARE_STREET: SPACE,
        K.BUILDING: BUILDING,
        K.SCHOOL: SCHOOL,
        K.SPORTS_FACILITY: SPORTS,
        K.IMMATERIAL: CULTURE,
    }
    if kind in by_kind:
        return by_kind[kind]
    category = (pact.category.name if pact.category is not None else "").lower()
    for words, theme in (
        (("verde", "orti"), GREEN),
        (("edificio", "immobil", "spazio sottoutilizzato"), BUILDING),
        (("scuola",), SCHOOL),
        (("cultur", "memoria", "sport"), CULTURE),
    ):
        if any(word in category for word in words):
            return theme
    return SPACE


# --- The seeder -----------------------------------------------------------------------------


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low * 100, high * 100 + 1)) / HUNDRED


class _CitySeeder:
    def __init__(self, municipality: Municipality, rng: random.Random, now: dt.datetime) -> None:
        self.municipality = municipality
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        self.zone = timezone.get_current_timezone()
        role = (
            StaffRole.objects.filter(
                municipality=municipality, role__in=[StaffRole.Role.OFFICE, StaffRole.Role.ADMIN]
            )
            .select_related("user")
            .order_by("pk")
            .first()
        )
        self.office: User | None = role.user if role is not None else None
        self.pacts = list(
            Pact.objects.filter(
                municipality=municipality, status__in=SIGNED, start_date__isnull=False
            )
            .select_related("municipality", "commons", "category", "proponent")
            .order_by("start_date", "pk")
        )

    def moment(self, day: dt.date, hours: tuple[int, int] = (9, 20)) -> dt.datetime:
        naive = dt.datetime.combine(day, dt.time(self.rng.randint(*hours), self.rng.randint(0, 59)))
        return timezone.make_aware(naive, self.zone)

    def actor(self, pact: Pact) -> User | None:
        """The proponent, or the representative of the proponent organisation."""
        if can(pact.proponent, "pacts.edit_text", pact):
            return pact.proponent
        if pact.proponent_organisation_id is not None:
            membership = (
                Membership.objects.filter(
                    organisation_id=pact.proponent_organisation_id,
                    role=Membership.Role.REPRESENTATIVE,
                )
                .select_related("user")
                .order_by("pk")
                .first()
            )
            if membership is not None:
                return membership.user
        return None

    # 1. Programmes

    def programmes(self, seeds: Sequence[ProgrammeSeed]) -> None:
        rng = self.rng
        for item in seeds:
            if Programme.objects.filter(municipality=self.municipality, name=item.name).exists():
                continue
            programme = programme_create(
                actor=self.office,
                municipality=self.municipality,
                name=item.name,
                funder=item.funder,
                budget=Decimal(item.budget),
                start_date=item.start,
                end_date=item.end,
                description=item.description,
            )
            candidates = [
                pact
                for pact in self.pacts
                if pact.start_date is not None
                and item.start <= pact.start_date <= (item.end or self.today)
            ]
            if not candidates:
                continue
            count = max(1, round(len(candidates) * item.share))
            chosen = sorted(rng.sample(candidates, k=count), key=lambda p: p.pk)
            low, high = item.amounts
            amounts = []
            for pact in chosen:
                top = high if pact.complexity == Pact.Complexity.COMPLEX else (low + high) // 2
                amounts.append(Decimal(rng.randrange(low, top + 1, 100)))
            # Never more than the programme's budget.
            total = sum(amounts, Decimal("0"))
            if total > item.budget:
                scale = Decimal(item.budget) / total
                amounts = [
                    max(Decimal(low), (a * scale / HUNDRED).quantize(Decimal("1")) * HUNDRED)
                    for a in amounts
                ]
            for pact, amount in zip(chosen, amounts, strict=True):
                funding_set(actor=self.office, programme=programme, pact=pact, amount=amount)

    # 2. Activity log

    def activity(self, pact: Pact, actor: User) -> None:
        assert pact.start_date is not None
        rng = self.rng
        last = min(pact.end_date or self.today, self.today)
        first = max(pact.start_date, last - dt.timedelta(days=LOG_DAYS))
        if first > last:
            return
        theme = _theme(pact)
        choices = ACTIVITIES[theme] + COMMON_ACTIVITIES
        materials = MATERIALS[theme]
        month = first.replace(day=1)
        while month <= last:
            following = (month + dt.timedelta(days=32)).replace(day=1)
            span_start = max(first, month)
            span_end = min(last, following - dt.timedelta(days=1))
            days = (span_end - span_start).days + 1
            wanted = rng.randint(2, 4) * days / (following - month).days
            count = int(wanted) + (1 if rng.random() < wanted - int(wanted) else 0)
            offsets = sorted(rng.sample(range(days), k=min(count, days)))
            for offset in offsets:
                self.entry(pact, actor, span_start + dt.timedelta(days=offset), choices, materials)
            month = following

    def entry(
        self,
        pact: Pact,
        actor: User,
        day: dt.date,
        choices: Sequence[tuple[str, bool]],
        materials: Sequence[str],
    ) -> None:
        rng = self.rng
        text, public = rng.choice(choices)
        volunteers = rng.randint(1, 15) if public else rng.randint(1, 8)
        hours = Decimal(volunteers) * Decimal(rng.choice((1, 1.5, 2, 2.5, 3, 4)))
        hours = min(Decimal("30"), max(Decimal("2"), hours)).quantize(Decimal("0.01"))
        people = rng.randint(10, 120) if public else rng.choice((0, 0, 0, rng.randint(1, 15)))
        spent = _money(rng, 5, 500) if rng.random() < 0.15 else Decimal("0")
        raised = _money(rng, 20, 500) if public and rng.random() < 0.12 else Decimal("0")
        activity_log_add(
            actor=actor,
            pact=pact,
            date=day,
            activity=text,
            hours=hours,
            volunteers=volunteers,
            people_reached=people,
            materials=rng.choice(materials) if rng.random() < 0.4 else "",
            money_spent=spent,
            money_raised=raised,
            today=self.today,
        )

    # 3. Reports

    def reports(self, pact: Pact, actor: User, *, overdue: bool, send_back: bool) -> list[Report]:
        """Report on each ended period. ``overdue``: the last period gets no report;
        ``send_back``: the office asks for changes to the last one."""
        rng = self.rng
        periods = report_periods(pact, today=self.today)
        if pact.status not in LOGGED and pact.status_changed_at is not None:
            stopped = timezone.localtime(pact.status_changed_at).date()
            periods = [p for p in periods if p.end < stopped]
        if overdue and periods:
            periods = periods[:-1]
        made = []
        for index, period in enumerate(periods):
            final = index == len(periods) - 1
            submitted = self.moment(period.end + dt.timedelta(days=rng.randint(3, 28)))
            if submitted >= self.now:
                continue  # not yet written (still within the grace month)
            report = report_submit(
                actor=actor,
                pact=pact,
                period_start=period.start,
                at=submitted,
                **self.report_text(pact, period, final=final),
            )
            made.append(report)
            if self.office is None:
                continue
            if final and send_back:
                reviewed = self.moment(submitted.date() + dt.timedelta(days=rng.randint(2, 6)))
            else:
                reviewed = self.moment(submitted.date() + dt.timedelta(days=rng.randint(2, 30)))
            if reviewed <= submitted or reviewed >= self.now:
                continue  # waiting for the office
            if final and send_back:
                report_review(
                    actor=self.office,
                    report=report,
                    accept=False,
                    note=rng.choice(REVIEW_NOTES),
                    at=reviewed,
                )
            else:
                report_review(
                    actor=self.office,
                    report=report,
                    accept=True,
                    note=rng.choice(ACCEPT_NOTES),
                    at=reviewed,
                )
        return made

    def report_text(self, pact: Pact, period: Period, *, final: bool) -> dict[str, str]:
        rng = self.rng
        totals = period_totals(pact, period)
        if totals["activities"]:
            results = rng.choice(RESULTS).format(
                activities=totals["activities"],
                hours=f"{totals['hours']:.0f}",
                people=totals["people_reached"],
            )
        elif final and pact.status not in LOGGED:
            results = rng.choice(RESULTS_STOPPED)
        else:
            results = rng.choice(RESULTS_UNLOGGED)
        ended = pact.end_date is not None and period.end == pact.end_date
        next_steps = rng.choice(FINAL_STEPS if final and ended else NEXT_STEPS)
        return {"results": results, "problems": rng.choice(PROBLEMS), "next_steps": next_steps}

    def _last_end(self, pact: Pact) -> dt.date:
        """The end of the pact's last ended period (its start when none has ended)."""
        periods = report_periods(pact, today=self.today)
        assert pact.start_date is not None
        return periods[-1].end if periods else pact.start_date

    def run(self) -> None:
        rng = self.rng
        self.programmes(PROGRAMMES.get(self.municipality.slug, ()))
        actors = {pact.pk: self.actor(pact) for pact in self.pacts}
        for pact in self.pacts:
            actor = actors[pact.pk]
            if pact.status in LOGGED and actor is not None:
                self.activity(pact, actor)
        # A few running pacts have not reported on their last period; a few last reports are
        # sent back by the office.
        late = [
            p
            for p in self.pacts
            if p.status == S.ACTIVE
            and actors[p.pk] is not None
            and self._last_end(p) < self.today - dt.timedelta(days=35)
        ]
        overdue = set(rng.sample([p.pk for p in late], k=min(len(late), max(1, len(late) // 12))))
        others = [
            p
            for p in self.pacts
            if p.status in LOGGED and p.pk not in overdue and actors[p.pk] is not None
        ]
        send_back = set(
            rng.sample([p.pk for p in others], k=min(len(others), max(1, len(others) // 10)))
        )
        for pact in self.pacts:
            actor = actors[pact.pk]
            if actor is None:
                continue
            self.reports(pact, actor, overdue=pact.pk in overdue, send_back=pact.pk in send_back)


def seed(*, rng: random.Random) -> None:
    """Programmes, activity and reports of the cities that have pacts and no activity yet."""
    # One stream per city, drawn up front, so that a skipped city leaves the others unchanged.
    city_seeds = {slug: rng.randrange(2**32) for slug in PROGRAMMES}
    now = timezone.now()
    for slug, city_seed in city_seeds.items():
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            continue
        if not Pact.objects.filter(municipality=municipality).exists():
            continue
        if ActivityLog.objects.filter(pact__municipality=municipality).exists():
            continue
        _CitySeeder(municipality, random.Random(city_seed), now).run()
