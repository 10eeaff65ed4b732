"""Demo pacts of Torino, Reggio Emilia and Latina, made through the services.

Each pact is first planned as a timeline (the days of its steps, drawn from ``rng``), placed in
time so that it ends in the status it was given (a consultation still open, an active pact whose
end date is still ahead, a concluded one whose end date has passed…), and then every step of
every pact of a city is played in chronological order through ``cocity.pacts.services`` with
``at=`` in the past. Protocol numbers therefore follow the submission dates.

Services without an ``at`` parameter (invitations, observations, adhesions, opinions, meetings,
clause edits) stamp their event with the current time: the seed moves those events, and the
rows' own timestamps, back to the planned moment.

A municipality that already has pacts is left as it is."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify
from pypdf import PdfWriter

from cocity.accounts.models import Membership, Organisation, StaffRole, User
from cocity.accounts.services import staff_role_grant, user_create
from cocity.commons.models import Commons
from cocity.core import geo
from cocity.municipalities.models import Municipality
from cocity.pacts import services, workflow
from cocity.pacts.models import (
    Adhesion,
    Category,
    ClauseVersion,
    Observation,
    Opinion,
    Pact,
    PactEvent,
    Party,
    Status,
)
from cocity.seeding import italian
from cocity.seeding.accounts import DEMO_PASSWORD

S = Status
K = Commons.Kind
PLACE = "place"  # a proposal on a place not in the catalogue
ORDINARY, COMPLEX = Pact.Complexity.ORDINARY, Pact.Complexity.COMPLEX
FIRST_DAY = dt.date(2017, 1, 16)  # the first demo proposals


def _signed_pdf() -> bytes:
    """The file the demo's parties "sign with a qualified signature": a one-page PDF that
    opens, as the upload check requires (a demo signature, not a real one)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Patto di collaborazione (firma dimostrativa)"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


SIGNED_PDF = _signed_pdf()
SIGNED = (S.ACTIVE, S.SUSPENDED, S.CONCLUDED, S.TERMINATED)


# --- What each city gets ------------------------------------------------------------------


@dataclass(frozen=True)
class CityPacts:
    slug: str
    categories: tuple[tuple[str, str], ...]  # name, description
    kind_categories: Mapping[str, tuple[int, ...]]  # commons kind -> indexes of categories
    complex_category: int
    statuses: Mapping[str, int]  # target status -> number of pacts
    renewals: tuple[str, ...]  # target status of each renewal of a concluded pact
    staff: Mapping[str, tuple[str, str]]  # role -> (e-mail, name), created when missing
    town_hall: str
    citizens: tuple[str, ...]  # e-mails of the people proposing and taking part
    organisations: tuple[str, ...]  # organisations proposing through their representative
    complex_share: float = 0.12
    password_signatures: int = 2  # signatures in the platform (slow hasher); the rest upload a file


TURIN_STATUSES: dict[str, int] = {
    S.DRAFT: 36,
    S.SUBMITTED: 12,
    S.INCOMPLETE: 12,
    S.CONSULTATION: 12,
    S.EVALUATION: 14,
    S.CO_DESIGN: 16,
    S.AWAITING_APPROVAL: 6,
    S.AWAITING_SIGNATURE: 10,
    S.ACTIVE: 44,
    S.SUSPENDED: 6,
    S.CONCLUDED: 30,
    S.TERMINATED: 7,
    S.REJECTED: 36,
    S.WITHDRAWN: 24,
    S.ARCHIVED: 14,
}
SMALL_CITY_STATUSES: dict[str, int] = {
    S.DRAFT: 3,
    S.SUBMITTED: 2,
    S.INCOMPLETE: 2,
    S.CONSULTATION: 2,
    S.EVALUATION: 2,
    S.CO_DESIGN: 2,
    S.AWAITING_APPROVAL: 1,
    S.AWAITING_SIGNATURE: 2,
    S.ACTIVE: 8,
    S.SUSPENDED: 1,
    S.CONCLUDED: 5,
    S.TERMINATED: 1,
    S.REJECTED: 4,
    S.WITHDRAWN: 2,
    S.ARCHIVED: 2,
}


def _citizens(*numbers: int) -> tuple[str, ...]:
    return tuple(f"cittadino{n:02d}@example.org" for n in numbers)


CITIES = (
    CityPacts(
        slug="torino",
        categories=(
            (
                "Cura dello spazio pubblico",
                "Pulizia, piccola manutenzione e animazione di piazze, strade, giardini e aiuole.",
            ),
            (
                "Rigenerazione di un edificio",
                "Recupero e gestione condivisa di un immobile della Città, anche con lavori.",
            ),
            (
                "Uso di uno spazio sottoutilizzato",
                "Apertura al quartiere di locali, impianti e spazi oggi poco o per nulla usati.",
            ),
            (
                "Attività culturali e sociali",
                "Iniziative culturali, educative e di inclusione ospitate in un bene comune.",
            ),
            (
                "Orti e verde condiviso",
                "Orti urbani, giardini condivisi e cura partecipata del verde pubblico.",
            ),
        ),
        kind_categories={
            K.GREEN_AREA: (4, 4, 0),
            K.SQUARE_STREET: (0,),
            K.BUILDING: (2, 2, 1),
            K.SCHOOL: (3, 0),
            K.SPORTS_FACILITY: (2, 3),
            K.IMMATERIAL: (3,),
            PLACE: (0, 0, 4),
        },
        complex_category=1,
        statuses=TURIN_STATUSES,
        renewals=(S.ACTIVE, S.ACTIVE, S.ACTIVE, S.AWAITING_SIGNATURE, S.CO_DESIGN),
        staff={
            StaffRole.Role.OFFICE: ("ufficio.torino@example.org", "Ufficio Beni Comuni Torino"),
            StaffRole.Role.MANAGER: ("dirigente.torino@example.org", "Laura Ferrero"),
            StaffRole.Role.EXECUTIVE: ("giunta.torino@example.org", "Paolo Gallo"),
        },
        town_hall="Palazzo Civico, piazza Palazzo di Città 1",
        citizens=("cittadina@example.org", *_citizens(*range(1, 13))),
        organisations=(
            "Associazione Amici della Dora",
            "Associazione Amici della Dora",
            "Comitato di quartiere Borgo Vittoria",
            "Istituto Comprensivo Regio Parco",
            "Cooperativa Sociale Il Ponte",
        ),
        password_signatures=4,
    ),
    CityPacts(
        slug="reggio-emilia",
        categories=(
            (
                "Cura del verde e degli spazi pubblici",
                "Giardini, aiuole, piazze e strade curati insieme dai residenti.",
            ),
            (
                "Gestione condivisa di immobili",
                "Centri sociali, case di quartiere e locali comunali aperti alla comunità.",
            ),
            (
                "Welfare e coesione di quartiere",
                "Attività di prossimità, mutuo aiuto e inclusione nei quartieri.",
            ),
            (
                "Scuola e comunità educante",
                "Scuole aperte al quartiere, cortili, orti didattici e doposcuola.",
            ),
            ("Cultura e memoria", "Archivi, feste, racconti e patrimonio immateriale della città."),
        ),
        kind_categories={
            K.GREEN_AREA: (0,),
            K.SQUARE_STREET: (0, 2),
            K.BUILDING: (1, 2),
            K.SCHOOL: (3,),
            K.SPORTS_FACILITY: (2, 1),
            K.IMMATERIAL: (4,),
            PLACE: (0,),
        },
        complex_category=1,
        statuses=SMALL_CITY_STATUSES,
        renewals=(S.ACTIVE,),
        staff={
            StaffRole.Role.OFFICE: (
                "ufficio.reggio@example.org",
                "Ufficio Città Collaborativa Reggio Emilia",
            ),
            StaffRole.Role.MANAGER: ("dirigente.reggio@example.org", "Stefano Incerti"),
            StaffRole.Role.EXECUTIVE: ("giunta.reggio@example.org", "Elena Davoli"),
        },
        town_hall="Municipio, piazza Prampolini 1",
        citizens=_citizens(*range(5, 13)),
        organisations=("Orti Condivisi Reggiani APS",),
    ),
    CityPacts(
        slug="latina",
        categories=(
            (
                "Cura e decoro urbano",
                "Pulizia e cura di piazze, strade, sottopassi e spazi pubblici.",
            ),
            (
                "Verde pubblico e orti",
                "Aiuole, filari, giardini e orti urbani curati dai cittadini.",
            ),
            (
                "Riuso di immobili inutilizzati",
                "Immobili comunali dismessi riaperti per attività sociali e culturali.",
            ),
            (
                "Cultura, sport e socialità",
                "Feste, memoria, sport di base e attività aperte a tutti.",
            ),
        ),
        kind_categories={
            K.GREEN_AREA: (1,),
            K.SQUARE_STREET: (0,),
            K.BUILDING: (2,),
            K.SCHOOL: (3, 0),
            K.SPORTS_FACILITY: (3,),
            K.IMMATERIAL: (3,),
            PLACE: (0, 1),
        },
        complex_category=2,
        statuses=SMALL_CITY_STATUSES,
        renewals=(S.CO_DESIGN,),
        staff={
            StaffRole.Role.OFFICE: ("ufficio.latina@example.org", "Ufficio Beni Comuni Latina"),
            StaffRole.Role.MANAGER: ("dirigente.latina@example.org", "Roberto Lombardi"),
            StaffRole.Role.EXECUTIVE: ("giunta.latina@example.org", "Francesca Pontecorvo"),
        },
        town_hall="Palazzo comunale, piazza del Popolo 1",
        citizens=_citizens(*range(1, 9)),
        organisations=("Gruppo informale Latina Scalo Pulita",),
    ),
)

# Kinds of commons proposals are about (the rest are on a new place).
KIND_WEIGHTS = (
    (K.GREEN_AREA, 34),
    (K.SQUARE_STREET, 15),
    (K.BUILDING, 18),
    (K.SCHOOL, 11),
    (K.SPORTS_FACILITY, 9),
    (K.IMMATERIAL, 3),
    (PLACE, 10),
)


# --- Italian text ---------------------------------------------------------------------------

TITLES: Mapping[str, tuple[str, ...]] = {
    K.GREEN_AREA: (
        "Cura {of}",
        "Adozione {of}",
        "Custodi {of}",
        "Pulizia e piccola manutenzione {of}",
        "{Name}: cura del verde e feste di quartiere",
        "Un orto di comunità: {name}",
        "Piantumazione e cura {of}",
    ),
    K.SQUARE_STREET: (
        "Cura e animazione {of}",
        "Decoro e pulizia {of}",
        "{Name} in festa",
        "Fioriere e arredi per {the}",
        "Street art e cura {of}",
        "Giochi di strada: {name}",
    ),
    K.BUILDING: (
        "Riapertura {of} come spazio di quartiere",
        "Rigenerazione {of}",
        "Gestione condivisa {of}",
        "Uso temporaneo {of} per attività culturali",
        "Un laboratorio di comunità: {name}",
        "Spazio aperto: {name}",
    ),
    K.SCHOOL: (
        "Scuola aperta: {name}",
        "Cura degli spazi esterni {of}",
        "Orto didattico {of}",
        "Pomeriggi aperti {of}",
        "Colori nuovi per {the}",
    ),
    K.SPORTS_FACILITY: (
        "Gestione condivisa {of}",
        "Sport per tutti: {name}",
        "Cura e riapertura {of}",
        "Tornei di quartiere e cura {of}",
    ),
    K.IMMATERIAL: (
        "Custodire {the}",
        "Racconti e laboratori: {name}",
        "{Name}: raccolta e diffusione",
    ),
    PLACE: (
        "Cura {of}",
        "Da spazio abbandonato a luogo di incontro: {name}",
        "Colori per {the}",
        "Adozione {of}",
    ),
}
COMPLEX_TITLES = (
    "Rigenerazione {of}",
    "Riapertura {of} come casa di quartiere",
    "Recupero e gestione condivisa {of}",
    "Un nuovo centro civico: {name}",
)
PLACE_NAMES = (
    "Area incolta di {street}",
    "Aiuola spartitraffico di {street}",
    "Muro di cinta di {street}",
    "Scalinata di {street}",
    "Fioriere di {street}",
    "Rotonda di {street}",
    "Area giochi di {street}",
)
OBJECTIVES: Mapping[str, tuple[str, ...]] = {
    K.GREEN_AREA: (
        "Mantenere pulito e accogliente {the}, con sfalci, raccolta dei rifiuti e cura delle "
        "aiuole.",
        "Coinvolgere le famiglie e le scuole del quartiere nella cura del verde.",
        "Creare un piccolo orto condiviso aperto a chi abita vicino.",
        "Rendere il giardino un luogo di incontro sicuro, anche nelle ore serali.",
        "Contrastare l'abbandono di rifiuti e le deiezioni canine non raccolte.",
    ),
    K.SQUARE_STREET: (
        "Pulire regolarmente e abbellire lo spazio con fioriere curate dai residenti.",
        "Organizzare momenti di socialità aperti a tutti, in particolare a bambini e anziani.",
        "Ridurre il degrado e le scritte vandaliche sui muri.",
        "Rendere più vivibile lo spazio per chi lo attraversa a piedi.",
    ),
    K.BUILDING: (
        "Riaprire al quartiere spazi oggi chiusi e inutilizzati.",
        "Ospitare corsi, laboratori e attività gratuite per tutte le età.",
        "Recuperare gli ambienti con piccoli lavori di manutenzione svolti da volontari.",
        "Creare un punto di riferimento per le associazioni della zona.",
        "Offrire uno spazio per lo studio e il doposcuola.",
    ),
    K.SCHOOL: (
        "Aprire il cortile della scuola al quartiere nel pomeriggio e nei fine settimana.",
        "Coinvolgere genitori e insegnanti nella cura degli spazi esterni.",
        "Realizzare un orto didattico curato da alunni e famiglie.",
        "Ridipingere aule e corridoi insieme alle famiglie.",
    ),
    K.SPORTS_FACILITY: (
        "Riaprire l'impianto a ragazze e ragazzi del quartiere, gratuitamente.",
        "Organizzare tornei e giornate di sport per tutti.",
        "Curare la piccola manutenzione di campi, reti e spogliatoi.",
        "Fare dello sport un'occasione di inclusione.",
    ),
    K.IMMATERIAL: (
        "Raccogliere e rendere accessibili racconti, fotografie e documenti.",
        "Trasmettere alle nuove generazioni la memoria del quartiere.",
        "Organizzare incontri, letture e mostre aperte a tutti.",
    ),
    PLACE: (
        "Restituire al quartiere uno spazio oggi trascurato.",
        "Pulire l'area e renderla accogliente con piante e panchine.",
        "Coinvolgere i residenti della via nella cura dello spazio.",
    ),
}
ACTIVITIES: Mapping[str, tuple[str, ...]] = {
    K.GREEN_AREA: (
        "pulizia e raccolta dei rifiuti ogni sabato mattina",
        "sfalcio dell'erba nelle aiuole e cura delle siepi",
        "piantumazione di fiori e piccoli arbusti",
        "annaffiatura nei mesi estivi, con turni tra i volontari",
        "una festa di quartiere in primavera",
        "laboratori di giardinaggio per bambini",
        "una bacheca per le comunicazioni ai residenti",
    ),
    K.SQUARE_STREET: (
        "pulizia settimanale della piazza e dei marciapiedi",
        "posa e cura di fioriere",
        "rimozione delle scritte vandaliche",
        "un mercatino del riuso una domenica al mese",
        "giochi di strada per bambini",
        "cinema all'aperto nelle sere d'estate",
    ),
    K.BUILDING: (
        "piccola manutenzione e tinteggiatura dei locali",
        "apertura al pubblico tre pomeriggi a settimana",
        "corsi di italiano per stranieri",
        "doposcuola gratuito",
        "sala prove e laboratori musicali",
        "una biblioteca di quartiere con libri donati",
        "uno sportello di ascolto per le famiglie",
    ),
    K.SCHOOL: (
        "apertura del cortile il sabato mattina",
        "cura dell'orto didattico con le classi",
        "tinteggiatura delle aule durante l'estate",
        "giochi dipinti a terra nel cortile",
        "laboratori pomeridiani con i genitori",
    ),
    K.SPORTS_FACILITY: (
        "apertura gratuita del campo nei pomeriggi feriali",
        "tornei di quartiere",
        "manutenzione delle reti e delle porte",
        "pulizia degli spogliatoi",
        "corsi di avviamento allo sport per bambini",
    ),
    K.IMMATERIAL: (
        "raccolta di interviste e fotografie",
        "digitalizzazione dei documenti",
        "passeggiate di quartiere con racconti",
        "una mostra ogni anno",
        "pubblicazione online dei materiali con licenza aperta",
    ),
    PLACE: (
        "pulizia e rimozione dei rifiuti abbandonati",
        "posa di fioriere e panchine",
        "piantumazione di arbusti",
        "un murale realizzato con i ragazzi del quartiere",
        "una giornata di festa all'inaugurazione",
    ),
}
SUPPORT_REQUESTS: Mapping[str, str] = {
    K.GREEN_AREA: "Attrezzi da giardinaggio, sacchi e guanti; ritiro dei rifiuti raccolti; "
    "copertura assicurativa dei volontari.",
    K.SQUARE_STREET: "Fioriere e materiali per la pulizia; esenzione dal canone di occupazione "
    "del suolo pubblico per gli eventi.",
    K.BUILDING: "Uso gratuito dei locali; vernici e materiali per la manutenzione; verifica "
    "degli impianti da parte del Comune.",
    K.SCHOOL: "Materiali per l'orto e per la tinteggiatura; apertura del cortile concordata "
    "con la dirigenza scolastica.",
    K.SPORTS_FACILITY: "Uso gratuito dell'impianto negli orari concordati; reti e porte nuove.",
    K.IMMATERIAL: "Una sala per gli incontri; spazio sul sito del Comune per pubblicare i "
    "materiali.",
    PLACE: "Pulizia straordinaria iniziale; piante, terriccio e vernici; ritiro dei rifiuti.",
}
REQUEST_NOTES = (
    "Per completare la proposta servono una planimetria dell'area e l'elenco dei volontari con "
    "i turni previsti.",
    "Indicate con precisione quali attività si svolgeranno e in quali giorni e orari.",
    "Manca la descrizione dei materiali chiesti al Comune, con una stima delle quantità.",
    "Allegate il verbale dell'assemblea dell'associazione che approva la proposta.",
    "Precisate come saranno coinvolti i residenti e come li informerete delle attività.",
)
REJECT_NOTES = (
    "L'area è interessata da un progetto di riqualificazione già finanziato: non è possibile "
    "affidarla in cura.",
    "La proposta prevede attività commerciali non compatibili con il Regolamento dei beni comuni.",
    "L'immobile non è agibile e i lavori necessari superano le forme di sostegno previste.",
    "Sullo stesso bene è già attivo un patto con obiettivi analoghi: vi invitiamo ad aderirvi.",
    "Le attività proposte richiedono autorizzazioni che il patto non può sostituire.",
)
ARCHIVE_NOTES = (
    "Nessuna risposta alla richiesta di integrazione entro i termini.",
    "Il proponente non ha inviato le integrazioni richieste: la proposta è archiviata.",
    "Nessun riscontro dal proponente dopo due solleciti.",
)
WITHDRAW_NOTES = (
    "Il gruppo di volontari non è più in grado di garantire le attività.",
    "Abbiamo trovato un altro spazio più adatto alle nostre attività.",
    "",
    "",
)
SUSPEND_NOTES = (
    "Sospeso per lavori urgenti di manutenzione straordinaria dell'area.",
    "Sospeso in attesa di chiarimenti dopo alcune segnalazioni dei residenti sugli orari delle "
    "attività.",
    "Sospeso per la verifica delle condizioni di sicurezza dell'immobile.",
)
TERMINATE_NOTES = (
    "Risoluzione per grave inadempimento: le attività previste non si svolgono da oltre sei mesi.",
    "Recesso comunicato dal proponente con preavviso di trenta giorni.",
    "Risoluzione per sopravvenuti motivi di interesse pubblico: l'area è destinata a un cantiere.",
)
OBSERVATIONS = (
    "Ottima idea: abito di fronte e sarei felice di vedere lo spazio curato.",
    "Chiedo che le attività serali finiscano entro le 22, per rispetto di chi abita sopra.",
    "Suggerisco di coinvolgere anche la scuola vicina: i ragazzi potrebbero dare una mano.",
    "Attenzione alle radici degli alberi: meglio evitare scavi vicino ai tronchi.",
    "Sarebbe utile una rastrelliera per le biciclette.",
    "Favorevole, ma servono più cestini per i rifiuti.",
    "Propongo di prevedere anche attività per gli anziani del quartiere.",
    "Lo spazio è usato anche da chi porta a spasso il cane: lasciamo un'area per loro.",
    "Bene, purché l'accesso resti libero a tutti e non diventi uno spazio privato.",
    "Posso mettere a disposizione alcune piante del mio terrazzo.",
)
HIDE_REASONS = (
    "Conteneva dati personali di un'altra persona.",
    "Conteneva espressioni offensive verso altri residenti.",
)
OFFERS = (
    "Posso dare una mano il sabato mattina con la pulizia.",
    "Metto a disposizione la mia esperienza di giardiniere.",
    "Posso occuparmi della comunicazione e della pagina del gruppo.",
    "Sono un'insegnante in pensione: posso seguire i laboratori con i bambini.",
    "Ho un furgone e posso aiutare a trasportare i materiali.",
    "Posso annaffiare nei mesi estivi, abito a due passi.",
)
OPINION_QUESTIONS = (
    "Ci sono lavori programmati o vincoli che rendono il bene incompatibile con le attività "
    "proposte?",
    "Le attività proposte sono compatibili con l'uso attuale del bene e con la sua "
    "manutenzione ordinaria?",
    "Servono prescrizioni di sicurezza per le attività dei volontari?",
)
OPINION_ANSWERS_YES = (
    "Parere favorevole: nessun intervento programmato nei prossimi due anni.",
    "Parere favorevole, con l'indicazione di non usare attrezzi a motore senza formazione.",
    "Favorevole. Le attività vanno concordate con il servizio di manutenzione ordinaria.",
)
OPINION_ANSWERS_NO = (
    "Parere non favorevole: il bene è inserito in un progetto di riqualificazione.",
    "Parere non favorevole: le attività proposte non sono compatibili con i vincoli esistenti.",
)
MEETING_MINUTES = (
    "Sopralluogo sul posto: concordati gli interventi prioritari e i turni dei volontari.",
    "Discussi gli impegni delle parti e le forme di sostegno; il Comune verifica i costi dei "
    "materiali.",
    "Rivisto il testo del patto articolo per articolo; restano da definire gli orari di apertura.",
    "Incontro con i residenti: raccolte proposte sulle attività e sugli orari.",
)
PROPONENT_COMMITMENTS: Mapping[str, tuple[str, ...]] = {
    K.GREEN_AREA: (
        "Pulire l'area ogni settimana e segnalare al Comune guasti e danni.",
        "Curare aiuole e siepi secondo il calendario concordato con il settore Verde.",
        "Annaffiare le nuove piantumazioni nei mesi estivi.",
    ),
    K.SQUARE_STREET: (
        "Pulire la piazza e i marciapiedi una volta alla settimana.",
        "Curare le fioriere e sostituire le piante secche.",
        "Organizzare almeno due eventi all'anno aperti a tutti.",
    ),
    K.BUILDING: (
        "Tenere aperti i locali almeno tre pomeriggi a settimana.",
        "Eseguire la piccola manutenzione e la pulizia dei locali.",
        "Garantire l'accesso gratuito alle attività per tutti i residenti.",
    ),
    K.SCHOOL: (
        "Aprire il cortile il sabato mattina con almeno due adulti responsabili.",
        "Curare l'orto didattico insieme alle classi.",
    ),
    K.SPORTS_FACILITY: (
        "Aprire l'impianto gratuitamente nei pomeriggi feriali.",
        "Curare la pulizia degli spogliatoi e segnalare i guasti.",
    ),
    K.IMMATERIAL: (
        "Pubblicare i materiali raccolti con licenza aperta.",
        "Organizzare almeno quattro incontri pubblici all'anno.",
    ),
    PLACE: (
        "Pulire l'area ogni due settimane e rimuovere i rifiuti abbandonati.",
        "Curare le piante e le fioriere posate.",
    ),
}
COMMON_COMMITMENTS = (
    "Redigere la relazione periodica sulle attività svolte.",
    "Rispettare gli orari concordati con i residenti.",
    "Custodire gli attrezzi ricevuti e restituirli alla scadenza del patto.",
)
CITY_COMMITMENTS = (
    "Fornire i materiali e gli attrezzi elencati tra le forme di sostegno.",
    "Ritirare i rifiuti raccolti entro 48 ore dalla segnalazione.",
    "Attivare la copertura assicurativa per i volontari.",
    "Far conoscere le attività sui canali di comunicazione del Comune.",
    "Eseguire le verifiche tecniche necessarie prima dell'avvio delle attività.",
)
CO_SIGNATORY_COMMITMENTS = (
    "Coordinare i turni dei volontari del sabato.",
    "Curare la comunicazione con i residenti dei palazzi vicini.",
    "Seguire i laboratori con i bambini.",
)
SUPPORT_KINDS: Mapping[str, tuple[str, ...]] = {
    K.GREEN_AREA: ("materials", "tools", "insurance"),
    K.SQUARE_STREET: ("materials", "fee_exemption", "tools"),
    K.BUILDING: ("free_use", "materials", "insurance", "staff"),
    K.SCHOOL: ("materials", "tools", "training"),
    K.SPORTS_FACILITY: ("free_use", "tools", "insurance"),
    K.IMMATERIAL: ("training", "staff", "funding"),
    PLACE: ("materials", "tools", "insurance"),
}
SUPPORTS: Mapping[str, tuple[tuple[str, ...], int, int]] = {
    # kind: (descriptions, lowest and highest estimated value in euro)
    "free_use": (
        ("Comodato d'uso gratuito dei locali", "Uso gratuito dell'impianto negli orari concordati"),
        1200,
        18000,
    ),
    "materials": (
        (
            "Vernici, sacchi e materiali di consumo",
            "Terriccio, piantine e pacciamatura",
            "Fioriere e materiali per l'arredo",
        ),
        150,
        3000,
    ),
    "tools": (
        ("Attrezzi da giardinaggio in comodato", "Kit per la pulizia: pinze, scope e carrelli"),
        100,
        1500,
    ),
    "training": (
        ("Corso sulla sicurezza per i volontari", "Formazione sull'uso degli attrezzi"),
        200,
        800,
    ),
    "insurance": (
        ("Copertura assicurativa dei volontari (infortuni e responsabilità civile)",),
        150,
        900,
    ),
    "fee_exemption": (
        ("Esenzione dal canone di occupazione del suolo pubblico per gli eventi",),
        200,
        4000,
    ),
    "funding": (
        ("Contributo per i lavori di adeguamento", "Contributo per le attività del primo anno"),
        2000,
        30000,
    ),
    "staff": (
        (
            "Supporto tecnico del Comune per i sopralluoghi",
            "Presenza di un operatore comunale alle riunioni",
        ),
        500,
        5000,
    ),
}
CLAUSE_ADDITIONS = (
    (
        "commitments",
        "I volontari si ritrovano di norma il sabato mattina; il calendario delle "
        "attività è pubblicato sulla piattaforma.",
    ),
    ("monitoring", "La relazione è accompagnata da alcune fotografie delle attività svolte."),
    (
        "risk",
        "Per l'uso di attrezzi a motore è necessario aver seguito il corso sulla sicurezza "
        "organizzato dal Comune.",
    ),
)


# --- Plans ----------------------------------------------------------------------------------


@dataclass
class _Item:
    """A step of a pact's timeline: ``day`` is first an offset from the pact's first day, then
    (after ``_place``) a date."""

    day: Any
    kind: str
    who: str  # citizen, office or boss: the hours they work
    main: bool  # a change of status (never dropped) or an extra (dropped if in the future)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Plan:
    index: int
    target: str
    complexity: str
    proponent: User
    organisation: Organisation | None
    kind: str
    commons: Commons | None
    duration: int
    leave: str = ""  # where a withdrawn or archived proposal stopped
    co_signatory: User | None = None
    co_sign_in_draft: bool = False
    recent: bool = False
    renewal_of: _Plan | None = None
    renewed_by: _Plan | None = None
    conclude_on: dt.date | None = None
    password: bool = False  # the proponent signs in the platform
    fields: dict[str, Any] = field(default_factory=dict)
    items: list[_Item] = field(default_factory=list)
    pact: Pact | None = None
    adhesions: list[Adhesion] = field(default_factory=list)
    opinions: list[Opinion] = field(default_factory=list)


class _Timeline:
    def __init__(self, rng: random.Random, start: int = 0) -> None:
        self.rng = rng
        self.day = start
        self.items: list[_Item] = []

    def main(self, day: int, kind: str, who: str, **data: Any) -> int:
        assert day > self.day or not self.items, (kind, day, self.day)
        self.day = day
        self.items.append(_Item(day, kind, who, True, data))
        return day

    def after(self, low: int, high: int) -> int:
        return self.day + self.rng.randint(low, high)

    def aside(self, low: int, high: int, kind: str, who: str, **data: Any) -> int | None:
        """An extra step strictly between the days ``low`` and ``high``."""
        if high - low < 2:
            return None
        day = self.rng.randint(low + 1, high - 1)
        self.items.append(_Item(day, kind, who, False, data))
        return day


class _CitySeeder:
    def __init__(
        self, config: CityPacts, municipality: Municipality, rng: random.Random, now: dt.datetime
    ) -> None:
        self.config = config
        self.municipality = municipality
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        self.last_day = self.today - dt.timedelta(days=1)
        self.zone = timezone.get_default_timezone()
        roles = StaffRole.Role
        self.office = _staff_user(municipality, roles.OFFICE, *config.staff[roles.OFFICE])
        self.manager = _staff_user(municipality, roles.MANAGER, *config.staff[roles.MANAGER])
        self.executive = _staff_user(municipality, roles.EXECUTIVE, *config.staff[roles.EXECUTIVE])
        department = (
            StaffRole.objects.filter(municipality=municipality, role=roles.DEPARTMENT)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        self.department = (department.user, department.department) if department else None
        self.categories = [
            _category(municipality, name, description, position)
            for position, (name, description) in enumerate(config.categories)
        ]
        self.commons: dict[str, list[Commons]] = {}
        for commons in Commons.objects.filter(municipality=municipality).order_by("name", "pk"):
            self.commons.setdefault(commons.kind, []).append(commons)
        self.streets = self._streets()
        self.citizens = [
            user
            for email in config.citizens
            if (user := User.objects.filter(email=email).first()) is not None
        ]
        self.organisations: list[tuple[Organisation, User]] = []
        for name in config.organisations:
            organisation = Organisation.objects.filter(name=name).first()
            membership = (
                (
                    Membership.objects.filter(
                        organisation=organisation, role=Membership.Role.REPRESENTATIVE
                    )
                    .select_related("user")
                    .order_by("pk")
                    .first()
                )
                if organisation
                else None
            )
            if organisation is not None and membership is not None:
                self.organisations.append((organisation, membership.user))
        self.passwords_left = config.password_signatures

    # --- Setup ----------------------------------------------------------------------------

    def _streets(self) -> list[tuple[str, float, float]]:
        """Streets of the catalogue, each with a point of a commons on it."""
        streets: dict[str, tuple[float, float]] = {}
        for commons in (item for group in self.commons.values() for item in group):
            if commons.lon is None or commons.lat is None or not commons.address:
                continue
            if "angolo" in commons.address:
                continue
            street = re.sub(r"\s+\d+\S*(\s+\d+)?$", "", commons.address).strip()
            streets.setdefault(street, (commons.lon, commons.lat))
        return [(street, lon, lat) for street, (lon, lat) in sorted(streets.items())]

    def _place(self) -> tuple[str, float, float]:
        street, lon, lat = self.rng.choice(self.streets)
        name = self.rng.choice(PLACE_NAMES).format(street=street)
        boundary = self.municipality.boundary
        for _ in range(10):
            x = round(lon + self.rng.uniform(-0.002, 0.002), 6)
            y = round(lat + self.rng.uniform(-0.0015, 0.0015), 6)
            if not boundary or geo.contains(boundary, x, y):
                return name, x, y
        return name, lon, lat

    # --- Who, what, when ----------------------------------------------------------------------

    def plans(self) -> list[_Plan]:
        rng = self.rng
        targets = [status for status, count in self.config.statuses.items() for _ in range(count)]
        demo: list[str] = []
        giulia = User.objects.filter(email="cittadina@example.org").first()
        if self.config.slug == "torino" and giulia is not None:
            # The demo citizen finds a draft, a proposal to complete and an active pact.
            for status in (S.DRAFT, S.INCOMPLETE, S.ACTIVE):
                targets.remove(status)
                demo.append(status)
        rng.shuffle(targets)
        plans: list[_Plan] = []
        for wanted in demo:
            assert giulia is not None
            plan = self._plan(len(plans), wanted, proponent=(giulia, None), kind=K.GREEN_AREA)
            plan.recent = True
            plan.password = wanted == S.ACTIVE
            plans.append(plan)
        for target in targets:
            plans.append(self._plan(len(plans), target))
        # Renewals: a concluded pact renewed by the office, and the renewal's own path.
        concluded = [plan for plan in plans if plan.target == S.CONCLUDED]
        for old, renewal_target in zip(concluded, self.config.renewals, strict=False):
            old.complexity = ORDINARY
            old.duration = rng.choice((12, 12, 24))
            renewal = _Plan(
                index=len(plans),
                target=renewal_target,
                complexity=ORDINARY,
                proponent=old.proponent,
                organisation=old.organisation,
                kind=old.kind,
                commons=old.commons,
                duration=old.duration,
                renewal_of=old,
            )
            old.renewed_by = renewal
            plans.append(renewal)
        # The demo association shows a running pact with a co-signatory.
        if self.config.slug == "torino":
            for plan in plans:
                if (
                    plan.target == S.ACTIVE
                    and plan.organisation is not None
                    and plan.organisation.name == "Associazione Amici della Dora"
                ):
                    plan.password = True
                    if plan.co_signatory is None:
                        others = [c for c in self.citizens if c.pk != plan.proponent.pk]
                        plan.co_signatory = rng.choice(others)
                        plan.co_sign_in_draft = True
                    break
        return plans

    def _plan(
        self,
        index: int,
        target: str,
        *,
        proponent: tuple[User, Organisation | None] | None = None,
        kind: str | None = None,
    ) -> _Plan:
        rng = self.rng
        config = self.config
        municipality = self.municipality
        if proponent is None:
            if self.organisations and rng.random() < 0.3:
                organisation, user = rng.choice(self.organisations)
                proponent = (user, organisation)
            else:
                proponent = (rng.choice(self.citizens), None)
        complexity = (
            COMPLEX
            if (
                target == S.AWAITING_APPROVAL
                or (
                    target not in (S.DRAFT, S.SUBMITTED, S.INCOMPLETE)
                    and rng.random() < config.complex_share
                )
            )
            else ORDINARY
        )
        if kind is None:
            if complexity == COMPLEX:
                kind = rng.choice((K.BUILDING, K.BUILDING, K.BUILDING, K.SPORTS_FACILITY))
            else:
                kind = rng.choices(
                    [k for k, _ in KIND_WEIGHTS], weights=[w for _, w in KIND_WEIGHTS]
                )[0]
        if kind != PLACE and not self.commons.get(kind):
            kind = PLACE
        if kind == PLACE and not self.streets:
            kind = next(k for k, group in self.commons.items() if group)
        commons = rng.choice(self.commons[kind]) if kind != PLACE else None
        if complexity == COMPLEX:
            choices = [m for m in (36, 48, 60, 72, 108) if m <= municipality.complex_max_months]
        else:
            choices = [
                m for m in (6, 12, 12, 12, 18, 24, 24, 36) if m <= municipality.ordinary_max_months
            ]
        duration = rng.choice(choices or [1])
        plan = _Plan(
            index=index,
            target=target,
            complexity=complexity,
            proponent=proponent[0],
            organisation=proponent[1],
            kind=kind,
            commons=commons,
            duration=duration,
        )
        if target == S.WITHDRAWN:
            plan.leave = rng.choice(
                (S.SUBMITTED, S.SUBMITTED, S.CONSULTATION, S.EVALUATION, S.CO_DESIGN, S.CO_DESIGN)
            )
            if plan.leave == S.CONSULTATION and self._skips(plan):
                plan.leave = S.EVALUATION
        elif target == S.ARCHIVED:
            plan.leave = rng.choice((S.INCOMPLETE, S.INCOMPLETE, S.INCOMPLETE, S.EVALUATION))
        if rng.random() < 0.18:
            others = [c for c in self.citizens if c.pk != plan.proponent.pk]
            if others:
                plan.co_signatory = rng.choice(others)
                plan.co_sign_in_draft = rng.random() < 0.5
        return plan

    def _skips(self, plan: _Plan) -> bool:
        return bool(
            self.municipality.simple_pacts_skip_consultation and plan.complexity == ORDINARY
        )

    # --- Timelines --------------------------------------------------------------------------

    def timeline(self, plan: _Plan) -> list[_Item]:
        """The steps of a new proposal, as offsets in days from its creation: the actions of
        ``workflow.path`` to the plan's status (``_walk``), and the steps aside."""
        rng = self.rng
        target = plan.target
        t = _Timeline(rng)
        t.main(0, "create", "citizen")
        submit = t.after(3, 35)
        if plan.co_signatory is not None and plan.co_sign_in_draft:
            t.aside(0, submit, "invite", "citizen")
        asked = (target == S.ARCHIVED and plan.leave == S.INCOMPLETE) or rng.random() < 0.15
        skips = self._skips(plan) and rng.random() < 0.7
        actions = self._path(plan, asked_info=asked, skips=skips)
        self._walk(t, plan, actions, S.DRAFT, submit=submit)
        return t.items

    def renewal_timeline(self, plan: _Plan) -> list[_Item]:
        """A renewal opens in co-design: the rest of the path from there."""
        t = _Timeline(self.rng)
        t.main(0, "renew", "office")
        actions = self._path(plan, asked_info=False, skips=False)
        ends = self._codesign(t, plan)
        self._walk(t, plan, actions[actions.index("admit") + 1 :], S.CO_DESIGN, ends=ends)
        return t.items

    def _path(self, plan: _Plan, *, asked_info: bool, skips: bool) -> list[str]:
        """The table's path to the plan's status, or to the last signature for a pact that
        was signed (``_after_activation`` adds what came after)."""
        target = plan.target
        return workflow.path(
            S.ACTIVE if target in SIGNED else target,
            complex_pact=plan.complexity == COMPLEX,
            consultation=target == S.CONSULTATION or plan.leave == S.CONSULTATION or not skips,
            asked_info=asked_info,
            leave=plan.leave or None,
        )

    def _walk(
        self,
        t: _Timeline,
        plan: _Plan,
        actions: list[str],
        status: str,
        *,
        submit: int = 0,
        ends: int = 0,
    ) -> None:
        """Each action of ``actions`` after its own delay, from ``status``, with the steps
        aside that its stage brings (observations, opinions, meetings, the co-design);
        ``submit`` is the day of the submission, ``ends`` that of the end of the co-design
        when the walk starts there."""
        rng = self.rng
        consultation_days = self.municipality.consultation_days
        examined = decided = t.day
        published = None
        for index, action in enumerate(actions):
            following = actions[index + 1] if index + 1 < len(actions) else ""
            if action == "submit":
                t.main(submit, "submit", "citizen")
                examined = t.day  # opinions may be asked from here to the decision
            elif action == "request_info":
                t.main(t.after(4, 25), "request_info", "office", note=rng.choice(REQUEST_NOTES))
            elif action == "resubmit":
                t.main(t.after(5, 40), "resubmit", "citizen")
                examined = t.day
            elif action == "publish":
                published = t.main(t.after(7, 28), "publish", "office")
                ends = published + consultation_days
                if following != "withdraw":  # a proposal withdrawn meanwhile gets none
                    self._consultation(t, published, ends)
            elif action in ("close_consultation", "skip_consultation"):
                if action == "close_consultation":
                    t.main(ends + rng.randint(1, 6), action, "office")
                else:
                    t.main(t.after(7, 28), action, "office")
                decided = t.after(12, 55)
                self._evaluation(t, examined, decided, published is not None)
            elif action == "admit":
                t.main(decided, "admit", "office")
                ends = self._codesign(t, plan)
            elif action in ("reject", "archive", "withdraw"):
                notes = {"reject": REJECT_NOTES, "archive": ARCHIVE_NOTES}
                who = "citizen" if action == "withdraw" else "office"
                delays: dict[str, tuple[int, int]] = {
                    S.SUBMITTED: (5, 40),
                    S.INCOMPLETE: (60, 120),
                    S.CONSULTATION: (2, consultation_days - 1),
                }
                day = decided if status == S.EVALUATION else ends
                if status in delays:
                    day = t.after(*delays[status])
                t.main(day, action, who, note=rng.choice(notes.get(action, WITHDRAW_NOTES)))
            elif action == "send_to_executive":
                t.main(ends, action, "office")
            elif action == "approve":
                day = t.after(15, 60) if status == S.AWAITING_APPROVAL else ends
                t.main(day, "approve", "boss")
            elif action == "activate":  # every party signs; the last signature activates
                for role in self._signers(plan):
                    who = "boss" if role == Party.Role.CITY else "citizen"
                    t.main(t.after(2, 18), "sign", who, role=role)
            status = workflow.TRANSITIONS[action].target
        if status == S.AWAITING_SIGNATURE:
            # Some parties have signed already; the city has not.
            roles = self._signers(plan)
            for role in roles[: rng.randint(0, len(roles) - 1)]:
                t.main(t.after(2, 8), "sign", "citizen", role=role)

    def _signers(self, plan: _Plan) -> list[str]:
        roles = [Party.Role.PROPONENT]
        if plan.co_signatory is not None:
            roles.append(Party.Role.CO_SIGNATORY)
        return [*roles, Party.Role.CITY]

    def _consultation(self, t: _Timeline, published: int, ends: int) -> None:
        rng = self.rng
        if rng.random() < 0.55:
            for _ in range(rng.randint(1, 4)):
                t.aside(
                    published,
                    ends + 1,
                    "observation",
                    "citizen",
                    text=rng.choice(OBSERVATIONS),
                    hide=rng.random() < 0.06,
                )
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 2)):
                t.aside(published, ends + 1, "adhesion", "citizen", offer=rng.choice(OFFERS))

    def _evaluation(self, t: _Timeline, examined: int, decided: int, published: bool) -> None:
        rng = self.rng
        evaluated = t.day
        if rng.random() < 0.45:
            asked = t.aside(
                examined, decided, "opinion", "office", question=rng.choice(OPINION_QUESTIONS)
            )
            if asked is not None:
                t.aside(
                    asked,
                    asked + rng.randint(5, 22),
                    "opinion_answer",
                    "office",
                    favourable=rng.random() < 0.85,
                )
        if published:
            t.aside(evaluated, decided, "adhesion_decide", "office")
        if rng.random() < 0.15:
            t.aside(evaluated, decided, "meeting", "office", visit=True)

    def _codesign(self, t: _Timeline, plan: _Plan) -> int:
        """The steps aside of co-design, from the admission (or the renewal); returns the
        day it ends."""
        rng = self.rng
        admitted = t.day
        ends = t.after(35, 100) if plan.complexity == COMPLEX else t.after(25, 80)
        t.aside(admitted, min(ends, admitted + 6), "commitments", "citizen")
        t.aside(admitted, ends, "city_commitments", "office")
        for _ in range(rng.choice((1, 1, 2))):
            t.aside(admitted, ends, "meeting", "office")
        if rng.random() < 0.3:
            t.aside(admitted, ends, "clause_edit", rng.choice(("office", "citizen")))
        if (
            plan.co_signatory is not None
            and not plan.co_sign_in_draft
            and plan.renewal_of is None
            and t.aside(admitted, ends, "invite", "citizen") is None
        ):
            plan.co_signatory = None
        return ends

    # --- Placing a timeline in time --------------------------------------------------------

    def _between(self, low: dt.date, high: dt.date, *, growing: bool = False) -> dt.date:
        """A day from ``low`` to ``high``; ``growing``: more and more likely over the years,
        as the pacts caught on."""
        if high <= low:
            return high
        share = self.rng.random() ** 0.6 if growing else self.rng.random()
        return low + dt.timedelta(days=round(share * (high - low).days))

    def _back(self, days: int) -> dt.date:
        return self.last_day - dt.timedelta(days=days)

    def place(self, plan: _Plan) -> None:
        """Choose the dates of the plan's steps (and of the pact it renews, if any)."""
        rng = self.rng
        last = max(item.day for item in plan.items if item.main)
        span = dt.timedelta(days=last)
        first = FIRST_DAY + span
        target = plan.target
        months = plan.duration
        renewed = plan.renewed_by
        if renewed is not None:
            # The end of this pact is fixed by its renewal (already placed).
            renewed_on = renewed.items[0].day
            assert isinstance(renewed_on, dt.date)
            plan.conclude_on = renewed_on - dt.timedelta(days=rng.randint(1, 15))
            ended = plan.conclude_on - dt.timedelta(days=rng.randint(0, 8))
            end_day = services.add_months(ended, -months)
        elif target == S.DRAFT:
            end_day = (
                self._back(rng.randint(0, 20))
                if plan.recent
                else self._back(rng.randint(0, 120))
                if rng.random() < 0.6
                else self._between(dt.date(2018, 1, 8), self._back(120))
            )
        elif target == S.SUBMITTED:
            end_day = self._back(rng.randint(0, 24))
        elif target == S.INCOMPLETE:
            end_day = self._back(rng.randint(0, 12 if plan.recent else 45))
        elif target == S.CONSULTATION:
            end_day = self._back(rng.randint(0, self.municipality.consultation_days - 2))
        elif target == S.EVALUATION:
            end_day = self._back(rng.randint(0, 50))
        elif target == S.CO_DESIGN:
            end_day = self._back(rng.randint(4, 90))
        elif target == S.AWAITING_APPROVAL:
            end_day = self._back(rng.randint(2, 45))
        elif target == S.AWAITING_SIGNATURE:
            end_day = self._back(rng.randint(2, 30))
        elif target in (S.REJECTED, S.WITHDRAWN, S.ARCHIVED):
            end_day = self._between(first, self.last_day, growing=True)
        elif target in (S.ACTIVE, S.SUSPENDED):
            # Still running: the end date is ahead.
            low = max(first, services.add_months(self.today, -months) + dt.timedelta(days=15))
            high = self._back(2 if target == S.ACTIVE else 25)
            if plan.recent:
                low = max(low, self._back(150))
            end_day = self._between(low, high)
        elif target == S.CONCLUDED:
            high = services.add_months(self.today, -months) - dt.timedelta(days=15)
            while high < first and months > 6:
                months = plan.duration = max(6, months - 6)
                high = services.add_months(self.today, -months) - dt.timedelta(days=15)
            end_day = self._between(first, high, growing=True)
        else:  # terminated
            end_day = self._between(first, self._back(60), growing=True)
        base = end_day - span
        for item in plan.items:
            item.day = base + dt.timedelta(days=item.day)
        if target in SIGNED:
            self._after_activation(plan, end_day)
        plan.items = [item for item in plan.items if item.main or item.day <= self.last_day]
        if target == S.CO_DESIGN:
            admitted = max(item.day for item in plan.items if item.main)
            scheduled = self._back(rng.randint(0, 3))
            if scheduled > admitted:
                plan.items.append(
                    _Item(scheduled, "meeting", "office", False, {"in_days": rng.randint(3, 21)})
                )
        for item in plan.items:
            assert item.day <= self.last_day, (plan.target, item)
        plan.fields = self._fields(plan, base, end_day if target in SIGNED else None)
        if plan.renewal_of is not None:
            self.place(plan.renewal_of)

    def _after_activation(self, plan: _Plan, activated: dt.date) -> None:
        rng = self.rng
        ends = services.add_months(activated, plan.duration)
        last = self.last_day
        items = plan.items

        def add(day: dt.date, kind: str, **data: Any) -> None:
            assert day > activated and day <= last, (kind, day, activated, last)
            items.append(_Item(day, kind, "office", True, data))

        running = (min(ends, last) - activated).days
        if plan.target == S.ACTIVE:
            if running > 150 and rng.random() < 0.15:
                suspended = activated + dt.timedelta(days=rng.randint(30, running - 80))
                add(suspended, "suspend", note=rng.choice(SUSPEND_NOTES))
                add(suspended + dt.timedelta(days=rng.randint(10, 60)), "resume")
            elif running > 40 and rng.random() < 0.2:
                asked = activated + dt.timedelta(days=rng.randint(10, running - 25))
                items.append(
                    _Item(asked, "adhesion", "citizen", False, {"offer": rng.choice(OFFERS)})
                )
                items.append(
                    _Item(
                        asked + dt.timedelta(days=rng.randint(3, 20)),
                        "adhesion_decide",
                        "office",
                        False,
                    )
                )
        elif plan.target == S.SUSPENDED:
            add(
                activated + dt.timedelta(days=rng.randint(10, max(10, running))),
                "suspend",
                note=rng.choice(SUSPEND_NOTES),
            )
        elif plan.target == S.CONCLUDED:
            concluded = plan.conclude_on or ends + dt.timedelta(days=rng.randint(1, 10))
            assert concluded >= ends
            items.append(
                _Item(concluded, "conclude", "office", True, {"note": "Data di scadenza raggiunta"})
            )
        elif plan.target == S.TERMINATED:
            terminated = activated + dt.timedelta(days=rng.randint(20, max(20, running - 1)))
            if (terminated - activated).days > 30 and rng.random() < 0.4:
                add(
                    terminated - dt.timedelta(days=rng.randint(5, 25)),
                    "suspend",
                    note=rng.choice(SUSPEND_NOTES),
                )
            add(terminated, "terminate", note=rng.choice(TERMINATE_NOTES))

    def _fields(self, plan: _Plan, created: dt.date, activated: dt.date | None) -> dict[str, Any]:
        if plan.renewal_of is not None:
            return {}
        rng = self.rng
        kind = plan.kind
        fields: dict[str, Any] = {"complexity": plan.complexity}
        if plan.commons is not None:
            name = plan.commons.name
            fields["commons"] = plan.commons
        else:
            name, lon, lat = self._place()
            fields.update(place_name=name, place_lon=lon, place_lat=lat)
        if plan.complexity == COMPLEX:
            category = self.categories[self.config.complex_category]
            template = rng.choice(COMPLEX_TITLES)
        else:
            category = self.categories[rng.choice(self.config.kind_categories[kind])]
            template = rng.choice(TITLES[kind])
        title = template.format(
            of=italian.of(name), the=italian.the(name), name=name, Name=italian.cap(name)
        )
        objectives = " ".join(rng.sample(OBJECTIVES[kind], k=2)).format(the=italian.the(name))
        activities = "\n".join(f"- {italian.cap(a)}" for a in rng.sample(ACTIVITIES[kind], k=3))
        people = f"Circa {rng.randint(4, 40)} volontari del quartiere"
        if plan.organisation is not None:
            people += f", soci e amici di {plan.organisation.name}"
        elif rng.random() < 0.4:
            people += ", con alcune famiglie dei palazzi vicini"
        desired = created + dt.timedelta(days=rng.randint(30, 90))
        if activated is not None:
            desired = min(desired, activated)
        fields.update(
            title=italian.cap(title)[:200],
            category=category,
            objectives=italian.cap(objectives),
            activities=activities,
            people_involved=people + ".",
            support_requested=SUPPORT_REQUESTS[kind],
            desired_start=desired,
            duration_months=plan.duration,
            proponent_organisation=plan.organisation,
        )
        return fields

    # --- Playing the steps ---------------------------------------------------------------

    def moment(self, day: dt.date, who: str) -> dt.datetime:
        hours = {"citizen": (8, 22), "office": (9, 17), "boss": (10, 18)}[who]
        naive = dt.datetime.combine(day, dt.time(self.rng.randint(*hours), self.rng.randint(0, 59)))
        return timezone.make_aware(naive, self.zone)

    def run(self, plans: Sequence[_Plan]) -> None:
        steps = []
        for plan in plans:
            for seq, item in enumerate(plan.items):
                steps.append((self.moment(item.day, item.who), plan.index, seq, plan, item))
        steps.sort(key=lambda step: step[:3])
        for at, _index, _seq, plan, item in steps:
            assert at < self.now
            self.perform(plan, item, at)
        pacts = Pact.objects.filter(municipality=self.municipality)
        last_events = (
            PactEvent.objects.filter(pact=OuterRef("pk"))
            .values("pact")
            .annotate(last=Max("at"))
            .values("last")
        )
        pacts.update(updated_at=Subquery(last_events))
        created = Pact.objects.filter(pk=OuterRef("pact_id")).values("created_at")[:1]
        Party.objects.filter(
            pact__municipality=self.municipality, role=Party.Role.PROPONENT
        ).update(created_at=Subquery(created))

    def perform(self, plan: _Plan, item: _Item, at: dt.datetime) -> None:
        kind = item.kind
        data = item.data
        if kind == "create":
            plan.pact = services.pact_create_draft(
                actor=plan.proponent, municipality=self.municipality, at=at, **plan.fields
            )
            return
        if kind == "renew":
            old = plan.renewal_of
            assert old is not None and old.pact is not None
            plan.pact = services.pact_renew(actor=self.office, pact=old.pact, at=at)
            Pact.objects.filter(pk=plan.pact.pk).update(created_at=at)
            Party.objects.filter(pact=plan.pact).update(created_at=at)
            ClauseVersion.objects.filter(clause__pact=plan.pact).update(created_at=at)
            return
        pact = plan.pact
        assert pact is not None
        if item.main and kind != "sign":
            actor: User | None = self.office
            if kind in ("submit", "resubmit", "withdraw"):
                actor = plan.proponent
            elif kind == "approve":
                actor = self.executive if plan.complexity == COMPLEX else self.manager
            elif kind == "conclude":
                actor = None  # the daily command
            plan.pact = services.pact_transition(
                actor=actor, pact=pact, action=kind, note=data.get("note", ""), at=at
            )
            if kind == "admit":
                ClauseVersion.objects.filter(clause__pact=pact).update(created_at=at)
            elif kind == "approve":
                Party.objects.filter(pact=pact, role=Party.Role.CITY, created_at__gt=at).update(
                    created_at=at
                )
            return
        getattr(self, f"_{kind}")(plan, pact, item, at)

    def _others(self, plan: _Plan) -> list[User]:
        excluded = {plan.proponent.pk, plan.co_signatory.pk if plan.co_signatory else None}
        return [user for user in self.citizens if user.pk not in excluded]

    def _sign(self, plan: _Plan, pact: Pact, item: _Item, at: dt.datetime) -> None:
        role = item.data["role"]
        party = Party.objects.filter(pact=pact, role=role).order_by("pk").first()
        assert party is not None, (pact.number, role)
        if role == Party.Role.CITY:
            signer = self.manager
        elif role == Party.Role.PROPONENT:
            signer = plan.proponent
        else:
            signer = party.user or plan.co_signatory or plan.proponent
        use_password = (role == Party.Role.PROPONENT and plan.password) or (
            self.passwords_left > 0 and self.rng.random() < 0.04
        )
        if use_password:
            self.passwords_left = max(0, self.passwords_left - 1)
            plan.pact = services.pact_sign(actor=signer, party=party, password=DEMO_PASSWORD, at=at)
        else:
            upload = SimpleUploadedFile(
                f"{pact.number}-firmato.pdf", SIGNED_PDF, content_type="application/pdf"
            )
            plan.pact = services.pact_sign(actor=signer, party=party, signed_file=upload, at=at)

    def _invite(self, plan: _Plan, pact: Pact, item: _Item, at: dt.datetime) -> None:
        assert plan.co_signatory is not None
        party = services.pact_invite_co_signatory(
            actor=plan.proponent, pact=pact, email=plan.co_signatory.email, at=at
        )
        Party.objects.filter(pk=party.pk).update(created_at=at)
        if pact.status == S.CO_DESIGN:
            services.commitment_add(
                actor=plan.proponent,
                pact=pact,
                party=party,
                text=self.rng.choice(CO_SIGNATORY_COMMITMENTS),
            )

    def _observation(self, plan: _Plan, pact: Pact, item: _Item, at: dt.datetime) -> None:
        author = self.rng.choice(self._others(plan))
        observation = services.observation_add(
            actor=author, pact=pact, text=item.data["text"], at=at
        )
        Observation.objects.filter(pk=observation.pk).update(created_at=at)
        if item.data.get("hide"):
            hidden = min(at + dt.timedelta(hours=3), self.now - dt.timedelta(minutes=1))
            services.observation_hide(
                actor=self.office,
                observation=observation,
                reason=self.rng.choice(HIDE_REASONS),
                at=hidden,
            )

    def _adhesion(self, plan: _Plan, pact: Pact, item: _Item, at: dt.datetime) -> None:
        taken = {a.user_id for a in plan.adhesions}
        people = [u for u in self._others(plan) if u.pk not in taken]
        if not people:
            return
        adhesion = services.adhesion_request(
            actor=self.rng.choice(people), pact=pact, offer=item.data["offer"], at=at
        )
        Adhesion.objects.filter(pk=adhesion.pk).update(created_at=at)
        plan.adhesions.append(adhesion)

    def _adhesion_decide(self, plan: _Plan, pact: Pact, item: _Item, at: dt.datetime) -> None:
        for adhesion in plan.adhesions:
            if adhesion.status != Adhesion.Status.PENDING:
                continue
            decided = services.adhesion_decide(
                actor=self.office, adhesion=adhesion, accept=self.rng.random() < 0.8, at=at
            )
            adhesion.status = decided.status
            Party.objects.filter(pact=pact, role=Party.Role.ADHERENT, user=adhesion.user_id).update(
                created_at=at
            )

    def _department(self, plan: _Plan) -> str:
        if plan.commons is not None and plan.commons.owning_department:
            return plan.commons.owning_department
        return "Cultura" if plan.kind == K.IMMATERIAL else "Suolo pubblico"

    def _opinion(self, plan: _Plan, pact: Pact, item: _Item, at: dt.datetime) -> None:
        opinion = services.opinion_request(
            actor=self.office,
            pact=pact,
            department=self._department(plan),
            question=item.data["question"],
            at=at,
        )
        Opinion.objects.filter(pk=opinion.pk).update(requested_at=at)
        plan.opinions.append(opinion)

    def _opinion_answer(self, plan: _Plan, pact: Pact, item: _Item, at: dt.datetime) -> None:
        for opinion in plan.opinions:
            answerer = self.office
            if self.department is not None and self.department[1] == opinion.department:
                answerer = self.department[0]
            favourable = bool(item.data["favourable"])
            answer = self.rng.choice(OPINION_ANSWERS_YES if favourable else OPINION_ANSWERS_NO)
            services.opinion_answer(
                actor=answerer, opinion=opinion, answer=answer, favourable=favourable, at=at
            )
        plan.opinions = []

    def _meeting(self, plan: _Plan, pact: Pact, item: _Item, at: dt.datetime) -> None:
        rng = self.rng
        place, link = "", ""
        if item.data.get("visit") or (plan.commons is not None and rng.random() < 0.5):
            commons = plan.commons
            place = (
                f"{commons.name}, {commons.address}"
                if commons is not None and commons.address
                else commons.name
                if commons is not None
                else plan.fields.get("place_name", "") or self.config.town_hall
            )
        elif rng.random() < 0.3:
            link = f"https://meet.jit.si/cocity-{slugify(pact.number)}"
        else:
            place = self.config.town_hall
        participants = "Proponenti, Ufficio beni comuni"
        if item.data.get("visit") or rng.random() < 0.4:
            participants += f", settore {self._department(plan)}"
        if "in_days" in item.data:  # a meeting arranged for the coming days
            starts = self.moment(self.today + dt.timedelta(days=item.data["in_days"]), "office")
            minutes = ""
        else:
            starts = at - dt.timedelta(hours=2)
            minutes = rng.choice(MEETING_MINUTES)
        services.meeting_add(
            actor=self.office,
            pact=pact,
            starts_at=starts,
            place=place[:200],
            link=link,
            participants=participants,
            minutes=minutes,
            at=at,
        )

    def _commitments(self, plan: _Plan, pact: Pact, item: _Item, at: dt.datetime) -> None:
        rng = self.rng
        actor = plan.proponent
        party = Party.objects.filter(pact=pact, role=Party.Role.PROPONENT).order_by("pk").first()
        assert party is not None
        texts = rng.sample(PROPONENT_COMMITMENTS[plan.kind], k=2)
        texts.append(rng.choice(COMMON_COMMITMENTS))
        for text in texts:
            services.commitment_add(actor=actor, pact=pact, party=party, text=text)
        cosigner = Party.objects.filter(pact=pact, role=Party.Role.CO_SIGNATORY).first()
        if cosigner is not None and not pact.commitments.filter(party=cosigner).exists():
            services.commitment_add(
                actor=actor, pact=pact, party=cosigner, text=rng.choice(CO_SIGNATORY_COMMITMENTS)
            )
        kinds = list(SUPPORT_KINDS[plan.kind])
        if plan.complexity == COMPLEX:
            kinds.append("funding")
        for support_kind in rng.sample(kinds, k=rng.randint(1, min(3, len(kinds)))):
            descriptions, low, high = SUPPORTS[support_kind]
            value = Decimal(rng.randrange(low, high + 1, 10)).quantize(Decimal("0.01"))
            services.support_add(
                actor=self.office,
                pact=pact,
                kind=support_kind,
                description=rng.choice(descriptions),
                estimated_value=value,
            )

    def _city_commitments(self, plan: _Plan, pact: Pact, item: _Item, at: dt.datetime) -> None:
        party = Party.objects.get(pact=pact, role=Party.Role.CITY)  # a party since admission
        Party.objects.filter(pk=party.pk).update(created_at=at)
        for text in self.rng.sample(CITY_COMMITMENTS, k=self.rng.randint(1, 3)):
            services.commitment_add(actor=self.office, pact=pact, party=party, text=text)

    def _clause_edit(self, plan: _Plan, pact: Pact, item: _Item, at: dt.datetime) -> None:
        key, addition = self.rng.choice(CLAUSE_ADDITIONS)
        clause = pact.clauses.filter(key=key).first()
        if clause is None:
            return
        actor = plan.proponent if item.who == "citizen" else self.office
        services.clause_edit(actor=actor, clause=clause, text=f"{clause.text}\n\n{addition}", at=at)
        ClauseVersion.objects.filter(clause=clause, number=clause.version + 1).update(created_at=at)


def _staff_user(municipality: Municipality, role: str, email: str, name: str) -> User:
    """The first staff member with ``role`` in the city; a demo account if there is none."""
    existing = (
        StaffRole.objects.filter(municipality=municipality, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing.user
    user = User.objects.filter(email=email).first() or user_create(
        email=email,
        password=DEMO_PASSWORD,
        display_name=name,
        email_verified=True,
        show_name_publicly=True,
    )
    staff_role_grant(actor=None, municipality=municipality, email=user.email, role=role)
    return User.objects.get(pk=user.pk)  # a fresh object: no cached roles


def _category(municipality: Municipality, name: str, description: str, position: int) -> Category:
    existing = Category.objects.filter(municipality=municipality, slug=slugify(name)[:120]).first()
    return existing or services.category_create(
        municipality=municipality, name=name, description=description, position=position
    )


def seed(*, rng: random.Random) -> None:
    """Create the demo pacts of the cities that have none yet."""
    # One stream per city, drawn up front, so that a skipped city leaves the others unchanged.
    city_seeds = {config.slug: rng.randrange(2**32) for config in CITIES}
    now = timezone.now()
    for config in CITIES:
        municipality = Municipality.objects.filter(slug=config.slug).first()
        if municipality is None:
            continue
        seeder = _CitySeeder(config, municipality, random.Random(city_seeds[config.slug]), now)
        if Pact.objects.filter(municipality=municipality).exists():
            continue
        if not seeder.citizens or not any(seeder.commons.values()):
            continue
        _seed_city(seeder)


def _seed_city(seeder: _CitySeeder) -> None:
    plans = seeder.plans()
    for plan in plans:
        if plan.renewal_of is None:
            plan.items = seeder.timeline(plan)
    for plan in plans:
        if plan.renewal_of is not None:
            plan.co_signatory = plan.renewal_of.co_signatory  # copied with the parties
            plan.items = seeder.renewal_timeline(plan)
    # Renewals first: each fixes the end of the pact it renews, placed with it.
    for plan in plans:
        if plan.renewal_of is not None:
            seeder.place(plan)
    for plan in plans:
        if plan.renewal_of is None and plan.renewed_by is None:
            seeder.place(plan)
    seeder.run(plans)
