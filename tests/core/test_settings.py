"""Settings as a deployment meets them: production refuses to start half-configured, and
Django's deployment checks find nothing to warn about."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET = "a-production-secret-key-with-enough-entropy-0123456789-abcdefghijkl"
# Only the databases 0-8 of the local Redis are for the app; the tests use 9 and up.
REDIS_URL = "redis://127.0.0.1:6379/9"
# The settings of a complete production deployment behind one proxy (README, Production).
PRODUCTION_SETTINGS = {
    "COCITY_ENV": "production",
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "cocity.example",
    "REDIS_URL": REDIS_URL,
    "TRUSTED_PROXY_COUNT": "1",
    "CLIENT_IP_HEADER": "",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {*PRODUCTION_SETTINGS, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", COCITY_ENV="production", ALLOWED_HOSTS="cocity.example")

    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", COCITY_ENV="production", SECRET_KEY="x" * 60)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set in production" in result.stderr


def _check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    return _manage("check", "--deploy", "--fail-level", "WARNING", **env)


def test_check_deploy_is_clean_with_production_settings():
    result = _check_deploy(**PRODUCTION_SETTINGS)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_in_production_without_a_shared_cache():
    """Without Redis each worker would count the rate limits and the login lockouts alone
    (issue #11: 225 of 300 writes through a 60/m limit with 4 workers)."""
    settings = {**PRODUCTION_SETTINGS, "REDIS_URL": ""}

    result = _manage("check", "--deploy", **settings)

    assert result.returncode != 0
    assert "cocity.core.E001" in result.stderr and "REDIS_URL" in result.stderr


def test_check_deploy_warns_when_nobody_said_where_client_addresses_come_from():
    settings = {k: v for k, v in PRODUCTION_SETTINGS.items() if k != "TRUSTED_PROXY_COUNT"}

    result = _check_deploy(**settings)

    assert result.returncode != 0
    assert "cocity.core.W001" in result.stderr and "TRUSTED_PROXY_COUNT" in result.stderr


def test_check_deploy_accepts_a_deployment_without_a_proxy_when_it_says_so():
    result = _check_deploy(**{**PRODUCTION_SETTINGS, "TRUSTED_PROXY_COUNT": "0"})

    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_accepts_a_client_address_header_instead():
    settings = {k: v for k, v in PRODUCTION_SETTINGS.items() if k != "TRUSTED_PROXY_COUNT"}

    result = _check_deploy(**{**settings, "CLIENT_IP_HEADER": "X-Real-IP"})

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_malformed_proxy_count_refuses_to_start():
    result = _manage("check", **{**PRODUCTION_SETTINGS, "TRUSTED_PROXY_COUNT": "one"})

    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be" in result.stderr


def test_a_development_checkout_needs_no_redis():
    result = _manage("check", COCITY_ENV="development")

    assert result.returncode == 0, result.stdout + result.stderr


def test_ping_answers_without_the_database(client):
    response = client.get("/ping")
    assert response.status_code == 200 and response.content == b"ok"


def test_production_static_files_collect_and_pages_render(tmp_path):
    """collectstatic with the production storage (hashed names) succeeds, and a page renders
    with the manifest it wrote."""
    env = {
        **PRODUCTION_SETTINGS,
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "COCITY_VAR_DIR": str(tmp_path / "var"),
    }
    collected = _manage("collectstatic", "--noinput", "-v", "0", **env)
    assert collected.returncode == 0, collected.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()

    migrated = _manage("migrate", "-v", "0", **env)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    page = _manage(
        "shell",
        "-c",
        "from django.test import Client; r = Client().get('/', secure=True); print(r.status_code)",
        **env,
    )
    assert page.stdout.strip().endswith("200"), page.stdout + page.stderr[-2000:]


def _setting(name: str, **env: str) -> str:
    code = f"from django.conf import settings; print(settings.{name})"
    result = _manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_pages_are_kept_longer_when_every_process_shares_the_cache():
    """With Redis every process forgets a city's pages at once (docs/decisions/0022)."""
    alone = _setting("PAGE_CACHE_SECONDS", COCITY_ENV="development")
    shared = _setting("PAGE_CACHE_SECONDS", COCITY_ENV="development", REDIS_URL=REDIS_URL)
    chosen = _setting(
        "PAGE_CACHE_SECONDS", COCITY_ENV="development", REDIS_URL=REDIS_URL, PAGE_CACHE_SECONDS="5"
    )
    fragments = _setting("FRAGMENT_CACHE_SECONDS", COCITY_ENV="development")
    assert (alone, shared, chosen, fragments) == ("60", "600", "5", "3600")
