"""What the benchmark's modules share: the address, the error, the output and the arithmetic
of latencies. Nothing here imports Django."""

from __future__ import annotations

import math
from collections.abc import Sequence

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 60.0  # seconds; gunicorn's own worker timeout is 30 s
CITY = "torino"
STAFF_EMAIL = "ufficio.torino@example.org"


class BenchError(Exception):
    """A step of the benchmark failed: said in one message, without a traceback."""


def say(message: str) -> None:
    print(message, flush=True)


def percentile_ms(latencies: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of latencies in seconds, in milliseconds; NaN
    for none."""
    if not latencies:
        return math.nan
    ordered = sorted(latencies)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000


def fmt_ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.1f}"
