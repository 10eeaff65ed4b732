"""The interface speaks Italian in the formal register everywhere (issue #13, item 7), the
words of Django and allauth included: no English left on an Italian page ("- Select an
option -", "This password is too short…"), no "tu" ("Ti sei collegato")."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from cocity.pacts import services
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_a_short_password_is_refused_in_italian(client):
    page = client.post(
        "/account/signup/",
        {"email": "n@example.org", "password1": "corta", "password2": "corta"},
    ).content.decode()

    assert "La password è troppo corta" in page
    assert "too short" not in page


def test_the_login_message_is_formal(client):
    user = UserFactory(display_name="Anna Verdi")
    response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})

    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == "Ha eseguito l'accesso come Anna Verdi."


def test_an_empty_choice_reads_in_italian(client, torino):
    citizen = UserFactory()
    services.category_create(municipality=torino, name="Cura del verde")
    pact = services.pact_create_draft(actor=citizen, municipality=torino, title="Panchine")
    client.force_login(citizen)

    page = client.get(f"/torino/pacts/drafts/{pact.pk}/content/").content.decode()

    assert "- Scelga un&#x27;opzione -" in page
    assert "Select an option" not in page


def test_months_are_written_in_lower_case():
    import datetime as dt

    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("it"):
        assert date_format(dt.date(2026, 8, 17), "DATE_FORMAT") == "17 agosto 2026"


def test_dates_are_day_first_in_both_languages():
    import datetime as dt

    from django.utils import translation
    from django.utils.formats import date_format

    day = dt.date(2026, 12, 3)
    with translation.override("it"):
        assert date_format(day, "DATE_FORMAT") == "3 dicembre 2026"
        assert date_format(day, "SHORT_DATE_FORMAT") == "03/12/2026"
    with translation.override("en"):
        assert date_format(day, "DATE_FORMAT") == "3 December 2026"
        assert date_format(day, "SHORT_DATE_FORMAT") == "03/12/2026"


def test_the_headline_figure_of_closed_pacts_is_plural():
    from django.utils import translation

    from cocity.core.registry import statistics

    with translation.override("it"):
        labels = {s.key: str(s.label) for s in statistics()}
    assert labels["pacts_closed"] == "Chiusi"
