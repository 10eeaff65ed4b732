"""User text of any shape within the limits renders (issue #11, finding 1): Markdown that a
person may type on purpose (thousands of nested list markers, of brackets) gives a page, not
a server error, and a long text is rendered once, not at every view."""

from __future__ import annotations

import pytest

from cocity.core import markup
from cocity.core.markup import render_markdown, render_markdown_inline
from cocity.pacts import limits, services
from cocity.pacts.models import Status
from tests.accounts.factories import UserFactory
from tests.pacts.factories import Cast, PactFactory


@pytest.mark.parametrize(
    "text",
    [
        "1. " * (limits.OBSERVATION // 3),  # a list in a list in a list…
        "> " * (limits.OBSERVATION // 2),
        "- " * (limits.OBSERVATION // 2),
        "[" * limits.OBSERVATION,
        "[a](" * (limits.OBSERVATION // 4),
    ],
    ids=["numbers", "quotes", "dashes", "brackets", "open links"],
)
def test_pathological_markdown_renders(text):
    assert render_markdown(text).startswith('<div class="user-text">')
    render_markdown_inline(text[: limits.COMMITMENT])


def test_text_beyond_the_nesting_limit_is_still_shown():
    html = render_markdown("> " * 100 + "profondo")

    assert "profondo" in html


@pytest.mark.django_db
def test_a_page_with_deeply_nested_markdown_answers(client, torino):
    pact = PactFactory(cast=Cast(torino), status=Status.CONSULTATION)
    services.observation_add(actor=UserFactory(), pact=pact, text="1. " * 1300)

    response = client.get(f"/torino/pacts/{pact.number}/")

    assert response.status_code == 200


def test_a_long_text_is_rendered_once(monkeypatch):
    calls = []
    original = markup._to_html
    monkeypatch.setattr(
        markup, "_to_html", lambda text, **kw: calls.append(1) or original(text, **kw)
    )
    text = "Un paragrafo **lungo**.\n\n" * 400

    first, second = render_markdown(text), render_markdown(text)

    assert first == second and "<strong>lungo</strong>" in first
    assert len(calls) == 1
