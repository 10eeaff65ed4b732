"""The platform's open-data catalogue in DCAT-AP_IT (the Italian profile of DCAT-AP), as
JSON-LD: for each municipality a "pacts" and a "commons" dataset, each with its CSV and GeoJSON
distributions (the streamed exports of ``cocity.opendata.exports``).

Built in three queries whatever the number of municipalities: the municipalities, and the last
change of the rows of each dataset, aggregated per municipality."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from cocity.commons.models import Commons
from cocity.municipalities.models import Municipality
from cocity.pacts.models import Pact, Status

PLATFORM_NAME = "Co-City"
PLATFORM_IDENTIFIER = "cocity"

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatapit": "http://dati.gov.it/onto/dcatapit#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

EU = "http://publications.europa.eu/resource/authority"
FILE_TYPE = {"csv": f"{EU}/file-type/CSV", "geojson": f"{EU}/file-type/GEOJSON"}
MEDIA_TYPE = {
    "csv": "https://www.iana.org/assignments/media-types/text/csv",
    "geojson": "https://www.iana.org/assignments/media-types/application/geo+json",
}
CONFORMS_TO = {
    "csv": "https://www.rfc-editor.org/rfc/rfc4180",
    "geojson": "https://www.rfc-editor.org/rfc/rfc7946",
}
THEMES = (f"{EU}/data-theme/SOCI", f"{EU}/data-theme/GOVE")
DAILY = f"{EU}/frequency/DAILY"
ITALIAN = f"{EU}/language/ITA"

_ADMS = "http://purl.org/adms/licencetype"
# open_data_licence (an SPDX-like identifier) → (URI, name, ADMS licence type or "").
LICENCES: dict[str, tuple[str, str, str]] = {
    "CC-BY-4.0": (
        "https://creativecommons.org/licenses/by/4.0/",
        "Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)",
        f"{_ADMS}/Attribution",
    ),
    "CC-BY-SA-4.0": (
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "Creative Commons Attribuzione - Condividi allo stesso modo 4.0 (CC BY-SA 4.0)",
        f"{_ADMS}/ShareAlike",
    ),
    "CC0-1.0": (
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "Creative Commons CC0 1.0 Universale",
        f"{_ADMS}/PublicDomain",
    ),
    "IODL-2.0": (
        "https://www.dati.gov.it/content/italian-open-data-license-v20",
        "Italian Open Data License v2.0",
        f"{_ADMS}/Attribution",
    ),
    "ODBL-1.0": (
        "https://opendatacommons.org/licenses/odbl/1-0/",
        "Open Data Commons Open Database License 1.0",
        f"{_ADMS}/ShareAlike",
    ),
}

# The two datasets of a municipality: export URL names by format, and their texts.
DATASETS: dict[str, dict[str, Any]] = {
    "pacts": {
        "exports": {"csv": "api-1:pacts_csv", "geojson": "api-1:pacts_geojson"},
        "landing": "pacts:list",
        "title": {
            "it": "Patti di collaborazione del Comune di {name}",
            "en": "Collaboration pacts of the Municipality of {name}",
        },
        "description": {
            "it": (
                "Il registro pubblico dei patti di collaborazione per la cura, la gestione "
                "condivisa e la rigenerazione dei beni comuni urbani del Comune di {name}: "
                "numero, titolo, stato, fase, complessità, categoria, bene comune, quartiere, "
                "proponente, date e posizione. Le bozze non sono pubblicate; un cittadino "
                "privato compare per nome solo se vi ha acconsentito, altrimenti come "
                "“a citizen”."
            ),
            "en": (
                "The public register of the collaboration pacts for the care, shared "
                "management and regeneration of the urban commons of the Municipality of "
                "{name}: number, title, status, stage, complexity, category, commons, "
                "district, proponent, dates and position. Drafts are not published; a private "
                "citizen is named only with their consent, otherwise as “a citizen”."
            ),
        },
        "keywords": {
            "it": ["patti di collaborazione", "beni comuni", "amministrazione condivisa"],
            "en": ["collaboration pacts", "urban commons", "shared administration"],
        },
    },
    "commons": {
        "exports": {"csv": "api-1:commons_csv", "geojson": "api-1:commons_geojson"},
        "landing": "commons:list",
        "title": {
            "it": "Beni comuni urbani del Comune di {name}",
            "en": "Urban commons of the Municipality of {name}",
        },
        "description": {
            "it": (
                "Il catalogo dei beni comuni urbani del Comune di {name} (edifici, aree verdi, "
                "piazze e strade, scuole, impianti sportivi, beni immateriali) che i cittadini "
                "possono curare con un patto di collaborazione: nome, tipo, disponibilità, "
                "indirizzo, quartiere, ufficio proprietario, posizione e case del quartiere."
            ),
            "en": (
                "The catalogue of the urban commons of the Municipality of {name} (buildings, "
                "green areas, squares and streets, schools, sports facilities, immaterial "
                "commons) that citizens can care for under a collaboration pact: name, kind, "
                "availability, address, district, owning department, position and "
                "neighbourhood houses."
            ),
        },
        "keywords": {
            "it": ["beni comuni", "case del quartiere", "amministrazione condivisa"],
            "en": ["urban commons", "neighbourhood houses", "shared administration"],
        },
    },
}

FORMAT_LABEL = {"csv": "CSV", "geojson": "GeoJSON"}


def _texts(texts: dict[str, str], **values: str) -> list[dict[str, str]]:
    return [{"@value": text.format(**values), "@language": lang} for lang, text in texts.items()]


def _date(value: dt.date) -> dict[str, str]:
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def _day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def _iri(value: str) -> dict[str, str]:
    return {"@id": value}


def licence(value: str) -> dict[str, Any]:
    """The ``dct:license`` node for a municipality's ``open_data_licence``: a known identifier
    (CC-BY-4.0 by default), a URL, or else an SPDX identifier."""
    raw = (value or "").strip() or "CC-BY-4.0"
    key = raw.upper().replace(" ", "-")
    node: dict[str, Any] = {"@type": ["dct:LicenseDocument", "dcatapit:LicenseDocument"]}
    if key in LICENCES:
        uri, name, kind = LICENCES[key]
        node.update({"@id": uri, "foaf:name": name, "dct:type": _iri(kind)})
    elif raw.startswith(("http://", "https://")):
        node.update({"@id": raw, "foaf:name": raw})
    else:
        node.update({"@id": f"https://spdx.org/licenses/{raw.replace(' ', '-')}.html"})
        node["foaf:name"] = raw
    return node


def _agent(catalog_url: str, municipality: Municipality) -> dict[str, Any]:
    """The municipality as publisher and rights holder, identified by its IPA code where
    known, else by its ISTAT code."""
    node: dict[str, Any] = {
        "@id": f"{catalog_url}#agent-{municipality.slug}",
        "@type": ["foaf:Agent", "dcatapit:Agent"],
        "foaf:name": [
            {"@value": f"Comune di {municipality.name}", "@language": "it"},
            {"@value": f"Municipality of {municipality.name}", "@language": "en"},
        ],
    }
    code = municipality.ipa_code or municipality.istat_code
    if code:
        node["dct:identifier"] = code
    return node


def _contact(catalog_url: str, municipality: Municipality, home: str) -> dict[str, Any]:
    """The municipality has no public e-mail on the platform: the contact point is its website
    (or its pages on the platform), named by the role that answers."""
    return {
        "@id": f"{catalog_url}#contact-{municipality.slug}",
        "@type": ["vcard:Organization", "dcatapit:Organization"],
        "vcard:fn": f"Comune di {municipality.name} - Ufficio beni comuni",
        "vcard:hasURL": _iri(municipality.website or home),
    }


def _distribution(
    request: HttpRequest,
    catalog_url: str,
    municipality: Municipality,
    dataset: str,
    fmt: str,
    url_name: str,
    licence_node: dict[str, Any],
) -> dict[str, Any]:
    url = request.build_absolute_uri(reverse(url_name, kwargs={"city": municipality.slug}))
    texts = DATASETS[dataset]["title"]
    label = FORMAT_LABEL[fmt]
    return {
        "@id": f"{catalog_url}#{municipality.slug}-{dataset}-{fmt}",
        "@type": ["dcat:Distribution", "dcatapit:Distribution"],
        "dct:title": [
            {"@value": f"{t.format(name=municipality.name)} ({label})", "@language": lang}
            for lang, t in texts.items()
        ],
        "dcat:accessURL": _iri(url),
        "dcat:downloadURL": _iri(url),
        "dct:format": _iri(FILE_TYPE[fmt]),
        "dcat:mediaType": _iri(MEDIA_TYPE[fmt]),
        "dct:conformsTo": _iri(CONFORMS_TO[fmt]),
        "dct:license": licence_node,
    }


def catalog(request: HttpRequest) -> dict[str, Any]:
    """The DCAT-AP_IT catalogue as a JSON-LD document with an inline ``@context``."""
    catalog_url = request.build_absolute_uri(reverse("api-1:catalog"))
    homepage = request.build_absolute_uri("/")
    municipalities = list(
        Municipality.objects.only(
            "slug", "name", "istat_code", "ipa_code", "website", "open_data_licence", "created_at"
        ).order_by("name")
    )
    modified: dict[str, dict[int, dt.datetime]] = {
        "pacts": dict(
            Pact.objects.exclude(status=Status.DRAFT)
            .values("municipality_id")
            .annotate(last=Max("updated_at"))
            .order_by()
            .values_list("municipality_id", "last")
        ),
        "commons": dict(
            Commons.objects.values("municipality_id")
            .annotate(last=Max("updated_at"))
            .order_by()
            .values_list("municipality_id", "last")
        ),
    }

    today = timezone.localdate()
    datasets: list[dict[str, Any]] = []
    for municipality in municipalities:
        agent = _agent(catalog_url, municipality)
        home = request.build_absolute_uri(municipality.get_absolute_url())
        contact = _contact(catalog_url, municipality, home)
        licence_node = licence(municipality.open_data_licence)
        issued = _day(municipality.created_at)
        code = agent.get("dct:identifier")
        for key, spec in DATASETS.items():
            last = modified[key].get(municipality.pk)
            datasets.append(
                {
                    "@id": f"{catalog_url}#{municipality.slug}-{key}",
                    "@type": ["dcat:Dataset", "dcatapit:Dataset"],
                    "dct:identifier": f"{code}:cocity-{key}"
                    if code
                    else f"cocity-{municipality.slug}-{key}",
                    "dct:title": _texts(spec["title"], name=municipality.name),
                    "dct:description": _texts(spec["description"], name=municipality.name),
                    "dct:publisher": agent,
                    "dct:rightsHolder": agent,
                    "dct:issued": _date(issued),
                    "dct:modified": _date(max(_day(last), issued) if last else issued),
                    "dct:accrualPeriodicity": _iri(DAILY),
                    "dct:language": _iri(ITALIAN),
                    "dcat:theme": [_iri(theme) for theme in THEMES],
                    "dcat:keyword": [
                        {"@value": word, "@language": lang}
                        for lang, words in spec["keywords"].items()
                        for word in [*words, municipality.name]
                    ],
                    "dcat:landingPage": _iri(
                        request.build_absolute_uri(
                            reverse(spec["landing"], kwargs={"city": municipality.slug})
                        )
                    ),
                    "dcat:contactPoint": contact,
                    "dcat:distribution": [
                        _distribution(
                            request, catalog_url, municipality, key, fmt, url_name, licence_node
                        )
                        for fmt, url_name in spec["exports"].items()
                    ],
                }
            )

    modified_dates = [d["dct:modified"]["@value"] for d in datasets]
    issued_dates = [_day(m.created_at).isoformat() for m in municipalities]
    return {
        "@context": CONTEXT,
        "@id": catalog_url,
        "@type": ["dcat:Catalog", "dcatapit:Catalog"],
        "dct:title": [
            {
                "@value": f"{PLATFORM_NAME}: beni comuni e patti di collaborazione",
                "@language": "it",
            },
            {
                "@value": f"{PLATFORM_NAME}: urban commons and collaboration pacts",
                "@language": "en",
            },
        ],
        "dct:description": [
            {
                "@value": "I dati aperti dei comuni sulla piattaforma per l'amministrazione "
                "condivisa dei beni comuni urbani: per ogni comune, il registro dei patti di "
                "collaborazione e il catalogo dei beni comuni.",
                "@language": "it",
            },
            {
                "@value": "The open data of the municipalities on the platform for the shared "
                "administration of urban commons: for each municipality, the register of "
                "collaboration pacts and the catalogue of commons.",
                "@language": "en",
            },
        ],
        "dct:publisher": {
            "@id": f"{catalog_url}#publisher",
            "@type": ["foaf:Agent", "dcatapit:Agent"],
            "foaf:name": PLATFORM_NAME,
            "dct:identifier": PLATFORM_IDENTIFIER,
        },
        "dct:issued": {"@value": min(issued_dates, default=today.isoformat()), "@type": "xsd:date"},
        "dct:modified": {
            "@value": max(modified_dates, default=today.isoformat()),
            "@type": "xsd:date",
        },
        "dct:language": _iri(ITALIAN),
        "foaf:homepage": _iri(homepage),
        "dcat:dataset": datasets,
    }
