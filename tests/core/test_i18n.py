"""The interface is translatable and the Italian catalogue is complete and compiled."""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
ITALIAN = ROOT / "locale" / "it" / "LC_MESSAGES" / "django.po"


def test_every_string_of_the_italian_catalogue_is_translated():
    catalogue = polib.pofile(str(ITALIAN))

    assert not catalogue.untranslated_entries()
    assert not catalogue.fuzzy_entries()


def test_compiled_catalogue_matches_the_sources():
    """Each translation in the .po is what the running application shows (the .mo is fresh)."""
    catalogue = polib.pofile(str(ITALIAN))
    with translation.override("it"):
        for entry in catalogue.translated_entries():
            if entry.msgid_plural or entry.msgctxt:
                continue
            assert translation.gettext(entry.msgid) == entry.msgstr, entry.msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_ui_string_is_in_the_catalogue(tmp_path):
    """makemessages on the current code finds no string missing from the catalogue."""
    copy = tmp_path / "django.po"
    copy.write_text(ITALIAN.read_text())
    subprocess.run(
        [
            "python",
            "manage.py",
            "makemessages",
            "-l",
            "it",
            "--no-obsolete",
            "--ignore=.venv",
            "--ignore=var",
            "--ignore=tests",
            "--no-location",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={
            **__import__("os").environ,
            "PATH": f"{ROOT / '.venv' / 'bin'}:" + __import__("os").environ["PATH"],
        },
    )
    try:
        fresh = {e.msgid for e in polib.pofile(str(ITALIAN)) if not e.obsolete}
        known = {e.msgid for e in polib.pofile(str(copy)) if not e.obsolete}
        assert fresh - known == set(), "run `make messages` and translate the new strings"
    finally:
        ITALIAN.write_text(copy.read_text())
