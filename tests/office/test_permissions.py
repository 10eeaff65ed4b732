"""Who may enter Turin's office area and manage its staff: a matrix of actors × pages."""

import pytest

from cocity.accounts.models import StaffRole
from tests.accounts.factories import OrganisationFactory, UserFactory, staff

ACTORS = [
    "anonymous",
    "citizen",
    "organisation_representative",
    "turin_office",
    "turin_manager",
    "turin_admin",
    "reggio_office",
    "reggio_admin",
    "platform_admin",
]


@pytest.fixture
def actor(request, torino, reggio):
    name = request.param
    if name == "anonymous":
        return None
    if name == "citizen":
        return UserFactory()
    if name == "organisation_representative":
        rep = UserFactory()
        OrganisationFactory(representative=rep, municipality=torino)
        return rep
    if name == "platform_admin":
        return UserFactory(is_platform_admin=True)
    city, role = name.split("_")
    municipality = torino if city == "turin" else reggio
    return staff(municipality=municipality, role=role)


# Expected status of each page for each actor (302 = sent to the login page).
DASHBOARD = {
    "anonymous": 302,
    "citizen": 403,
    "organisation_representative": 403,
    "turin_office": 200,
    "turin_manager": 200,
    "turin_admin": 200,
    "reggio_office": 403,
    "reggio_admin": 403,
    "platform_admin": 200,
}
STAFF_PAGE = {
    "anonymous": 302,
    "citizen": 403,
    "organisation_representative": 403,
    "turin_office": 403,
    "turin_manager": 403,
    "turin_admin": 200,
    "reggio_office": 403,
    "reggio_admin": 403,
    "platform_admin": 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS, indirect=True, ids=ACTORS)
def test_office_dashboard(client, actor, request):
    name = request.node.callspec.id
    if actor:
        client.force_login(actor)

    response = client.get("/torino/office/")

    assert response.status_code == DASHBOARD[name]
    if response.status_code == 302:
        assert response["Location"].startswith("/account/login/?next=/torino/office/")
    if response.status_code == 403:
        assert "it-header-wrapper" in response.content.decode()  # the friendly page


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS, indirect=True, ids=ACTORS)
def test_granting_a_role_in_turin(client, actor, request, torino):
    name = request.node.callspec.id
    target = UserFactory(email="nuovo.staff@example.org")
    if actor:
        client.force_login(actor)
    before = StaffRole.objects.count()

    response = client.post(
        "/torino/office/staff/", {"email": target.email, "role": StaffRole.Role.OFFICE}
    )

    allowed = STAFF_PAGE[name] == 200
    if allowed:
        assert response.status_code == 302
        assert StaffRole.objects.filter(user=target, municipality=torino).exists()
    else:
        assert response.status_code == STAFF_PAGE[name]
        assert StaffRole.objects.count() == before


@pytest.mark.django_db
def test_reggio_admin_manages_reggio_not_turin(client, torino, reggio):
    admin = staff(municipality=reggio, role=StaffRole.Role.ADMIN)
    client.force_login(admin)

    assert client.get("/reggio-emilia/office/staff/").status_code == 200
    assert client.get("/torino/office/staff/").status_code == 403


@pytest.mark.django_db
def test_revoke_only_within_the_city(client, torino, reggio):
    turin_role_holder = staff(municipality=torino)
    role = StaffRole.objects.get(user=turin_role_holder)
    client.force_login(staff(municipality=reggio, role=StaffRole.Role.ADMIN))

    # Reggio's admin tries to revoke a Turin role through Reggio's own page.
    client.post(f"/reggio-emilia/office/staff/{role.pk}/revoke/")

    assert StaffRole.objects.filter(pk=role.pk).exists()


@pytest.mark.django_db
def test_grant_to_unknown_email_is_a_form_error(client, torino):
    client.force_login(UserFactory(is_platform_admin=True))

    response = client.post(
        "/torino/office/staff/", {"email": "nessuno@example.org", "role": "office"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    assert not StaffRole.objects.exists()


@pytest.mark.django_db
def test_office_link_shows_only_to_staff(client, torino):
    assert "/torino/office/" not in client.get("/torino/").content.decode()
    client.force_login(staff(municipality=torino))
    assert "/torino/office/" in client.get("/torino/").content.decode()


@pytest.mark.django_db
def test_a_staff_member_with_another_role_is_told_that_the_role_is_the_reason(client, torino):
    officer = staff(municipality=torino, role=StaffRole.Role.OFFICE)
    client.force_login(officer)

    response = client.get("/torino/office/staff/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "non dà accesso a questa pagina" in page
    assert "non ha alcun ruolo" not in page.lower()


@pytest.mark.django_db
def test_the_office_home_says_what_waits_for_it(client, torino):
    from cocity.pacts.models import Status
    from tests.pacts.factories import Cast, PactFactory

    cast = Cast(torino)
    PactFactory(cast=cast, status=Status.SUBMITTED)
    PactFactory(cast=cast, status=Status.CONSULTATION)
    client.force_login(cast.office)

    page = client.get("/torino/office/").content.decode()

    assert "2 patti attendono l'ufficio" in page
    assert "appear here" not in page and "appariranno" not in page


# The platform admin (a superuser) passes each office permission because its predicate names
# the platform admin (``is_platform_admin | …``), not because Django lets superusers through:
# the office asks every permission with ``cocity.core.permissions.can`` (issue #12).


@pytest.mark.django_db
def test_the_office_link_shows_to_the_platform_admin(client, torino):
    client.force_login(UserFactory(is_platform_admin=True))

    assert "/torino/office/" in client.get("/torino/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["turin_office", "turin_admin", "platform_admin"])
def test_the_staff_card_of_the_office_home_shows_to_who_manages_staff(client, torino, name):
    if name == "platform_admin":
        user = UserFactory(is_platform_admin=True)
    else:
        user = staff(municipality=torino, role=name.split("_")[1])
    client.force_login(user)

    page = client.get("/torino/office/").content.decode()

    assert ("/torino/office/staff/" in page) == (name != "turin_office")


@pytest.mark.django_db
def test_the_platform_admin_revokes_a_role(client, torino):
    role = StaffRole.objects.get(user=staff(municipality=torino))
    client.force_login(UserFactory(is_platform_admin=True))

    client.post(f"/torino/office/staff/{role.pk}/revoke/")

    assert not StaffRole.objects.filter(pk=role.pk).exists()


@pytest.mark.django_db
def test_the_platform_admin_sees_and_revokes_every_token_of_the_city(client, torino):
    from cocity.accounts.models import ApiToken

    officer = staff(municipality=torino)
    client.force_login(officer)
    client.post("/torino/office/tokens/", {"name": "Sportello"})
    admin = UserFactory(is_platform_admin=True)
    client.force_login(admin)

    assert client.post("/torino/office/tokens/", {"name": "Piattaforma"}).status_code == 200
    page = client.get("/torino/office/tokens/").content.decode()
    assert "Sportello" in page and "Piattaforma" in page
    theirs = ApiToken.objects.get(user=officer)
    client.post("/torino/office/tokens/", {"revoke": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.revoked_at is not None
    # The office member sees and revokes only their own.
    mine = ApiToken.objects.get(user=admin)
    client.force_login(officer)
    assert "Piattaforma" not in client.get("/torino/office/tokens/").content.decode()
    client.post("/torino/office/tokens/", {"revoke": mine.pk})
    mine.refresh_from_db()
    assert mine.revoked_at is None
