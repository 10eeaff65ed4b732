"""The production settings for tests/core/test_multiprocess_limits.py, with one change: static
files by their plain names, so that the test needs no ``collectstatic`` (a minute; the static
files are not what it tests). Loaded by gunicorn through ``DJANGO_SETTINGS_MODULE``."""

from cocity.config.settings import *  # noqa: F403
from cocity.config.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
