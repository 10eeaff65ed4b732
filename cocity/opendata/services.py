"""Writes on the office's imports of a register of pacts: each service asks ``commons.manage``
in the run's municipality (the same permission as the office's import pages) and, when it
refuses, raises ``PermissionDenied`` having changed nothing; then the importer's run does
the work (``importer.import_run_upload`` and the others: they lock the run, refuse with a
``ValidationError`` before any write, and enqueue the worker after commit). The pacts and
commons the worker writes announce their changes there; a run itself shows on no public page,
so these services announce nothing.

The ``import_pacts`` command is the platform's own import and calls the importer directly."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from cocity.accounts.models import User
from cocity.commons.permissions import check_office
from cocity.municipalities.models import Municipality
from cocity.opendata import importer
from cocity.opendata.models import ImportRun

_REFUSAL = gettext_lazy("Only the commons office of %(city)s can import its register of pacts.")


def _check_actor(actor: User, municipality: Municipality) -> None:
    check_office(actor, municipality, _REFUSAL)


def import_run_upload(
    *,
    actor: User,
    municipality: Municipality,
    file_name: str,
    data: bytes,
    mapping: importer.Mapping,
    source: importer.Source,
) -> ImportRun:
    """Start an import: the uploaded register (read with its mapping by the form) is kept in a
    new run that the worker checks (a dry run); the actor's earlier unconfirmed upload in the
    municipality is dropped."""
    _check_actor(actor, municipality)
    return importer.import_run_upload(
        municipality=municipality,
        actor=actor,
        file_name=file_name,
        data=data,
        mapping=mapping,
        source=source,
    )


def import_run_confirm(*, actor: User, run: ImportRun) -> ImportRun:
    """Apply a checked run: its uploader confirms it and the worker imports it.
    ``ValidationError`` when it is not waiting for the actor's confirmation or another import
    of the city is writing."""
    _check_actor(actor, run.municipality)
    return importer.import_run_confirm(run=run, actor=actor)


def import_run_resume(*, actor: User, run: ImportRun) -> ImportRun:
    """Queue again a run that stopped; anyone who may import in the city may resume it.
    ``ValidationError`` when it is not under way, or still making progress."""
    _check_actor(actor, run.municipality)
    return importer.import_run_resume(run=run)
