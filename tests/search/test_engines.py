"""The full-text search of the registry and of the catalogue, the same module on SQLite
(``pytest tests/search``) and on PostgreSQL (``DATABASE_URL=postgres://… pytest
tests/search``): every assertion names the exact results in their order, so that passing on
both engines shows the same results for the same data (docs/decisions/0020)."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from cocity.commons.models import Commons
from cocity.commons.selectors import COMMONS_SEARCH, commons_filtered, commons_list
from cocity.commons.services import commons_update
from cocity.core import bulk, search
from cocity.core.search import Terms
from cocity.pacts.models import Pact, Status
from cocity.pacts.selectors import PACT_SEARCH, pact_registry
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.commons.factories import MOLE, VALENTINO, CommonsFactory
from tests.pacts.factories import PactFactory

pytestmark = pytest.mark.django_db

postgres_only = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own objects"),
]


@pytest.fixture
def pacts(cast) -> dict[str, Pact]:
    """Four public pacts of Turin and a draft, one proposed by an organisation."""
    representative = UserFactory()
    segreto = OrganisationFactory(
        representative=representative, name="Associazione Giardino Segreto"
    )
    made = {
        "lamarmora": PactFactory(
            cast=cast,
            status=Status.ACTIVE,
            title="Cura del giardino di via Lamarmora",
            objectives="Piantare fiori nelle aiuole.",
        ),
        "orti": PactFactory(
            cast=cast,
            status=Status.CONSULTATION,
            title="Orti condivisi nel cortile della scuola",
            objectives="Coltivare i giardini con le famiglie del quartiere.",
        ),
        "feste": PactFactory(
            cast=cast,
            status=Status.ACTIVE,
            title="Feste di quartiere",
            objectives="Attività per la città: musica e giochi.",
            proponent=representative,
            proponent_organisation=segreto,
        ),
        "biblioteca": PactFactory(
            cast=cast,
            status=Status.SUBMITTED,
            title="Biblioteca di strada",
            objectives="Libri per le scuole.",
        ),
        "draft": PactFactory(cast=cast, title="Giardino privato", objectives="Una bozza."),
    }
    made["segreto"] = segreto  # type: ignore[assignment]
    return made


def found(pacts: dict[str, Pact], q: str, **filters) -> list[str]:
    names = {pact.pk: name for name, pact in pacts.items() if isinstance(pact, Pact)}
    qs = pact_registry(municipality=pacts["lamarmora"].municipality, q=q, **filters)
    return [names[pk] for pk in qs.values_list("pk", flat=True)]


class TestRegistry:
    def test_word_forms_match_and_the_best_come_first(self, pacts):
        # The title (A) before the objectives (B) before the organisation's name (C); the
        # draft, which has "Giardino" in its title, is not in the registry.
        assert found(pacts, "giardini") == ["lamarmora", "orti", "feste"]
        assert found(pacts, "giardino") == ["lamarmora", "orti", "feste"]
        assert found(pacts, "scuole") == ["orti", "biblioteca"]
        assert found(pacts, "scuola") == ["orti", "biblioteca"]

    @pytest.mark.parametrize("q", ["città", "citta", "CITTÀ", "Città!", "attivita", "attività"])
    def test_accents_and_capitals_do_not_matter(self, pacts, q):
        assert found(pacts, q) == ["feste"]

    def test_every_word_must_match(self, pacts):
        assert found(pacts, "giardini condivisi") == ["orti"]
        assert found(pacts, "giardini della scuola") == ["orti"]
        assert found(pacts, "giardino biblioteca") == []

    def test_the_last_word_may_be_the_start_of_one(self, pacts):
        assert found(pacts, "lamarm") == ["lamarmora"]
        assert found(pacts, "cura giard") == ["lamarmora"]
        assert found(pacts, "lamarm cura") == []  # only the last one

    def test_the_proponent_organisation_is_searched(self, pacts):
        assert found(pacts, "segreto") == ["feste"]
        assert found(pacts, "associazione giardino") == ["feste"]

    def test_a_new_organisation_name_reaches_its_pacts(self, pacts):
        # Any write, here one that no service makes: the database's triggers follow it.
        type(pacts["segreto"]).objects.filter(pk=pacts["segreto"].pk).update(
            name="Comitato Lampioni"
        )

        assert found(pacts, "segreto") == []
        assert found(pacts, "lampioni") == ["feste"]

    def test_a_new_title_is_searched_and_the_old_one_forgotten(self, pacts):
        Pact.objects.filter(pk=pacts["biblioteca"].pk).update(title="Panchine del viale")

        assert found(pacts, "biblioteca") == []
        assert found(pacts, "panchina") == ["biblioteca"]

    def test_without_a_query_the_newest_first(self, pacts):
        assert found(pacts, "") == ["biblioteca", "feste", "orti", "lamarmora"]

    def test_equal_ranks_keep_the_newest_first(self, pacts):
        Pact.objects.filter(pk__in=[pacts["orti"].pk, pacts["biblioteca"].pk]).update(
            objectives="Aiuole fiorite."
        )

        assert found(pacts, "aiuole") == ["biblioteca", "orti", "lamarmora"]

    def test_a_number_or_its_start_finds_the_pact(self, pacts):
        number = pacts["orti"].number

        assert found(pacts, number) == ["orti"]
        assert found(pacts, number.lower()) == ["orti"]
        assert found(pacts, f"  {number}  ") == ["orti"]
        assert found(pacts, number.rsplit("-", 1)[0]) == [
            "biblioteca",
            "feste",
            "orti",
            "lamarmora",
        ]

    def test_search_and_filters_together(self, pacts):
        assert found(pacts, "giardini", stage="pact") == ["lamarmora", "feste"]
        assert found(pacts, "giardini", status=Status.CONSULTATION) == ["orti"]

    @pytest.mark.parametrize("q", ["di", "della e il", "***", '"', "( )"])
    def test_a_query_with_no_searchable_word_finds_nothing(self, pacts, q):
        assert found(pacts, q) == []

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            ('"giardino"', ["lamarmora", "orti", "feste"]),
            ('"giardino', ["lamarmora", "orti", "feste"]),
            ("giardin*", ["lamarmora", "orti", "feste"]),
            ("(giardino)", ["lamarmora", "orti", "feste"]),
            ("giardino OR scuola", []),  # "or" is a word to find, not an operator
            ("giardino AND NOT scuola", []),
            ("NEAR(giardino scuola)", []),
            ("title:giardino", []),
            ("^giardino", ["lamarmora", "orti", "feste"]),
            ("giardino -scuola", ["orti"]),
            ("'; DROP TABLE pacts_pact; --", []),
            ("giardino\x00scuola", ["orti"]),
            ("100% _giardino_ \\", []),
            ("🌳 giardino 🌳", ["lamarmora", "orti", "feste"]),
            ("giardino " * 5000, ["lamarmora", "orti", "feste"]),
            ("x" * 10_000, []),
            ("TO-2026-0001'; --", []),
        ],
    )
    def test_no_text_makes_the_search_fail(self, pacts, q, expected):
        assert found(pacts, q) == expected

    def test_the_count_of_a_search_is_one_query_without_joins(
        self, pacts, django_assert_num_queries
    ):
        qs = pact_registry(municipality=pacts["lamarmora"].municipality, q="giardini")

        with django_assert_num_queries(1) as captured:
            assert qs.count() == 3
        assert "JOIN" not in captured.captured_queries[0]["sql"].upper()

    def test_a_page_of_results_is_a_query_and_one_per_kind_of_row_it_names(
        self, pacts, django_assert_num_queries
    ):
        qs = pact_registry(municipality=pacts["lamarmora"].municipality, q="giardini")

        with django_assert_num_queries(5):  # the pacts; categories, commons, organisations, people
            rows = list(qs[:25])
            shown = [
                (p.category.name, p.commons.name, p.commons.district, p.proponent.display_name)
                for p in rows
            ]
        assert len(shown) == 3
        assert rows[2].proponent_organisation.name == "Associazione Giardino Segreto"

    def test_a_search_inside_a_subquery(self, pacts):
        # The expressions follow the table's alias when the query becomes a subquery.
        keys = pact_registry(municipality=pacts["lamarmora"].municipality, q="giardini")
        inner = Pact.objects.filter(pk__in=keys.order_by().values("pk"))

        assert set(inner) == {pacts["lamarmora"], pacts["orti"], pacts["feste"]}


@pytest.fixture
def catalogue(torino) -> dict[str, Commons]:
    return {
        "lamarmora": CommonsFactory(
            municipality=torino,
            name="Giardino Lamarmora",
            kind=Commons.Kind.GREEN_AREA,
            address="corso Re Umberto 10",
            description="Un giardino storico.",
            point=VALENTINO,
        ),
        "pascoli": CommonsFactory(
            municipality=torino,
            name="Scuola Pascoli",
            kind=Commons.Kind.SCHOOL,
            address="via dei Giardini 3",
            description="Cortile aperto al quartiere.",
        ),
        "bocciofila": CommonsFactory(
            municipality=torino,
            name="Bocciofila della città",
            kind=Commons.Kind.SPORTS_FACILITY,
            address="via Nizza 5",
            description="Attività sportive per tutte le età.",
        ),
        "bagni": CommonsFactory(
            municipality=torino, name="Ex bagni pubblici", address="via Roma 1"
        ),
    }


def listed(catalogue: dict[str, Commons], q: str, **filters) -> list[str]:
    names = {commons.pk: name for name, commons in catalogue.items()}
    municipality = catalogue["lamarmora"].municipality
    qs = commons_list(municipality=municipality, q=q, **filters)
    return [names[pk] for pk in qs.values_list("pk", flat=True)]


class TestCatalogue:
    def test_word_forms_match_and_the_best_come_first(self, catalogue):
        # The name (A) before the address (B).
        assert listed(catalogue, "giardini") == ["lamarmora", "pascoli"]
        assert listed(catalogue, "scuole") == ["pascoli"]

    @pytest.mark.parametrize("q", ["citta", "città", "attivita", "eta", "ETÀ"])
    def test_accents_do_not_matter(self, catalogue, q):
        assert listed(catalogue, q) == ["bocciofila"]

    def test_name_address_and_description_are_searched(self, catalogue):
        assert listed(catalogue, "lamarm") == ["lamarmora"]
        assert listed(catalogue, "via roma") == ["bagni"]
        assert listed(catalogue, "quartiere") == ["pascoli"]
        assert listed(catalogue, "storico") == ["lamarmora"]

    def test_without_a_query_by_name(self, catalogue):
        assert listed(catalogue, "") == ["bocciofila", "bagni", "lamarmora", "pascoli"]

    def test_search_and_filters_together(self, catalogue):
        assert listed(catalogue, "giardini", kind=Commons.Kind.SCHOOL) == ["pascoli"]

    @pytest.mark.parametrize("q", ["di", "della", "***", "\x00"])
    def test_a_query_with_no_searchable_word_finds_nothing(self, catalogue, q):
        assert listed(catalogue, q) == []

    def test_the_map_filters_by_the_same_search(self, catalogue):
        municipality = catalogue["lamarmora"].municipality
        qs = commons_filtered(municipality=municipality, q="giardini").order_by("id")

        assert list(qs) == [catalogue["lamarmora"], catalogue["pascoli"]]

    def test_every_write_keeps_the_index(self, catalogue, torino):
        commons_update(
            actor=None, commons=catalogue["bagni"], name="Ex lavatoio", lon=MOLE[0], lat=MOLE[1]
        )
        catalogue["nuovo"] = Commons(municipality=torino, name="Lavatoio nuovo", kind="building")
        bulk.bulk_insert(Commons, [catalogue["nuovo"]])  # the seed's path
        Commons.objects.filter(pk=catalogue["pascoli"].pk).delete()

        assert listed(catalogue, "lavatoio") == ["bagni", "nuovo"]  # equal ranks: by name
        assert listed(catalogue, "bagni") == []
        assert listed(catalogue, "pascoli") == []


class TestInstalled:
    def test_the_selectors_search_what_the_migrations_installed(self):
        pacts = importlib.import_module("cocity.pacts.migrations.0007_pact_search")
        commons = importlib.import_module("cocity.commons.migrations.0002_commons_search")

        assert PACT_SEARCH == pacts.INDEX
        assert COMMONS_SEARCH == commons.INDEX

    @pytest.mark.parametrize("index", [PACT_SEARCH, COMMONS_SEARCH], ids=lambda i: i.table)
    def test_every_trigger_is_in_place(self, index):
        # A migration that remakes one of these tables on SQLite drops its triggers: run
        # ``search.installer`` again at its end (docs/decisions/0020).
        assert search.missing_triggers(index, connection) == []

    def test_rows_written_before_the_index_are_in_it(self, pacts):
        # The migration fills the index from the rows there; installing again refills it.
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("UPDATE pacts_pact SET search_vector = NULL")
            else:
                cursor.execute("DELETE FROM pacts_pact_fts")
            assert found(pacts, "giardini") == []
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # before ALTER TABLE
            for sql in search.install_sql(PACT_SEARCH, connection):
                cursor.execute(sql)

        assert found(pacts, "giardini") == ["lamarmora", "orti", "feste"]


class TestPostgreSQL:
    pytestmark = postgres_only

    @pytest.mark.parametrize(
        ("model", "index"),
        [(Pact, PACT_SEARCH), (Commons, COMMONS_SEARCH)],
        ids=["pacts", "commons"],
    )
    def test_the_search_is_served_by_the_gin_index(self, pacts, catalogue, model, index):
        # The plan at scale (a BitmapAnd of this index and the city's) is in
        # docs/decisions/0020; here, with a few rows, that the index serves the condition.
        qs = search.search(model.objects.all(), text="giardini", index=index)
        sql, params = search.ranked(qs, "id").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())

        assert f"Bitmap Index Scan on {index.table}_search" in plan, plan

    def test_postgresql_stems_as_python_does(self):
        texts = [
            *SAMPLES,
            *(f"{a} {b}" for a, b in zip(SAMPLES, reversed(SAMPLES), strict=True)),
        ]
        with connection.cursor() as cursor:
            for text in texts:
                cursor.execute(
                    "SELECT tsvector_to_array(to_tsvector('cocity_italian',"
                    " cocity_search_text(%s)))",
                    [text],
                )
                assert set(cursor.fetchone()[0]) == set(search.stems(text).split()), text

    def test_postgresql_reads_a_query_as_python_does(self):
        with connection.cursor() as cursor:
            for text in SAMPLES:
                terms = Terms.parse(text)
                if not terms:
                    continue
                query = " & ".join(terms.tsquery())
                cursor.execute("SELECT to_tsquery('cocity_italian', %s)::text", [query])
                lexemes = cursor.fetchone()[0].replace("'", "").replace(":*", "").split(" & ")
                assert lexemes == [search.stem(word) for word in terms.words], text


def _seed_texts() -> list[str]:
    """The words of the demo and national data (``cocity.seeding.italian``)."""
    from cocity.seeding import italian

    texts = []
    for value in vars(italian).values():
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, (list, tuple)):
            texts += [str(item) for item in value]
        elif isinstance(value, dict):
            texts += [f"{k} {v}" for k, v in value.items()]
    return texts


SAMPLES = [
    "Cura del giardino di via Lamarmora: l'attività della città è aperta a tutti!",
    "Perché È COSÌ? Straße, Æsir, Œuvre, Øresund, Łódź, ﬁori",
    "co-progettazione, 1e5a 12e5abc 9e9999999999z 0042 TO-2026-0042 a4 x1y2z3",
    "mario.rossi@example.org https://www.comune.torino.it/patti?id=3&x=1 12,5% 3.14",
    "Ελλάδα 日本 — «citazione» “virgolette” ‘apici’ … ½ ² №",
    "biblioteche scuole giardini orti parchi associazioni comitati cooperative",
    "abbandonato abbandonata abbandonati riqualificazione riqualificare rigenerazione",
    "piantumazione manutenzione pulizia laboratorio laboratori socialità",
    *_seed_texts(),
]
