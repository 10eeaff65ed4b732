from __future__ import annotations

import pytest

from tests.reports.factories import RUNNING


@pytest.fixture
def running(cast, pact_factory):
    """Turin's people and an active pact signed 400 days ago (two ended 6-month periods)."""
    return cast, pact_factory(cast=cast, **RUNNING)
