"""The full-text index of the catalogue (docs/decisions/0020): name, address and
description, by weight; a trigger-kept ``search_vector`` column with a GIN index on
PostgreSQL, an FTS5 table with triggers on SQLite, filled from the rows already there."""

from django.db import migrations

from cocity.core import search

# As at this migration (the selectors name their own: the tests check that they agree).
INDEX = search.Index(
    table="commons_commons", columns=(("name", "A"), ("address", "B"), ("description", "C"))
)


class Migration(migrations.Migration):
    dependencies = [
        ("commons", "0001_initial"),
        ("core", "0001_search_configuration"),
    ]

    operations = [
        migrations.RunPython(search.installer(INDEX), search.uninstaller(INDEX), elidable=False)
    ]
