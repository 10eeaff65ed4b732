"""The benchmark of Co-City: ``python -m bench.run`` (or ``make bench``).

It builds a fresh database (PostgreSQL when ``DATABASE_URL`` is set, else a throwaway SQLite
file; ``--sqlite`` forces SQLite), migrates it, seeds the demo data and collects the static
files; starts the application as production runs it (gunicorn, 4 sync workers, production
settings) on 127.0.0.1; then measures two profiles (``--profile views|real|all``):

- **views**: for each view, a warm-up, then concurrent clients on it alone for a fixed time,
  recording the latency of every request. It also counts the database queries of one request
  to each view (in this process, through Django's test client on the same database) and
  measures the memory growth of the CSV export (``bench/export_memory.py``).
- **real**: the mix of a city's visitors, citizens and staff with a writer, against a gunicorn
  that shares Redis with this process; the ceiling, the text search alone and the CPU of a
  rendered page in the same run (``bench/real.py``).

The tables go to the terminal and to ``bench/results/<timestamp>.md`` and
``bench/results/latest.md``. Everything stops by itself; gunicorn is stopped at the end, on
Ctrl-C and on errors. See docs/performance.md for the targets.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import logging
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from bench import real
from bench.common import (
    CITY,
    HOST,
    REQUEST_TIMEOUT,
    STAFF_EMAIL,
    BenchError,
    errors_cell,
    fmt_ms,
    percentile_ms,
    say,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
PG_DB_NAME = "cocity_bench"
SQLITE_SCALE = "0.05"  # of the national sizes: 4,000 pacts, 100,000 activity entries
STAFF_PASSWORD = "cocity-demo-2026"  # the demo accounts' password (cocity/accounts/seeds.py)
# Turin city-wide, and a street-level viewport around the Mole Antonelliana (7.693, 45.069).
TURIN_BBOX = "7.57,44.99,7.78,45.15"
MOLE_BBOX = "7.688,45.066,7.698,45.072"
# Targets (docs/performance.md): at national scale, on PostgreSQL, with 16 clients.
TARGET_P95_MS = 100.0
TARGET_CEILING_SHARE = 0.25
TARGET_QUERIES = 15
TARGET_EXPORT_MB = 50.0


@dataclass
class View:
    name: str
    path: str
    login: bool = False  # needs the office's session


@dataclass
class Measure:
    view: View
    latencies: list[float] = field(default_factory=list)  # seconds, every answered request
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)  # connection errors, timeouts
    body_bytes: int = 0
    elapsed: float = 0.0
    queries: int | None = None
    query_status: int | None = None

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200) + len(self.failures)

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, p: float) -> float:
        return percentile_ms(self.latencies, p)


@dataclass
class Database:
    kind: str  # "postgresql" or "sqlite"
    url: str  # for the application
    label: str  # for the report (no password)
    admin_url: str = ""  # PostgreSQL: the maintenance database, to drop the bench database


# --- database and management commands ------------------------------------------------------


def prepare_database(args: argparse.Namespace, tmp: Path) -> Database:
    configured = os.environ.get("DATABASE_URL", "")
    if args.sqlite or not configured:
        path = tmp / "bench.sqlite3"
        return Database("sqlite", f"sqlite:///{path}", f"SQLite, throwaway file {path}")
    parts = urllib.parse.urlsplit(configured)
    if parts.scheme not in {"postgres", "postgresql", "pgsql", "postgis"}:
        raise BenchError(
            f"DATABASE_URL is {parts.scheme}://…: the benchmark runs on PostgreSQL, or on SQLite "
            "with --sqlite"
        )
    import psycopg

    maintenance = parts.path.lstrip("/") or "postgres"
    if maintenance == PG_DB_NAME:
        maintenance = "postgres"
    admin_url = urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path=f"/{maintenance}"))
    bench_url = urllib.parse.urlunsplit(parts._replace(path=f"/{PG_DB_NAME}"))
    server = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
    if args.reuse:
        say(f"Reusing the PostgreSQL database {PG_DB_NAME} on {server}")
        return Database(
            "postgresql", bench_url, f"PostgreSQL, database {PG_DB_NAME} on {server}", admin_url
        )
    say(f"Creating the PostgreSQL database {PG_DB_NAME} on {server} (dropped first if present)")
    try:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            drop_postgres_database(conn)
            conn.execute(f'CREATE DATABASE "{PG_DB_NAME}"')
    except psycopg.Error as exc:
        raise BenchError(f"cannot create {PG_DB_NAME} on {server}: {exc}") from exc
    return Database(
        "postgresql", bench_url, f"PostgreSQL, database {PG_DB_NAME} on {server}", admin_url
    )


def drop_postgres_database(conn: Any) -> None:
    import psycopg

    try:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB_NAME}" WITH (FORCE)')
    except psycopg.errors.SyntaxError:  # before PostgreSQL 13
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (PG_DB_NAME,),
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB_NAME}"')


def remove_postgres_database(db: Database) -> None:
    import psycopg

    try:
        with psycopg.connect(db.admin_url, autocommit=True) as conn:
            drop_postgres_database(conn)
    except psycopg.Error as exc:
        say(f"Could not drop {PG_DB_NAME}: {exc}")


def production_env(
    db: Database, tmp: Path, *, page_cache: bool = True, redis_url: str = ""
) -> dict[str, str]:
    """The environment of production for gunicorn, the management commands and this process.
    Without ``redis_url``, each worker keeps its own memory cache (the per-view profile, as
    it always ran); the real profile shares Redis between gunicorn and its writer."""
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cocity.config.settings",
            "COCITY_ENV": "production",
            "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": db.url,
            "SECURE_SSL_REDIRECT": "0",
            "API_RATE_LIMIT": "0",
            "PAGE_CACHE_SECONDS": "60" if page_cache else "0",
            "COCITY_VAR_DIR": str(tmp),
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("REDIS_URL", None)
    # A replica of another database would answer for this one: the bench has none.
    env.pop("DATABASE_REPLICA_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def manage(
    env: dict[str, str], *args: str, timeout: float, capture: bool = False, progress: bool = False
) -> str:
    """Run a management command; ``capture`` answers its output, ``progress`` lets its
    standard error (progress bars) through to the terminal while capturing the output."""
    command = [sys.executable, "manage.py", *args]
    try:
        done = subprocess.run(  # noqa: S603 (our interpreter, fixed arguments)
            command,
            cwd=ROOT,
            env=env,
            timeout=timeout,
            stdout=subprocess.PIPE if capture or progress else None,
            stderr=subprocess.PIPE if capture else None,
            text=True,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"manage.py {' '.join(args)} took more than {timeout:.0f} s") from exc
    if done.returncode:
        detail = f":\n{done.stderr[-2000:]}" if capture else ""
        raise BenchError(f"manage.py {' '.join(args)} failed (exit {done.returncode}){detail}")
    return done.stdout or ""


def build_database(
    args: argparse.Namespace, env: dict[str, str], tmp: Path
) -> tuple[str, list[str]]:
    """Migrate, seed and collect the static files; answer the scale for the report, and the
    static files that had to be stubbed."""
    started = time.monotonic()
    say("Migrating…")
    manage(env, "migrate", "--noinput", "-v", "0", timeout=900)
    scale = f"seed --scale {args.scale}"
    if args.reuse:
        scale += f" (reused: the database {PG_DB_NAME} as an earlier run left it)"
    else:
        seed_args = ["seed", "--scale", args.scale]
        say(f"Seeding ({' '.join(seed_args)}; national scale takes about 10 minutes)…")
        output = manage(env, *seed_args, timeout=3600, progress=True)
        say(output.rstrip())
        sizes = re.search(r"database size ([^.]+)", output)
        if sizes:
            scale += f"; database size after seeding {sizes.group(1)}"
    say("Collecting the static files…")
    stubbed = collect_static(env, tmp)
    stubbed += patch_manifest(Path(env["STATIC_ROOT"]))
    say(f"Database ready in {time.monotonic() - started:.0f} s")
    return scale, stubbed


STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")


def patch_manifest(static_root: Path) -> list[str]:
    """Templates that pass a folder to ``{% static %}`` (which the manifest storage cannot
    hash: every page would answer 500 in production) get the folder's plain URL: an entry
    mapping the folder to itself in staticfiles.json, as the non-manifest storage answers.
    Answer the entries added."""
    manifest_path = static_root / "staticfiles.json"
    manifest = json.loads(manifest_path.read_text())
    added = []
    for template in sorted((ROOT / "cocity").glob("**/templates/**/*.html")):
        for name in STATIC_TAG.findall(template.read_text(errors="replace")):
            if name not in manifest["paths"] and (static_root / name).is_dir():
                manifest["paths"][name] = name
                added.append(f"{name} ({{% static %}} of a folder, in {template.name})")
    if added:
        say(f"  the manifest holds no entry for {', '.join(added)}: added as is (see the report)")
        manifest_path.write_text(json.dumps(manifest))
    return added


def collect_static(env: dict[str, str], tmp: Path) -> list[str]:
    """``collectstatic`` with the production settings. When the manifest storage stops on a
    file that an asset references but nobody ships (a source map), try again with an empty
    stub of that file (bench/static_settings.py), and answer the stubbed paths."""
    stubs = tmp / "static-stubs"
    stubbed: list[str] = []
    reported: list[str] = []
    while True:
        run_env = dict(env)
        if stubbed:
            run_env["DJANGO_SETTINGS_MODULE"] = "bench.static_settings"
            run_env["BENCH_STATIC_STUBS"] = str(stubs)
        try:
            manage(run_env, "collectstatic", "--noinput", "-v", "0", timeout=600, capture=True)
            return reported
        except BenchError as exc:
            missing = re.search(r"The file '([^']+)' could not be found", str(exc))
            if missing is None or missing[1] in stubbed or len(stubbed) >= 10:
                raise
            path = missing[1]
        say(
            f"  collectstatic failed with the production settings: {path} is missing; "
            "stubbing it and trying again (see the report)"
        )
        stub = stubs / path
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text(
            '{"version":3,"sources":[],"names":[],"mappings":""}' if path.endswith(".map") else ""
        )
        stubbed.append(path)
        reported.append(f"{path} (referenced by an asset, not shipped)")


# --- Django in this process: the URLs to measure and the queries per request --------------


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pick_views() -> tuple[list[View], list[str]]:
    """The views, with real numbers from the seeded database; and notes on the data."""
    from django.db.models import Count

    from cocity.commons.models import Commons
    from cocity.municipalities.models import Municipality
    from cocity.pacts.models import STAGE_STATUSES, Pact, PactEvent, Stage, Status
    from cocity.pacts.views import PAGE_SIZE

    city = Municipality.objects.filter(slug=CITY).first()
    if city is None:
        raise BenchError(f"the seeded database holds no municipality {CITY!r}")
    public = Pact.objects.filter(municipality=city).exclude(number="").exclude(status=Status.DRAFT)
    category = (
        public.filter(status__in=STAGE_STATUSES[Stage.PACT], category__isnull=False)
        .values("category__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "category__slug")
        .first()
    )
    if category is None:
        raise BenchError("no active pact with a category in Torino")
    longest = public.annotate(n=Count("events")).order_by("-n", "number").first()
    if longest is None:
        raise BenchError("no public pact in Torino")
    pacts = public.count()
    notes = [
        f"Torino: {pacts} public pacts ({math.ceil(pacts / PAGE_SIZE)} registry pages of "
        f"{PAGE_SIZE}), {Commons.objects.filter(municipality=city).count()} commons; "
        f"{Municipality.objects.count()} municipalities, {Pact.objects.count()} pacts and "
        f"{PactEvent.objects.count()} pact events in all",
        f"filtered registry: category {category['category__slug']!r} ({category['n']} pacts "
        f"at the pact stage); long history: pact {longest.number} ({longest.n} events)",
    ]
    registry = f"/{CITY}/pacts/"
    number = urllib.parse.quote(longest.number)
    views = [
        View("national observatory", "/"),
        View("city home", f"/{CITY}/"),
        View(
            "commons map, city (z12)", f"/api/v1/{CITY}/commons.geojson?bbox={TURIN_BBOX}&zoom=12"
        ),
        View(
            "commons map, street (z17)", f"/api/v1/{CITY}/commons.geojson?bbox={MOLE_BBOX}&zoom=17"
        ),
        View("pact registry", registry),
        View(
            "registry, filtered",
            f"{registry}?stage=pact&category={urllib.parse.quote(category['category__slug'])}",
        ),
        View("registry, search", f"{registry}?q=giardino"),
        View("registry, page 10", f"{registry}?page=10"),
        View("pact, long history", f"{registry}{number}/"),
        View("office worklist", f"/{CITY}/office/pacts/", login=True),
        View("impact dashboard", f"/{CITY}/impact/"),
        View("API pact list", f"/api/v1/{CITY}/pacts"),
        View("CSV export (all pacts)", f"/api/v1/{CITY}/pacts.csv"),
        View("ceiling: /ping", "/ping"),
    ]
    return views, notes


def staff_totp_secret() -> str:
    """The office's authenticator app, as staff have one (MFA_REQUIRED_FOR_STAFF): answers
    the TOTP secret of the bench user's device, set up through allauth.mfa's own API (with
    recovery codes, as allauth's activation gives) if the user has none. A device from an
    earlier run (``--reuse``) is kept when its secret can be read back."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
    from allauth.mfa.utils import decrypt

    from cocity.accounts.models import User

    user = User.objects.filter(email=STAFF_EMAIL).first()
    if user is None:
        raise BenchError(f"the seeded database holds no user {STAFF_EMAIL}")
    device = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if device is not None:
        try:
            secret = decrypt(device.data["secret"])
            hotp_value(secret, 0)  # a base32 secret
            return secret
        except Exception:  # not readable with this run's settings: replace it
            device.delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    say(f"Set up an authenticator app (TOTP) for {STAFF_EMAIL}")
    return secret


def totp_period() -> int:
    from allauth.mfa import app_settings

    return int(app_settings.TOTP_PERIOD)


def totp_code(secret: str) -> str:
    """The code the authenticator app shows now."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // totp_period()))


def count_queries(measures: list[Measure]) -> None:
    """One warm-up request, then the queries of one request, for each view."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from cocity.accounts.models import User

    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 500s: counted, not shown
    anonymous = Client(HTTP_HOST=HOST, raise_request_exception=False)
    staff = Client(HTTP_HOST=HOST, raise_request_exception=False)
    staff.force_login(User.objects.get(email=STAFF_EMAIL))

    def fetch(client: Client, path: str) -> int:
        response = client.get(path)
        if response.streaming:
            for _chunk in response.streaming_content:  # the queries run while streaming
                pass
        response.close()
        return int(response.status_code)

    for measure in measures:
        client = staff if measure.view.login else anonymous
        # The queries of rendering the page: the anonymous page cache would answer with none.
        with override_settings(PAGE_CACHE_SECONDS=0):
            fetch(client, measure.view.path)
            with CaptureQueriesContext(connection) as captured:
                measure.query_status = fetch(client, measure.view.path)
        measure.queries = len(captured.captured_queries)
        if measure.query_status != 200:
            say(f"  {measure.view.name} ({measure.view.path}) answered {measure.query_status}")


def database_version(db: Database) -> str:
    if db.kind == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


# --- the application server ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Gunicorn:
    def __init__(self, env: dict[str, str], port: int, workers: int, log_path: Path) -> None:
        self.env, self.port, self.workers, self.log_path = env, port, workers, log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "cocity.config.wsgi",
            "--workers",
            str(self.workers),
            "--bind",
            f"{HOST}:{self.port}",
        ]
        say(f"Starting gunicorn ({self.workers} workers) on http://{HOST}:{self.port}/")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our interpreter, fixed arguments)
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as a whole
            )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
            try:
                conn.request("GET", "/ping")
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            finally:
                conn.close()
            time.sleep(0.25)
        raise BenchError(f"/ping did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        say("gunicorn stopped")


# --- HTTP load ------------------------------------------------------------------------------


def store_cookies(jar: dict[str, str], response: http.client.HTTPResponse) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            jar[name] = morsel.value


def csrf_token(page: str) -> str | None:
    token = re.search(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"\s+name="csrfmiddlewaretoken"', page
    )
    return token[1] if token else None


def login(port: int, secret: str) -> str:
    """Log the office in as staff do, through allauth's forms: the password, then the code of
    the authenticator app (computed from ``secret``); answer the Cookie header of its session,
    once the worklist has answered 200 with it."""
    from django.conf import settings

    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    jar: dict[str, str] = {}

    def request(method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        """One request with the session's cookies; answers the status and the body, or the
        path of the redirect for a 3xx. The same connection object: it reconnects if
        gunicorn closed it."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        page = response.read().decode("utf-8", "replace")
        store_cookies(jar, response)
        if 300 <= response.status < 400:
            location = urllib.parse.urlsplit(response.headers.get("Location", ""))
            page = location.path + (f"?{location.query}" if location.query else "")
        return response.status, page

    def post_form(path: str, fields: dict[str, str]) -> tuple[int, str]:
        status, page = request("GET", path)
        token = csrf_token(page)
        if status != 200 or token is None:
            raise BenchError(f"{path} answered {status} without a CSRF token")
        return request("POST", path, {**fields, "csrfmiddlewaretoken": token})

    worklist = f"/{CITY}/office/pacts/"
    try:
        status, where = post_form(
            "/account/login/", {"login": STAFF_EMAIL, "password": STAFF_PASSWORD}
        )
        if status != 302:
            raise BenchError(f"logging in as {STAFF_EMAIL} failed (HTTP {status})")
        if where.startswith("/account/2fa/authenticate/"):  # the second factor
            status, _ = post_form(where, {"code": totp_code(secret)})
            if status == 200:  # this period's code was used already (by a run just before)
                time.sleep(totp_period() - time.time() % totp_period() + 1)
                status, _ = post_form(where, {"code": totp_code(secret)})
            if status != 302:
                raise BenchError(f"the code of {STAFF_EMAIL}'s authenticator app was refused")
        status, where = request("GET", worklist)
    finally:
        conn.close()
    if status != 200 or settings.SESSION_COOKIE_NAME not in jar:
        raise BenchError(
            f"logged in as {STAFF_EMAIL}, {worklist} answered {status}"
            + (f" (to {where})" if 300 <= status < 400 else "")
        )
    return "; ".join(f"{k}={v}" for k, v in jar.items())


class HttpClient:
    """One HTTP/1.1 connection, reused while the server keeps it open (gunicorn's sync
    workers close it after each answer: http.client then reconnects for the next one)."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port = port
        self.headers = {"Cookie": cookie} if cookie else {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)

    def get(self, path: str) -> tuple[int, int]:
        try:
            self.conn.request("GET", path, headers=self.headers)
            response = self.conn.getresponse()
            return response.status, len(response.read())
        except BaseException:
            self.conn.close()
            raise

    def close(self) -> None:
        self.conn.close()


def load(
    view: View, port: int, cookie: str, clients: int, *, seconds: float = 0, rounds: int = 0
) -> Measure:
    """``clients`` threads request the view, each for ``seconds``, or ``rounds`` times."""
    measure = Measure(view)
    stop = threading.Event()
    deadline = time.monotonic() + seconds
    parts: list[Measure] = [Measure(view) for _ in range(clients)]

    def worker(part: Measure) -> None:
        client = HttpClient(port, cookie if view.login else "")
        done = 0
        try:
            while not stop.is_set() and (done < rounds if rounds else time.monotonic() < deadline):
                done += 1
                started = time.perf_counter()
                try:
                    status, size = client.get(view.path)
                except (OSError, http.client.HTTPException) as exc:
                    part.failures.append(f"{type(exc).__name__}: {exc}")
                    time.sleep(0.01)
                    continue
                part.latencies.append(time.perf_counter() - started)
                part.statuses[status] += 1
                part.body_bytes += size
        finally:
            client.close()

    threads = [threading.Thread(target=worker, args=(part,), daemon=True) for part in parts]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.5)
    finally:
        stop.set()
    measure.elapsed = time.perf_counter() - started
    for part in parts:
        measure.latencies += part.latencies
        measure.statuses.update(part.statuses)
        measure.failures += part.failures
        measure.body_bytes += part.body_bytes
    return measure


# --- export memory ----------------------------------------------------------------------------


def export_memory(env: dict[str, str], pacts: int) -> dict[str, Any]:
    """bench/export_memory.py on the bench database; the pacts.csv row of its table."""
    say(f"Measuring the memory of the CSV export with {pacts} pacts (bench/export_memory.py)…")
    command = [sys.executable, str(ROOT / "bench" / "export_memory.py"), "-n", str(pacts)]
    command += ["--db", "configured"]
    try:
        done = subprocess.run(  # noqa: S603 (our interpreter, our script)
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800, check=False
        )
    except subprocess.TimeoutExpired:
        return {"pacts": pacts, "error": "took more than 30 minutes"}
    if done.returncode:
        return {"pacts": pacts, "error": (done.stderr or done.stdout)[-1500:]}
    for line in done.stdout.splitlines():
        cells = line.split()
        if len(cells) == 10 and cells[0] == str(pacts) and cells[2] == "pacts.csv":
            return {
                "pacts": pacts,
                "body_mb": float(cells[3]),
                "seconds": float(cells[5]),
                "py_peak_mb": float(cells[6]),
                "rss_growth_mb": float(cells[7]),
                "buffered_mb": float(cells[9]),
            }
    return {"pacts": pacts, "error": f"no pacts.csv row in its output:\n{done.stdout[-1500:]}"}


# --- report ---------------------------------------------------------------------------------


def machine() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = " (" + line.split(":", 1)[1].strip() + ")"
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1])
        memory = f", {kb / 2**20:.0f} GB RAM"
    return f"{cpus} CPUs{model}{memory}, {platform.system()} {platform.release()}"


def versions() -> str:
    from importlib.metadata import version

    return (
        f"Python {platform.python_version()}, Django {version('django')}, "
        f"gunicorn {version('gunicorn')}"
    )


def render_views(
    measures: list[Measure],
    *,
    notes: list[str],
    memory: dict[str, Any] | None,
    full: bool,
    seconds: float,
) -> str:
    ceiling = measures[-1].rps if measures and measures[-1].view.path == "/ping" else 0.0
    lines = ["## Per view", ""]
    lines.append(
        f"- each view alone, {seconds:g} s after a warm-up; gunicorn without `REDIS_URL` "
        "(each worker's own memory cache)"
    )
    lines += [f"- {item}" for item in notes]
    lines += [
        "",
        "| view | p50 ms | p95 ms | p99 ms | req/s | % of ceiling | queries | KB | requests "
        "| errors |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for m in measures:
        share = f"{100 * m.rps / ceiling:.0f}%" if ceiling else "–"
        queries = "–" if m.queries is None else str(m.queries)
        if m.query_status not in (None, 200):
            queries += f" (HTTP {m.query_status})"
        size = m.body_bytes / m.requests / 1024 if m.requests else 0
        lines.append(
            f"| {m.view.name} | {fmt_ms(m.percentile_ms(50))} | {fmt_ms(m.percentile_ms(95))} "
            f"| {fmt_ms(m.percentile_ms(99))} | {m.rps:.0f} | {share} | {queries} "
            f"| {size:.1f} | {m.requests} | {errors_cell(m, failed='conn')} |"
        )
    lines += ["", "URLs:", ""]
    lines += [
        f"- {m.view.name}: `{m.view.path}`" + (" (office login)" if m.view.login else "")
        for m in measures
    ]

    lines += [
        "",
        "Export memory (`bench/export_memory.py`, pacts.csv through the test client):",
        "",
    ]
    if memory is None:
        lines.append("- not measured (--no-memory)")
    elif "error" in memory:
        lines.append(f"- {memory['pacts']} pacts: failed: {memory['error'].strip()}")
    else:
        lines.append(
            f"- {memory['pacts']} pacts, {memory['body_mb']:.1f} MB of CSV in "
            f"{memory['seconds']:.1f} s: RSS growth **{memory['rss_growth_mb']:.1f} MB**, "
            f"Python peak {memory['py_peak_mb']:.2f} MB (the same body joined in memory: "
            f"+{memory['buffered_mb']:.1f} MB)"
        )

    lines += ["", "Against the targets (set for national scale on PostgreSQL with 16 clients):", ""]
    pages = [m for m in measures if m.view.path != "/ping"]
    slow = [m.view.name for m in pages if not m.percentile_ms(95) <= TARGET_P95_MS]
    low = [m.view.name for m in pages if ceiling and m.rps < TARGET_CEILING_SHARE * ceiling]
    chatty = [m.view.name for m in pages if m.queries is None or m.queries > TARGET_QUERIES]
    failing = [m.view.name for m in measures if m.errors]
    lines += [
        f"- p95 ≤ {TARGET_P95_MS:.0f} ms: " + ("; ".join(slow) + " over" if slow else "all met"),
        f"- throughput ≥ {TARGET_CEILING_SHARE:.0%} of the ceiling: "
        + ("; ".join(low) + " under" if low else "all met"),
        f"- ≤ {TARGET_QUERIES} queries a request: "
        + ("; ".join(chatty) + " over" if chatty else "all met"),
        "- CSV export memory growth < 50 MB: "
        + (
            "not measured"
            if not memory or "error" in memory
            else ("met" if memory["rss_growth_mb"] < TARGET_EXPORT_MB else "NOT met")
        ),
        "- errors: " + ("; ".join(failing) if failing else "none"),
    ]
    if not full:
        lines.append("- (export memory measured with 20000 pacts; `--full` uses 100000)")
    failures = [f for m in measures for f in m.failures[:3]]
    if failures:
        lines += ["", "First connection errors:", ""] + [f"- {f}" for f in failures[:10]]
    return "\n".join(lines) + "\n"


def write_results(report: str) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}.md"
    path.write_text(report)
    (RESULTS_DIR / "latest.md").write_text(report)
    return path


# --- main -----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Benchmark Co-City on 127.0.0.1: a fresh database, gunicorn with the "
        "production settings, concurrent clients on each view, then the real workload's mix "
        "(see docs/performance.md).",
    )
    parser.add_argument(
        "--profile",
        choices=("views", "real", "all"),
        default="all",
        help="views: each view alone (the per-view table); real: the real workload's mix, "
        "with a writer (needs Redis); all (default): both, in one results file",
    )
    parser.add_argument(
        "--sqlite",
        action="store_true",
        help="a throwaway SQLite file (the default when DATABASE_URL is not set); otherwise "
        f"PostgreSQL: the database {PG_DB_NAME} on the server of DATABASE_URL, dropped and "
        "created again",
    )
    parser.add_argument(
        "--scale",
        default="",
        metavar="SCALE",
        help="the data: seed --scale small|national|N (default: national on PostgreSQL, "
        f"{SQLITE_SCALE} on SQLite)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help=f"PostgreSQL: measure the database {PG_DB_NAME} as a previous run left it "
        "(with --keep-db) instead of building it again; implies --keep-db",
    )
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument(
        "--seconds",
        type=float,
        default=10,
        help="seconds per view, and for the real profile's ceiling (10)",
    )
    parser.add_argument(
        "--real-seconds",
        type=float,
        default=60,
        help="seconds of the real workload's mix (60)",
    )
    parser.add_argument("--seed", type=int, default=1, help="the real profile's random draws (1)")
    parser.add_argument(
        "--redis-url",
        default=real.DEFAULT_REDIS_URL,
        help="the real profile's Redis database, shared by gunicorn and the writer; it is "
        f"flushed at the start (default {real.DEFAULT_REDIS_URL})",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (a free one)")
    parser.add_argument(
        "--full", action="store_true", help="export memory with 100000 pacts (else 20000)"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the export memory")
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="turn the anonymous page cache off (PAGE_CACHE_SECONDS=0): every request renders",
    )
    parser.add_argument(
        "--keep-db", action="store_true", help=f"PostgreSQL: keep {PG_DB_NAME} afterwards"
    )
    args = parser.parse_args(argv)
    if not args.scale:
        args.scale = (
            SQLITE_SCALE if args.sqlite or not os.environ.get("DATABASE_URL") else "national"
        )
    if args.reuse:
        args.keep_db = True
    if args.clients < 1 or args.seconds <= 0 or args.real_seconds <= 0 or args.workers < 1:
        parser.error(
            "--clients and --workers must be at least 1, --seconds and --real-seconds positive"
        )
    return args


def on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def measure_views(
    views: list[View], measures: list[Measure], server: Gunicorn, cookie: str, args: Any
) -> None:
    """The per-view profile: a warm-up, then each view alone with every client."""
    port = server.port
    say("Warming up…")
    for view in views:
        warm = load(view, port, cookie, args.workers, rounds=2)
        if warm.errors:
            errors = errors_cell(warm, failed="conn")
            say(f"  warning: {view.name} ({view.path}): {errors} while warming up")
    say(f"Measuring each view: {args.clients} clients, {args.seconds:g} s a view")
    for i, view in enumerate(views):
        result = load(view, port, cookie, args.clients, seconds=args.seconds)
        measures[i].latencies = result.latencies
        measures[i].statuses = result.statuses
        measures[i].failures = result.failures
        measures[i].body_bytes = result.body_bytes
        measures[i].elapsed = result.elapsed
        m = measures[i]
        say(
            f"  {view.name:<28} p95 {fmt_ms(m.percentile_ms(95)):>7} ms "
            f"{m.rps:>7.0f} req/s  {m.queries} queries  errors {errors_cell(m, failed='conn')}"
        )
    if any(m.errors for m in measures):
        say("Some requests failed; the end of gunicorn's log:\n" + server.log_tail())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, on_sigterm)
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="cocity-bench-"))
    server: Gunicorn | None = None
    db: Database | None = None
    django_ready = False
    per_view = args.profile in ("views", "all")
    workload = args.profile in ("real", "all")
    try:
        db = prepare_database(args, tmp)
        env = production_env(db, tmp, page_cache=not args.no_page_cache)
        # The same secret key: the sessions this process makes are gunicorn's too.
        real_env = dict(env, REDIS_URL=args.redis_url)
        scale, stubbed = build_database(args, env, tmp)

        if workload:
            real.flush_redis(args.redis_url)
        # This process writes (the real profile's writer) with gunicorn's settings and cache.
        setup_django(real_env if workload else env)
        django_ready = True
        secret = staff_totp_secret()
        views: list[View] = []
        notes: list[str] = []
        measures: list[Measure] = []
        if per_view:
            views, notes = pick_views()
            measures = [Measure(view) for view in views]
            say("Counting the queries of one request to each view…")
            count_queries(measures)
        population = None
        cpu: list[real.CpuRow] = []
        if workload:
            say(f"Drawing the real workload's requests from the database (seed {args.seed})…")
            population = real.draw_population(args.seed)
            say("Rendering pages in this process, page cache off (CPU per request)…")
            cpu = real.cpu_per_page(population, args.seed)
            for row in cpu:
                say(
                    f"  {row.page:<28} {row.cpu_ms:6.1f} ms CPU ({row.first_cpu_ms:.1f} the "
                    f"first time)  {row.wall_ms:6.1f} ms wall"
                )
        db_version = database_version(db)

        cookie = ""
        if per_view:
            server = Gunicorn(env, args.port or free_port(), args.workers, tmp / "gunicorn.log")
            server.start()
            server.wait_ready()
            cookie = login(server.port, secret)
            measure_views(views, measures, server, cookie, args)
            server.stop()
            server = None

        outcome = None
        if workload and population is not None:
            say("The real workload (gunicorn with REDIS_URL, the page cache shared)…")
            real.flush_redis(args.redis_url)
            server = Gunicorn(
                real_env, args.port or free_port(), args.workers, tmp / "gunicorn-real.log"
            )
            server.start()
            server.wait_ready()
            cookie = cookie or login(server.port, secret)  # the sessions live in the database
            outcome = real.measure(
                server.port,
                population,
                staff_cookie=cookie,
                clients=args.clients,
                seconds=args.real_seconds,
                ceiling_seconds=args.seconds,
                warmup_clients=args.workers,
                seed=args.seed,
                cpu=cpu,
            )
            if outcome.errors:
                say("Some requests failed; the end of gunicorn's log:\n" + server.log_tail(40))
            server.stop()
            server = None

        memory = None
        if per_view and not args.no_memory:
            from django.db import connections

            connections.close_all()
            memory = export_memory(env, 100_000 if args.full else 20_000)

        header = [
            "command: `python -m bench.run" + "".join(f" {a}" for a in sys.argv[1:]) + "`",
            f"database: {db.label} ({db_version})",
            f"scale: {scale}",
            f"load: {args.clients} concurrent clients (threads, one http.client connection "
            f"each); gunicorn {args.workers} sync workers, production settings; anonymous page "
            "cache "
            + (
                "off (--no-page-cache: every request renders)"
                if args.no_page_cache
                else "on (60 s)"
            ),
            f"machine: {machine()}; {versions()}",
        ]
        if stubbed:
            header.append(
                "**static files fail with the production settings** (manifest storage); "
                "the benchmark worked around: "
                + "; ".join(f"`{p}`" for p in stubbed)
                + ". Missing files were collected as empty stubs (bench/static_settings.py); "
                "folders were added to staticfiles.json as themselves. A deployment needs a "
                "fix in the project."
            )
        report = f"# Co-City benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC\n\n"
        report += "".join(f"- {item}\n" for item in header)
        if per_view:
            report += "\n" + render_views(
                measures, notes=notes, memory=memory, full=args.full, seconds=args.seconds
            )
        if outcome is not None and population is not None:
            report += "\n" + real.render(
                outcome, notes=population.notes, seconds=args.real_seconds, seed=args.seed
            )
        print("\n" + report)
        path = write_results(report)
        say(
            f"Written to {path.relative_to(ROOT)} and bench/results/latest.md "
            f"({time.monotonic() - started:.0f} s in all)"
        )
        return 0
    except KeyboardInterrupt:
        say("\nInterrupted.")
        return 130
    except BenchError as exc:
        say(f"\nThe benchmark failed: {exc}")
        return 1
    finally:
        if server is not None:
            server.stop()
        if django_ready:
            from django.db import connections

            connections.close_all()
        if db is not None and db.kind == "postgresql" and not args.keep_db:
            remove_postgres_database(db)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
