"""The demo commons catalogue of Torino, Reggio Emilia and Latina, made through the services.

Turin's Case del Quartiere are placed at their approximate real addresses; every other commons
gets a random point inside one of the districts (Voronoi cells clipped to the real boundary, see
``cocity.seeding.municipalities``), with a name and an address built from streets, squares and
parks that really are in that part of the city. A municipality that already has commons is left
as it is."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from string import Formatter
from typing import Any

from shapely.geometry import Point, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

from cocity.accounts.models import Organisation
from cocity.commons.models import Commons, Hub
from cocity.commons.services import commons_create, hub_set
from cocity.municipalities.models import District, Municipality
from cocity.seeding.municipalities import DEMO_CITIES

Kind = Commons.Kind
Availability = Commons.Availability
Service = Hub.Service

DEPARTMENTS: Mapping[str, tuple[str, ...]] = {
    Kind.BUILDING: ("Patrimonio",),
    Kind.SCHOOL: ("Edilizia scolastica",),
    Kind.GREEN_AREA: ("Verde pubblico",),
    Kind.SQUARE_STREET: ("Suolo pubblico",),
    Kind.SPORTS_FACILITY: ("Sport", "Sport", "Patrimonio"),
    Kind.IMMATERIAL: ("",),
}

PEOPLE = (
    "Giovanni Pascoli",
    "Edmondo De Amicis",
    "Alessandro Manzoni",
    "Gianni Rodari",
    "Maria Montessori",
    "Giuseppe Parini",
    "Italo Calvino",
    "Natalia Ginzburg",
    "Cesare Pavese",
    "Primo Levi",
    "Dante Alighieri",
    "Ugo Foscolo",
    "Giacomo Leopardi",
    "Carlo Collodi",
    "Don Lorenzo Milani",
    "Antonio Gramsci",
    "Piero Gobetti",
    "Ada Gobetti",
    "Norberto Bobbio",
    "Rita Levi-Montalcini",
    "Grazia Deledda",
    "Elsa Morante",
    "Sandro Pertini",
    "Giuseppe Mazzini",
    "Massimo d'Azeglio",
    "Silvio Pellico",
    "Beppe Fenoglio",
    "Alberto Manzi",
    "Mario Lodi",
    "Emilio Salgari",
    "Giovanni Verga",
    "Luigi Pirandello",
    "Galileo Galilei",
    "Leonardo da Vinci",
    "Anna Frank",
    "Fratelli Cervi",
    "Nazario Sauro",
    "Lalla Romano",
    "Tina Anselmi",
    "Nilde Iotti",
    "Falcone e Borsellino",
    "Peppino Impastato",
    "Matilde Serao",
    "Sibilla Aleramo",
    "Margherita Hack",
    "Enrico Fermi",
    "Guglielmo Marconi",
    "Alessandro Volta",
    "Giuseppe Verdi",
    "Federico Fellini",
    "Rosa Parks",
    "Ilaria Alpi",
    "Dacia Maraini",
)


# --- Names -----------------------------------------------------------------------------------
# (weight, name, address, feature): the name and address are format strings over the fields
# of ``_Picker.values``; the feature chooses the first sentence of the description.
Template = tuple[int, str, str, str]

TEMPLATES: Mapping[str, tuple[Template, ...]] = {
    Kind.BUILDING: (
        (5, "{landmark}", "{street} {n}", "landmark"),
        (2, "Ex caserma {barracks}", "{street} {n}", "building"),
        (3, "Ex bagni pubblici di {street}", "{street} {n}", "building"),
        (2, "Ex mercato coperto di {square}", "{square}", "building"),
        (2, "Ex scuola elementare di {street}", "{street} {n}", "building"),
        (1, "Ex lavatoio di {street}", "{street} {n}", "building"),
        (2, "Ex biblioteca di quartiere {place}", "{street} {n}", "building"),
        (2, "Locali sfitti di {street} {n}", "{street} {n}", "shop"),
        (1, "Ex casa del custode – {park}", "{street} {n}", "building"),
        (1, "Ex magazzino comunale di {street}", "{street} {n}", "building"),
    ),
    Kind.SCHOOL: (
        (6, "Scuola primaria {person}", "{street} {n}", "school"),
        (4, "Scuola secondaria di primo grado {person}", "{street} {n}", "school"),
        (2, "Scuola dell'infanzia {person}", "{street} {n}", "school"),
        (2, "Cortile della scuola primaria {person}", "{street} {n}", "yard"),
    ),
    Kind.GREEN_AREA: (
        (4, "Giardino {person}", "{street}", "garden"),
        (3, "Orto urbano di {street}", "{street} {n}", "allotment"),
        (2, "Orti condivisi {place}", "{street} {n}", "allotment"),
        (3, "Aiuola di {street}", "{street}", "flowerbed"),
        (2, "Aiuole di {square}", "{square}", "flowerbed"),
        (2, "Area verde di {street}", "{street} {n}", "garden"),
        (3, "{park}", "{street}", "park"),
        (2, "Giardino condiviso di {street}", "{street} {n}", "garden"),
        (1, "Filare alberato di {street}", "{street}", "trees"),
    ),
    Kind.SQUARE_STREET: (
        (6, "{Square}", "{square}", "square"),
        (3, "Portici di {arcade}", "{arcade}", "arcade"),
        (2, "Tratto pedonale di {street}", "{street}", "street"),
        (2, "Marciapiede alberato di {street}", "{street}", "street"),
        (2, "Slargo di {street} angolo {street2}", "{street} angolo {street2}", "square"),
        (1, "Parete cieca di {street} {n}", "{street} {n}", "wall"),
        (1, "Sottopasso di {street}", "{street}", "underpass"),
    ),
    Kind.SPORTS_FACILITY: (
        (3, "Bocciofila {place}", "{street} {n}", "bowls"),
        (2, "Campo da calcio di {street}", "{street} {n}", "football"),
        (2, "Campo polivalente {place}", "{street} {n}", "multisport"),
        (2, "Palestra comunale di {street}", "{street} {n}", "gym"),
        (1, "Palestra della scuola {person}", "{street} {n}", "gym"),
        (1, "Campo da basket del giardino {person}", "{street}", "basketball"),
        (1, "Pista di pattinaggio di {street}", "{street} {n}", "skating"),
        (1, "Campi da tennis di {street}", "{street} {n}", "tennis"),
        (1, "Skate park {place}", "{street}", "skate"),
    ),
}


# --- Descriptions ----------------------------------------------------------------------------

FIRST_SENTENCES: Mapping[str, tuple[str, ...]] = {
    "landmark": (
        "Complesso {era} di circa {sqm} m² tra corpo principale e rustici, vuoto dal {year}.",
        "Immobile {era} con cortile interno, chiuso dal {year} e in attesa di un nuovo uso.",
        "Edificio {era} di circa {sqm} m²: il piano terra è agibile, i piani superiori "
        "richiedono lavori.",
    ),
    "building": (
        "Immobile comunale {era} di circa {sqm} m² su {floors} piani, inutilizzato dal {year}.",
        "Fabbricato {era} con cortile interno, chiuso dal {year} e in attesa di un nuovo uso.",
        "Edificio {era} di circa {sqm} m²: il piano terra è agibile, i piani superiori "
        "richiedono lavori.",
        "Stabile {era} di proprietà del Comune, oggi vuoto; il tetto è stato messo in "
        "sicurezza nel {year}.",
    ),
    "shop": (
        "Locali {era} al piano terra, circa {small} m² con vetrine su strada, sfitti dal {year}.",
        "Ex negozio di circa {small} m² con retrobottega e cantina, chiuso dal {year}.",
    ),
    "school": (
        "Plesso scolastico con {pupils} alunni e un cortile di circa {sqm} m².",
        "Scuola di quartiere con palestra, giardino interno e aule laboratorio.",
        "Edificio scolastico {era}; il cortile è chiuso il pomeriggio e nei fine settimana.",
        "Il plesso ha una palestra e un'aula magna che restano vuote dopo le 16:30.",
    ),
    "yard": (
        "Cortile scolastico di circa {sqm} m², in parte asfaltato e in parte a prato.",
        "Cortile alberato di circa {sqm} m² con un piccolo orto didattico da rimettere in sesto.",
    ),
    "garden": (
        "Area verde di circa {sqm} m² con {green_feature}.",
        "Giardino di quartiere con {green_feature}.",
        "Circa {sqm} m² di prato e alberi, con {green_feature}.",
    ),
    "allotment": (
        "Orti urbani con {plots} lotti coltivati, un capanno per gli attrezzi e una cisterna "
        "per l'acqua piovana.",
        "Area di circa {sqm} m² divisa in {plots} parcelle, con compostiera e punto acqua.",
    ),
    "flowerbed": (
        "Aiuole di circa {small} m², oggi a prato e con qualche arbusto.",
        "Aiuola alberata di circa {small} m², con un tiglio e due panchine.",
    ),
    "park": (
        "Parco pubblico con viali alberati, prati e un'area giochi.",
        "Grande area verde con {green_feature}, molto frequentata nei fine settimana.",
    ),
    "trees": ("Filare di {trees} alberi con aiuole alla base, lungo il marciapiede.",),
    "square": (
        "Spazio pubblico di circa {sqm} m², con panchine e alberature.",
        "Luogo di passaggio e di incontro, con un mercato rionale il {weekday}.",
        "Slargo poco curato, con arredi urbani da sostituire e muri coperti di scritte.",
        "Spazio pubblico frequentato soprattutto la sera, con un'illuminazione da migliorare.",
    ),
    "street": (
        "Tratto di strada di circa {length} m con marciapiedi larghi e qualche albero.",
        "Percorso pedonale di circa {length} m tra negozi e portoni, molto usato da chi va a "
        "scuola.",
    ),
    "arcade": (
        "Portici di circa {length} m con negozi storici, molto frequentati anche la sera.",
        "Tratto porticato di circa {length} m, con una pavimentazione in pietra da curare.",
    ),
    "underpass": ("Sottopasso pedonale poco illuminato, con pareti coperte di scritte.",),
    "wall": ("Muro cieco lungo circa {wall} m, oggi grigio e coperto di scritte.",),
    "bowls": (
        "Bocciofila con {courts} campi da bocce, di cui uno coperto, e una piccola sala.",
        "Circolo bocciofilo {era} con campi all'aperto, un pergolato e un bar chiuso da anni.",
    ),
    "football": (
        "Campo da calcio a sette in erba sintetica, con spogliatoi e una piccola tribuna.",
        "Campo da calcio in terra battuta con spogliatoi da ristrutturare.",
    ),
    "multisport": ("Campo polivalente per basket e pallavolo, recintato e illuminato.",),
    "gym": (
        "Palestra di circa {sqm} m² con spogliatoi, libera la sera e nel fine settimana.",
        "Palestra {era} con parquet da rifare e una piccola sala per la ginnastica dolce.",
    ),
    "basketball": ("Campo da basket all'aperto con canestri da sostituire e fondo da rifare.",),
    "skating": (
        "Pista di pattinaggio all'aperto, usata anche per il basket e le feste di quartiere.",
    ),
    "tennis": ("Due campi da tennis in terra rossa con una piccola club house.",),
    "skate": ("Skate park in cemento con rampe e un piccolo bowl, costruito nel {year}.",),
}

# By feature where one is given, otherwise by kind.
SECOND_SENTENCES: Mapping[str, tuple[str, ...]] = {
    "wall": (
        "Un gruppo di writer del quartiere propone un murale partecipato con le scuole.",
        "Adatto a un murale partecipato o a un giardino verticale.",
    ),
    "underpass": (
        "I residenti di {place} propongono di ridipingerlo e di chiedere una luce migliore.",
    ),
    Kind.BUILDING: (
        "Nel quartiere si discute di farne {use}.",
        "Lo spazio potrebbe ospitare {use}, con un patto di collaborazione complesso.",
        "Gli abitanti di {place} propongono di riaprire lo spazio come {use}.",
        "Serve una ristrutturazione leggera prima di un uso aperto al pubblico.",
        "Il Comune cerca proposte per farne {use}.",
    ),
    Kind.SCHOOL: (
        "Genitori e insegnanti propongono di aprire il cortile al quartiere fuori dall'orario "
        "scolastico.",
        "Si cercano volontari per curare l'orto didattico e ridipingere le pareti del cortile.",
        "La palestra potrebbe ospitare corsi serali per adulti.",
        "Il comitato genitori vorrebbe organizzare un pedibus e una piccola biblioteca aperta "
        "alle famiglie.",
        "Il cortile ha bisogno di panchine e di ombra: serve un progetto condiviso.",
    ),
    Kind.GREEN_AREA: (
        "I residenti si sono offerti per la cura delle aiuole e la pulizia settimanale.",
        "Si cercano volontari per l'innaffiatura nei mesi estivi.",
        "Lo spazio potrebbe ospitare un orto condiviso e una compostiera di quartiere.",
        "La scuola vicina ci porta le classi per attività all'aperto in primavera.",
        "Il Comune taglia il prato; le piccole cure quotidiane possono essere condivise.",
        "Gli abitanti di {place} vorrebbero piantare nuovi alberi e sistemare l'area giochi.",
    ),
    Kind.SQUARE_STREET: (
        "I commercianti propongono di curare fioriere e piccoli arredi.",
        "Un gruppo di residenti vorrebbe organizzarvi una festa di strada ogni mese.",
        "Adatto a murales partecipati e a giornate di pulizia collettiva.",
        "Si cercano proposte per rendere lo spazio più vivibile per bambini e anziani.",
        "Le associazioni di {place} vorrebbero organizzarvi il cinema all'aperto d'estate.",
    ),
    Kind.SPORTS_FACILITY: (
        "Un'associazione sportiva dilettantistica propone una gestione con tariffe popolari.",
        "Gli spogliatoi vanno ristrutturati prima di riaprire al pubblico.",
        "Potrebbe tornare a ospitare tornei di quartiere e attività per ragazzi.",
        "Anziani e ragazzi se ne contendono gli orari: serve un calendario condiviso.",
    ),
}

USES = (
    "una sala prove per la musica",
    "un laboratorio di falegnameria condiviso",
    "una sede per associazioni e gruppi informali",
    "una ludoteca di quartiere",
    "un emporio solidale",
    "una piccola biblioteca di quartiere",
    "uno spazio per il doposcuola",
    "una ciclofficina popolare",
    "una sala studio",
    "un punto di incontro per gli anziani",
    "uno spazio per artigiani e piccoli laboratori",
)
GREEN_FEATURES = (
    "alberi ad alto fusto e panchine",
    "un'area giochi da rinnovare",
    "aiuole fiorite e una fontanella",
    "un'area cani recintata",
    "siepi e un piccolo frutteto",
    "un prato aperto e qualche tiglio",
    "vasche per l'orto rialzato",
)
WEEKDAYS = ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato")
ERAS = (
    "del Settecento",
    "di fine Ottocento",
    "dei primi del Novecento",
    "degli anni Trenta",
    "del dopoguerra",
    "degli anni Sessanta",
    "degli anni Settanta",
)
HERITAGE_NOTES = (
    "Vincolo della Soprintendenza Archeologia, Belle Arti e Paesaggio (D.Lgs. 42/2004): "
    "facciate, coperture e serramenti non si modificano senza autorizzazione.",
    "Vincolo della Soprintendenza sull'intero edificio: anche la manutenzione straordinaria "
    "va concordata con gli uffici di tutela.",
    "Vincolo della Soprintendenza limitato al prospetto su strada e allo scalone interno; il "
    "resto dell'edificio è libero da vincoli.",
    "Vincolo della Soprintendenza come testimonianza storica del quartiere: vanno conservati i "
    "materiali originali di facciata e gli infissi in legno.",
)
OPENING_HOURS = (
    "Lunedì–venerdì 9:00–22:00; sabato 10:00–18:00; domenica chiuso.",
    "Lunedì–venerdì 9:30–13:00 e 15:00–21:00; sabato 10:00–13:00.",
    "Martedì–sabato 10:00–23:00; domenica 10:00–19:00; lunedì chiuso.",
    "Lunedì–venerdì 15:00–22:00; sabato e domenica su prenotazione per eventi.",
)


# --- Cities ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoHub:
    name: str
    address: str
    district: int  # number of the district, where the point is drawn when lon/lat are None
    description: str
    services: tuple[str, ...]
    lon: float | None = None
    lat: float | None = None
    opening_hours: str = ""
    run_by: str = ""  # name of the organisation, used when it exists
    heritage_notes: str = ""
    email: str = ""
    website: str = ""


@dataclass(frozen=True)
class CityPlan:
    slug: str
    phone_prefix: str
    counts: Mapping[str, int]  # kind -> number of commons drawn from the templates
    hubs: tuple[DemoHub, ...]
    immaterial: tuple[tuple[str, str], ...]  # name, description
    # By district number:
    streets: Mapping[int, tuple[str, ...]]
    squares: Mapping[int, tuple[str, ...]]
    parks: Mapping[int, tuple[str, ...]]
    places: Mapping[int, tuple[str, ...]]
    landmarks: Mapping[int, tuple[str, ...]]
    arcades: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    barracks: tuple[str, ...] = ()
    eras: tuple[str, ...] = ERAS
    spread: float | None = None  # points drawn within this many degrees of a district's centre


TORINO = CityPlan(
    slug="torino",
    phone_prefix="011",
    counts={
        Kind.BUILDING: 30,
        Kind.SCHOOL: 26,
        Kind.GREEN_AREA: 38,
        Kind.SQUARE_STREET: 22,
        Kind.SPORTS_FACILITY: 18,
    },
    hubs=(
        DemoHub(
            "Casa del Quartiere di San Salvario",
            "via Morgari 14",
            8,
            "Casa del quartiere negli ex bagni pubblici di via Morgari: sale per associazioni, "
            "corsi, un bistrot e uno sportello per chi vuole proporre un patto.",
            (Service.HELP_DESK, Service.ROOMS, Service.EVENTS, Service.CAFE),
            lon=7.68125,
            lat=45.05540,
            opening_hours="Lunedì–venerdì 9:00–23:00; sabato 10:00–23:00; domenica 10:00–20:00.",
        ),
        DemoHub(
            "Cascina Roccafranca",
            "via Rubino 45",
            2,
            "Cascina settecentesca recuperata dalla Città e diventata casa del quartiere di "
            "Mirafiori Nord, con sale, orto, ristorante sociale e sportelli per i cittadini.",
            (Service.HELP_DESK, Service.ROOMS, Service.EVENTS, Service.CAFE, Service.GARDEN),
            lon=7.62170,
            lat=45.04250,
            opening_hours="Lunedì–sabato 9:00–23:00; domenica 10:00–19:00.",
            run_by="Cooperativa Sociale Il Ponte",
            heritage_notes=HERITAGE_NOTES[2],
        ),
        DemoHub(
            "Bagni Pubblici di via Agliè",
            "via Agliè 9",
            6,
            "Bagni pubblici ancora in funzione, affiancati da una casa del quartiere con sale, "
            "caffè e corsi per Barriera di Milano.",
            (Service.HELP_DESK, Service.ROOMS, Service.EVENTS, Service.CAFE),
            lon=7.69480,
            lat=45.09460,
            opening_hours="Docce: martedì–domenica 8:00–12:00. Casa del quartiere: "
            "lunedì–venerdì 9:00–22:00; sabato 9:00–18:00.",
        ),
        DemoHub(
            "Casa nel Parco",
            "via Panetti 1",
            2,
            "Casa del quartiere nel parco Colonnetti a Mirafiori Sud, con sale, cucina "
            "condivisa, orti e attività per famiglie.",
            (Service.ROOMS, Service.EVENTS, Service.CAFE, Service.GARDEN),
            lon=7.63050,
            lat=45.02000,
        ),
        DemoHub(
            "Cecchi Point",
            "via Cecchi 17",
            7,
            "Casa del quartiere di Aurora, con teatro, palestra, sale per associazioni e un "
            "ricco programma di corsi.",
            (Service.HELP_DESK, Service.ROOMS, Service.EVENTS, Service.COWORKING),
            lon=7.68800,
            lat=45.08600,
            run_by="Associazione Amici della Dora",
        ),
        DemoHub(
            "+SpazioQuattro",
            "via Saccarelli 18",
            4,
            "Casa del quartiere di San Donato, tra Campidoglio e Parella, con sale prove, "
            "coworking e corsi per tutte le età.",
            (Service.ROOMS, Service.EVENTS, Service.COWORKING, Service.CAFE),
            lon=7.66350,
            lat=45.07900,
        ),
        DemoHub(
            "Barrito",
            "via Tepice 23/c",
            8,
            "Casa del quartiere di Nizza Millefonti, con bistrot, sale per incontri e un "
            "programma di eventi aperto a tutti.",
            (Service.ROOMS, Service.EVENTS, Service.CAFE),
            lon=7.66900,
            lat=45.03000,
        ),
        DemoHub(
            "Casa di Quartiere Vallette",
            "piazza Eugenio Montale 18/a",
            5,
            "Casa del quartiere in piazza Montale, punto di incontro per associazioni, famiglie "
            "e anziani delle Vallette.",
            (Service.HELP_DESK, Service.ROOMS, Service.EVENTS, Service.GARDEN),
            lon=7.63780,
            lat=45.11120,
            run_by="Comitato di quartiere Borgo Vittoria",
        ),
    ),
    immaterial=(
        (
            "Memoria del quartiere Borgo Dora",
            "Racconti, fotografie e mestieri del Balôn e di Borgo Dora, raccolti dagli abitanti "
            "e dai commercianti storici del mercato.",
        ),
        (
            "Festival «Barriera in festa»",
            "Festa di strada che ogni settembre riempie corso Giulio Cesare di musica, cucine "
            "del mondo e laboratori per bambini.",
        ),
        (
            "Archivio di comunità di Mirafiori Sud",
            "Fotografie, lettere e interviste sulla vita operaia del quartiere, da digitalizzare "
            "e rendere consultabili a tutti.",
        ),
        (
            "Mappa dei cortili di San Salvario",
            "Una mappa partecipata dei cortili e delle botteghe artigiane del quartiere, "
            "aggiornata dagli abitanti.",
        ),
        (
            "Ricettario di Porta Palazzo",
            "Le ricette delle famiglie che fanno la spesa al mercato di Porta Palazzo, raccolte "
            "in molte lingue e cucinate insieme una volta al mese.",
        ),
        (
            "Canti e racconti della Falchera",
            "Storia orale del villaggio della Falchera, nato negli anni Cinquanta con il piano "
            "INA-Casa, raccontata da chi ci abita da allora.",
        ),
    ),
    streets={
        1: (
            "via Po",
            "via Garibaldi",
            "corso Vittorio Emanuele II",
            "via Roma",
            "via Lagrange",
            "via Sacchi",
            "corso Re Umberto",
            "via Cernaia",
            "corso Galileo Ferraris",
            "via Pietro Micca",
            "via Santa Teresa",
            "corso Stati Uniti",
            "via della Consolata",
            "via Bertola",
        ),
        2: (
            "corso Orbassano",
            "via Rubino",
            "corso Giovanni Agnelli",
            "via Guido Reni",
            "corso Unione Sovietica",
            "via Baltimora",
            "corso Sebastopoli",
            "via Onorato Vigliani",
            "strada del Drosso",
            "via Panetti",
            "corso Siracusa",
            "via Gaidano",
            "via Plava",
            "corso Traiano",
        ),
        3: (
            "corso Francia",
            "via Di Nanni",
            "corso Peschiera",
            "via Issiglio",
            "corso Trapani",
            "via Pietro Cossa",
            "corso Racconigi",
            "via Monginevro",
            "via Bardonecchia",
            "corso Brunelleschi",
            "via Chambery",
            "corso Monte Cucco",
            "via Frejus",
        ),
        4: (
            "via San Donato",
            "via Cibrario",
            "corso Svizzera",
            "via Saccarelli",
            "via Nole",
            "corso Appio Claudio",
            "via Fabrizi",
            "via Pacinotti",
            "corso Lecce",
            "via Medici",
            "via Pinelli",
            "corso Tassoni",
            "via Asinari di Bernezzo",
        ),
        5: (
            "via Chiesa della Salute",
            "corso Grosseto",
            "via Stradella",
            "via Pianezza",
            "corso Lombardia",
            "via Sospello",
            "corso Toscana",
            "strada Altessano",
            "via Borsi",
            "via Vibò",
            "corso Molise",
            "via delle Verbene",
            "via Val della Torre",
        ),
        6: (
            "corso Giulio Cesare",
            "via Cigna",
            "via Agliè",
            "via Baltea",
            "via Montanaro",
            "corso Vercelli",
            "via Sempione",
            "via Mercadante",
            "corso Taranto",
            "via Cherubini",
            "via Gottardo",
            "strada del Villaretto",
            "via degli Abeti",
            "via Paisiello",
        ),
        7: (
            "corso Regio Parco",
            "via Vanchiglia",
            "corso Belgio",
            "via Buniva",
            "via Cecchi",
            "corso Casale",
            "via Catania",
            "corso Palermo",
            "via Reggio",
            "corso Tortona",
            "via Bologna",
            "via Napione",
            "strada San Mauro",
        ),
        8: (
            "via Nizza",
            "via Madama Cristina",
            "via Morgari",
            "via Saluzzo",
            "via Ormea",
            "corso Moncalieri",
            "via Tepice",
            "corso Bramante",
            "via Genova",
            "via Giordano Bruno",
            "corso Unità d'Italia",
            "via Passo Buole",
            "corso Massimo d'Azeglio",
            "via Baiardi",
        ),
    },
    squares={
        1: (
            "piazza Bodoni",
            "piazza Maria Teresa",
            "largo Montebello",
            "piazza Savoia",
            "piazza Carlina",
            "piazza della Consolata",
            "piazza Vittorio Veneto",
        ),
        2: ("piazza Santa Rita da Cascia", "piazza Livio Bianco", "piazza Pitagora"),
        3: ("piazza Sabotino", "piazza Bernini", "piazza Marmolada", "piazza Adriano"),
        4: ("piazza Campanella", "largo Cibrario", "piazza Paravia", "piazza Risorgimento"),
        5: ("piazza Chiesa della Salute", "piazza Stampalia", "piazza Eugenio Montale"),
        6: ("piazza Foroni", "piazza Crispi", "piazza Respighi", "piazza Rebaudengo"),
        7: (
            "piazza della Repubblica",
            "piazza Santa Giulia",
            "piazza Borgo Dora",
            "largo Brescia",
            "piazza Gustavo Modena",
        ),
        8: (
            "largo Saluzzo",
            "piazza Madama Cristina",
            "piazza Nizza",
            "piazza Bengasi",
            "piazza Galimberti",
        ),
    },
    parks={
        1: ("Giardini Cavour", "Giardino Sambuy", "Giardini della Cittadella"),
        2: ("Parco Colonnetti", "Parco Piemonte", "Parco Rignon"),
        3: ("Parco Ruffini",),
        4: ("Parco della Tesoriera", "Parco Carrara"),
        5: ("Parco Dora",),
        6: ("Parco Sempione", "Parco Aurelio Peccei", "Parco della Confluenza"),
        7: ("Parco Michelotti", "Parco della Colletta"),
        8: ("Parco del Valentino", "Parco Italia '61", "Parco Europa", "Parco Di Vittorio"),
    },
    places={
        1: ("Crocetta", "Quadrilatero", "Borgo Nuovo"),
        2: ("Santa Rita", "Mirafiori Nord", "Mirafiori Sud"),
        3: ("San Paolo", "Cenisia", "Pozzo Strada", "Cit Turin", "Borgata Lesna"),
        4: ("San Donato", "Campidoglio", "Parella"),
        5: ("Borgo Vittoria", "Madonna di Campagna", "Lucento", "Vallette"),
        6: ("Barriera di Milano", "Regio Parco", "Barca", "Bertolla", "Falchera", "Rebaudengo"),
        7: ("Aurora", "Vanchiglia", "Sassi", "Madonna del Pilone"),
        8: ("San Salvario", "Cavoretto", "Borgo Po", "Nizza Millefonti", "Lingotto"),
    },
    landmarks={
        1: ("Ex caserma Lamarmora", "Ex tipografia Bona"),
        2: ("Cascina Giajone", "Cascina Piola", "Ex fonderia Limone"),
        3: ("Ex lanificio Colongo", "Cascina Tabona"),
        4: ("Ex officine Diatto", "Ex cotonificio Poma"),
        5: ("Cascina Fossata", "Cascina Marchesa", "Cascina Boschetto"),
        6: ("Ex Incet", "Ex fabbrica Nebiolo", "Cascina Falchera", "Ex Ceat"),
        7: ("Ex manifattura Tabacchi", "Ex conceria Fiorio", "Cascina Bellezia"),
        8: ("Ex Mercati Generali – palazzina uffici", "Cascina Grangia"),
    },
    arcades={1: ("via Po", "corso Vittorio Emanuele II", "via Sacchi", "piazza Vittorio Veneto")},
    barracks=("Dabormida", "Amione", "Sani", "Pugnani", "Cesare di Saluzzo", "Bergia"),
)

REGGIO_EMILIA = CityPlan(
    slug="reggio-emilia",
    phone_prefix="0522",
    counts={
        Kind.BUILDING: 6,
        Kind.SCHOOL: 5,
        Kind.GREEN_AREA: 7,
        Kind.SQUARE_STREET: 4,
        Kind.SPORTS_FACILITY: 3,
    },
    hubs=(
        DemoHub(
            "Centro sociale Orologio",
            "via Tassoni 12",
            5,
            "Centro sociale di quartiere con sala da ballo, bar e un orto sul retro, gestito "
            "da volontari e aperto alle associazioni.",
            (Service.ROOMS, Service.EVENTS, Service.CAFE, Service.GARDEN),
        ),
        DemoHub(
            "Casa di quartiere Gardenia",
            "via Pasteur 11",
            3,
            "Casa di quartiere con sale per gruppi, un giardino condiviso e il punto di "
            "ascolto del laboratorio di cittadinanza del quartiere.",
            (Service.HELP_DESK, Service.ROOMS, Service.GARDEN),
            run_by="Orti Condivisi Reggiani APS",
        ),
        DemoHub(
            "Centro sociale Venezia",
            "via Turri 35",
            2,
            "Centro sociale di Santa Croce, con sale per corsi, una piccola biblioteca e "
            "pranzi di comunità la domenica.",
            (Service.ROOMS, Service.EVENTS, Service.CAFE),
        ),
    ),
    immaterial=(
        (
            "Memoria della Resistenza a Villa Sesso",
            "Testimonianze, lettere e luoghi della Resistenza nelle frazioni a nord della "
            "città, raccolti insieme alle scuole.",
        ),
        (
            "Archivio fotografico delle Officine Reggiane",
            "Le fotografie di famiglia degli operai delle Reggiane, raccolte nel quartiere Santa "
            "Croce e da rendere consultabili.",
        ),
    ),
    streets={
        1: (
            "via Emilia San Pietro",
            "via Emilia Santo Stefano",
            "via Roma",
            "corso Garibaldi",
            "via Farini",
            "via Fontanelli",
            "via Sessi",
            "viale Piave",
            "viale Monte Grappa",
        ),
        2: (
            "via Turri",
            "via Paradisi",
            "via Emilia Ospizio",
            "via Adua",
            "via Premuda",
            "via Mazzacurati",
        ),
        3: (
            "via Martiri di Cervarolo",
            "via Pasteur",
            "via Cecati",
            "via Gorizia",
            "via Fratelli Rosselli",
            "via Pieve Modolena",
        ),
        4: ("via Rivalta", "via Martiri della Bettola", "via Kennedy", "via Fratelli Bandiera"),
        5: ("via Canalina", "via Settembrini", "via Monte Cusna", "via Pasubio", "via Tassoni"),
        6: ("via Gramsci", "via dell'Industria", "via Beethoven", "via Lincoln"),
        7: ("via Gavassa", "via Massenzatico", "via Pratofontana", "via Bagno"),
        8: ("via Emilia all'Angelo", "via Cadè", "via Gaida", "via Bibbiano"),
    },
    squares={
        1: (
            "piazza Prampolini",
            "piazza Fontanesi",
            "piazza San Prospero",
            "piazza della Vittoria",
            "piazza Martiri del 7 Luglio",
        ),
        2: ("piazzale Marconi",),
        5: ("piazza Primo Maggio",),
    },
    parks={
        1: ("Parco del Popolo",),
        2: ("Parco Ottavi",),
        4: ("Parco della Reggia di Rivalta",),
        5: ("Parco delle Caprette",),
        6: ("Parco di Villa Sesso",),
    },
    places={
        1: ("Centro storico", "San Pietro", "Santo Stefano"),
        2: ("Santa Croce", "Ospizio"),
        3: ("Rosta Nuova", "Pieve Modolena"),
        4: ("Buco del Signore", "Rivalta"),
        5: ("San Pellegrino", "Canali"),
        6: ("Mancasale", "Villa Sesso"),
        7: ("Gavassa", "Massenzatico"),
        8: ("Cadè", "Gaida"),
    },
    landmarks={
        1: ("Ex caserma Zucchi",),
        2: ("Ex Officine Reggiane – capannone 18",),
        3: ("Corte di Pieve Modolena",),
        4: ("Ex fienile della Reggia di Rivalta",),
        5: ("Casa colonica Ferrarini",),
        6: ("Ex fornace di Mancasale",),
        7: ("Ex latteria sociale di Gavassa", "Ex caseificio di Massenzatico"),
        8: ("Ex latteria sociale di Gaida",),
    },
    arcades={1: ("via Emilia San Pietro", "via Emilia Santo Stefano", "corso Garibaldi")},
    spread=0.025,
)

LATINA = CityPlan(
    slug="latina",
    phone_prefix="0773",
    counts={
        Kind.BUILDING: 6,
        Kind.SCHOOL: 5,
        Kind.GREEN_AREA: 7,
        Kind.SQUARE_STREET: 4,
        Kind.SPORTS_FACILITY: 4,
    },
    hubs=(
        DemoHub(
            "Casa di quartiere Nicolosi",
            "via Isonzo 160",
            1,
            "Casa di quartiere nei locali di un'ex scuola, con sale per le associazioni, "
            "doposcuola e uno sportello per proporre patti di collaborazione.",
            (Service.HELP_DESK, Service.ROOMS, Service.EVENTS),
        ),
        DemoHub(
            "Centro sociale Borgo Sabotino",
            "strada Sabotino 8",
            3,
            "Centro sociale del borgo, con una sala per le feste, un campo da bocce e un orto "
            "curato dai soci.",
            (Service.ROOMS, Service.CAFE, Service.GARDEN),
        ),
    ),
    immaterial=(
        (
            "Memoria della bonifica dell'Agro Pontino",
            "Racconti delle famiglie venete, friulane ed emiliane arrivate nei poderi negli anni "
            "Trenta, da raccogliere prima che vadano persi.",
        ),
        (
            "Festa del mare di Foce Verde",
            "Festa d'estate sul lungomare, con la pulizia collettiva della spiaggia e una cena "
            "all'aperto preparata dalle associazioni del borgo.",
        ),
    ),
    streets={
        1: (
            "corso della Repubblica",
            "via Eugenio di Savoia",
            "viale Le Corbusier",
            "via dei Volsci",
            "viale Kennedy",
            "via Isonzo",
            "via Romagnoli",
            "viale XXI Aprile",
            "via Villafranca",
            "via Piave",
            "via Oberdan",
            "via Sezze",
        ),
        2: ("via della Stazione", "via Monti Lepini", "via dei Piceni", "via Cisterna"),
        3: (
            "strada Lungomare",
            "via del Lido",
            "strada Sabotino",
            "strada Acque Alte",
            "strada Capoportiere",
        ),
        4: ("strada Podgora", "strada Carso", "via Chiesuola", "via Prato Cesarino"),
        5: ("via Appia", "strada Migliara 45", "strada San Michele", "via Faiti"),
        6: ("via del Lago di Fogliano", "strada Bainsizza", "strada Grappa", "strada Litoranea"),
    },
    squares={
        1: (
            "piazza del Popolo",
            "piazza della Libertà",
            "piazza San Marco",
            "piazza del Quadrato",
            "piazza Dante",
        ),
        2: ("piazza della Stazione",),
        3: ("piazza di Borgo Sabotino",),
        4: ("piazza di Borgo Podgora",),
        5: ("piazza di Borgo Faiti",),
        6: ("piazza di Borgo Grappa",),
    },
    parks={
        1: ("Parco Falcone e Borsellino", "Parco San Marco"),
        3: ("Pineta di Foce Verde",),
    },
    places={
        1: ("Latina Centro", "Nicolosi", "Q4", "Q5"),
        2: ("Latina Scalo",),
        3: ("Borgo Sabotino", "Foce Verde"),
        4: ("Borgo Podgora", "Borgo Carso"),
        5: ("Borgo San Michele", "Borgo Faiti"),
        6: ("Borgo Grappa", "Borgo Bainsizza"),
    },
    landmarks={
        1: ("Ex Garage Ruspi", "Ex mercato annonario"),
        2: ("Ex consorzio agrario di Latina Scalo", "Ex magazzini ferroviari"),
        3: ("Ex colonia marina di Foce Verde", "Casale ex ONC di strada Sabotino"),
        4: ("Casale ex ONC di Borgo Podgora", "Ex scuola rurale di Borgo Carso"),
        5: ("Ex scuola rurale di Borgo Faiti", "Casale ex ONC della Migliara 45"),
        6: ("Ex scuola rurale di Borgo Bainsizza", "Ex impianto idrovoro di Borgo Grappa"),
    },
    arcades={1: ("piazza del Popolo",)},
    eras=("degli anni Trenta", "del dopoguerra", "degli anni Cinquanta", "degli anni Sessanta"),
    spread=0.03,
)

PLANS = (TORINO, REGGIO_EMILIA, LATINA)

DISTRICT_CENTRES = {
    (city.slug, number): (lon, lat)
    for city in DEMO_CITIES
    for number, (_name, lon, lat) in enumerate(city.districts, start=1)
}


# --- Geometry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Area:
    """A district's polygon, prepared for fast point-in-polygon tests."""

    district: District
    shape: BaseGeometry
    prepared: PreparedGeometry
    centre: tuple[float, float] | None


class _Places:
    def __init__(self, municipality: Municipality, plan: CityPlan, rng: random.Random) -> None:
        self.rng = rng
        self.plan = plan
        self.city: PreparedGeometry | None = (
            prep(shape(municipality.boundary)) if municipality.boundary else None
        )
        self.areas: dict[int, _Area] = {}
        for district in municipality.districts.order_by("number", "pk"):
            if district.number is None or not district.boundary:
                continue
            polygon = shape(district.boundary)
            self.areas[district.number] = _Area(
                district,
                polygon,
                prep(polygon),
                DISTRICT_CENTRES.get((plan.slug, district.number)),
            )

    def _inside(self, area: _Area, geometry: BaseGeometry) -> bool:
        if not area.prepared.contains(geometry):
            return False
        return self.city is None or self.city.contains(geometry)

    def point(self, number: int, spread: float | None) -> tuple[float, float]:
        area = self.areas[number]
        min_lon, min_lat, max_lon, max_lat = area.shape.bounds
        if spread is not None and area.centre is not None:
            lon, lat = area.centre
            near = (
                max(min_lon, lon - spread),
                max(min_lat, lat - spread * 0.75),
                min(max_lon, lon + spread),
                min(max_lat, lat + spread * 0.75),
            )
            for _ in range(300):
                candidate = self._draw(near)
                if self._inside(area, Point(candidate)):
                    return candidate
        for _ in range(5000):
            candidate = self._draw((min_lon, min_lat, max_lon, max_lat))
            if self._inside(area, Point(candidate)):
                return candidate
        point = area.shape.representative_point()
        return (point.x, point.y)

    def _draw(self, bounds: tuple[float, float, float, float]) -> tuple[float, float]:
        min_lon, min_lat, max_lon, max_lat = bounds
        return (
            round(self.rng.uniform(min_lon, max_lon), 6),
            round(self.rng.uniform(min_lat, max_lat), 6),
        )

    def rectangle(self, number: int, spread: float | None) -> dict[str, Any] | None:
        """A GeoJSON rectangle of 80–150 m a side inside the district, or None."""
        area = self.areas[number]
        for _ in range(20):
            lon, lat = self.point(number, spread)
            half_width = self.rng.uniform(80, 150) / 2 / (111_320 * math.cos(math.radians(lat)))
            half_height = self.rng.uniform(80, 150) / 2 / 110_540
            west, east = round(lon - half_width, 6), round(lon + half_width, 6)
            south, north = round(lat - half_height, 6), round(lat + half_height, 6)
            if self._inside(area, box(west, south, east, north)):
                ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
                return {"type": "Polygon", "coordinates": [ring]}
        return None


# --- Seeding ---------------------------------------------------------------------------------


class _Picker:
    """Draws names, addresses and descriptions for one city, never the same name twice."""

    def __init__(self, plan: CityPlan, rng: random.Random) -> None:
        self.plan = plan
        self.rng = rng
        self.used: set[str] = set()

    def values(self, number: int, fields: set[str]) -> dict[str, Any]:
        plan, rng = self.plan, self.rng
        values: dict[str, Any] = {}
        if fields & {"street", "Street", "street2"}:
            street, street2 = rng.sample(plan.streets[number], 2)
            values.update(street=street, Street=_cap(street), street2=street2)
        if fields & {"square", "Square"}:
            square = rng.choice(plan.squares[number])
            values.update(square=square, Square=_cap(square))
        if "park" in fields:
            values["park"] = rng.choice(plan.parks[number])
        if "arcade" in fields:
            values["arcade"] = rng.choice(plan.arcades[number])
        if "place" in fields:
            values["place"] = rng.choice(plan.places[number])
        if "person" in fields:
            values["person"] = rng.choice(PEOPLE)
        if "landmark" in fields:
            values["landmark"] = rng.choice(plan.landmarks[number])
        if "barracks" in fields:
            values["barracks"] = rng.choice(plan.barracks)
        if "n" in fields:
            values["n"] = rng.randint(1, 180)
        return values

    def _usable(self, template: Template, number: int) -> bool:
        pools = {
            "square": self.plan.squares,
            "Square": self.plan.squares,
            "park": self.plan.parks,
            "arcade": self.plan.arcades,
            "landmark": self.plan.landmarks,
        }
        for name in _fields(template[1]):
            if name in pools and not pools[name].get(number):
                return False
            if name == "barracks" and not self.plan.barracks:
                return False
        return True

    def name(self, kind: str, number: int) -> tuple[str, str, str, str]:
        """(name, address, feature, place) for a commons of that kind in that district."""
        templates = [t for t in TEMPLATES[kind] if self._usable(t, number)]
        weights = [t[0] for t in templates]
        for attempt in range(60):
            _weight, name_tpl, address_tpl, feature = self.rng.choices(templates, weights)[0]
            values = self.values(number, _fields(name_tpl) | _fields(address_tpl) | {"place"})
            name = name_tpl.format(**values)
            if attempt >= 40:  # Crowded pools: tell the twins apart by their street.
                values |= self.values(number, {"street"})
                name = f"{name} ({values['street']})"
            if name not in self.used:
                self.used.add(name)
                return name, address_tpl.format(**values), feature, values["place"]
        raise RuntimeError(f"no free name for a {kind} in district {number}")

    def description(self, kind: str, feature: str, place: str) -> str:
        rng = self.rng
        values = {
            "era": rng.choice(self.plan.eras),
            "sqm": rng.choice(range(150, 2400, 50))
            if kind != Kind.GREEN_AREA
            else rng.choice(range(300, 9000, 100)),
            "floors": rng.randint(1, 4),
            "year": rng.randint(1986, 2022),
            "pupils": rng.choice(range(120, 720, 10)),
            "plots": rng.randint(12, 60),
            "trees": rng.choice(range(12, 80, 2)),
            "courts": rng.randint(2, 6),
            "length": rng.choice(range(40, 400, 10)),
            "wall": rng.choice(range(8, 60, 2)),
            "small": rng.choice(range(40, 420, 20)),
            "weekday": rng.choice(WEEKDAYS),
            "green_feature": rng.choice(GREEN_FEATURES),
            "use": rng.choice(USES),
            "place": place,
        }
        first = rng.choice(FIRST_SENTENCES[feature]).format(**values)
        if rng.random() < 0.2:
            return first
        second = rng.choice(SECOND_SENTENCES.get(feature) or SECOND_SENTENCES[kind])
        return f"{first} {second.format(**values)}"


def _fields(template: str) -> set[str]:
    return {field for _text, field, _spec, _conv in Formatter().parse(template) if field}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _share(rng: random.Random, kinds: list[str], kind: str, fraction: float) -> set[int]:
    """Positions of about that fraction (at least one) of the commons of that kind."""
    positions = [index for index, other in enumerate(kinds) if other == kind]
    return set(rng.sample(positions, min(len(positions), max(1, round(fraction * len(positions))))))


def _availability(rng: random.Random) -> str:
    return rng.choices(
        (Availability.OPEN, Availability.UNDER_PACT, Availability.UNAVAILABLE), (70, 20, 10)
    )[0]


def _organisation(name: str) -> Organisation | None:
    if not name:
        return None
    return Organisation.objects.filter(name=name).order_by("pk").first()


def _seed_hubs(
    plan: CityPlan,
    municipality: Municipality,
    places: _Places,
    picker: _Picker,
    rng: random.Random,
) -> None:
    for number, hub in enumerate(plan.hubs, start=1):
        if hub.lon is not None and hub.lat is not None:
            lon, lat = hub.lon, hub.lat
        else:
            lon, lat = places.point(hub.district, 0.012)
        picker.used.add(hub.name)
        commons = commons_create(
            actor=None,
            municipality=municipality,
            name=hub.name,
            kind=Kind.BUILDING,
            lon=lon,
            lat=lat,
            polygon=None,
            description=hub.description,
            address=hub.address,
            owning_department="Patrimonio",
            availability=Availability.UNDER_PACT,
            heritage_constraint=bool(hub.heritage_notes),
            heritage_notes=hub.heritage_notes,
        )
        local = f"casa{number}.{plan.slug}"
        hub_set(
            actor=None,
            commons=commons,
            opening_hours=hub.opening_hours or rng.choice(OPENING_HOURS),
            services=list(hub.services),
            run_by=_organisation(hub.run_by),
            phone=f"{plan.phone_prefix} 000 {rng.randint(1000, 9999)}",
            email=hub.email or f"info@{local}.example.org",
            website=hub.website or f"https://{local}.example.org/",
        )


def _seed_city(plan: CityPlan, municipality: Municipality, rng: random.Random) -> None:
    places = _Places(municipality, plan, rng)
    picker = _Picker(plan, rng)
    _seed_hubs(plan, municipality, places, picker, rng)

    numbers = sorted(places.areas)
    kinds = [kind for kind, count in plan.counts.items() for _ in range(count)]
    rng.shuffle(kinds)
    # Every district gets its share: deal the districts round, then shuffle.
    assigned = [numbers[i % len(numbers)] for i in range(len(kinds))]
    rng.shuffle(assigned)
    # About one green area in ten is drawn as a polygon, one building in seven is protected.
    as_polygon = _share(rng, kinds, Kind.GREEN_AREA, 0.1)
    protected = _share(rng, kinds, Kind.BUILDING, 0.15)
    for index, (kind, number) in enumerate(zip(kinds, assigned, strict=True)):
        name, address, feature, place = picker.name(kind, number)
        polygon = places.rectangle(number, plan.spread) if index in as_polygon else None
        lon, lat = (None, None) if polygon else places.point(number, plan.spread)
        heritage = index in protected
        commons_create(
            actor=None,
            municipality=municipality,
            name=name,
            kind=kind,
            lon=lon,
            lat=lat,
            polygon=polygon,
            description=picker.description(kind, feature, place),
            address=address,
            owning_department=rng.choice(DEPARTMENTS[kind]),
            availability=_availability(rng),
            heritage_constraint=heritage,
            heritage_notes=rng.choice(HERITAGE_NOTES) if heritage else "",
        )

    for name, description in plan.immaterial:
        commons_create(
            actor=None,
            municipality=municipality,
            name=name,
            kind=Kind.IMMATERIAL,
            lon=None,
            lat=None,
            polygon=None,
            description=description,
            address="",
            owning_department="",
            availability=_availability(rng),
            heritage_constraint=False,
            heritage_notes="",
        )


def seed(*, rng: random.Random) -> None:
    """Create the demo commons of the cities that have none yet."""
    # One stream per city, drawn up front, so that a skipped city leaves the others unchanged.
    city_seeds = {plan.slug: rng.randrange(2**32) for plan in PLANS}
    for plan in PLANS:
        municipality = Municipality.objects.filter(slug=plan.slug).first()
        if municipality is None or municipality.commons.exists():
            continue
        _seed_city(plan, municipality, random.Random(city_seeds[plan.slug]))
