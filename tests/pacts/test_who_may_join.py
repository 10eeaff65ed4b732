"""Who is offered "Ask to join" (issue #13, noticed): a citizen is; the city's staff and the
people already in the pact are not, and the service refuses them too, changing nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from cocity.pacts import services
from cocity.pacts.models import Adhesion, Status
from tests.accounts.factories import UserFactory
from tests.pacts.factories import Cast, PactFactory

JOIN = {"adh-offer": "Porto gli attrezzi"}


@pytest.fixture
def consultation(torino):
    cast = Cast(torino)
    return cast, PactFactory(cast=cast, status=Status.CONSULTATION)


@pytest.mark.django_db
def test_a_citizen_is_offered_to_join(client, consultation):
    _cast, pact = consultation
    client.force_login(UserFactory())
    page = client.get(pact.url_for("torino")).content.decode()
    assert "Chieda di aderire" in page or "Chiedi di aderire" in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["office", "manager", "proponent"])
def test_staff_and_parties_are_not_offered_and_are_refused(client, consultation, who):
    cast, pact = consultation
    person = pact.proponent if who == "proponent" else getattr(cast, who)
    client.force_login(person)
    page = client.get(pact.url_for("torino")).content.decode()
    assert 'action="/torino/pacts/' + pact.number + '/adhesions/"' not in page
    answer = client.post(f"/torino/pacts/{pact.number}/adhesions/", JOIN)
    assert answer.status_code == 403
    with pytest.raises(PermissionDenied):
        services.adhesion_request(actor=person, pact=pact, offer="Attrezzi")
    assert not Adhesion.objects.filter(pact=pact).exists()
