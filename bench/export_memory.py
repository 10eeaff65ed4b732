"""Memory benchmark of the streamed open-data exports (not a unit test).

Creates a municipality with one commons and N active pacts (bulk_create, one proponent), and
an empty municipality, then measures, in a fresh process for each export, how much memory
consuming the streamed ``pacts.csv``, ``pacts.geojson``, ``commons.csv`` and
``commons.geojson`` through the Django test client adds:

- ``py peak``: the peak of Python allocations while the body is consumed (``tracemalloc``);
- ``RSS``: growth of the resident set, sampled at each piece of body, from a baseline taken
  after a warm-up request on the empty municipality and ``malloc_trim``;
- ``maxrss``: growth of ``resource.getrusage().ru_maxrss`` in the same run (a high-water mark:
  it stays 0 while the run fits in memory the process had already touched);
- ``buffered``: for comparison, the RSS growth when the same body is joined in memory, as a
  non-streamed response would hold it.

Usage::

    .venv/bin/python bench/export_memory.py              # 100000 pacts, throwaway SQLite
    .venv/bin/python bench/export_memory.py -n 20000
    .venv/bin/python bench/export_memory.py --db configured   # DATABASE_URL as configured;
                                                               # its rows are removed after

With ``--db sqlite`` (the default) the database is a temporary file, migrated first, set in
``DATABASE_URL`` before ``django.setup()``.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FULL, EMPTY = "bench-full", "bench-empty"
EXPORTS = ("pacts.csv", "pacts.geojson", "commons.csv", "commons.geojson")
BATCH = 5000


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.config.settings")
    os.environ.setdefault("COCITY_ENV", "test")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DEBUG"] = "0"  # no query log
    os.environ["API_RATE_LIMIT"] = "0"
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host


def populate(n: int) -> None:
    import datetime as dt

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from cocity.accounts.models import User
    from cocity.commons.models import Commons
    from cocity.municipalities.models import Municipality
    from cocity.pacts.models import Pact

    call_command("migrate", verbosity=0, interactive=False)
    cleanup()
    full = Municipality.objects.create(slug=FULL, name="Bench Full", province="TO")
    Municipality.objects.create(slug=EMPTY, name="Bench Empty", province="TO")
    point = {"type": "Point", "coordinates": [7.69305, 45.06903]}
    commons = Commons.objects.create(
        municipality=full,
        name="Giardino di via Roma",
        slug="giardino-di-via-roma",
        kind=Commons.Kind.GREEN_AREA,
        address="via Roma 1",
        boundary=point,
        lon=7.69305,
        lat=45.06903,
        min_lon=7.69305,
        max_lon=7.69305,
        min_lat=45.06903,
        max_lat=45.06903,
    )
    user = User.objects.create(email="bench@example.org", display_name="Bench Proponent")
    now = timezone.now()
    start = time.perf_counter()
    with transaction.atomic():
        for first in range(1, n + 1, BATCH):
            Pact.objects.bulk_create(
                Pact(
                    municipality=full,
                    number=f"TO-2026-{i:06d}",
                    title=f"Cura del giardino, turno {i}",
                    status="active",
                    proponent=user,
                    commons=commons,
                    submitted_at=now - dt.timedelta(minutes=i),
                    start_date=dt.date(2026, 1, 1),
                    end_date=dt.date(2027, 1, 1),
                )
                for i in range(first, min(first + BATCH, n + 1))
            )
    print(f"created {n} pacts in {time.perf_counter() - start:.1f} s", flush=True)


def cleanup() -> None:
    from cocity.accounts.models import User
    from cocity.commons.models import Commons
    from cocity.municipalities.models import Municipality
    from cocity.pacts.models import Pact

    Pact.objects.filter(municipality__slug__in=(FULL, EMPTY)).delete()
    Commons.objects.filter(municipality__slug__in=(FULL, EMPTY)).delete()
    Municipality.objects.filter(slug__in=(FULL, EMPTY)).delete()
    User.objects.filter(email="bench@example.org").delete()


def current_rss_kb() -> int:
    """The resident set now (``ru_maxrss`` is only the high-water mark)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() // 1024


def release_free_memory() -> None:
    """Collect, and give the C heap's free pages back, so that growth shows in the RSS."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def consume(client: Any, url: str) -> tuple[int, int, float, int]:
    """Read the whole streamed body; answer its size, pieces, seconds and peak current RSS."""
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.streaming, url
    size = pieces = 0
    peak = current_rss_kb()
    for chunk in response.streaming_content:
        size += len(chunk)
        pieces += 1
        peak = max(peak, current_rss_kb())
    response.close()
    return size, pieces, time.perf_counter() - start, peak


def measure(city: str, export: str) -> dict[str, Any]:
    """In a fresh process: warm up on the empty city, then an untraced run (RSS), a traced
    run (tracemalloc) and the control (the body joined in memory)."""
    from django.test import Client

    client = Client()
    url = f"/api/v1/{city}/{export}"
    consume(client, f"/api/v1/{EMPTY}/{export}")  # imports, URL map, first query
    release_free_memory()
    maxrss_before, rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, current_rss_kb()
    size, pieces, seconds, rss_peak = consume(client, url)
    maxrss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    release_free_memory()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    consume(client, url)
    py_peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()

    release_free_memory()
    control_before = current_rss_kb()
    whole = b"".join(client.get(url).streaming_content)
    control_after = current_rss_kb()
    assert len(whole) == size
    return {
        "city": city,
        "export": export,
        "bytes": size,
        "pieces": pieces,
        "seconds": seconds,
        "rss_mb": rss_before / 1024,
        "rss_growth_mb": (rss_peak - rss_before) / 1024,
        "maxrss_growth_mb": (maxrss_after - maxrss_before) / 1024,  # KiB on Linux
        "py_peak_mb": py_peak / 2**20,
        "control_rss_growth_mb": (control_after - control_before) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--pacts", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "configured"), default="sqlite")
    parser.add_argument("--measure", nargs=2, metavar=("CITY", "EXPORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:  # the child process
        setup_django()
        print(json.dumps(measure(*args.measure)))
        return

    tmp = tempfile.mkdtemp(prefix="cocity-bench-")
    env = dict(os.environ)
    if args.db == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        env["COCITY_VAR_DIR"] = tmp
    os.environ.update(env)
    try:
        setup_django()
        populate(args.pacts)
        results = []
        for city in (EMPTY, FULL):
            for export in EXPORTS:
                child = subprocess.run(  # noqa: S603 (this script, fixed arguments)
                    [sys.executable, __file__, "--measure", city, export],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                if child.returncode:
                    sys.exit(f"measuring {export} of {city} failed:\n{child.stderr}")
                out = child.stdout
                results.append(json.loads(out.strip().splitlines()[-1]))
        print_table(args.pacts, args.db, results)
    finally:
        if args.db == "configured":
            cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


def print_table(n: int, db: str, results: list[dict[str, Any]]) -> None:
    print(f"\n{n} pacts, one commons, database {db}; memory growth while consuming each export")
    print("(py peak: tracemalloc; RSS: current RSS sampled at each piece; maxrss: ru_maxrss;")
    print(" buffered: RSS growth when the same body is joined in memory, for comparison)\n")
    header = (
        f"{'municipality':<13} {'export':<16} {'MB':>5} {'pieces':>6} {'s':>4} "
        f"{'py peak MB':>10} {'RSS +MB':>7} {'maxrss +MB':>10} {'buffered +MB':>12}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        name = "empty" if r["city"] == EMPTY else f"{n} pacts"
        print(
            f"{name:<13} {r['export']:<16} {r['bytes'] / 2**20:>5.1f} {r['pieces']:>6} "
            f"{r['seconds']:>4.1f} {r['py_peak_mb']:>10.2f} {r['rss_growth_mb']:>7.1f} "
            f"{r['maxrss_growth_mb']:>10.1f} {r['control_rss_growth_mb']:>12.1f}"
        )
    print(f"\nRSS of a measuring process before the export: {results[-1]['rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
