"""Settings as a deployment meets them: production refuses to start half-configured, and
Django's deployment checks find nothing to warn about."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"SECRET_KEY", "COCITY_ENV", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
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


def test_check_deploy_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        COCITY_ENV="production",
        SECRET_KEY="a-production-secret-key-with-enough-entropy-0123456789-abcdefghijkl",
        ALLOWED_HOSTS="cocity.example",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_ping_answers_without_the_database(client):
    response = client.get("/ping")
    assert response.status_code == 200 and response.content == b"ok"


def test_production_static_files_collect_and_pages_render(tmp_path):
    """collectstatic with the production storage (hashed names) succeeds, and a page renders
    with the manifest it wrote."""
    env = {
        "COCITY_ENV": "production",
        "SECRET_KEY": "a-production-secret-key-with-enough-entropy-0123456789-abcdefghijkl",
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
