import pytest

from cocity.pacts.models import Status
from tests.pacts.factories import Cast, PactFactory


@pytest.mark.django_db
@pytest.mark.parametrize("status", [s for s in Status.values if s != "draft"])
def test_every_page_of_a_pact_answers(client, torino, status):
    cast = Cast(torino)
    pact = PactFactory(cast=cast, status=status)
    assert client.get(f"/torino/pacts/{pact.number}/").status_code == 200
    assert client.get("/torino/pacts/").status_code == 200
    assert client.get(cast.commons.get_absolute_url()).status_code == 200
    client.force_login(cast.office)
    assert client.get(f"/torino/office/pacts/{pact.number}/").status_code == 200
    assert client.get("/torino/office/pacts/").status_code == 200
    assert client.get(f"/torino/pacts/{pact.number}/workspace/").status_code == 200
    client.force_login(cast.department)
    assert client.get("/torino/office/opinions/").status_code == 200
    client.force_login(pact.proponent)
    assert client.get(f"/torino/pacts/{pact.number}/workspace/").status_code == 200
