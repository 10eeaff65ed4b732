"""User-written text as HTML: a small Markdown subset, then nh3 with an explicit allow-list.

Markdown alone is not a sanitiser (a link can still point to ``javascript:``), so its output
always goes through ``nh3.clean``; raw HTML typed by the user is not even parsed as HTML: it
comes out as text. See docs/decisions/0007-markdown-user-text.md.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from markdown.blockprocessors import HashHeaderProcessor
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# The help text of the fields whose text is shown through render_markdown.
MARKDOWN_HELP = _("You can use Markdown: **bold**, *italics*, lists with “-”, [links](https://…).")

INLINE_TAGS = {"a", "br", "code", "em", "strong"}
# User headings start at h4: the page's own headings (h1–h3) keep the outline.
BLOCK_TAGS = INLINE_TAGS | {"blockquote", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "ul"}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener ugc"
FIRST_HEADING_LEVEL = 4
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)

# Block syntax that the inline rendering leaves as typed.
_BLOCK_PROCESSORS = (
    "indent",
    "code",
    "hashheader",
    "setextheader",
    "hr",
    "olist",
    "ulist",
    "quote",
)


class _HashHeading(HashHeaderProcessor):
    # As in CommonMark, "#" starts a heading only before a space: "#hashtag" stays text.
    RE = re.compile(
        r"(?:^|\n)(?P<level>#{1,6})[ \t](?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)"
    )


class _DemoteHeadings(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1] in "123456":
                level = int(element.tag[1]) + FIRST_HEADING_LEVEL - 1
                element.tag = f"h{min(level, 6)}"


class _UserText(Extension):
    """The subset for people's text: no raw HTML, no images, headings demoted; with
    ``inline``, no block syntax at all (for text shown within a line or a list item)."""

    def __init__(self, *, inline: bool) -> None:
        super().__init__()
        self.inline = inline

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Without these, "<script>" is a text node and the serialiser escapes it.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        for name in ("image_link", "image_reference", "short_image_ref"):
            md.inlinePatterns.deregister(name)
        if self.inline:
            for name in _BLOCK_PROCESSORS:
                md.parser.blockprocessors.deregister(name)
        else:
            md.parser.blockprocessors.register(_HashHeading(md.parser), "hashheader", 70)
            md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 5)


def _to_html(text: str, *, inline: bool) -> str:
    extensions: list[Extension | str] = ["nl2br", _UserText(inline=inline)]
    if not inline:
        # sane_lists: a numbered list after a bulleted one is a list of its own.
        extensions += ["fenced_code", "sane_lists"]
    html = markdown.markdown(text, extensions=extensions, output_format="html")
    return nh3.clean(
        html,
        # The inline rendering still has paragraphs, unwrapped by render_markdown_inline.
        tags=INLINE_TAGS | {"p"} if inline else BLOCK_TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        url_relative="deny",
        link_rel=LINK_REL,
    )


def render_markdown(text: str) -> SafeString:
    """Multi-line text (descriptions, articles, reports) as sanitised HTML, in a
    ``div.user-text``; empty text gives an empty string."""
    if not text or not text.strip():
        return SafeString("")
    html = _to_html(text, inline=False)
    # nh3 has cleaned the HTML: it is safe to mark.
    return format_html('<div class="user-text">{}</div>', mark_safe(html))  # noqa: S308  # nosec B308, B703


def render_markdown_inline(text: str) -> SafeString:
    """Text shown within a line or a list item (commitments, notes, reasons): emphasis, code
    and links only; paragraphs and line breaks become ``<br>``, as ``linebreaksbr`` did."""
    if not text or not text.strip():
        return SafeString("")
    html = _to_html(text, inline=True)
    # After nh3 every "<p>" left is a real tag (a typed one would be "&lt;p&gt;"), and the
    # inline rendering has nothing else at the top level.
    paragraphs = _PARAGRAPH.findall(html)
    return mark_safe("<br><br>".join(paragraphs))  # noqa: S308  # nosec B308, B703
