"""Settings for the test suite: the same settings module, in the ``test`` environment."""

import os

os.environ["COCITY_ENV"] = "test"

from cocity.config.settings import *  # noqa: E402, F403
