import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from cocity.commons.models import Commons
from cocity.municipalities.models import Municipality
from cocity.pacts.models import Pact, Status
from tests.commons.factories import CommonsFactory
from tests.municipalities.factories import MunicipalityFactory
from tests.pacts.factories import Cast, PactFactory

# rdflib's JSON-LD parser still builds a ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
DCT_FORMAT = DCT["format"]  # DCT.format is str.format
DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority"
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")

CATALOG_MANDATORY = (DCT.title, DCT.description, DCT.publisher, DCT.modified, DCAT.dataset)
DATASET_MANDATORY = (
    DCT.identifier,
    DCT.title,
    DCT.description,
    DCT.publisher,
    DCT.modified,
    DCAT.theme,
    DCT.rightsHolder,
    DCT.accrualPeriodicity,
    DCAT.distribution,
)
DISTRIBUTION_MANDATORY = (DCT_FORMAT, DCAT.accessURL, DCT.license)


def catalogue(client) -> Graph:
    response = client.get("/api/v1/catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return Graph().parse(data=response.content.decode(), format="json-ld")


def typed(graph: Graph, *types: URIRef) -> set:
    """Subjects with every one of ``types``."""
    subjects = set(graph.subjects(RDF.type, types[0]))
    for t in types[1:]:
        subjects &= set(graph.subjects(RDF.type, t))
    return subjects


def missing(graph: Graph, subject, properties) -> list:
    return [p for p in properties if graph.value(subject, p) is None]


@pytest.fixture
def two_cities(torino):
    Municipality.objects.filter(pk=torino.pk).update(ipa_code="c_l219")
    reggio = MunicipalityFactory(
        slug="reggio-emilia",
        name="Reggio Emilia",
        istat_code="035033",
    )
    Municipality.objects.filter(pk=reggio.pk).update(
        open_data_licence="CC0-1.0", website="https://www.comune.re.it/"
    )
    return Municipality.objects.get(pk=torino.pk), Municipality.objects.get(pk=reggio.pk)


@pytest.mark.django_db
class TestCatalogue:
    def test_parses_as_json_ld_with_the_mandatory_dcat_ap_it_properties(self, client, two_cities):
        graph = catalogue(client)

        (catalog,) = typed(graph, DCAT.Catalog, DCATAPIT.Catalog)
        assert missing(graph, catalog, CATALOG_MANDATORY) == []
        assert graph.value(catalog, DCT.language) == URIRef(f"{EU}/language/ITA")
        assert graph.value(catalog, FOAF.homepage) == URIRef("http://testserver/")
        assert graph.value(catalog, DCT.issued) is not None
        publisher = graph.value(catalog, DCT.publisher)
        assert (publisher, RDF.type, FOAF.Agent) in graph
        assert str(graph.value(publisher, FOAF.name)) == "Co-City"

        datasets = set(graph.objects(catalog, DCAT.dataset))
        assert datasets == typed(graph, DCAT.Dataset, DCATAPIT.Dataset)
        assert len(datasets) == 4  # pacts and commons of two municipalities
        for dataset in datasets:
            assert missing(graph, dataset, DATASET_MANDATORY) == [], dataset
            assert set(graph.objects(dataset, DCAT.theme)) == {
                URIRef(f"{EU}/data-theme/SOCI"),
                URIRef(f"{EU}/data-theme/GOVE"),
            }
            assert graph.value(dataset, DCT.accrualPeriodicity) == URIRef(f"{EU}/frequency/DAILY")
            languages = {t.language for t in graph.objects(dataset, DCT.title)}
            assert languages == {"it", "en"}
            assert {t.language for t in graph.objects(dataset, DCT.description)} == {"it", "en"}
            assert list(graph.objects(dataset, DCAT.keyword))
            contact = graph.value(dataset, DCAT.contactPoint)
            assert (contact, RDF.type, VCARD.Organization) in graph
            assert graph.value(contact, VCARD.fn) is not None
            for agent in (
                graph.value(dataset, DCT.publisher),
                graph.value(dataset, DCT.rightsHolder),
            ):
                assert (agent, RDF.type, FOAF.Agent) in graph
                assert (agent, RDF.type, DCATAPIT.Agent) in graph
                assert graph.value(agent, DCT.identifier) is not None

        distributions = typed(graph, DCAT.Distribution, DCATAPIT.Distribution)
        assert len(distributions) == 8
        for distribution in distributions:
            assert missing(graph, distribution, DISTRIBUTION_MANDATORY) == [], distribution

    def test_the_same_properties_by_sparql(self, client, two_cities):
        graph = catalogue(client)

        rows = graph.query(
            """
            SELECT ?dataset ?identifier ?format ?url ?media ?licence WHERE {
                ?catalog a dcat:Catalog ; dcat:dataset ?dataset .
                ?dataset a dcatapit:Dataset ;
                    dct:identifier ?identifier ; dct:title ?title ; dct:description ?d ;
                    dct:publisher ?p ; dct:modified ?m ; dcat:theme ?t ; dct:rightsHolder ?r ;
                    dct:accrualPeriodicity ?f ; dcat:distribution ?distribution .
                ?distribution a dcatapit:Distribution ; dct:format ?format ;
                    dcat:accessURL ?url ; dcat:downloadURL ?url ; dcat:mediaType ?media ;
                    dct:license ?licence .
                FILTER(lang(?title) = "it")
            }
            """,
            initNs={"dcat": DCAT, "dct": DCT, "dcatapit": DCATAPIT},
        )
        found = {(str(r.identifier), str(r.url), str(r.format)) for r in rows}

        assert {url for _, url, _ in found} == {
            f"http://testserver/api/v1/{city}/{name}"
            for city in ("torino", "reggio-emilia")
            for name in ("pacts.csv", "pacts.geojson", "commons.csv", "commons.geojson")
        }
        assert (
            "c_l219:cocity-pacts",
            "http://testserver/api/v1/torino/pacts.csv",
            f"{EU}/file-type/CSV",
        ) in found
        assert (
            "035033:cocity-commons",
            "http://testserver/api/v1/reggio-emilia/commons.geojson",
            f"{EU}/file-type/GEOJSON",
        ) in found

    def test_publisher_licence_and_dates_of_each_municipality(self, client, two_cities):
        torino, reggio = two_cities
        cast = Cast(torino)
        PactFactory(cast=cast, status=Status.SUBMITTED)
        PactFactory(cast=cast)  # a draft: not data
        last_week = timezone.now() - dt.timedelta(days=7)
        Commons.objects.filter(municipality=torino).update(updated_at=last_week)
        Pact.objects.filter(status=Status.SUBMITTED).update(
            updated_at=last_week - dt.timedelta(days=1)
        )
        Pact.objects.filter(status=Status.DRAFT).update(updated_at=timezone.now())
        CommonsFactory(municipality=reggio, name="Chiostri", point=(reggio.lon, reggio.lat))
        graph = catalogue(client)

        def dataset(city: str, key: str) -> URIRef:
            return URIRef(f"http://testserver/api/v1/catalog.jsonld#{city}-{key}")

        def licences(city: str) -> set:
            return {
                graph.value(d, DCT.license)
                for key in ("pacts", "commons")
                for d in graph.objects(dataset(city, key), DCAT.distribution)
            }

        assert licences("torino") == {CC_BY}
        assert licences("reggio-emilia") == {
            URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
        }
        torino_agent = graph.value(dataset("torino", "pacts"), DCT.publisher)
        assert graph.value(torino_agent, DCT.identifier) == Literal("c_l219")  # IPA code
        reggio_agent = graph.value(dataset("reggio-emilia", "pacts"), DCT.publisher)
        assert graph.value(reggio_agent, DCT.identifier) == Literal("035033")  # ISTAT code
        reggio_contact = graph.value(dataset("reggio-emilia", "pacts"), DCAT.contactPoint)
        assert graph.value(reggio_contact, VCARD.hasURL) == URIRef("https://www.comune.re.it/")

        modified = {
            (city, key): graph.value(dataset(city, key), DCT.modified).toPython()
            for city in ("torino", "reggio-emilia")
            for key in ("pacts", "commons")
        }
        today = timezone.localdate()
        torino_created = timezone.localtime(torino.created_at).date()
        assert modified[("torino", "commons")] == max(
            timezone.localtime(last_week).date(), torino_created
        )
        assert modified[("torino", "pacts")] == max(
            timezone.localtime(last_week - dt.timedelta(days=1)).date(), torino_created
        )  # the draft's change does not count
        assert modified[("reggio-emilia", "commons")] == today
        # No pact in Reggio: the dataset is as old as its publication.
        assert (
            modified[("reggio-emilia", "pacts")]
            == graph.value(dataset("reggio-emilia", "pacts"), DCT.issued).toPython()
        )

    def test_every_distribution_answers_with_its_media_type(self, client, two_cities):
        graph = catalogue(client)

        urls = {
            str(graph.value(d, DCAT.downloadURL)): str(graph.value(d, DCAT.mediaType))
            for d in graph.subjects(RDF.type, DCAT.Distribution)
        }
        assert len(urls) == 8
        for url, media in urls.items():
            response = client.get(urlsplit(url).path)
            assert response.status_code == 200, url
            assert response.streaming
            b"".join(response.streaming_content)
            assert media.endswith(response["Content-Type"].split(";")[0]), url

    def test_a_fixed_number_of_queries_whatever_the_municipalities(self, client, torino):
        client.get("/api/v1/catalog.jsonld")  # warm up the API middleware's cache

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get("/api/v1/catalog.jsonld").status_code == 200
            return len(captured)

        one = queries()
        for i in range(3):
            city = MunicipalityFactory()
            CommonsFactory(municipality=city, name=f"Bene {i}")
            PactFactory(cast=Cast(city), status=Status.SUBMITTED)
        assert len(list(catalogue(client).subjects(RDF.type, DCAT.Dataset))) == 8
        assert queries() == one == 3

    def test_empty_platform_is_a_valid_catalogue(self, client, db):
        graph = catalogue(client)

        (catalog,) = typed(graph, DCAT.Catalog, DCATAPIT.Catalog)
        assert missing(graph, catalog, CATALOG_MANDATORY[:-1]) == []
        assert not list(graph.objects(catalog, DCAT.dataset))
