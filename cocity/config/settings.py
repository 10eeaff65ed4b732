"""Settings for every environment, read from the process environment in this one place.

Environment variables (all optional in development):

- ``COCITY_ENV``: ``development`` (default), ``test`` or ``production``.
- ``SECRET_KEY``: required in production; in development it is generated once and kept in
  ``var/secret_key``.
- ``DATABASE_URL``: defaults to the SQLite file ``var/cocity.sqlite3``.
- ``DATABASE_REPLICA_URL``: a PostgreSQL streaming replica of ``DATABASE_URL``'s database: the
  reads of requests that may be a little stale go there (``cocity/core/replica.py``,
  docs/decisions/0021). Unset: every query goes to ``DATABASE_URL``.
- ``ALLOWED_HOSTS``: comma-separated; required in production.
- ``DEBUG``: ``1`` shows Django's debug pages (development only; off by default so that the
  demo shows the friendly error pages a citizen would see).
- ``EMAIL_URL``-like settings: ``EMAIL_HOST``, ``EMAIL_PORT``, ``EMAIL_HOST_USER``,
  ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS``, ``DEFAULT_FROM_EMAIL``.
- ``REDIS_URL``: the cache shared by every app process, which keeps the rate limits' and the
  login lockouts' counts (e.g. ``redis://127.0.0.1:6379/0``); required in production
  (``check --deploy`` fails without it), optional elsewhere.
- ``TRUSTED_PROXY_COUNT``: how many proxies in front of the app append to ``X-Forwarded-For``
  (``0``: none, the connection's address is the client's); ``CLIENT_IP_HEADER``: or the header
  a proxy sets to the client's address (``X-Real-IP``). Production must say one of them.
- ``EMAIL_TIMEOUT``: seconds before a silent mail server counts as down (10).
- ``API_RATE_LIMIT``: reads a minute per IP address for anonymous API clients (600).
- ``WRITE_RATE_LIMIT``: writes per user, API token or anonymous IP address (``60/m``).
- ``MFA_REQUIRED_FOR_STAFF``: staff and platform admins must set up an authenticator app
  before any other page (on by default in production, off elsewhere; docs/decisions/0010).
- ``MEDIA_ROOT``, ``STATIC_ROOT``: where uploads and collected static files live.
- ``PRIVATE_MEDIA_ROOT``: where uploads that are not public live (default: ``private`` beside
  ``MEDIA_ROOT``, never inside it); ``PRIVATE_MEDIA_ACCEL_REDIRECT``: the nginx internal
  location that sends them in production (e.g. ``/protected/``; empty: Django sends them).
- ``MAP_TILE_URL``, ``MAP_TILE_ATTRIBUTION``: the map's tile server.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("COCITY_VAR_DIR", BASE_DIR / "var"))

ENV = os.environ.get("COCITY_ENV", "development")
if ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"COCITY_ENV must be development, test or production, not {ENV!r}")
PRODUCTION = ENV == "production"


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _development_secret_key() -> str:
    """A key generated once per checkout, so sessions survive restarts of the demo."""
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (COCITY_ENV=production)")
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
    DEBUG = False
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or _development_secret_key()
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
    DEBUG = _env_bool("DEBUG")

INSTALLED_APPS = [
    # Our apps come first so that their templates override those of the libraries.
    "cocity.core",
    "cocity.municipalities",
    "cocity.accounts",
    "cocity.commons",
    "cocity.pacts",
    "cocity.reports",
    "cocity.programmes",
    "cocity.impact",
    "cocity.opendata",
    "cocity.office",
    "cocity.notifications",
    "cocity.api",
    "cocity.seeding",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "bootstrap_italia_template",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cocity.core.site.SiteAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cocity.core.unsent.UnsentTextMiddleware",
    "cocity.accounts.middleware.StaffSecondFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cocity.api.middleware.ApiMiddleware",
    "cocity.core.pagecache.PageCacheMiddleware",
    "cocity.core.ratelimit.WriteRateLimitMiddleware",
]

# Seconds an anonymous visitor's public page is kept whole in the cache (0: off). A write
# forgets those of its city (cocity/core/pagecache.py, versions.py); the tests render every
# page (the cache's own tests turn it on). With a shared cache (Redis) every process forgets at
# once, so pages are kept longer; each process's own memory keeps them a minute, the time
# another process may show a page from before a write (docs/decisions/0022).
PAGE_CACHE_SECONDS = int(
    os.environ.get(
        "PAGE_CACHE_SECONDS",
        "0" if ENV == "test" else ("600" if os.environ.get("REDIS_URL") else "60"),
    )
)
# Seconds a fragment of a page that every visitor sees alike (a pact's texts, parties and
# history; a page of the registry) is kept, under the version of what it shows
# (cocity/core/versions.py): a safety net, the versions do the invalidation. 0: off, as in the
# tests, whose writes commit nothing (the fragments' own tests turn it on).
FRAGMENT_CACHE_SECONDS = int(
    os.environ.get("FRAGMENT_CACHE_SECONDS", "0" if ENV == "test" else "3600")
)
# Requests a minute per IP address for anonymous API clients (0: no limit).
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "600"))
# Writes (POST, PUT, PATCH, DELETE, on the pages and the API) per user, API token or anonymous
# IP address, as "count/period" with s, m, h or d ("60/m"); empty: no limit. A person never
# sends a change a second for a minute; the tests do, so theirs is higher (but still a limit).
WRITE_RATE_LIMIT = os.environ.get("WRITE_RATE_LIMIT", "1000/m" if ENV == "test" else "60/m")
if WRITE_RATE_LIMIT and not re.fullmatch(r"[1-9]\d*/\d*[smhd]", WRITE_RATE_LIMIT):
    raise ImproperlyConfigured(f"WRITE_RATE_LIMIT must look like 60/m, not {WRITE_RATE_LIMIT!r}")
# django-ratelimit: if the cache cannot count (a key expiring mid-request), let the write pass.
RATELIMIT_FAIL_OPEN = True

# The client's address for the limits per address (cocity/core/client_address.py): the
# connection's, unless proxies of the deployment are named here. Never a header otherwise: a
# client could send any. None (unset) is 0, and a production deployment is warned to decide.
_proxies = os.environ.get("TRUSTED_PROXY_COUNT", "").strip()
if _proxies and not _proxies.isdigit():
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {_proxies!r}")
TRUSTED_PROXY_COUNT: int | None = int(_proxies) if _proxies else None
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "").strip()
# allauth reads the client address through the account adapter, which asks the same function;
# its own settings say the same for any of its code that would not.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT or 0
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = CLIENT_IP_HEADER or None

ROOT_URLCONF = "cocity.config.urls"
WSGI_APPLICATION = "cocity.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cocity.municipalities.context_processors.site",
            ],
        },
    },
    # The plain text of e-mails: the same templates' folders, without HTML escaping, so that
    # "dell'aiuola" is not written "dell&#x27;aiuola" (cocity/notifications/services.py).
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cocity.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=PRODUCTION,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the task worker and the web process share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if ENV == "test":
        # A file, not Django's shared in-memory database: the browser tests' live server
        # answers in several threads at once (the map fetches its GeoJSON and its list
        # together), and one shared SQLite connection across threads fails now and then.
        # One file per test process, so that parallel runs do not meet.
        DATABASES["default"]["TEST"] = {
            "NAME": str(Path(tempfile.gettempdir()) / f"cocity-test-{os.getpid()}.sqlite3")
        }
# A streaming replica for the reads of requests that may be a little stale; a person's reads
# after their own write, every write, and all code outside requests (commands, the task
# worker) stay on the primary (cocity/core/replica.py, docs/decisions/0021).
if os.environ.get("DATABASE_REPLICA_URL"):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL")
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=PRODUCTION,
    )
    # A replica that is down is skipped within seconds, not at the worker's timeout.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # The tests' replica is the test database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["cocity.core.replica.ReplicaRouter"]
    # Before the session's middleware: a session saved by a request counts as its write.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "cocity.core.replica.ReplicaMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENV == "test":
    # Hashing is the slowest part of a test that logs users in; the algorithm is not under test.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: e-mail is the login; the address must be verified before the first login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up says plainly when an address is taken (issue #2; docs/decisions/0002).
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_SIGNUP_FORM_CLASS = "cocity.accounts.forms.SignupExtraForm"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Co-City] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Login limits that lock nobody out of a shared address (docs/decisions/0010). The adapter
# keys allauth's "key" counts on the account and the address together, and adds a wait per
# account, from anywhere, that doubles after LOGIN_DELAY_FREE_FAILURES failures up to
# LOGIN_DELAY_MAX_SECONDS; a browser where the account logged in before does not wait.
# cocity/accounts/adapter.py: these login limits, allauth's mail through the task queue after
# commit, and the client's address as every limit finds it (docs/decisions/0014).
ACCOUNT_ADAPTER = "cocity.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"reset_password": "cocity.accounts.auth_forms.PasswordResetForm"}
ACCOUNT_RATE_LIMITS = {
    # Every login attempt, per address: a municipal office behind one NAT at nine o'clock.
    "login": "60/m/ip",
    # Failures per address across accounts (a help desk never reaches it), and per address
    # and account together (the adapter's key).
    "login_failed": "100/h/ip,5/5m/key",
    "signup": "20/m/ip",
    # The same answer for every address, so each request mails its address: at most 5 an hour.
    "reset_password": "20/m/ip,5/h/key",
}
LOGIN_DELAY_FREE_FAILURES = 5
LOGIN_DELAY_MAX_SECONDS = 15 * 60

# Second factor (allauth.mfa): an authenticator app (TOTP) with recovery codes. Staff (any
# StaffRole, or Django admin access) must set one up before any other page when
# MFA_REQUIRED_FOR_STAFF is on: the default in production (`check --deploy` warns if it is
# off there), off elsewhere so that the demo's accounts and the tests log in with a password.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Co-City"
MFA_TOTP_TOLERANCE = 1  # the code before and after too: a phone's clock may be 30 s off
MFA_ADAPTER = "cocity.accounts.mfa.MFAAdapter"
MFA_REQUIRED_FOR_STAFF = _env_bool("MFA_REQUIRED_FOR_STAFF", PRODUCTION)

LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates written as each language writes them (cocity/formats/).
FORMAT_MODULE_PATH = ["cocity.formats"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploads that only some people may see (docs/decisions/0011): outside MEDIA_ROOT, by default
# in the folder "private" beside it, sent by a view that checks the permission. In production
# nginx sends them from an internal location named by PRIVATE_MEDIA_ACCEL_REDIRECT.
PRIVATE_MEDIA_ROOT = (
    Path(os.environ["PRIVATE_MEDIA_ROOT"]) if os.environ.get("PRIVATE_MEDIA_ROOT") else None
)
PRIVATE_MEDIA_ACCEL_REDIRECT = os.environ.get("PRIVATE_MEDIA_ACCEL_REDIRECT", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "cocity.core.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "cocity.core.storage.StaticStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects the folder to exist
# Leaflet and its marker-cluster plugin come from their PyPI xstatic packages.
STATICFILES_DIRS = [
    ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("vendor/leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
]
# Outside production, static files are served from the apps' folders without collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION and DEBUG

# The rate limits, allauth's login lockouts and the page cache's version live in this cache:
# it must be one that every app process shares (Redis), or each would count alone
# (docs/decisions/0014-shared-store-proxy-mail.md; cocity/core/checks.py).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # A Redis that stops answering fails the request in seconds, not at the worker's
            # timeout.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # Room for the stored pages and fragments of a busy process (Django's default is 300
    # entries, which a crawler of one city's registry evicts in seconds).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Tasks (mail, exports) run after commit: immediately in development and tests, through the
# database queue and its worker (`manage.py db_worker`) in production. All mail, allauth's
# included, goes through the task `cocity.notifications.tasks.send_email`, which retries later
# when the mail server is down (docs/decisions/0014-shared-store-proxy-mail.md).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if PRODUCTION or _env_bool("COCITY_TASK_QUEUE")
            else "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# The public address of the site, for links in e-mails. Unset: the address each request came
# to, and the development server's outside requests (cocity/core/site.py).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Co-City <noreply@cocity.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if PRODUCTION or os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": _env_bool("EMAIL_USE_TLS", True),
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
            },
        }
    }
elif ENV == "development":
    # The demo writes each message to var/mail/ so that a newcomer can open verification links.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# Security headers. The policy allows no inline script: every <script> carries the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "https:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [])

# Map tiles (OpenStreetMap by default); a deployment may point at its own tile server.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)

# Upload limits shared by every form that accepts files.
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The task framework logs every task at INFO: too chatty for the console.
    "loggers": {
        "django.tasks": {"level": "WARNING"},
        # pypdf warns about each flaw of an uploaded PDF that it opens or refuses: the upload
        # check's answer says what counts (cocity.core.uploads).
        "pypdf": {"level": "ERROR"},
    },
}
