"""A small browser for the topology's checks: one keep-alive HTTPS connection to HAProxy (or a
plain one to an app process, with the headers HAProxy would add), its own cookies, the CSRF
token of the forms, and allauth's login."""

from __future__ import annotations

import email.utils
import http.client
import http.cookies
import re
import ssl
import time
import urllib.parse
from dataclasses import dataclass, field

from deploy.topology import config

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_context: ssl.SSLContext | None = None


def tls_context() -> ssl.SSLContext:
    global _context
    if _context is None:
        _context = ssl.create_default_context(cafile=str(config.CERTIFICATE))
    return _context


@dataclass
class Answer:
    status: int
    body: str
    location: str = ""
    server: str = ""  # the app process that answered (HAProxy's X-Topology-Server)
    error: str = ""  # a failure below HTTP: connection refused, reset, timeout
    seconds: float = 0.0
    reused: bool = False  # sent on a kept-alive connection that had answered before


@dataclass
class Browser:
    """One person's browser. ``port=None``: through HAProxy over HTTPS; else straight to that
    app process over HTTP, as HAProxy would send it (``X-Forwarded-Proto``, ``-For``)."""

    port: int | None = None
    timeout: float = 20.0
    cookies: dict[str, str] = field(default_factory=dict)
    _conn: http.client.HTTPConnection | None = None
    _served: int = 0  # answers on the current connection

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            if self.port is None:
                self._conn = http.client.HTTPSConnection(
                    config.HOST, config.HTTPS_PORT, timeout=self.timeout, context=tls_context()
                )
            else:
                self._conn = http.client.HTTPConnection(
                    config.HOST, self.port, timeout=self.timeout
                )
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._served = 0

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        headers = {
            # The address people use: HAProxy's, whichever way the request goes.
            "Host": f"{config.HOST}:{config.HTTPS_PORT}",
            "Referer": config.BASE_URL + path,
        }
        if self.port is not None:
            headers["X-Forwarded-Proto"] = "https"
            headers["X-Forwarded-For"] = config.HOST
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = config.BASE_URL
        started = time.monotonic()
        reused = self._conn is not None and self._served > 0
        try:
            conn = self._connection()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.close()
            elapsed = time.monotonic() - started
            return Answer(0, "", error=type(error).__name__, seconds=elapsed, reused=reused)
        self._served += 1
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        self._store(response.headers.get_all("Set-Cookie") or [])
        location = urllib.parse.urlsplit(response.getheader("Location", ""))
        return Answer(
            response.status,
            text,
            location=location.path + (f"?{location.query}" if location.query else ""),
            server=response.getheader("X-Topology-Server", ""),
            seconds=time.monotonic() - started,
            reused=reused,
        )

    def _store(self, headers: list[str]) -> None:
        for header in headers:
            jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                expires = morsel["expires"]
                gone = morsel["max-age"] == "0" or (
                    expires and email.utils.parsedate_to_datetime(expires).timestamp() < time.time()
                )
                if gone:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, str]) -> Answer:
        """A form's POST with the CSRF token of the browser's cookie (Django accepts the
        unmasked secret), without loading the form first."""
        if "csrftoken" not in self.cookies:
            self.get("/account/login/")
        return self.request(
            "POST", path, {**fields, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        )

    def login(self, email_address: str, password: str = config.DEMO_PASSWORD) -> None:
        page = self.get("/account/login/")
        token = CSRF_FIELD.search(page.body)
        if page.status != 200 or token is None:
            raise AssertionError(f"the login page answered {page.status} {page.error}")
        done = self.request(
            "POST",
            "/account/login/",
            {"login": email_address, "password": password, "csrfmiddlewaretoken": token[1]},
        )
        if done.status != 302:
            raise AssertionError(f"logging in as {email_address} answered {done.status}")
