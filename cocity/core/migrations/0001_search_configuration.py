"""PostgreSQL's text search configuration for the full-text search (docs/decisions/0020):
``unaccent``, the Snowball Italian dictionary without stop words, ``cocity_italian`` and
``cocity_search_text()``. Nothing on SQLite, whose function is registered per connection."""

from django.db import migrations

from cocity.core import search


def install(apps, schema_editor):
    search.install_configuration(schema_editor)


def uninstall(apps, schema_editor):
    search.uninstall_configuration(schema_editor)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
