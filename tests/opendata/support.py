"""What the open-data tests share: the mapping of the test registers, their header, the two
ways a register comes in (the ``import_pacts`` command and the office's upload page), and a
proposal made on behalf of an association."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

DATA = Path(__file__).parent / "data"
MAPPING = DATA / "mappatura.toml"
HEADER = "Codice;Titolo;Stato;Proponente;Tipo proponente;Indirizzo;Quartiere;Lat;Lon;Data firma"


def import_register(text: str, tmp_path: Path, *, city: str = "torino", **options) -> str:
    """Import the register ``text`` (saved as ``registro.csv``) into ``city`` with the
    command; its output."""
    register = tmp_path / "registro.csv"
    register.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_pacts",
        str(register),
        "--city",
        city,
        "--mapping",
        str(MAPPING),
        stdout=out,
        stderr=io.StringIO(),
        **options,
    )
    return out.getvalue()


def upload_register(client, text: str):
    """The office of Turin uploads the register ``text`` with the test mapping."""
    return client.post(
        "/torino/office/import/",
        {
            "register": SimpleUploadedFile("registro.csv", text.encode(), "text/csv"),
            "mapping": SimpleUploadedFile("mappatura.toml", MAPPING.read_bytes(), "text/plain"),
        },
    )


def association_proposal(cast, *, representative_name: str, association_name: str):
    """A submitted proposal by an association, whose representative keeps their name private;
    returns the association."""
    from cocity.pacts.models import Status
    from tests.accounts.factories import OrganisationFactory, UserFactory
    from tests.pacts.factories import PactFactory

    representative = UserFactory(show_name_publicly=False, display_name=representative_name)
    association = OrganisationFactory(representative=representative, name=association_name)
    PactFactory(
        cast=cast,
        status=Status.SUBMITTED,
        proponent=representative,
        proponent_organisation=association,
        title="Orto condiviso",
    )
    return association
