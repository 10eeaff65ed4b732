"""The municipality's model pact (issue #13, item 8): the office adapts the articles that new
pacts start from in co-design; pacts already in co-design keep their text; the change is kept
in the history of the regulation settings; an article naming something no proposal fills is
refused with what may be named."""

import pytest
from django.core.exceptions import PermissionDenied

from cocity.accounts.models import StaffRole
from cocity.municipalities.models import RegulationChange
from cocity.municipalities.selectors import regulation_history
from cocity.municipalities.services import regulation_change_record
from cocity.pacts import services
from cocity.pacts.clauses import DEFAULT_TEMPLATE, municipality_template
from cocity.pacts.models import ClauseTemplate, Status
from tests.accounts.factories import staff
from tests.pacts.factories import Cast, PactFactory

PAGE = "/torino/office/regulation/articles/"


def _form(articles, note=""):
    data = {
        "article-TOTAL_FORMS": str(len(articles)),
        "article-INITIAL_FORMS": "0",
        "article-MIN_NUM_FORMS": "0",
        "article-MAX_NUM_FORMS": "40",
        "note": note,
    }
    for index, (title, text) in enumerate(articles):
        data[f"article-{index}-title"] = title
        data[f"article-{index}-text"] = text
    return data


def _default_with(index, title, text):
    articles = [(t, x) for _k, t, x in DEFAULT_TEMPLATE]
    articles[index] = (title, text)
    return articles


@pytest.mark.django_db
def test_new_pacts_start_from_the_model_the_office_wrote(client, torino):
    cast = Cast(torino)
    earlier = PactFactory(cast=cast, status=Status.CO_DESIGN)
    client.force_login(cast.office)
    page = client.get(PAGE).content.decode()
    assert "Oggetto e obiettivi" in page and "{duration}" in page

    articles = _default_with(1, "Durata", "Il patto dura {duration} mesi, rinnovabile una volta.")
    articles.append(("Assicurazione", "Il Comune assicura i volontari per {commons}."))
    answer = client.post(PAGE, _form(articles, note="Delibera di Giunta n. 12"))
    assert answer.status_code == 302

    later = PactFactory(cast=cast, status=Status.CO_DESIGN)
    texts = {c.title: c.text for c in later.clauses.all()}
    assert texts["Durata"] == "Il patto dura 12 mesi, rinnovabile una volta."
    assert texts["Assicurazione"] == f"Il Comune assicura i volontari per {cast.commons.name}."
    assert "rinnovabile una volta" not in earlier.clauses.get(key="duration").text

    rules = client.get("/torino/rules/").content.decode()
    assert "Il patto tipo" in rules and "<li>Assicurazione</li>" in rules
    history = client.get("/torino/office/regulation/").content.decode()
    assert "articoli del patto tipo" in history and "Delibera di Giunta n. 12" in history
    assert "«Assicurazione»" in history


@pytest.mark.django_db
def test_a_name_no_proposal_fills_is_refused_and_nothing_changes(client, torino):
    client.force_login(staff(municipality=torino, role=StaffRole.Role.OFFICE))
    articles = _default_with(1, "Durata", "Il patto dura {durata} mesi.")
    answer = client.post(PAGE, _form(articles))
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "{durata}" in page and "{duration}" in page
    assert not ClauseTemplate.objects.exists()
    assert not RegulationChange.objects.exists()


@pytest.mark.django_db
def test_emptying_every_article_restores_the_default_ones(client, torino):
    office = staff(municipality=torino, role=StaffRole.Role.OFFICE)
    services.clause_template_set(
        actor=office, municipality=torino, articles=[("Unico articolo", "Cura di {commons}.")]
    )
    assert [t for _k, t, _x in municipality_template(torino)] == ["Unico articolo"]
    client.force_login(office)
    client.post(PAGE, _form([("", ""), ("", "")]))
    assert municipality_template(torino) == list(DEFAULT_TEMPLATE)
    assert RegulationChange.objects.filter(municipality=torino).count() == 2


@pytest.mark.django_db
def test_only_the_office_and_administrators_change_it(client, torino):
    department = staff(municipality=torino, role=StaffRole.Role.DEPARTMENT)
    client.force_login(department)
    assert client.get(PAGE).status_code == 403
    with pytest.raises(PermissionDenied):
        services.clause_template_set(actor=department, municipality=torino, articles=[])
    assert not ClauseTemplate.objects.exists()


@pytest.mark.django_db
def test_a_recorded_change_is_in_the_history_in_words(torino):
    regulation_change_record(
        municipality=torino,
        actor=None,
        changes={"consultation_days": [15, 30]},
        note="Regolamento modificato",
    )
    [entry] = regulation_history(municipality=torino)
    assert entry.change.note == "Regolamento modificato"
    assert [(line.before, line.after) for line in entry.lines] == [("15", "30")]
