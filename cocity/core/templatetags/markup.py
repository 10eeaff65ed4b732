"""``{% load markup %}``: user-written text through Markdown and nh3 (cocity.core.markup)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from cocity.core.markup import render_markdown, render_markdown_inline

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: object) -> SafeString:
    """Multi-line text as blocks (paragraphs, lists…) in a ``div.user-text``."""
    return render_markdown("" if value is None else str(value))


@register.filter(name="markdown_inline")
def markdown_inline_filter(value: object) -> SafeString:
    """Text within a line or a list item: emphasis, code and links, line breaks as ``<br>``."""
    return render_markdown_inline("" if value is None else str(value))
