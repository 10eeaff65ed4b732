"""Writing many rows at once, for the seed and other bulk paths: keys given before writing
(so children can refer to their parents in the same pass), PostgreSQL's COPY or one SQLite
``executemany``. Callers own the meaning of the rows; domain rules stay in the services."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone


def assign_ids(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Give the objects their primary keys before they are written, from the table's own
    sequence (PostgreSQL) or after its highest key (SQLite), so that children can refer to
    them and everything is written in one pass."""
    if not objs:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                " nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, len(objs)],
            )
            last = int(cursor.fetchone()[0])
            first = last - len(objs) + 1
        else:
            first = _sqlite_next.get(table, 0)
            if not first:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608  # nosec B608
                first = int(cursor.fetchone()[0])
            _sqlite_next[table] = first + len(objs)
    for offset, obj in enumerate(objs):
        obj.pk = first + offset


_sqlite_next: dict[str, int] = {}


def bulk_insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Write model instances (keys already given, or given here) with PostgreSQL's COPY, or
    one ``executemany`` on SQLite: the same rows ``bulk_create`` would write, many times
    faster. Fields left empty that the model fills itself (``auto_now``) get the time now."""
    if not objs:
        return
    if any(obj.pk is None for obj in objs):
        assign_ids(model, [obj for obj in objs if obj.pk is None])
    fields = list(model._meta.concrete_fields)
    now = timezone.now()
    for f in fields:
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
            for obj in objs:
                if getattr(obj, f.attname) is None:
                    setattr(obj, f.attname, now)
    _write(model, fields, ([getattr(obj, f.attname) for f in fields] for obj in objs))


def bulk_insert_rows(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Write plain rows (values in the order of ``names``, attribute names of the model's
    fields, the key left to the database) for the largest tables."""
    if rows:
        _write(model, [model._meta.get_field(name) for name in names], rows)  # type: ignore[misc]


def _write(
    model: type[models.Model],
    fields: Sequence[models.Field[Any, Any]],
    rows: Iterable[Sequence[Any]],
) -> None:
    """COPY on PostgreSQL (values adapted by psycopg, JSON and files by ``_pg_converter``);
    one ``executemany`` on SQLite (values prepared by the fields, as Django would)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(str(f.column)) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            converted = [(i, c) for i, c in enumerate(map(_pg_converter, fields)) if c]
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    if converted:
                        row = list(row)
                        for i, convert in converted:
                            row[i] = convert(row[i])
                    copy.write_row(row)
        else:
            db = connections[DEFAULT_DB_ALIAS]  # not the proxy: looked up once, not per value
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608  # nosec B608
                [
                    [f.get_db_prep_save(value, db) for f, value in zip(fields, row, strict=True)]
                    for row in rows
                ],
            )


def _pg_converter(f: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    if isinstance(f, models.JSONField):
        return lambda value: None if value is None else json.dumps(value)
    if isinstance(f, models.FileField):
        return lambda value: (value.name or "") if value else ""
    return None


def keys_reset() -> None:
    """Forget the SQLite keys given so far (a new run looks at the tables again)."""
    _sqlite_next.clear()
