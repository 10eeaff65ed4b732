"""User-written text is shown through Markdown and nh3: formatting works, markup typed by
people never runs."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from pypdf import PdfReader

from cocity.core.markup import render_markdown, render_markdown_inline
from cocity.pacts import services
from cocity.pacts.models import Pact, Status
from tests.accounts.factories import UserFactory
from tests.pacts.factories import Cast, PactFactory

ATTACK = (
    "<script>alert(1)</script>\n\n"
    "<img src=x onerror=alert(2)>\n\n"
    "[click](javascript:alert(3)) and [data](data:text/html,hi)"
)


class Elements(HTMLParser):
    """Every element of a page with its attributes, and the content of its scripts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]

    def event_handlers(self) -> list[tuple[str, str]]:
        return [(tag, a) for tag, attrs in self.elements for a in attrs if a.startswith("on")]

    def hrefs(self) -> list[str]:
        return [attrs.get("href") or "" for attrs in self.tags("a")]


def assert_harmless(html: str) -> Elements:
    page = Elements(html)
    assert not [s for s in page.scripts if "alert(" in s]
    assert not page.event_handlers()
    assert not [h for h in page.hrefs() if h.lower().startswith(("javascript:", "data:"))]
    return page


class TestRendering:
    def test_bold_and_italics_become_emphasis(self):
        html = render_markdown("Un giardino **curato** e *condiviso*")

        assert "<strong>curato</strong>" in html
        assert "<em>condiviso</em>" in html

    def test_line_breaks_and_paragraphs_stay_as_typed(self):
        html = render_markdown("Prima riga\nseconda riga\n\nNuovo paragrafo")

        assert html == (
            '<div class="user-text"><p>Prima riga<br>\nseconda riga</p>\n'
            "<p>Nuovo paragrafo</p></div>"
        )

    def test_lists_quotes_and_code(self):
        page = Elements(render_markdown("- uno\n- due\n\n1. primo\n\n> citato\n\n`codice`"))

        assert len(page.tags("li")) == 3
        assert page.tags("ul") and page.tags("ol") and page.tags("blockquote")
        assert page.tags("code")

    def test_links_get_nofollow_and_keep_only_web_and_mail_addresses(self):
        html = render_markdown(
            "[sito](https://example.org) [scrivi](mailto:a@example.org) "
            "[x](javascript:alert(1)) [y](JavaScript:alert(1)) [z](/admin/)"
        )
        page = assert_harmless(html)

        assert page.hrefs() == ["https://example.org", "mailto:a@example.org", "", "", ""]
        assert {a["rel"] for a in page.tags("a")} == {"nofollow noopener ugc"}

    def test_raw_html_is_shown_as_text_never_as_markup(self):
        html = render_markdown(
            '<b>ciao</b> <a href="https://x.org" onclick="f()">x</a>\n\n' + ATTACK
        )
        page = assert_harmless(html)

        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert not page.tags("script") and not page.tags("img") and not page.tags("b")

    def test_onerror_attributes_are_dropped(self):
        page = assert_harmless(render_markdown("<img src=x onerror=alert(1)>"))

        assert not page.tags("img")

    def test_images_are_not_shown(self):
        page = Elements(render_markdown("![foto](https://example.org/a.png)"))

        assert not page.tags("img")

    def test_headings_stay_below_the_pages_own(self):
        page = Elements(render_markdown("# Titolo\n\n## Sotto\n\n#hashtag"))

        assert [tag for tag, _ in page.elements] == ["div", "h4", "h5", "p"]

    def test_empty_text_renders_nothing(self):
        assert render_markdown("") == ""
        assert render_markdown("  \n") == ""

    def test_inline_text_has_no_blocks_and_keeps_its_line_breaks(self):
        html = render_markdown_inline("- **pulire**\n# ogni sabato\n\n<p>x</p>")

        assert html == "- <strong>pulire</strong><br>\n# ogni sabato<br><br>&lt;p&gt;x&lt;/p&gt;"


class TestTemplateFilters:
    def test_the_filters_render_once_escaped_text(self):
        template = Template(
            "{% load markup %}{{ a|markdown }}|{{ b|markdown_inline }}|{{ c|markdown }}"
        )

        html = template.render(Context({"a": "**a** & <i>", "b": "*b*", "c": None}))

        assert html == (
            '<div class="user-text"><p><strong>a</strong> &amp; &lt;i&gt;</p></div>|<em>b</em>|'
        )


def pact_in_consultation(cast: Cast, objectives: str) -> Pact:
    pact = services.pact_create_draft(
        actor=UserFactory(),
        municipality=cast.municipality,
        title="Cura del giardino",
        category=cast.category,
        commons=cast.commons,
        objectives=objectives,
        activities="Pulizia\ne piantumazione",
        duration_months=12,
    )
    return cast.walk_on(pact, Status.CONSULTATION)


@pytest.mark.django_db
class TestThePublicPactPage:
    def test_formatting_shows_and_typed_scripts_do_not_run(self, client, cast):
        pact = pact_in_consultation(cast, "Un giardino **curato**\n\n" + ATTACK)
        client.force_login(UserFactory())
        client.post(
            f"/torino/pacts/{pact.number}/observations/",
            {"obs-text": "Bella idea\n<script>alert(4)</script>"},
        )
        client.logout()

        response = client.get(f"/torino/pacts/{pact.number}/")

        assert response.status_code == 200
        html = response.content.decode()
        assert_harmless(html)
        assert "<strong>curato</strong>" in html
        assert "Bella idea<br>\n&lt;script&gt;alert(4)&lt;/script&gt;" in html
        assert "Pulizia<br>\ne piantumazione" in html
        assert '<a rel="nofollow noopener ugc">click</a>' in html

    def test_the_observation_form_says_that_markdown_is_accepted(self, client, cast):
        pact = pact_in_consultation(cast, "Un giardino")
        client.force_login(UserFactory())

        response = client.get(f"/torino/pacts/{pact.number}/")

        assert "**" in str(response.context["observation_form"]["text"].help_text)
        assert 'id="id_obs-text_help"' in response.content.decode()


@pytest.mark.django_db
def test_the_pdf_shows_the_articles_formatted_not_their_markup(client, cast):
    pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
    clause = pact.clauses.first()
    services.clause_edit(
        actor=cast.office,
        clause=clause,
        text="Le parti **curano** il giardino:\n\n- ogni sabato\n- <script>alert(1)</script>",
    )
    client.force_login(pact.proponent)

    response = client.get(f"/torino/pacts/{pact.number}/pact.pdf")

    assert response.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.getvalue())).pages)
    assert "Le parti curano il giardino:" in text
    assert "**" not in text
    assert "ogni sabato" in text
    assert "<script>alert(1)</script>" in text  # shown as typed, as text
