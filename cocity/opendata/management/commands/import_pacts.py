"""``manage.py import_pacts REGISTER.csv --city SLUG --mapping MAPPING.toml [--dry-run]``
``manage.py import_pacts --resume RUN``

Loads a register of pacts exported by another system (see ``docs/import.md``). Rows are
matched to earlier imports by their source id: a newer snapshot updates, the same file twice
changes nothing. The command runs here, not in the task worker, but through the same batches
as the office's imports: an import that stops (Ctrl-C, a lost connection) is continued with
``--resume`` (or from the office's page). Rejected rows are listed with their line numbers;
the exit code is non-zero only when the mapping is invalid, the file cannot be read, or
another import of the city is under way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from tqdm import tqdm

from cocity.municipalities.models import Municipality
from cocity.opendata.importer import (
    MappingError,
    SourceError,
    import_run_process,
    import_run_start,
    mapping_parse,
    read_source,
    report_lines,
)
from cocity.opendata.models import ImportRun


class Command(BaseCommand):
    help = "Import a register of pacts (CSV) into a municipality, as a TOML mapping says."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="the register, a CSV file")
        parser.add_argument("--city", help="the municipality's slug")
        parser.add_argument("--mapping", help="the mapping, a TOML file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument(
            "--resume",
            type=int,
            metavar="RUN",
            help="continue the import RUN that stopped, from its last batch",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en"):
            if options["resume"] is not None:
                self._resume(run_id=options["resume"], verbosity=options["verbosity"])
            else:
                self._handle(**options)

    def _handle(
        self,
        *,
        file: str | None,
        city: str | None,
        mapping: str | None,
        dry_run: bool,
        verbosity: int,
        **_: Any,
    ) -> None:
        if not file or not city or not mapping:
            raise CommandError("Give the register, --city and --mapping (or --resume RUN).")
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
            data = Path(file).read_bytes()
            source = read_source(data, parsed)
        except OSError as exc:
            raise CommandError(f"file: cannot read {file}: {exc}") from exc
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        try:
            run = import_run_start(
                municipality=municipality,
                file_name=Path(file).name,
                data=data,
                mapping=parsed,
                source=source,
                dry_run=dry_run,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        try:
            self._process(run, verbosity)
        finally:
            if dry_run:  # a check keeps nothing, not even its run
                ImportRun.objects.filter(pk=run.pk).delete()

    def _resume(self, *, run_id: int, verbosity: int) -> None:
        run = ImportRun.objects.filter(pk=run_id).first()
        if run is None:
            raise CommandError(f"There is no import {run_id}.")
        if not run.working:
            raise CommandError(f"The import {run_id} is not under way ({run.state}).")
        self._process(run, verbosity)

    def _process(self, run: ImportRun, verbosity: int) -> None:
        with tqdm(
            total=run.rows_total,
            initial=run.rows_done,
            unit="row",
            desc="Importing",
            disable=verbosity == 0,
        ) as bar:
            done = import_run_process(run_id=run.pk, progress=bar.update)
        if done is None or done.working:  # taken away meanwhile (the office dropped it)
            raise CommandError(f"The import {run.pk} was not finished.")
        for line in report_lines(done.report):
            self.stdout.write(line)
