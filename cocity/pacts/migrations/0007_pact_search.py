"""The full-text index of the registry (docs/decisions/0020): a pact's title and objectives
and its proponent organisation's name, by weight. On PostgreSQL a ``search_vector`` column
with a GIN index, kept by a trigger on pacts and one on organisations (a new name reaches
the pacts); on SQLite an FTS5 table kept the same way. Filled from the rows already there."""

from django.db import migrations

from cocity.core import search

# As at this migration (the selectors name their own: tests/search checks that they agree).
INDEX = search.Index(
    table="pacts_pact",
    columns=(("title", "A"), ("objectives", "B")),
    related=(
        search.Related(
            key="proponent_organisation_id",
            table="accounts_organisation",
            column="name",
            weight="C",
        ),
    ),
)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_tokens"),
        ("core", "0001_search_configuration"),
        ("pacts", "0006_clause_templates"),
    ]

    operations = [
        migrations.RunPython(search.installer(INDEX), search.uninstaller(INDEX), elidable=False)
    ]
