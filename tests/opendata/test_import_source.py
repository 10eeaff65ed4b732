"""A register that cannot be read as CSV fails as a whole, with the line at fault, through the
command and through the office's page, and nothing is imported: a broken quote (it would
otherwise swallow the rows after it) and a NUL byte (which PostgreSQL cannot store)."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from cocity.opendata.models import ImportedPact, ImportRun
from cocity.pacts.models import Pact
from tests.accounts.factories import staff
from tests.opendata.support import HEADER, import_register, upload_register

GOOD = "Q-{n};Buon patto {n};Firmato;Comitato Aurora;Comitato;Via Cuneo {n};;45.07;7.68;01/02/2024"
# Line 3 opens a quote and never closes it: read leniently, it would take the rows after it
# into its title.
UNCLOSED = "\n".join(
    [HEADER, GOOD.format(n=1), 'Q-2;"Titolo rotto;Firmato;Comitato Aurora;Comitato;Via Po;;;;']
    + [GOOD.format(n=n) for n in (3, 4)]
)
# Line 3 opens a quote that a later line closes: the rows between become one value.
SWALLOWING = "\n".join(
    [
        HEADER,
        GOOD.format(n=1),
        'Q-2;"Titolo rotto;Firmato;Comitato Aurora;Comitato;Via Po;;;;',
        GOOD.format(n=3),
        'Q-4;Titolo;Firmato;Comitato Aurora;Comitato;Via Po";;;;;',
    ]
)
NUL = "\n".join([HEADER, GOOD.format(n=1), GOOD.format(n=2).replace("Buon", "Bu\x00on")])


def nothing_imported() -> None:
    assert not Pact.objects.exists()
    assert not ImportedPact.objects.exists()
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (UNCLOSED, "file: the quote opened on line 3 is never closed"),
        (SWALLOWING, "file: the quote opened on line 3 is not closed on its line"),
        (NUL, "file: line 3 contains a NUL character"),
    ],
    ids=["unclosed quote", "quote across lines", "NUL byte"],
)
def test_a_broken_register_fails_the_command_with_its_line(torino, tmp_path, text, message):
    with pytest.raises(CommandError) as error:
        import_register(text, tmp_path)

    assert str(error.value).startswith(message)
    nothing_imported()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (UNCLOSED, "le virgolette aperte alla riga 3 non sono mai chiuse"),
        (NUL, "la riga 3 contiene un carattere NUL"),
    ],
    ids=["unclosed quote", "NUL byte"],
)
def test_a_broken_register_is_refused_on_the_office_page_in_italian(client, torino, text, message):
    client.force_login(staff(municipality=torino, role="office"))

    response = upload_register(client, text)

    assert response.status_code == 400
    assert message in response.content.decode()
    nothing_imported()


@pytest.mark.django_db
def test_a_quote_inside_a_quoted_value_that_is_doubled_is_fine(torino, tmp_path):
    text = "\n".join(
        [HEADER, 'Q-1;"Il ""giardino"" di via Po";Firmato;Comitato Aurora;Comitato;;;;;']
    )

    output = import_register(text, tmp_path)

    assert output.splitlines()[0].endswith("1 created, 0 updated, 0 unchanged, 0 rejected.")
    assert Pact.objects.get().title == 'Il "giardino" di via Po'
