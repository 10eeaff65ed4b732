"""``manage.py import_pacts REGISTER.csv --city SLUG --mapping MAPPING.toml [--dry-run]``

Loads a register of pacts exported by another system (see ``docs/import.md``). Rows are
matched to earlier imports by their source id: a newer snapshot updates, the same file twice
changes nothing. Rejected rows are listed with their line numbers; the exit code is non-zero
only when the mapping is invalid or the file cannot be read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from tqdm import tqdm

from cocity.municipalities.models import Municipality
from cocity.opendata.importer import (
    MappingError,
    SourceError,
    mapping_parse,
    pacts_import,
    read_source,
)


class Command(BaseCommand):
    help = "Import a register of pacts (CSV) into a municipality, as a TOML mapping says."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the register, a CSV file")
        parser.add_argument("--city", required=True, help="the municipality's slug")
        parser.add_argument("--mapping", required=True, help="the mapping, a TOML file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en"):
            self._handle(**options)

    def _handle(
        self, *, file: str, city: str, mapping: str, dry_run: bool, verbosity: int, **_: Any
    ) -> None:
        municipality = Municipality.objects.filter(slug=city).first()
        if municipality is None:
            raise CommandError(f"There is no municipality '{city}'.")
        try:
            text = Path(mapping).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"mapping: cannot read {mapping}: {exc}") from exc
        try:
            parsed = mapping_parse(text)
        except MappingError as exc:
            raise CommandError(str(exc)) from exc
        try:
            source = read_source(Path(file).read_bytes(), parsed)
        except OSError as exc:
            raise CommandError(f"file: cannot read {file}: {exc}") from exc
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        with tqdm(
            total=len(source.rows), unit="row", desc="Importing", disable=verbosity == 0
        ) as bar:
            report = pacts_import(
                municipality=municipality,
                source=source,
                mapping=parsed,
                file_name=Path(file).name,
                dry_run=dry_run,
                progress=bar.update,
            )
        for line in report.lines():
            self.stdout.write(line)
