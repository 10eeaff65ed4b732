"""The import of a register of pacts exported by another system: a register "in another
city's style" (semicolons, Italian headers, dd/mm/yyyy dates, messy values, a BOM) loaded into
Turin, then a newer snapshot, then the same snapshot again."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from cocity.accounts.models import Organisation, User
from cocity.commons.models import Commons
from cocity.municipalities.models import District
from cocity.opendata.importer import mapping_parse
from cocity.opendata.models import ImportedPact, ImportRun
from cocity.pacts.models import Pact, PactEvent, Party, Status
from tests.accounts.factories import UserFactory, staff
from tests.commons.factories import VALENTINO, CommonsFactory

DATA = Path(__file__).parent / "data"
MAPPING = DATA / "mappatura.toml"
SNAPSHOT_2024 = DATA / "registro_2024.csv"
SNAPSHOT_2025 = DATA / "registro_2025.csv"
ERRORS = DATA / "registro_errori.csv"


def run(path: Path, *, mapping: Path = MAPPING, dry_run: bool = False, city: str = "torino"):
    out = io.StringIO()
    args = [str(path), "--city", city, "--mapping", str(mapping)]
    if dry_run:
        args.append("--dry-run")
    call_command("import_pacts", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def pact(source_id: str) -> Pact:
    return ImportedPact.objects.select_related("pact").get(source_id=source_id).pact


def summary(output: str) -> str:
    return output.splitlines()[0].split(": ", 1)[1]


@pytest.mark.django_db
def test_a_register_then_a_newer_snapshot_then_the_same_again(torino):
    valentino = CommonsFactory(
        municipality=torino, name="Parco del Valentino", point=VALENTINO, kind="green_area"
    )

    first = run(SNAPSHOT_2024)

    assert summary(first) == "4 created, 0 updated, 0 unchanged, 0 rejected."
    assert {p.status for p in Pact.objects.all()} == {
        Status.EVALUATION,
        Status.ACTIVE,
        Status.SUBMITTED,
    }
    nizza = pact("P-001")
    assert nizza.status == Status.EVALUATION  # " in valutazione "
    assert nizza.title == "Cura del giardino di via Nizza"
    assert nizza.number.startswith("TO-")
    # The organisation proposes, through the one placeholder user of the import.
    assert nizza.proponent_organisation.name == "Associazione Amici del Verde"
    assert nizza.proponent_organisation.kind == Organisation.Kind.ASSOCIATION
    assert nizza.proponent_organisation.informal
    assert nizza.parties.get().role == Party.Role.PROPONENT
    placeholder = nizza.proponent
    assert placeholder.email == "import.torino@cocity.invalid"
    assert placeholder.display_name == "Registro importato"
    assert not placeholder.is_active and not placeholder.has_usable_password()
    assert User.objects.count() == 1
    # A commons created at the row's point (Italian decimals), in a district created for it.
    assert nizza.commons.name == "Via Nizza 10"
    assert nizza.commons.district.name == "San Salvario"
    assert abs(nizza.commons.lat - 45.056) < 1e-9

    orto = pact("P-002")  # "FIRMATO", a private citizen, a title with the delimiter in quotes
    assert orto.status == Status.ACTIVE
    assert orto.title == "Orto condiviso al Valentino; lato fiume"
    assert orto.number == "TO-2024-0001"  # numbered in the year of signature
    assert str(orto.start_date) == "2024-03-15"
    assert orto.proponent_organisation is None
    assert "Mario Rossi" in orto.people_involved
    assert not User.objects.filter(display_name__icontains="Rossi").exists()
    assert orto.commons == valentino  # an existing commons a metre away
    valentino.refresh_from_db()
    assert valentino.availability == Commons.Availability.UNDER_PACT

    library = pact("P-003")  # no coordinates: placed at the centre of Turin, and said so
    assert library.number == "TO-2024-0002"
    assert library.commons.lon == torino.lon and library.commons.lat == torino.lat
    assert library.commons.district.name == "Aurora"
    assert library.proponent_organisation.kind == Organisation.Kind.COMMITTEE
    note = next(line for line in first.splitlines() if "(id P-003)" in line)
    assert note.startswith("  line 4 ")
    assert "no coordinates: the commons is placed at the centre of Torino" in note
    assert pact("P-004").proponent_organisation == nizza.proponent_organisation
    assert set(District.objects.values_list("name", flat=True)) == {
        "San Salvario",
        "Aurora",
        "Centro",
    }
    created_events = PactEvent.objects.filter(action="import", from_status="")
    assert created_events.count() == 4

    second = run(SNAPSHOT_2025)

    assert summary(second) == "2 created, 2 updated, 2 unchanged, 0 rejected."
    assert Pact.objects.count() == 6
    nizza.refresh_from_db()
    assert nizza.status == Status.ACTIVE
    assert str(nizza.start_date) == "2025-06-10"
    assert nizza.version == 2
    library.refresh_from_db()
    assert library.status == Status.CONCLUDED  # " concluso "
    changes = PactEvent.objects.filter(action="import").exclude(from_status="")
    assert {(e.pact.number, e.from_status, e.to_status) for e in changes} == {
        (nizza.number, Status.EVALUATION, Status.ACTIVE),
        (library.number, Status.ACTIVE, Status.CONCLUDED),
    }
    event = changes.get(pact=nizza)
    assert event.data["source_status"] == "Firmato"
    assert event.data["source_id"] == "P-001"
    assert event.data["import"] == ImportRun.objects.order_by("-pk").first().pk
    assert event.actor is None
    # The same commons by name ("  via nizza 10 "), the same organisation by name.
    assert pact("P-005").commons == nizza.commons
    assert pact("P-005").proponent_organisation == nizza.proponent_organisation
    assert pact("P-005").status == Status.CO_DESIGN
    assert Organisation.objects.count() == 3
    # Line numbers are the file's, blank line included.
    assert "  line 8 (id P-006): new commons 'Parco Dora'" in second

    events_before = PactEvent.objects.count()
    third = run(SNAPSHOT_2025)

    assert summary(third) == "0 created, 0 updated, 6 unchanged, 0 rejected."
    assert PactEvent.objects.count() == events_before
    assert Pact.objects.count() == 6
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_rejected_rows_are_reported_with_their_line_and_the_others_go_in(torino):
    output = run(ERRORS)

    assert summary(output) == "2 created, 0 updated, 0 unchanged, 4 rejected."
    assert sorted(ImportedPact.objects.values_list("source_id", flat=True)) == ["E-1", "E-4"]
    rejected = output.split("Rejected rows:\n", 1)[1].split("Warnings:\n", 1)[0]
    assert "line 3 (id E-2): the date '31/02/2024' in 'Data firma' is not a valid date" in rejected
    assert "line 4 (id E-3): unknown status 'Sospeso per sempre'" in rejected
    assert "line 6 (id E-5): the title ('Titolo') is empty" in rejected
    # A point far away is no reason to drop a pact of the register: it comes without a place.
    assert "(id E-4)" not in rejected
    assert "line 5 (id E-4): the point (41.8902, 12.4922) lies " in output
    assert pact("E-4").commons is None
    assert "line 7 (id E-6): unknown proponent kind 'Ente morale'" in rejected
    # Nothing of the rejected rows stays behind (their commons); "Centro" is E-4's district.
    assert not Commons.objects.filter(name__startswith="Via Roma").exists()
    assert set(District.objects.values_list("name", flat=True)) == {"San Salvario", "Centro"}


@pytest.mark.django_db
def test_a_dry_run_writes_nothing_and_reports_what_a_real_run_would(torino):
    dry = run(SNAPSHOT_2025, dry_run=True)

    assert "Dry run: nothing was written." in dry
    for model in (Pact, ImportedPact, ImportRun, Commons, District, Organisation, User, PactEvent):
        assert not model.objects.exists(), model
    real = run(SNAPSHOT_2025)
    assert summary(dry) == summary(real) == "6 created, 0 updated, 0 unchanged, 0 rejected."
    assert dry.splitlines()[:-1] == real.splitlines()


@pytest.mark.django_db
def test_a_dry_run_of_a_newer_snapshot_counts_updates(torino):
    run(SNAPSHOT_2024)
    statuses = dict(Pact.objects.values_list("pk", "status"))

    dry = run(SNAPSHOT_2025, dry_run=True)

    assert summary(dry) == "2 created, 2 updated, 2 unchanged, 0 rejected."
    assert dict(Pact.objects.values_list("pk", "status")) == statuses
    assert not PactEvent.objects.exclude(from_status="").exists()


BROKEN_MAPPINGS = [
    ("[source]\nid = 'Codice'\n[status]\n'Firmato' = 'active'\n", "mapping: [columns] is missing"),
    (
        "[source]\nid = 'Codice'\n[columns]\ntitle = 'Titolo'\nstatus = 'Stato'\n"
        "[status]\n'Signed' = 'signed_ok'\n",
        "mapping: [status] 'Signed' = 'signed_ok' is not a status",
    ),
    (
        "[source]\nid = 'Codice'\n[columns]\ntitle = 'Titolo'\nfoo = 'Bar'\n"
        "[status]\n'*' = 'active'\n",
        "mapping: unknown column field 'foo'",
    ),
    (
        "[source]\ndelimiter = ';'\n[columns]\ntitle = 'Titolo'\n[status]\n'*' = 'active'\n",
        "mapping: [source] id is missing",
    ),
    (
        "[source]\nid = 'Codice'\ndate_format = 'dd/mm/yyyy'\n[columns]\ntitle = 'Titolo'\n"
        "[status]\n'*' = 'active'\n",
        "mapping: [source] date_format 'dd/mm/yyyy' is not a date format",
    ),
    (
        "[source]\nid = 'Codice'\n[columns]\ntitle = 'Titolo'\nproponent_name = 'Proponente'\n"
        "proponent_kind = 'Tipo'\n[status]\n'*' = 'active'\n[proponent_kind]\n'Ass' = 'club'\n",
        "mapping: [proponent_kind] 'Ass' = 'club' is not an organisation kind",
    ),
    ("[source\nid = 'Codice'\n", "mapping: not valid TOML"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "message"), BROKEN_MAPPINGS)
def test_a_malformed_mapping_is_reported_with_the_key_at_fault(torino, tmp_path, text, message):
    mapping = tmp_path / "broken.toml"
    mapping.write_text(text)

    with pytest.raises(CommandError) as error:
        run(tmp_path / "not-even-read.csv", mapping=mapping)

    assert str(error.value).startswith(message)
    assert not Pact.objects.exists()


@pytest.mark.django_db
def test_a_file_that_cannot_be_read_fails_the_command(torino, tmp_path):
    register = tmp_path / "comma.csv"
    register.write_text("Codice,Titolo,Stato\nX,Y,Firmato\n")

    with pytest.raises(CommandError, match=r"no column 'Codice' .*\(is the delimiter right\?\)"):
        run(register)
    with pytest.raises(CommandError, match="file: cannot read"):
        run(tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Codice;Titolo\nX;Città\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not readable as utf-8"):
        run(latin)


def test_values_match_without_case_or_surrounding_spaces():
    mapping = mapping_parse(MAPPING.read_text())

    assert mapping.statuses["in valutazione"] == "evaluation"
    assert mapping.encoding == "utf-8-sig"
    assert mapping.delimiter == ";"


ISSUE_MAPPING = """
[source]
id = "Code"
date_format = "%Y-%m-%d"

[columns]
title = "Title"
status = "State"
proponent_name = "Proposer"
proponent_kind = "Proposer type"
proponent_tax_code = "Tax code"
representative = "Contact"
address = "Where"
coordinates = "Position"
category = "Category"
kind = "Type"
start_date = "From"
end_date = "To"
note = "Note"
document_url = "Document"

[status]
"Under review" = "evaluation"
"Signed" = "active"
"*" = "submitted"

[proponent_kind]
"Association" = "association"
"Citizen" = "person"

[kind]
"Complex" = "complex"
"Simple" = "ordinary"
"""
ISSUE_HEADER = (
    "Code,Title,State,Proposer,Proposer type,Tax code,Contact,Where,Position,Category,Type,"
    "From,To,Note,Document"
)
A1 = (
    "A1,Community garden,Signed,Green Friends,Association,97812340011,Anna Bianchi,Via Roma 1,"
    '"45.06903, 7.69305",Care of green areas,Complex,2024-01-10,{end},Signed at the district '
    "office,https://example.org/a1.pdf"
)
A2 = 'A2,Swapped,Signed,Luca Verdi,Citizen,,,Via Po 1,"7.6869, 45.0703",,,,,,'
A3 = 'A3,Street library,Something new,Luca Verdi,Citizen,,,Via Po 2,"45.0703, 7.6869",,Simple,,,,'
A4 = (
    'A4,Backwards,Signed,New Friends,Association,,,Via Po 3,"45.07, 7.68",,,2024-05-01,2024-01-01,,'
)


@pytest.mark.django_db
def test_the_optional_columns_and_fallbacks(torino, tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(ISSUE_MAPPING)
    register = tmp_path / "register.csv"
    register.write_text("\n".join([ISSUE_HEADER, A1.format(end="2026-01-09"), A2, A3, A4]) + "\n")

    output = run(register, mapping=mapping)

    assert summary(output) == "3 created, 0 updated, 0 unchanged, 1 rejected."
    assert "line 5 (id A4): the end date is before the start date" in output
    assert not Organisation.objects.filter(name="New Friends").exists()  # rolled back
    swapped = next(line for line in output.splitlines() if "(id A2)" in line)
    assert "outside Torino (latitude and longitude look swapped): not used" in swapped
    assert pact("A2").commons is None and pact("A2").place_name == "Via Po 1"
    garden = pact("A1")
    assert garden.complexity == Pact.Complexity.COMPLEX
    assert garden.category.name == "Care of green areas"
    assert str(garden.start_date) == "2024-01-10" and garden.duration_months == 24
    organisation = garden.proponent_organisation
    assert (organisation.tax_code, organisation.informal) == ("97812340011", False)
    assert "Anna Bianchi" in garden.people_involved
    assert garden.events.get().note == "Signed at the district office"
    assert ImportedPact.objects.get(source_id="A1").document_url == "https://example.org/a1.pdf"
    library = pact("A3")
    assert library.status == Status.SUBMITTED  # the "*" fallback
    assert library.complexity == Pact.Complexity.ORDINARY
    assert library.proponent_organisation is None and "Luca Verdi" in library.people_involved

    # The office retitles the pact; the register then changes only the end date.
    Pact.objects.filter(pk=garden.pk).update(title="Orto comunitario")
    register.write_text("\n".join([ISSUE_HEADER, A1.format(end="2025-01-09"), A3]) + "\n")

    again = run(register, mapping=mapping)

    assert summary(again) == "0 created, 1 updated, 1 unchanged, 0 rejected."
    garden.refresh_from_db()
    assert str(garden.end_date) == "2025-01-09" and garden.duration_months == 12
    assert garden.title == "Orto comunitario"  # not changed in the register: kept
    assert garden.events.count() == 1  # no change of status, no event
    assert Organisation.objects.count() == 1 and Commons.objects.count() == 2


# --- The office's page ---------------------------------------------------------------------


def _files():
    return {
        "register": SimpleUploadedFile("registro_errori.csv", ERRORS.read_bytes(), "text/csv"),
        "mapping": SimpleUploadedFile("mappatura.toml", MAPPING.read_bytes(), "text/plain"),
    }


@pytest.mark.django_db
def test_the_office_uploads_sees_a_preview_with_the_problems_and_confirms(
    client, torino, django_capture_on_commit_callbacks
):
    office = staff(municipality=torino, role="office")
    client.force_login(office)
    assert client.get("/torino/office/import/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):  # the worker checks the file
        response = client.post("/torino/office/import/", _files())

    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.PREVIEW
    assert not Pact.objects.exists()  # a preview writes no pact
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="import-preview"' in html
    assert '<th scope="col">Codice</th>' in html and "Tutto bene" in html
    assert "Sospeso per sempre" in html and "Data impossibile" in html
    problems = html.split('id="import-problems"', 1)[1].split("</table>", 1)[0]
    assert problems.count("<tr>") == 5  # the header and four rejected rows
    assert "<td>3</td><td>E-2</td>" in problems
    warnings = html.split('id="import-warnings"', 1)[1].split("</ul>", 1)[0]
    assert "Riga 5 (E-4)" in warnings and "il patto è importato senza una posizione" in warnings
    assert "/confirm/" in html

    with django_capture_on_commit_callbacks(execute=True):  # the worker imports it
        confirmed = client.post(f"/torino/office/import/{run.pk}/confirm/")

    assert confirmed.status_code == 302
    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE
    assert bytes(run.source) == b""
    assert run.report["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 4}
    imported = pact("E-1")
    assert imported.status == Status.ACTIVE
    assert imported.events.get().actor == office
    done = client.get(confirmed["Location"]).content.decode()
    assert imported.number in done and "/confirm/" not in done
    # Confirming twice does nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/torino/office/import/{run.pk}/confirm/")
    assert Pact.objects.count() == 2


@pytest.mark.django_db
def test_a_malformed_mapping_is_shown_on_the_form(client, torino):
    client.force_login(staff(municipality=torino, role="office"))
    files = _files()
    files["mapping"] = SimpleUploadedFile("m.toml", b"[source]\nid = 'Codice'\n")

    response = client.post("/torino/office/import/", files, headers={"accept-language": "en"})

    assert response.status_code == 400
    assert "mapping: [columns] is missing" in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_a_citizen_may_not_import(client, torino):
    office = staff(municipality=torino, role="office")
    client.force_login(office)
    client.post("/torino/office/import/", _files())
    run = ImportRun.objects.get()
    client.force_login(UserFactory())

    assert client.get("/torino/office/import/").status_code == 403
    assert client.post("/torino/office/import/", _files()).status_code == 403
    assert client.get(f"/torino/office/import/{run.pk}/").status_code == 403
    assert client.post(f"/torino/office/import/{run.pk}/confirm/").status_code == 403
    assert client.post(f"/torino/office/import/{run.pk}/resume/").status_code == 403
    assert ImportRun.objects.count() == 1
    assert not Pact.objects.exists()
