"""Full-text search, the same on PostgreSQL and on SQLite (docs/decisions/0020).

One normalisation, written here in Python and mirrored in SQL: a text is cut into words of
ASCII letters and digits after its accents are taken off ("Città" → ``citta``, "l'attività"
→ ``l attivita``), lower-cased and reduced to its stem by the Snowball Italian stemmer
("giardini" and "giardino" → ``giardin``). A query is normalised the same way, less the
Italian stop words of ``STOP_WORDS`` (articles, prepositions, conjunctions); every word must
match, the last one also as the start of a word (``lamarm`` finds "Lamarmora"), and the
results are ranked.

Each searched table is an ``Index``: its text columns, each with a weight. Its search index
lives in the database and is kept there by triggers, so that every way of writing a row (the
ORM, ``update()``, the seed's COPY and ``executemany`` in ``cocity/core/bulk.py``, raw SQL)
keeps it current:

- **PostgreSQL**: a ``search_vector`` tsvector column on the table (not a model field: Django
  never writes it), filled by a trigger with the text search configuration
  ``cocity_italian`` (the Snowball Italian dictionary *without* its stop-word file: stop words
  are dropped from queries by ``STOP_WORDS`` on both engines), with a GIN index;
  ``cocity_search_text()`` does the accents (``unaccent``) and the cut into words in SQL.
- **SQLite**: an FTS5 table ``<table>_fts`` (rowid = the row's id) holding each column's
  stems, written by triggers through ``cocity_stems()``, a Python function registered on
  every SQLite connection (``connected``).

The rank is the same on both (``Rank``): for each word of the query, the weight of the best
column that holds it, added up; equal ranks go by the caller's order (the newest pacts first).

``search`` filters a queryset and gives it the alias ``search_rank``; ``ranked`` orders by it
first. The migrations install an index with ``installer`` (and take it away with
``uninstaller``); ``install_configuration`` sets up PostgreSQL's configuration once.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import snowballstemmer
from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F, IntegerField, Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler

# Italian stop words: dropped from queries (never from the indexed text, on either engine),
# so that "orti della città" looks for the orti and the città. Articles, simple and
# articulated prepositions, conjunctions; unaccented, as the query is when compared.
_STOP_WORDS = """
    il lo la i gli le l un uno una
    di a da in con su per tra fra d
    del dello della dei degli delle dell
    al allo alla ai agli alle all
    dal dallo dalla dai dagli dalle dall
    nel nello nella nei negli nelle nell
    col coi sul sullo sulla sui sugli sulle sull
    e ed o od ma ne che se
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
# The words of a query that count: a longer query is cut (each word is a term to match).
MAX_QUERY_WORDS = 8
# The last word of a query also matches as a prefix when its stem is at least this long
# (``lamarm`` finds "Lamarmora"); a shorter one would match most of the catalogue.
MIN_PREFIX = 3
# Longer words are not indexed (PostgreSQL ignores words of 2,048 characters and more).
MAX_WORD = 2047
# The part of a query read at all: the forms allow 100 characters, the selectors any.
MAX_QUERY_CHARS = 1000

# The rank of a row: for each word of the query, the weight of the best column it is in;
# added up. The same sum on both engines (docs/decisions/0020: not ts_rank and bm25, which
# differ from each other), in whole numbers so that equal ranks are equal.
WEIGHTS = {"A": 8, "B": 4, "C": 2, "D": 1}
CONFIGURATION = "cocity_italian"
VECTOR_COLUMN = "search_vector"  # PostgreSQL
STEMS_FUNCTION = "cocity_stems"  # SQLite
RANK_FUNCTION = "cocity_rank"  # SQLite

# Letters that carry no accent to take off but that PostgreSQL's unaccent spells in ASCII.
_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)
_WORD = re.compile(r"[a-z0-9]+")
# PostgreSQL's parser reads digits, "e" and digits at the start of a word as a number in
# scientific notation, and the letters after it as a word of their own: "1e5a" is 1e5 and a.
_SCIENTIFIC = re.compile(r"[0-9]+e[0-9]+(?=[a-z])")


def unaccented(text: str) -> str:
    """``text`` without its accents, as PostgreSQL's ``unaccent`` writes it for Latin
    letters ("Perché è così" → "Perche e cosi")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of ``text`` as the index reads them: unaccented, lower-case, cut at every
    character that is not an ASCII letter or digit (letters of other alphabets are not
    searchable, on either engine)."""
    found = []
    for word in _WORD.findall(unaccented(text).lower()):
        number = _SCIENTIFIC.match(word)
        parts = (number.group(), word[number.end() :]) if number else (word,)
        found += [part for part in parts if len(part) <= MAX_WORD]
    return found


_stemmers = threading.local()  # snowballstemmer's stemmers keep state while they work


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball Italian stem of a word of ``words`` (the same as PostgreSQL's)."""
    stemmer = getattr(_stemmers, "italian", None)
    if stemmer is None:
        stemmer = _stemmers.italian = snowballstemmer.stemmer("italian")
    return str(stemmer.stemWord(word))


def stems(text: str | None) -> str:
    """What SQLite indexes for a text: its stems, separated by spaces (``cocity_stems``)."""
    if not text:
        return ""
    return " ".join(stem(w) for w in words(str(text)))


@dataclass(frozen=True)
class Terms:
    """A query as the engines match it: its words, unaccented and lower-case, stop words and
    repetitions dropped, at most ``MAX_QUERY_WORDS``. Empty when nothing searchable is left
    (only stop words or punctuation): then nothing matches."""

    words: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Terms:
        found = words(text[:MAX_QUERY_CHARS])
        if len(text) > MAX_QUERY_CHARS:
            found = found[:-1]  # maybe cut in the middle
        kept: list[str] = []
        for word in found:
            if word not in STOP_WORDS and word not in kept and len(word) <= 100:
                kept.append(word)
        return cls(tuple(kept[:MAX_QUERY_WORDS]))

    def __bool__(self) -> bool:
        return bool(self.words)

    def _prefix(self, i: int) -> bool:
        return i == len(self.words) - 1 and len(stem(self.words[i])) >= MIN_PREFIX

    def tsquery(self, weight: str = "") -> list[str]:
        """Each word for ``to_tsquery('cocity_italian', …)``, which stems it: ``'giardini'``,
        ``'lamarm':*`` (``weight`` restricts it to the columns of that weight: ``'lamarm':*A``).
        The words are letters and digits only: nothing to escape."""
        return [
            f"'{word}'{':*' if self._prefix(i) else (':' if weight else '')}{weight}"
            for i, word in enumerate(self.words)
        ]

    def fts5(self) -> str:
        """For FTS5's ``MATCH``, stemmed here: ``"giardin" "lamarm"*`` (all must match)."""
        return " ".join(
            f'"{stem(word)}"{"*" if self._prefix(i) else ""}' for i, word in enumerate(self.words)
        )


@dataclass(frozen=True)
class Related:
    """A text of another table that a searched row points at, indexed with the row (a
    pact's proponent organisation's name): ``key`` is the row's column that holds the other
    row's id. A change of that text reaches the rows that point at it (a trigger there)."""

    key: str
    table: str
    column: str
    weight: str

    @property
    def label(self) -> str:
        """Its column in SQLite's FTS5 table."""
        return f"{self.table}_{self.column}"


@dataclass(frozen=True)
class Index:
    """A searched table: its text columns in order, each with a weight from A (the most) to
    D, and the texts of other tables it points at. Installed by a migration (``installer``)
    with the same values."""

    table: str
    columns: tuple[tuple[str, str], ...]
    related: tuple[Related, ...] = ()

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    def weights(self) -> list[int]:
        """The weight of each column, in order (``columns``, then ``related``)."""
        return [WEIGHTS[w] for _c, w in self.columns] + [WEIGHTS[r.weight] for r in self.related]


# --- Filtering and ranking ---------------------------------------------------------------


def search[M: Model](qs: QuerySet[M], *, text: str, index: Index) -> QuerySet[M]:
    """The rows of ``qs`` whose text in ``index`` matches the query ``text``, with the alias
    ``search_rank`` (higher is better). A query with no searchable word (only stop words or
    punctuation) matches nothing; no text can make the query fail."""
    terms = Terms.parse(text)
    if not terms:
        return qs.none()
    # django-stubs loses the model through alias(): the rows are the same.
    return cast("QuerySet[M]", qs.filter(Match(terms, index)).alias(search_rank=Rank(terms, index)))


def ranked[M: Model](qs: QuerySet[M], *ordering: str) -> QuerySet[M]:
    """``qs`` ordered by ``ordering``, after the rank when ``search`` found it."""
    if "search_rank" in qs.query.annotations:
        return qs.order_by("-search_rank", *ordering)
    return qs.order_by(*ordering)


def searched(qs: QuerySet[Any]) -> bool:
    """Whether ``search`` filtered ``qs``."""
    return "search_rank" in qs.query.annotations


class _Search(Expression):
    """Compiled for the connection that runs the query (``as_postgresql``, ``as_sqlite``).
    The row is named by its primary key, so that the expression follows the table's alias
    when the query becomes a subquery of another. Only the query's terms are parameters; the
    names in the SQL come from the code's ``Index`` constants, quoted."""

    output: Any = None

    def __init__(self, terms: Terms, index: Index):
        super().__init__(output_field=self.output)
        self.terms, self.index = terms, index
        self.key: Any = F("pk")

    def get_source_expressions(self) -> list[Any]:
        return [self.key]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.key,) = exprs

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        raise NotSupportedError(f"full-text search needs PostgreSQL or SQLite, not {connection}")

    def _vector(self, connection: BaseDatabaseWrapper) -> str:
        qn = connection.ops.quote_name
        return f"{qn(self.key.alias)}.{qn(VECTOR_COLUMN)}"


_TSQUERY = f"to_tsquery('{CONFIGURATION}'::regconfig, %s)"


class Match(_Search):
    output = BooleanField()

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        return f"{self._vector(connection)} @@ {_TSQUERY}", [" & ".join(self.terms.tsquery())]

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        fts = connection.ops.quote_name(self.index.fts_table)
        key_sql, key_params = compiler.compile(self.key)
        sql = f"{key_sql} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"  # noqa: S608  # nosec B608
        return sql, [*key_params, self.terms.fts5()]


class Rank(_Search):
    """For each word, the weight of the best column that holds it (``WEIGHTS``), added up.
    Only for rows that ``Match`` found: each word is in one of their columns."""

    output = IntegerField()

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        vector = self._vector(connection)
        letters = sorted(
            {w for _c, w in self.index.columns} | {r.weight for r in self.index.related}
        )
        *tested, last = letters  # A first: the best
        by_weight = {letter: self.terms.tsquery(letter) for letter in tested}
        parts, params = [], []
        for i in range(len(self.terms.words)):
            whens = " ".join(f"WHEN {vector} @@ {_TSQUERY} THEN {WEIGHTS[w]}" for w in tested)
            parts.append(
                f"(CASE {whens} ELSE {WEIGHTS[last]} END)" if tested else str(WEIGHTS[last])
            )
            params += [by_weight[w][i] for w in tested]
        return f"({' + '.join(parts)})", params

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        qn = connection.ops.quote_name
        fts = qn(self.index.fts_table)
        key_sql, key_params = compiler.compile(self.key)
        columns = ", ".join(
            [qn(c) for c, _w in self.index.columns] + [qn(r.label) for r in self.index.related]
        )
        weights = " ".join(str(w) for w in self.index.weights())
        sql = (
            f"(SELECT {RANK_FUNCTION}(%s, '{weights}', {columns}) FROM {fts}"  # noqa: S608  # nosec B608
            f" WHERE {fts}.rowid = {key_sql})"
        )
        return sql, [self.terms.fts5(), *key_params]


_FTS5_TERM = re.compile(r'"([a-z0-9]+)"(\*?)')


@functools.lru_cache(maxsize=256)
def _fts5_terms(query: str) -> tuple[tuple[str, bool], ...]:
    return tuple((m[1], bool(m[2])) for m in _FTS5_TERM.finditer(query))


def rank(query: str, weights: str, *columns: str | None) -> int:
    """``Rank`` on SQLite (``cocity_rank``): ``query`` as ``Terms.fts5`` writes it, the
    columns' weights and their stems as the FTS5 table holds them (one space apart)."""
    texts = [f" {column or ''} " for column in columns]
    total = 0
    for term, prefix in _fts5_terms(query):
        needle = f" {term}" if prefix else f" {term} "
        total += max(
            (w for w, text in zip(_weights(weights), texts, strict=False) if needle in text),
            default=0,
        )
    return total


@functools.lru_cache(maxsize=64)
def _weights(weights: str) -> tuple[int, ...]:
    return tuple(int(w) for w in weights.split())


# --- The engines' side: connections and migrations -----------------------------------------


def connected(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created``: SQLite's triggers call ``cocity_stems``, so every connection
    that may write a searched table has it (a tool that opens the file without Django cannot
    write those tables)."""
    if connection.vendor == "sqlite":
        register_functions(connection)


def register_functions(connection: BaseDatabaseWrapper) -> None:
    if connection.connection is not None:
        connection.connection.create_function(
            STEMS_FUNCTION, 1, _stems_or_empty, deterministic=True
        )
        connection.connection.create_function(RANK_FUNCTION, -1, _rank_or_zero, deterministic=True)


def _rank_or_zero(*args: Any) -> int:
    try:
        return rank(*args)
    except Exception:  # noqa: BLE001  # nosec B110
        return 0


def _stems_or_empty(text: Any) -> str:
    # Called by SQLite inside a write: an exception would fail the write.
    try:
        return stems(text if isinstance(text, str) else None)
    except Exception:  # noqa: BLE001  # nosec B110
        return ""


def install_configuration(schema_editor: Any) -> None:
    """PostgreSQL: ``unaccent``, the Snowball Italian dictionary without stop words, the
    configuration ``cocity_italian`` and ``cocity_search_text()`` (the accents taken off and
    every character but ASCII letters and digits made a space, as ``words`` does)."""
    if schema_editor.connection.vendor != "postgresql":
        return

    def run(sql: str) -> None:
        schema_editor.execute(sql, params=None)

    run("CREATE EXTENSION IF NOT EXISTS unaccent")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'unaccent'"
        )
        schema = schema_editor.quote_name(cursor.fetchone()[0])
    run(
        f"CREATE TEXT SEARCH DICTIONARY {CONFIGURATION}_stem"
        " (TEMPLATE = snowball, LANGUAGE = italian)"
    )
    run(f"CREATE TEXT SEARCH CONFIGURATION {CONFIGURATION} (COPY = simple)")
    run(
        f"ALTER TEXT SEARCH CONFIGURATION {CONFIGURATION} ALTER MAPPING FOR asciiword, word,"
        " numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart,"
        f" int, uint, float, sfloat, version WITH {CONFIGURATION}_stem"
    )
    # IMMUTABLE (unaccent() is only STABLE): the dictionary is named with its schema.
    run(
        "CREATE FUNCTION cocity_search_text(text) RETURNS text LANGUAGE sql IMMUTABLE"
        " PARALLEL SAFE STRICT AS $$ SELECT pg_catalog.regexp_replace("
        f"{schema}.unaccent('{schema}.unaccent'::regdictionary, $1),"
        " '[^a-zA-Z0-9]+', ' ', 'g') $$"
    )


def uninstall_configuration(schema_editor: Any) -> None:
    """The reverse of ``install_configuration`` (``unaccent`` stays: others may use it)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (
        "DROP FUNCTION IF EXISTS cocity_search_text(text)",
        f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIGURATION}",
        f"DROP TEXT SEARCH DICTIONARY IF EXISTS {CONFIGURATION}_stem",
    ):
        schema_editor.execute(sql, params=None)


def installer(index: Index) -> Callable[[Any, Any], None]:
    """A ``RunPython`` function that installs ``index`` and fills it from the rows already
    there. Idempotent: run again (after a migration that remade the table on SQLite, which
    drops its triggers) it rebuilds the index."""

    def install(apps: Any, schema_editor: Any) -> None:
        for sql in install_sql(index, schema_editor.connection):
            schema_editor.execute(sql, params=None)

    return install


def uninstaller(index: Index) -> Callable[[Any, Any], None]:
    def uninstall(apps: Any, schema_editor: Any) -> None:
        for sql in uninstall_sql(index, schema_editor.connection):
            schema_editor.execute(sql, params=None)

    return uninstall


def install_sql(index: Index, connection: BaseDatabaseWrapper) -> list[str]:
    """The statements that install ``index`` (the names are the code's own, quoted)."""
    if connection.vendor == "postgresql":
        return _postgresql_sql(index, connection.ops.quote_name)
    if connection.vendor == "sqlite":
        register_functions(connection)
        return _sqlite_sql(index, connection.ops.quote_name)
    raise NotSupportedError(f"full-text search needs PostgreSQL or SQLite, not {connection.vendor}")


def _postgresql_sql(index: Index, qn: Callable[[str], str]) -> list[str]:
    table, name, vector_column = qn(index.table), qn(index.table + "_search"), qn(VECTOR_COLUMN)

    def text(sql: str, weight: str) -> str:
        return (
            f"setweight(to_tsvector('{CONFIGURATION}'::regconfig,"
            f" cocity_search_text(coalesce({sql}, ''))), '{weight}')"
        )

    def vector(row: str) -> str:
        own = [text(f"{row}.{qn(column)}::text", weight) for column, weight in index.columns]
        related = [
            text(
                f"(SELECT r.{qn(r.column)}::text FROM {qn(r.table)} r"  # noqa: S608  # nosec B608
                f" WHERE r.id = {row}.{qn(r.key)})",
                r.weight,
            )
            for r in index.related
        ]
        return " || ".join(own + related)

    watched = [qn(column) for column, _weight in index.columns] + [qn(r.key) for r in index.related]
    unchanged = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in watched)
    statements = [
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {vector_column} tsvector",
        f"UPDATE {table} SET {vector_column} = {vector(table)}",  # noqa: S608  # nosec B608
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        f" IF TG_OP = 'UPDATE' AND {unchanged} THEN RETURN NEW; END IF;"
        f" NEW.{vector_column} := {vector('NEW')}; RETURN NEW; END $$",
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table}"
        f" FOR EACH ROW EXECUTE FUNCTION {name}()",
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({vector_column})",
    ]
    for r in index.related:
        function = qn(f"{index.table}_search_{r.table}")
        statements += [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$"  # noqa: S608  # nosec B608
            f" BEGIN UPDATE {table} SET {vector_column} = {vector(table)}"
            f" WHERE {qn(r.key)} = NEW.id; RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {name} ON {qn(r.table)}",
            f"CREATE TRIGGER {name} AFTER UPDATE ON {qn(r.table)} FOR EACH ROW"
            f" WHEN (OLD.{qn(r.column)} IS DISTINCT FROM NEW.{qn(r.column)})"
            f" EXECUTE FUNCTION {function}()",
        ]
    return statements


def _sqlite_sql(index: Index, qn: Callable[[str], str]) -> list[str]:
    table, fts = qn(index.table), qn(index.fts_table)
    labels = [qn(column) for column, _weight in index.columns] + [
        qn(r.label) for r in index.related
    ]
    listed = ", ".join(labels)

    def stemmed(row: str) -> str:
        own = [f"{STEMS_FUNCTION}({row}.{qn(column)})" for column, _weight in index.columns]
        related = [
            f"{STEMS_FUNCTION}((SELECT r.{qn(r.column)} FROM {qn(r.table)} r"  # noqa: S608  # nosec B608
            f" WHERE r.id = {row}.{qn(r.key)}))"
            for r in index.related
        ]
        return ", ".join(own + related)

    watched = ["id"] + [qn(c) for c, _w in index.columns] + [qn(r.key) for r in index.related]
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in watched)
    insert = f"INSERT INTO {fts}(rowid, {listed}) VALUES (new.id, {stemmed('new')});"  # noqa: S608  # nosec B608
    statements = [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({listed})",
        f"DELETE FROM {fts}",  # noqa: S608  # nosec B608
        f"INSERT INTO {fts}(rowid, {listed}) SELECT t.id, {stemmed('t')} FROM {table} t",  # noqa: S608  # nosec B608
        f"CREATE TRIGGER IF NOT EXISTS {qn(index.table + '_fts_insert')} AFTER INSERT ON {table}"
        f" BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {qn(index.table + '_fts_update')} AFTER UPDATE ON {table}"  # noqa: S608  # nosec B608
        f" WHEN {changed} BEGIN DELETE FROM {fts} WHERE rowid = old.id; {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {qn(index.table + '_fts_delete')} AFTER DELETE ON {table}"  # noqa: S608  # nosec B608
        f" BEGIN DELETE FROM {fts} WHERE rowid = old.id; END",
    ]
    for r in index.related:
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {qn(f'{index.table}_fts_{r.table}')}"  # noqa: S608  # nosec B608
            f" AFTER UPDATE ON {qn(r.table)} WHEN old.{qn(r.column)} IS NOT new.{qn(r.column)}"
            f" BEGIN UPDATE {fts} SET {qn(r.label)} = {STEMS_FUNCTION}(new.{qn(r.column)})"
            f" WHERE rowid IN (SELECT id FROM {table} WHERE {qn(r.key)} = new.id); END"
        )
    return statements


def uninstall_sql(index: Index, connection: BaseDatabaseWrapper) -> list[str]:
    qn = connection.ops.quote_name
    table = qn(index.table)
    if connection.vendor == "postgresql":
        name = qn(index.table + "_search")
        return [
            *(f"DROP TRIGGER IF EXISTS {name} ON {qn(r.table)}" for r in index.related),
            *(
                f"DROP FUNCTION IF EXISTS {qn(f'{index.table}_search_{r.table}')}()"
                for r in index.related
            ),
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"DROP FUNCTION IF EXISTS {name}()",
            f"DROP INDEX IF EXISTS {name}",
            f"ALTER TABLE {table} DROP COLUMN IF EXISTS {qn(VECTOR_COLUMN)}",
        ]
    return [
        *(f"DROP TRIGGER IF EXISTS {qn(name)}" for name in _sqlite_triggers(index)),
        f"DROP TABLE IF EXISTS {qn(index.fts_table)}",
    ]


def _sqlite_triggers(index: Index) -> list[str]:
    return [f"{index.table}_fts_{event}" for event in ("insert", "update", "delete")] + [
        f"{index.table}_fts_{r.table}" for r in index.related
    ]


def missing_triggers(index: Index, connection: BaseDatabaseWrapper) -> list[str]:
    """The search triggers of ``index`` that are not in the database, as ``table.trigger``
    (for a test: Django remakes an SQLite table for some changes of its fields, and a
    remade table has lost its triggers; ``installer`` run again puts them back)."""
    name = f"{index.table}_search"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            expected = [(table, name) for table in (index.table, *(r.table for r in index.related))]
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE NOT t.tgisinternal"
            )
        else:
            tables = [index.table] * 3 + [r.table for r in index.related]
            expected = list(zip(tables, _sqlite_triggers(index), strict=True))
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        present = {(table, trigger) for table, trigger in cursor.fetchall()}
    return [f"{table}.{trigger}" for table, trigger in expected if (table, trigger) not in present]
