"""The limits hold across app processes: gunicorn with 4 workers and the production settings,
with Redis (``REDIS_URL``), as the README's production section runs it (issue #11, finding 3:
without a shared cache one client got 225 of 300 writes through a 60/m limit, and an account
locked after 5 failures logged in 6 times out of 6).

Each request goes over a connection of its own, several at once, so that gunicorn hands them
to different workers; its access log names the worker of each, and the test checks that
several served them."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings

from tests.accounts.factories import PASSWORD
from tests.core.redis_server import redis_url

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
WORKERS = 4
DB = 10
# An hour's window, so that a run of a few seconds never straddles two windows.
WRITES_ALLOWED = 20
EMAIL = "anna@example.org"
CSRF = secrets.token_hex(16)  # Django accepts its unmasked secret as cookie and field alike


@dataclass
class Server:
    port: int
    access_log: Path

    def post(self, path: str, data: dict[str, str]) -> http.client.HTTPResponse:
        """A form posted as a browser does (CSRF cookie and field), on a new connection."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        body = urlencode({**data, "csrfmiddlewaretoken": CSRF})
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={CSRF}",
                "Accept-Language": "en",
            },
        )
        response = connection.getresponse()
        response.read()
        connection.close()
        return response

    def workers_that_served(self, path: str) -> set[str]:
        """The process ids of the workers that answered ``path`` (from the access log)."""
        time.sleep(0.5)  # gunicorn writes the log line after the response
        lines = self.access_log.read_text().splitlines()
        return {line.split()[0] for line in lines if f" {path} " in line}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _login_failures_per_account() -> int:
    """How many failed logins lock an account (the "key" rate of allauth's login_failed)."""
    rate = settings.ACCOUNT_RATE_LIMITS["login_failed"]
    match = re.search(r"(\d+)/[^,/]+/key", rate)
    assert match, f"no per-account rate in login_failed: {rate!r}"
    return int(match.group(1))


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("multiprocess")
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "COCITY_", "DATABASE_", "REDIS_", "PYTEST"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.core.multiprocess_settings",
            "COCITY_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback: no TLS proxy in the test
            "TRUSTED_PROXY_COUNT": "0",
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "COCITY_VAR_DIR": str(tmp),
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "REDIS_URL": redis_url(DB),
            "WRITE_RATE_LIMIT": f"{WRITES_ALLOWED}/h",
        }
    )
    (tmp / "static").mkdir()

    def manage(*args: str) -> None:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]

    manage("migrate", "--noinput", "-v", "0")
    manage(
        "shell",
        "-c",
        "from cocity.accounts.services import user_create; "
        f"user_create(email={EMAIL!r}, password={PASSWORD!r}, display_name='Anna', "
        "email_verified=True)",
    )
    port = _free_port()
    access_log = tmp / "access.log"
    log = (tmp / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cocity.config.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"{HOST}:{port}",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(p)s %(m)s %(U)s %(s)s",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_ready(process, port, tmp / "gunicorn.log")
        yield Server(port=port, access_log=access_log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
        redis_url(DB)  # empties the test's Redis database again


def _wait_until_ready(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/ping")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    pytest.fail(f"gunicorn did not answer /ping within 60 s:\n{log.read_text()[-3000:]}")


def test_a_page_answers_with_redis(server):
    connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
    connection.request("GET", "/")

    assert connection.getresponse().status == 200


def test_one_client_gets_exactly_the_limit_of_writes_through_4_workers(server):
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(
            pool.map(lambda _: server.post("/i18n/setlang/", {"language": "en"}).status, range(100))
        )

    assert codes.count(302) == WRITES_ALLOWED
    assert codes.count(429) == 100 - WRITES_ALLOWED
    assert len(server.workers_that_served("/i18n/setlang/")) > 1


def test_a_login_lockout_made_through_one_worker_holds_in_the_others(server):
    failures = _login_failures_per_account()
    for _ in range(failures):
        wrong = server.post("/account/login/", {"login": EMAIL, "password": "not-the-password"})
        assert wrong.status == 200  # the form again, with its error

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        answers = list(
            pool.map(
                lambda _: server.post("/account/login/", {"login": EMAIL, "password": PASSWORD}),
                range(2 * WORKERS),
            )
        )

    # A login would redirect and set the session cookie; a locked account gets neither.
    assert [a.status for a in answers if a.status in (301, 302, 303)] == []
    assert not any("sessionid=" in (a.getheader("Set-Cookie") or "") for a in answers)
    assert len(server.workers_that_served("/account/login/")) > 1
