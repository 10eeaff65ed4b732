"""The text normalisation of ``cocity.core.search``, written once in Python: what SQLite
indexes and what both engines look for (PostgreSQL's own is checked against it in
``test_engines.py``)."""

from __future__ import annotations

import pytest

from cocity.core import search
from cocity.core.search import Terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Città", ["citta"]),
        ("l'attività", ["l", "attivita"]),
        ("PERCHÉ È COSÌ", ["perche", "e", "cosi"]),
        ("co-progettazione", ["co", "progettazione"]),
        ("via Roma, 12/b", ["via", "roma", "12", "b"]),
        ("mario.rossi@example.org", ["mario", "rossi", "example", "org"]),
        ("Straße Æsir Œuvre Øresund Łódź", ["strasse", "aesir", "oeuvre", "oresund", "lodz"]),
        ("ﬁori", ["fiori"]),  # a ligature
        ("Ελλάδα 日本 giardino", ["giardino"]),  # other alphabets are not searchable
        ("1e5a", ["1e5", "a"]),  # as PostgreSQL's parser reads it
        ("", []),
    ],
)
def test_words_are_unaccented_lower_case_letters_and_digits(text, expected):
    assert search.words(text) == expected


@pytest.mark.parametrize(
    ("forms", "stem"),
    [
        (["giardino", "giardini", "Giardini", "giardiniere"], "giardin"),
        (["scuola", "scuole"], "scuol"),
        (["città", "citta", "CITTÀ"], "citt"),
        (["attività", "attivita", "attività"], "attiv"),
        (["biblioteca", "biblioteche"], "bibliotec"),
        (["associazione", "associazioni"], "assoc"),
        (["parco", "parchi"], "parc"),
    ],
)
def test_word_forms_share_a_stem(forms, stem):
    assert {search.stems(form) for form in forms} == {stem}


def test_the_stemmer_keeps_apart_what_snowball_keeps_apart():
    # Said here so that nobody promises it: Snowball's Italian stemmer does not conflate
    # these, on SQLite nor on PostgreSQL.
    assert search.stems("orto") != search.stems("orti")
    assert search.stems("scolastico") != search.stems("scuola")


def test_a_query_drops_stop_words_and_repetitions():
    terms = Terms.parse("Gli orti della città e gli orti")

    assert terms.words == ("orti", "citta")
    assert terms.tsquery() == ["'orti'", "'citta':*"]
    assert terms.fts5() == '"orti" "citt"*'


def test_the_last_word_matches_as_a_prefix_when_long_enough():
    assert Terms.parse("giardino lamarm").tsquery() == ["'giardino'", "'lamarm':*"]
    assert Terms.parse("giardino lamarm").tsquery("B") == ["'giardino':B", "'lamarm':*B"]
    assert Terms.parse("giardino lamarm").fts5() == '"giardin" "lamarm"*'
    assert Terms.parse("giardino ex").fts5() == '"giardin" "ex"'


@pytest.mark.parametrize("text", ["di", "della e il", "  ", "***", '"', "()", "-", "\x00"])
def test_a_query_of_stop_words_or_punctuation_is_empty(text):
    assert not Terms.parse(text)


@pytest.mark.parametrize(
    "text",
    [
        '"giardino',
        "giardino*",
        "giardino AND NOT scuola",
        "(giardino OR",
        "NEAR(giardino scuola)",
        "title:giardino",
        "^giardino",
        "giardino -scuola",
        "'; DROP TABLE pacts_pact; --",
        "giardino\x00scuola",
        "100% _giardino_ \\",
        "🌳 giardino 🌳",
        "giardino " * 5000,
    ],
)
def test_any_text_gives_terms_of_letters_and_digits_only(text):
    terms = Terms.parse(text)

    assert 0 < len(terms.words) <= search.MAX_QUERY_WORDS
    assert all(word.isascii() and word.isalnum() for word in terms.words)


def test_a_long_query_is_cut_to_its_first_words():
    terms = Terms.parse(" ".join(f"parola{i}" for i in range(20)))

    assert terms.words == tuple(f"parola{i}" for i in range(search.MAX_QUERY_WORDS))


def test_the_rank_adds_up_the_best_column_of_each_word():
    # Title 8, objectives 4, organisation 2 (``WEIGHTS``), as a pact's index.
    columns = ("cur del giardin", "piant fior giardin", "assoc lamarmor")

    assert search.rank('"giardin"', "8 4 2", *columns) == 8
    assert search.rank('"fior" "lamarm"*', "8 4 2", *columns) == 4 + 2
    assert search.rank('"lamarm"', "8 4 2", *columns) == 0  # not a prefix: not found
    assert search.rank('"giardin"', "8 4 2", None, None, None) == 0


def test_the_sqlite_functions_never_fail():
    assert search._rank_or_zero() == 0
    assert search._rank_or_zero('"a"', "x", "a") == 0
    assert search._stems_or_empty(None) == ""
    assert search._stems_or_empty(b"bytes") == ""
    assert search._stems_or_empty("Giardini della Città") == "giardin dell citt"
