"""The production settings, plus a folder of stub files for static files that a bundled asset
names but does not ship (a source map missing from an XStatic package makes the manifest
storage's ``collectstatic`` fail). Used by ``bench.run`` for ``collectstatic`` only, and only
after ``collectstatic`` failed with the project's own settings; the report says so."""

import os

from cocity.config.settings import *  # noqa: F403
from cocity.config.settings import STATICFILES_DIRS as PROJECT_STATICFILES_DIRS

STATICFILES_DIRS = [*PROJECT_STATICFILES_DIRS, os.environ["BENCH_STATIC_STUBS"]]
