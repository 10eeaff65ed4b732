"""The public history of an article (issue #11, finding 1): a visitor reads what changed in
each version, a page at a time, newest first; a long article edited many times gives a page
no longer than a few versions' worth of changes, never every version in full."""

from __future__ import annotations

import pytest

from cocity.pacts import services
from cocity.pacts.models import Pact, Status
from tests.pacts.factories import Cast, PactFactory


def history_url(pact: Pact, key: str = "object") -> str:
    return f"/torino/pacts/{pact.number}/articles/{key}/"


def edit(cast: Cast, pact: Pact, text: str) -> None:
    services.clause_edit(actor=cast.office, clause=pact.clauses.get(key="object"), text=text)


def long_text(changed_line: str) -> str:
    """An article of 300 lines, about 17,000 characters, whose 200th line is ``changed_line``."""
    lines = [f"Riga {n:03d}: le parti curano insieme l'aiuola di via Roma." for n in range(300)]
    lines[200] = changed_line
    return "\n\n".join(lines)


@pytest.mark.django_db
class TestPages:
    def test_the_newest_versions_come_first_a_page_at_a_time(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        for n in range(1, 26):
            edit(cast, pact, f"Versione numero {n} del testo.")

        first = client.get(history_url(pact)).content.decode()
        second = client.get(history_url(pact) + "?page=2").content.decode()

        assert "Versione numero 25 del testo." in first
        assert "Versione numero 14 del testo." not in first  # edits 25 to 16, from 24 on
        assert "?page=2" in first
        assert "Versione numero 14 del testo." in second
        assert "Versione numero 25 del testo." not in second.split("</h2>", 2)[-1]

    @pytest.mark.parametrize("page", ["99", "abc", "-1", "0", "1" * 400])
    def test_a_page_that_does_not_exist_is_not_found(self, client, cast, page):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        edit(cast, pact, "Un testo nuovo.")

        response = client.get(history_url(pact) + f"?page={page}")

        assert response.status_code == 404


@pytest.mark.django_db
class TestOnlyWhatChanged:
    def test_a_change_of_one_line_shows_that_line_and_not_the_whole_article(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        edit(cast, pact, long_text("Riga di prima."))
        edit(cast, pact, long_text("Riga di dopo, cambiata dalla parte."))

        page = client.get(history_url(pact)).content.decode()
        [latest] = [s for s in page.split("<section")[1:] if "Riga di dopo" in s]

        assert "Riga di prima." in latest
        assert "Riga 150:" not in latest
        assert len(latest) < 3_000

    def test_twenty_versions_of_a_long_article_give_a_page_of_normal_size(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        for n in range(20):
            edit(cast, pact, long_text(f"Modifica numero {n}."))

        page = client.get(history_url(pact))

        # The current text (about 17,000 characters) and ten short changes, not 20 × 17,000.
        assert page.status_code == 200
        assert len(page.content) < 80_000
