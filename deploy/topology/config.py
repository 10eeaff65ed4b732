"""Where each part of the topology runs, and the environment of the app processes and the task
workers (docs/deployment.md). Every address is on 127.0.0.1; the state, the configurations
and the logs live under ``var/topology/``; the two PostgreSQL clusters live where Debian keeps
clusters (``/var/lib/postgresql/<version>/<name>``, ``/etc/postgresql/<version>/<name>``)."""

from __future__ import annotations

import os
import secrets
import socket
import string
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(os.environ.get("TOPOLOGY_STATE", ROOT / "var" / "topology"))
LOGS = STATE / "logs"
RUN = STATE / "run"  # pid files, the balancer's admin socket, the workers' table
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Cluster:
    name: str
    port: int
    role: str  # "primary" or "replica"


PRIMARY = Cluster("cocity_primary", 5441, "primary")
REPLICA = Cluster("cocity_replica", 5442, "replica")
DB_NAME = "cocity"
DB_USER = "postgres"
# The file that marks a cluster as made by this command: ``down`` drops only such clusters.
MARKER = "cocity-topology.conf"
SLOT = "cocity_replica"

REDIS_PORT = 6391
APP_PORTS = (8111, 8112, 8113)
APP_WORKERS = int(os.environ.get("TOPOLOGY_APP_WORKERS", "2"))  # gunicorn workers per process
HTTPS_PORT = 8443
HTTP_PORT = 8080  # redirects to HTTPS
STATS_PORT = 8404
TASK_WORKERS = 2
ADMIN_SOCKET = RUN / "haproxy.sock"
TLS_DIR = STATE / "tls"
CERTIFICATE = TLS_DIR / "cert.pem"
BASE_URL = f"https://{HOST}:{HTTPS_PORT}"
# Demo data: a citizen (staff need a second factor in production).
CITIZEN = "cittadina@example.org"
CITIZEN_2 = "associazione@example.org"
DEMO_PASSWORD = "cocity-demo-2026"
CITY = "torino"


def pg_version() -> str:
    """The newest PostgreSQL server of the machine (Debian's layout)."""
    versions = sorted(
        (p.name for p in Path("/usr/lib/postgresql").glob("*") if (p / "bin/postgres").exists()),
        key=lambda v: int(v.split(".")[0]),
    )
    if not versions:
        raise SystemExit("no PostgreSQL server is installed (apt-get install postgresql)")
    return versions[-1]


def pg_bin(name: str) -> str:
    return f"/usr/lib/postgresql/{pg_version()}/bin/{name}"


def database_url(cluster: Cluster) -> str:
    return f"postgres://{DB_USER}@{HOST}:{cluster.port}/{DB_NAME}"


def dsn(cluster: Cluster, dbname: str = DB_NAME) -> str:
    return f"host={HOST} port={cluster.port} user={DB_USER} dbname={dbname} connect_timeout=3"


def _secret_key() -> str:
    path = STATE / "secret_key"
    if path.exists():
        return path.read_text().strip()
    STATE.mkdir(parents=True, exist_ok=True)
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    key = "".join(secrets.choice(alphabet) for _ in range(60))
    path.write_text(key)
    path.chmod(0o600)
    return key


def app_env() -> dict[str, str]:
    """The environment of every app process, task worker and management command of the
    topology: production settings, as the README's production section says."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "COCITY_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cocity.config.settings",
            "COCITY_ENV": "production",
            "SECRET_KEY": _secret_key(),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": database_url(PRIMARY),
            "DATABASE_REPLICA_URL": database_url(REPLICA),
            "REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/0",
            # HAProxy appends the client's address to X-Forwarded-For and says https.
            "TRUSTED_PROXY_COUNT": "1",
            "SITE_URL": BASE_URL,
            "COCITY_VAR_DIR": str(STATE / "app"),
            "STATIC_ROOT": str(STATE / "static"),
            "MEDIA_ROOT": str(STATE / "media"),
            "PRIVATE_MEDIA_ROOT": str(STATE / "private"),
            # No mail server in the topology: messages wait in the queue and are tried again.
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": "2525",
            "EMAIL_USE_TLS": "0",
            # The test's load writes more than a person would (the limit still applies).
            "WRITE_RATE_LIMIT": os.environ.get("TOPOLOGY_WRITE_RATE_LIMIT", "6000/m"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def port_busy(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0
