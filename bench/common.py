"""What the benchmark's modules share: the address, the error, the output and the arithmetic
of latencies. Nothing here imports Django."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

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


class Answered(Protocol):
    """What a count of answers has: the statuses, the requests that got none, the errors."""

    statuses: Counter[int]
    failures: list[str]

    @property
    def errors(self) -> int: ...


def errors_cell(counted: Answered, *, failed: str = "failed") -> str:
    """The errors of a table's row: how many, then each status but 200 and the requests
    without an answer (named ``failed``)."""
    if not counted.errors:
        return "0"
    detail = [f"{n}×{status}" for status, n in sorted(counted.statuses.items()) if status != 200]
    if counted.failures:
        detail.append(f"{len(counted.failures)}×{failed}")
    return f"{counted.errors} ({', '.join(detail)})"
