"""The integers a database column holds. SQLite stores every integer in 64 bits and raises
``OverflowError`` (a 500) for a larger Python int in a query; PostgreSQL's ``bigint`` (our ids)
has the same range. A form or API parameter that ends up in a query is bounded by these."""

from __future__ import annotations

BIGINT_MIN = -(2**63)
BIGINT_MAX = 2**63 - 1


def fits_bigint(value: int) -> bool:
    return BIGINT_MIN <= value <= BIGINT_MAX
