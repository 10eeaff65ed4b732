"""The municipality's regulation settings (issue #13, item 8): the office sees and changes
them on its own page, each change is kept with its date, author and reason, and the public
sees the rules and their changes on the city's pages."""

import pytest
from django.core.exceptions import PermissionDenied

from cocity.accounts.models import StaffRole
from cocity.municipalities.models import Municipality, RegulationChange
from cocity.municipalities.services import regulation_check
from cocity.pacts.models import Party, Status
from cocity.pacts.permissions import may_sign_for
from tests.accounts.factories import staff
from tests.pacts.factories import Cast, PactFactory

PAGE = "/torino/office/regulation/"


def _form(municipality: Municipality, **changes: object) -> dict[str, object]:
    """The form as the office page shows it, with ``changes`` typed in."""
    data: dict[str, object] = {
        "consultation_days": municipality.consultation_days,
        "completeness_check_days": municipality.completeness_check_days,
        "evaluation_days": municipality.evaluation_days,
        "report_interval_months": municipality.report_interval_months,
        "ordinary_max_months": municipality.ordinary_max_months,
        "complex_max_months": municipality.complex_max_months,
        "city_signs": municipality.city_signs,
        "note": "",
    }
    if municipality.simple_pacts_skip_consultation:
        data["simple_pacts_skip_consultation"] = "on"
    data.update(changes)
    return data


@pytest.mark.django_db
class TestTheOfficePage:
    def test_the_office_changes_a_deadline_and_the_change_is_kept_with_its_reason(
        self, client, torino
    ):
        office = staff(municipality=torino, role=StaffRole.Role.OFFICE)
        client.force_login(office)
        page = client.get(PAGE)
        assert page.status_code == 200
        assert 'name="consultation_days" value="15"' in page.content.decode()

        answer = client.post(
            PAGE, _form(torino, consultation_days=20, note="Delibera n. 45 del 12/03/2026")
        )
        assert answer.status_code == 302
        torino.refresh_from_db()
        assert torino.consultation_days == 20
        change = RegulationChange.objects.get(municipality=torino)
        assert change.changes == {"consultation_days": [15, 20]}
        assert change.changed_by == office

        page = client.get(PAGE).content.decode()
        assert "Le impostazioni sono salvate" in page
        assert "da 15 a 20" in page
        assert "Delibera n. 45 del 12/03/2026" in page
        assert office.display_name in page

    def test_the_public_page_shows_the_rules_and_the_change_but_not_who_typed_it(
        self, client, torino
    ):
        office = staff(municipality=torino, role=StaffRole.Role.OFFICE)
        client.force_login(office)
        client.post(PAGE, _form(torino, simple_pacts_skip_consultation="on", note="Delibera 7"))
        client.logout()
        page = client.get("/torino/rules/").content.decode()
        assert "Le regole dei patti a Torino" in page
        assert "I patti ordinari possono essere valutati senza consultazione pubblica." in page
        assert "Delibera 7" in page
        assert "da no a sì" in page
        assert office.display_name not in page
        assert "/torino/rules/" in client.get("/torino/").content.decode()

    @pytest.mark.parametrize(
        "field,value,message",
        [
            ("consultation_days", "0", "Inserisca un valore maggiore o uguale a 1."),
            ("consultation_days", "quindici", "Inserisca un numero intero"),
            ("complex_max_months", "500", "Inserisca un valore minore o uguale a 240."),
            ("note", "x" * 301, "al massimo 300 caratteri (ne ha 301)"),
        ],
    )
    def test_bad_input_is_explained_and_changes_nothing(
        self, client, torino, field, value, message
    ):
        client.force_login(staff(municipality=torino, role=StaffRole.Role.OFFICE))
        answer = client.post(PAGE, _form(torino, **{field: value, "evaluation_days": 90}))
        assert answer.status_code == 400
        assert message in answer.content.decode()
        torino.refresh_from_db()
        assert torino.evaluation_days == 60
        assert not RegulationChange.objects.exists()

    def test_saving_without_a_change_records_nothing(self, client, torino):
        client.force_login(staff(municipality=torino, role=StaffRole.Role.OFFICE))
        answer = client.post(PAGE, _form(torino, note="Nessuna modifica"), follow=True)
        assert "Nessuna impostazione è stata modificata." in answer.content.decode()
        assert not RegulationChange.objects.exists()

    def test_other_staff_read_the_settings_and_may_not_change_them(self, client, torino):
        department = staff(municipality=torino, role=StaffRole.Role.DEPARTMENT)
        client.force_login(department)
        page = client.get(PAGE).content.decode()
        assert 'name="consultation_days"' not in page
        assert "Consultazione pubblica su una proposta: 15 giorni" in page
        answer = client.post(PAGE, _form(torino, consultation_days=20))
        assert answer.status_code == 403
        torino.refresh_from_db()
        assert torino.consultation_days == 15
        assert not RegulationChange.objects.exists()

    def test_staff_of_another_city_may_not_open_it(self, client, torino, reggio):
        client.force_login(staff(municipality=reggio, role=StaffRole.Role.OFFICE))
        assert client.get(PAGE).status_code == 403


@pytest.mark.django_db
def test_who_signs_for_the_city_follows_the_setting(client, torino):
    cast = Cast(torino)
    pact = PactFactory(cast=cast, status=Status.AWAITING_SIGNATURE)
    city_party = pact.parties.get(role=Party.Role.CITY)
    assert may_sign_for(cast.manager, city_party)
    client.force_login(staff(municipality=torino, role=StaffRole.Role.OFFICE))
    client.post(PAGE, _form(torino, city_signs="executive", note="Delibera 12"))
    city_party = pact.parties.select_related("pact__municipality").get(role=Party.Role.CITY)
    assert not may_sign_for(cast.manager, city_party)
    assert may_sign_for(cast.executive, city_party)


@pytest.mark.django_db
def test_the_check_of_who_changes_the_rules(torino, reggio):
    regulation_check(staff(municipality=torino, role=StaffRole.Role.OFFICE), torino)
    regulation_check(staff(municipality=torino, role=StaffRole.Role.ADMIN), torino)
    regulation_check(None, torino)  # the platform: a command, the seed
    for refused in (
        staff(municipality=torino, role=StaffRole.Role.MANAGER),
        staff(municipality=reggio, role=StaffRole.Role.OFFICE),
    ):
        with pytest.raises(PermissionDenied, match="Torino"):
            regulation_check(refused, torino)
