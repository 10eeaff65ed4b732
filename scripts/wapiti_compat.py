"""Debian's wapiti 3.0.4, with two corrections; run with the interpreter wapiti is installed
for (``/usr/bin/python3``) and wapiti's own arguments. Used by ``scripts/security-scan``.

1. ``-x`` (exclude URLs) works on Python 3.11 and later. Wapiti compiles each pattern as
   ``<pattern>\\Z(?ms)``, and Python 3.11 refuses global flags after the start of a pattern,
   so any ``-x`` stopped the crawl with ``re.error``; here the flags come first (the same
   pattern otherwise). The scan excludes the logout URL so that the logged-in scan keeps its
   session.
2. The ``csrf`` module knows Django's token field, ``csrfmiddlewaretoken``. Its list of token
   names lacks it, so it reported every Django form as "Lack of anti CSRF token" without
   testing anything. With the name known, the module does its real test: it sends the form
   again with the token replaced by ``wapiti`` and reports the form if the answer is the same.
"""

import re
import sys

from wapitiCore.attack import mod_csrf
from wapitiCore.main.wapiti import wapiti_main
from wapitiCore.net import crawler

DJANGO_CSRF_FIELD = "csrfmiddlewaretoken"


def wildcard_translate(pattern: str) -> re.Pattern[str]:
    """``*`` matches anything, every other character itself, up to the end of the URL."""
    body = "".join(".*" if char == "*" else re.escape(char) for char in pattern)
    return re.compile(f"(?ms){body}\\Z")


try:
    crawler.wildcard_translate("*")
except re.error:
    crawler.wildcard_translate = wildcard_translate

if DJANGO_CSRF_FIELD not in mod_csrf.mod_csrf.TOKEN_FORM_STRINGS:
    mod_csrf.mod_csrf.TOKEN_FORM_STRINGS = [
        *mod_csrf.mod_csrf.TOKEN_FORM_STRINGS,
        DJANGO_CSRF_FIELD,
    ]

if __name__ == "__main__":
    sys.argv[0] = "wapiti"
    sys.exit(wapiti_main())
