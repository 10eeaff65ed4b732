"""User-written text as HTML: a small Markdown subset, then nh3 with an explicit allow-list.

Markdown alone is not a sanitiser (a link can still point to ``javascript:``), so its output
always goes through ``nh3.clean``; raw HTML typed by the user is not even parsed as HTML: it
comes out as text. See docs/decisions/0007-markdown-user-text.md.

The parser is markdown-it-py (CommonMark), whose cost grows with the length of the text
whatever its shape: python-markdown, used before, took minutes on a few thousand ``[`` and
overflowed the stack on nested list markers (docs/decisions/0013). Long texts are rendered
once and kept in the cache under the hash of their text, so that a page showing them costs
what any page costs.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import nh3
from django.core.cache import cache
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore

# The help text of the fields whose text is shown through render_markdown.
MARKDOWN_HELP = _(
    "You can format the text: **bold**, *italics*, lists with “-” at the start of a line, "
    "links as [text](https://…)."
)

INLINE_TAGS = {"a", "br", "code", "em", "strong"}
# User headings start at h4: the page's own headings (h1–h3) keep the outline.
BLOCK_TAGS = INLINE_TAGS | {"blockquote", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "ul"}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener ugc"
FIRST_HEADING_LEVEL = 4
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)

# Texts at least this long are kept in the cache once rendered, for CACHE_SECONDS.
CACHE_FROM_LENGTH = 1_000
CACHE_SECONDS = 24 * 60 * 60
# Part of the cache key: change it when the rendering changes, so that no old HTML is served.
RENDERING = "mdit-1"
# CommonMark parsers stop at some depth of nested blocks (quotes in lists in quotes…) and
# drop what lies deeper; such a text is shown without its block structure instead.
MAX_NESTING = 20
_TOO_DEEP = "cocity_too_deep"

# Block syntax that the inline rendering leaves as typed.
_BLOCK_RULES = ["code", "fence", "blockquote", "hr", "list", "reference", "heading", "lheading"]


def _demote_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1]) + FIRST_HEADING_LEVEL - 1
            token.tag = f"h{min(level, 6)}"


def _parser(*, inline: bool) -> MarkdownIt:
    """The subset for people's text: CommonMark without raw HTML and images, line breaks kept
    (as typed, like ``nl2br`` did), headings demoted; with ``inline``, no block syntax at all
    (for text shown within a line or a list item)."""
    md = MarkdownIt(
        "commonmark",
        {"html": False, "breaks": True, "xhtmlOut": False, "maxNesting": MAX_NESTING},
    )
    md.disable(["image", "html_block", "html_inline"])
    # Every link is made a link here and judged by nh3 alone: the allow-list is in one place
    # (a "javascript:" link becomes a link without its address, as before).
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    if inline:
        md.disable(_BLOCK_RULES)
    else:
        md.core.ruler.push("demote_headings", _demote_headings)
        tokenize = md.block.tokenize

        def guarded(state: StateBlock, start: int, end: int, *args: Any, **kwargs: Any) -> None:
            if state.level >= MAX_NESTING and start < end:
                state.env[_TOO_DEEP] = True
            tokenize(state, start, end, *args, **kwargs)

        md.block.tokenize = guarded  # type: ignore[method-assign,assignment]
    return md


_BLOCK = _parser(inline=False)
_INLINE = _parser(inline=True)


def _to_html(text: str, *, inline: bool) -> str:
    html = ""
    if not inline:
        env: dict[str, Any] = {}
        html = _BLOCK.render(text, env)
        if env.get(_TOO_DEEP):
            html = ""  # some text lies deeper than the parser goes: shown as paragraphs
    if not html:
        html = _INLINE.render(text)
    return nh3.clean(
        html.strip(),
        # The inline rendering still has paragraphs, unwrapped by render_markdown_inline.
        tags=INLINE_TAGS | {"p"} if inline else BLOCK_TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        url_relative="deny",
        link_rel=LINK_REL,
    )


def _rendered(text: str, *, inline: bool) -> str:
    if len(text) < CACHE_FROM_LENGTH:
        return _to_html(text, inline=inline)
    digest = hashlib.sha256(text.encode()).hexdigest()
    key = f"markup:{RENDERING}:{'inline' if inline else 'block'}:{digest}"
    html: str | None = cache.get(key)
    if html is None:
        html = _to_html(text, inline=inline)
        cache.set(key, html, CACHE_SECONDS)
    return html


def render_markdown(text: str) -> SafeString:
    """Multi-line text (descriptions, articles, reports) as sanitised HTML, in a
    ``div.user-text``; empty text gives an empty string."""
    if not text or not text.strip():
        return SafeString("")
    html = _rendered(text, inline=False)
    # nh3 has cleaned the HTML: it is safe to mark.
    return format_html('<div class="user-text">{}</div>', mark_safe(html))  # noqa: S308  # nosec B308, B703


def render_markdown_inline(text: str) -> SafeString:
    """Text shown within a line or a list item (commitments, notes, reasons): emphasis, code
    and links only; paragraphs and line breaks become ``<br>``, as ``linebreaksbr`` did."""
    if not text or not text.strip():
        return SafeString("")
    html = _rendered(text, inline=True)
    # After nh3 every "<p>" left is a real tag (a typed one would be "&lt;p&gt;"), and the
    # inline rendering has nothing else at the top level.
    paragraphs = _PARAGRAPH.findall(html)
    return mark_safe("<br><br>".join(paragraphs))  # noqa: S308  # nosec B308, B703
