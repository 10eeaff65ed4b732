"""Starting, stopping and asking after each part of the topology: the PostgreSQL primary and
its streaming replica (two clusters of Debian's PostgreSQL made with ``pg_createcluster`` and
``pg_basebackup``), Redis, the gunicorn app processes, the task workers' supervisor and
HAProxy. Every start is a no-op for a part that already runs, so ``up`` can be run again."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from deploy.topology import config
from deploy.topology.config import HOST, LOGS, PRIMARY, REPLICA, RUN, STATE, Cluster


def say(message: str) -> None:
    print(message, flush=True)


def run(
    command: list[str], *, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run ``command``, failing loudly with its output."""
    done = subprocess.run(  # noqa: S603 (fixed commands of this module)
        command,
        env=env,
        cwd=config.ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode:
        output = (done.stdout + done.stderr).strip()[-3000:]
        raise SystemExit(f"{' '.join(command)} failed (exit {done.returncode}):\n{output}")
    return done


def wait_for(what: str, ready: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} not ready after {timeout:.0f} s")
        time.sleep(0.2)


# --- processes by pid file ---------------------------------------------------------------------


def pid_of(name: str) -> int | None:
    """The pid in ``run/<name>.pid`` if that process is alive."""
    path = RUN / f"{name}.pid"
    try:
        pid = int(path.read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    return pid


def children_of(pid: int) -> list[int]:
    """The direct children of ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def stop_pid(name: str, *, timeout: float = 15) -> bool:
    """SIGTERM the process of ``name`` and wait; SIGKILL it (and its children) if it stays."""
    pid = pid_of(name)
    if pid is None:
        (RUN / f"{name}.pid").unlink(missing_ok=True)
        return False
    family = [pid, *children_of(pid)]
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)
    for member in family:
        if _alive(member):
            os.kill(member, signal.SIGKILL)
    (RUN / f"{name}.pid").unlink(missing_ok=True)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie is not alive
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) != "Z"
    except OSError:
        return False


# --- PostgreSQL ---------------------------------------------------------------------------------


def _cluster_conf(cluster: Cluster) -> Path:
    return Path("/etc/postgresql") / config.pg_version() / cluster.name


def cluster_exists(cluster: Cluster) -> bool:
    return (_cluster_conf(cluster) / "postgresql.conf").exists()


def cluster_ours(cluster: Cluster) -> bool:
    return (_cluster_conf(cluster) / "conf.d" / config.MARKER).exists()


def cluster_data(cluster: Cluster) -> Path:
    return Path("/var/lib/postgresql") / config.pg_version() / cluster.name


def pg_ready(cluster: Cluster, dbname: str = "postgres") -> bool:
    try:
        with psycopg.connect(config.dsn(cluster, dbname), autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def sql(cluster: Cluster, query: str, *params: object, dbname: str = config.DB_NAME) -> list:
    """Rows of ``query`` on ``cluster`` (autocommit)."""
    with psycopg.connect(config.dsn(cluster, dbname), autocommit=True) as conn:
        cursor = conn.execute(query, params or None)
        return cursor.fetchall() if cursor.description else []


def _configure(cluster: Cluster) -> None:
    """Trust on 127.0.0.1 (replication included) and the settings of a primary that streams
    to a hot standby. The marker file says that this command made the cluster."""
    conf = _cluster_conf(cluster)
    (conf / "pg_hba.conf").write_text(
        "# Written by scripts/topology: a throwaway cluster on 127.0.0.1 only.\n"
        "local   all           all                  trust\n"
        "host    all           all    127.0.0.1/32  trust\n"
        "host    replication   all    127.0.0.1/32  trust\n"
    )
    (conf / "conf.d").mkdir(exist_ok=True)
    (conf / "conf.d" / config.MARKER).write_text(
        "# Written by scripts/topology (docs/deployment.md); `scripts/topology down` drops this\n"
        "# cluster.\n"
        "listen_addresses = '127.0.0.1'\n"
        "wal_level = replica\n"
        "max_wal_senders = 5\n"
        "max_replication_slots = 5\n"
        "hot_standby = on\n"
        # The replica answers with the data it has while it replays; the long-query
        # conflicts of a real replica do not matter for this topology.
        "hot_standby_feedback = on\n"
        "max_connections = 100\n"
        "shared_buffers = 128MB\n"
    )
    run(["chown", "-R", "postgres:postgres", str(conf)])


def _pg_ctl(cluster: Cluster, action: str) -> None:
    run(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            config.pg_version(),
            cluster.name,
            action,
        ]
    )


def _cluster_online(cluster: Cluster) -> bool:
    done = subprocess.run(  # noqa: S603
        ["pg_ctlcluster", "--skip-systemctl-redirect", config.pg_version(), cluster.name, "status"],  # noqa: S607
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def start_primary() -> None:
    version = config.pg_version()
    if not cluster_exists(PRIMARY):
        if config.port_busy(PRIMARY.port):
            raise SystemExit(f"port {PRIMARY.port} is taken: the primary needs it")
        say(f"Creating the PostgreSQL {version} cluster {PRIMARY.name} (port {PRIMARY.port})")
        run(
            [
                "pg_createcluster",
                "--port",
                str(PRIMARY.port),
                "--start-conf",
                "manual",
                version,
                PRIMARY.name,
                "--",
                "--auth=trust",
            ]
        )
        _configure(PRIMARY)
    if not _cluster_online(PRIMARY):
        _pg_ctl(PRIMARY, "start")
    wait_for("the primary", lambda: pg_ready(PRIMARY))
    if not sql(
        PRIMARY, "SELECT 1 FROM pg_database WHERE datname = %s", config.DB_NAME, dbname="postgres"
    ):
        sql(PRIMARY, f"CREATE DATABASE {config.DB_NAME}", dbname="postgres")


def start_replica() -> None:
    """A hot standby of the primary: ``pg_basebackup -R`` into a new cluster's data folder,
    streaming from a replication slot (so the primary keeps the WAL it has not sent)."""
    version = config.pg_version()
    if cluster_exists(REPLICA) and cluster_ours(REPLICA) and not _has_data(REPLICA):
        say("  the replica was left half made: making it again")
        run(["pg_dropcluster", version, REPLICA.name])
    if not cluster_exists(REPLICA):
        if config.port_busy(REPLICA.port):
            raise SystemExit(f"port {REPLICA.port} is taken: the replica needs it")
        say(f"Creating the replica {REPLICA.name} (port {REPLICA.port}) with pg_basebackup")
        run(
            [
                "pg_createcluster",
                "--port",
                str(REPLICA.port),
                "--start-conf",
                "manual",
                version,
                REPLICA.name,
                "--",
                "--auth=trust",
            ]
        )
        _configure(REPLICA)
        data = cluster_data(REPLICA)
        # pg_basebackup fills the new cluster's (empty) data folder, kept with its owner.
        for entry in data.iterdir():
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        slots = sql(
            PRIMARY,
            "SELECT 1 FROM pg_replication_slots WHERE slot_name = %s",
            config.SLOT,
            dbname="postgres",
        )
        run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                config.pg_bin("pg_basebackup"),
                "-h",
                HOST,
                "-p",
                str(PRIMARY.port),
                "-U",
                config.DB_USER,
                "-D",
                str(data),
                "-R",  # standby.signal and primary_conninfo
                "-X",
                "stream",
                "-S",
                config.SLOT,
                *([] if slots else ["-C"]),  # create the slot
                "-c",
                "fast",
            ]
        )
    if not _cluster_online(REPLICA):
        _pg_ctl(REPLICA, "start")
    wait_for("the replica", lambda: pg_ready(REPLICA))


def _has_data(cluster: Cluster) -> bool:
    return (cluster_data(cluster) / "PG_VERSION").exists()


def drop_cluster(cluster: Cluster) -> None:
    if not cluster_exists(cluster):
        return
    if not cluster_ours(cluster):
        say(f"  {cluster.name} was not made by this command: left alone")
        return
    run(["pg_dropcluster", "--stop", config.pg_version(), cluster.name])
    say(f"  dropped the cluster {cluster.name}")


def replication_status() -> str:
    """The primary's view of its standby: state and lag."""
    try:
        rows = sql(
            PRIMARY,
            "SELECT application_name, state, sync_state, "
            "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), "
            "coalesce(replay_lag::text, '0') FROM pg_stat_replication",
            dbname="postgres",
        )
    except psycopg.Error as error:
        return f"unknown ({str(error).strip()})"
    if not rows:
        return "no standby connected"
    name, state, sync, behind, lag = rows[0]
    return f"{state} ({sync}), {int(behind or 0)} bytes behind, replay lag {lag}"


# --- Redis ---------------------------------------------------------------------------------------


def start_redis() -> None:
    if pid_of("redis"):
        return
    if config.port_busy(config.REDIS_PORT):
        raise SystemExit(f"port {config.REDIS_PORT} is taken: the topology's Redis needs it")
    (STATE / "redis").mkdir(parents=True, exist_ok=True)
    run(
        [
            "redis-server",
            "--port",
            str(config.REDIS_PORT),
            "--bind",
            HOST,
            "--daemonize",
            "yes",
            "--pidfile",
            str(RUN / "redis.pid"),
            "--logfile",
            str(LOGS / "redis.log"),
            "--dir",
            str(STATE / "redis"),
            "--save",
            "",
            "--appendonly",
            "no",
        ]
    )
    wait_for("Redis", lambda: config.port_busy(config.REDIS_PORT), 20)


# --- Django: the database, the app processes, the task workers ---------------------------------


def manage(*args: str, timeout: float = 900) -> str:
    return run(
        [str(config.PYTHON), "manage.py", *args], env=config.app_env(), timeout=timeout
    ).stdout


def prepare_database() -> None:
    """Migrate, seed the demo when empty, collect the static files, and show what the
    deployment checks say."""
    started = time.monotonic()
    say("Migrating the primary…")
    manage("migrate", "--noinput", "-v", "0")
    say("Seeding the demo (if empty)…")
    # As `make run` seeds: with the development settings' immediate task backend, so that the
    # services' mail goes to the seed's dummy mailer and no PDF renders are queued (with the
    # production queue the demo would leave thousands of mails and renders to the workers).
    seed_env = {**config.app_env(), "COCITY_ENV": "development"}
    run(
        [str(config.PYTHON), "manage.py", "seed", "--if-empty", "-v", "0"],
        env=seed_env,
        timeout=900,
    )
    if not (STATE / "static" / "staticfiles.json").exists():
        say("Collecting the static files…")
        manage("collectstatic", "--noinput", "-v", "0")
    checks = run([str(config.PYTHON), "manage.py", "check", "--deploy"], env=config.app_env())
    summary = (checks.stdout + checks.stderr).strip().splitlines()
    say("manage.py check --deploy: " + (summary[-1] if summary else "no output"))
    say(f"  database ready in {time.monotonic() - started:.0f} s")


def app_name(index: int) -> str:
    return f"app{index + 1}"


def start_app(index: int) -> bool:
    """One gunicorn process (master and its sync workers), as production runs it."""
    name = app_name(index)
    if pid_of(name):
        return False
    port = config.APP_PORTS[index]
    if config.port_busy(port):
        raise SystemExit(f"port {port} is taken: {name} needs it")
    run(
        [
            str(config.GUNICORN),
            "cocity.config.wsgi",
            "--name",
            f"cocity-{name}",
            "--workers",
            str(config.APP_WORKERS),
            "--bind",
            f"{HOST}:{port}",
            "--timeout",
            "30",
            "--graceful-timeout",
            "10",
            "--daemon",
            "--pid",
            str(RUN / f"{name}.pid"),
            "--access-logfile",
            str(LOGS / f"{name}.access.log"),
            "--error-logfile",
            str(LOGS / f"{name}.log"),
        ],
        env=config.app_env(),
    )
    return True


def app_answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        conn.request("GET", "/ping", headers={"Host": HOST, "X-Forwarded-Proto": "https"})
        return conn.getresponse().status == 200
    except OSError:
        return False


def start_workers() -> None:
    """The task workers' supervisor (``deploy.topology.workers``), in its own session."""
    if pid_of("workers"):
        return
    log = (LOGS / "workers.log").open("ab")
    process = subprocess.Popen(  # noqa: S603
        [str(config.PYTHON), "-m", "deploy.topology.workers", "--count", str(config.TASK_WORKERS)],
        cwd=config.ROOT,
        env=config.app_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    (RUN / "workers.pid").write_text(f"{process.pid}\n")
    wait_for("the task workers", lambda: len(worker_table()) == config.TASK_WORKERS, 60)


def worker_table() -> dict[str, dict[str, Any]]:
    """The supervisor's table of its running workers: slot → pid, worker id."""
    try:
        table: dict[str, dict[str, Any]] = json.loads((RUN / "workers.json").read_text())
    except (OSError, ValueError):
        return {}
    return {slot: w for slot, w in table.items() if _alive(int(w.get("pid", 0)))}


# --- HAProxy -------------------------------------------------------------------------------------


def make_certificate() -> None:
    """A self-signed certificate for 127.0.0.1: HAProxy terminates TLS as production's proxy
    does, so that secure cookies, HSTS and the CSRF origin check work as they do there."""
    pem = config.TLS_DIR / "haproxy.pem"
    if pem.exists():
        return
    config.TLS_DIR.mkdir(parents=True, exist_ok=True)
    key = config.TLS_DIR / "key.pem"
    run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(config.CERTIFICATE),
            "-days",
            "30",
            "-subj",
            f"/CN={HOST}",
            "-addext",
            f"subjectAltName=IP:{HOST},DNS:localhost",
        ]
    )
    pem.write_text(config.CERTIFICATE.read_text() + key.read_text())
    pem.chmod(0o600)


def haproxy_config() -> str:
    servers = "\n".join(
        f"    server {app_name(i)} {HOST}:{port}" for i, port in enumerate(config.APP_PORTS)
    )
    return f"""# Written by scripts/topology (deploy/topology/services.py); docs/deployment.md.
global
    maxconn 1024
    stats socket {config.ADMIN_SOCKET} mode 600 level admin
    pidfile {RUN / "haproxy.pid"}

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 35s
    timeout http-request 10s
    timeout http-keep-alive 10s
    option forwardfor
    # A request whose server fails goes to another one: any request whose connection could
    # not be made (it never reached an app), and GET or HEAD requests that got no answer.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend http
    bind {HOST}:{config.HTTP_PORT}
    http-request redirect location {config.BASE_URL}%[capture.req.uri] code 301

frontend https
    bind {HOST}:{config.HTTPS_PORT} ssl crt {config.TLS_DIR / "haproxy.pem"} alpn http/1.1
    http-request set-header X-Forwarded-Proto https
    default_backend app

backend app
    balance roundrobin
    # A write that got no answer may have been made: never sent twice.
    http-request disable-l7-retry if !METH_GET !METH_HEAD
    option httpchk
    http-check send meth GET uri /ping ver HTTP/1.1 hdr Host {HOST} hdr X-Forwarded-Proto https
    http-check expect status 200
    # Which app process answered (the test reads it; harmless elsewhere).
    http-response set-header X-Topology-Server %s
    default-server check inter 1s fall 2 rise 2
{servers}

listen stats
    bind {HOST}:{config.STATS_PORT}
    stats enable
    stats uri /
    stats refresh 5s
"""


def start_haproxy() -> None:
    make_certificate()
    path = STATE / "haproxy.cfg"
    text = haproxy_config()
    changed = not path.exists() or path.read_text() != text
    path.write_text(text)
    run(["haproxy", "-c", "-q", "-f", str(path)])
    running = pid_of("haproxy")
    if running and changed:
        say("HAProxy's configuration changed: reloading it")
        run(["haproxy", "-D", "-f", str(path), "-sf", str(running)])
    if running:
        return
    for port in (config.HTTPS_PORT, config.HTTP_PORT, config.STATS_PORT):
        if config.port_busy(port):
            raise SystemExit(f"port {port} is taken: HAProxy needs it")
    run(["haproxy", "-D", "-f", str(path)])
    wait_for("HAProxy", lambda: config.port_busy(config.HTTPS_PORT), 20)


def haproxy_command(command: str) -> str:
    """A command to HAProxy's runtime API (its admin socket)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(str(config.ADMIN_SOCKET))
        s.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def backend_states() -> dict[str, str]:
    """Each app server's state as HAProxy sees it (UP, DOWN, MAINT…)."""
    try:
        text = haproxy_command("show stat")
    except OSError:
        return {}
    lines = text.strip().splitlines()
    if not lines:
        return {}
    header = lines[0].lstrip("# ").split(",")
    states = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split(","), strict=False))
        if row.get("pxname") == "app" and row.get("svname", "").startswith("app"):
            states[row["svname"]] = row.get("status", "?")
    return states


def https_answers() -> bool:
    context = ssl.create_default_context(cafile=str(config.CERTIFICATE))
    try:
        conn = http.client.HTTPSConnection(HOST, config.HTTPS_PORT, timeout=3, context=context)
        conn.request("GET", "/ping")
        return conn.getresponse().status == 200
    except OSError:
        return False


# --- the whole ---------------------------------------------------------------------------------


def up() -> None:
    started = time.monotonic()
    if os.geteuid() != 0:
        raise SystemExit("scripts/topology up makes PostgreSQL clusters: run it as root")
    for folder in (STATE, LOGS, RUN):
        folder.mkdir(parents=True, exist_ok=True)
    start_primary()
    start_replica()
    start_redis()
    prepare_database()
    fresh = [i for i in range(len(config.APP_PORTS)) if start_app(i)]
    for i, port in enumerate(config.APP_PORTS):
        wait_for(app_name(i), lambda port=port: app_answers(port), 60)  # type: ignore[misc]
    if fresh:
        say("App processes started: " + ", ".join(app_name(i) for i in fresh))
    start_workers()
    start_haproxy()
    wait_for(
        "every app behind HAProxy",
        lambda: list(backend_states().values()) == ["UP"] * len(config.APP_PORTS),
        30,
    )
    wait_for("HAProxy over HTTPS", https_answers, 20)
    say(f"Up in {time.monotonic() - started:.0f} s.\n")
    status()


def down() -> None:
    started = time.monotonic()
    say("Stopping the topology…")
    for name in ("haproxy", "workers", *(app_name(i) for i in range(len(config.APP_PORTS)))):
        if stop_pid(name):
            say(f"  stopped {name}")
    if stop_pid("redis"):
        say("  stopped redis")
    drop_cluster(REPLICA)
    drop_cluster(PRIMARY)
    # Everything but the logs (and the secret key, so that a later `up` keeps sessions).
    for entry in STATE.iterdir() if STATE.exists() else []:
        if entry.name in {"logs", "secret_key"}:
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    say(f"Down in {time.monotonic() - started:.0f} s (logs kept in {LOGS}).")


def status() -> int:
    """Print what runs where; answer 0 when everything does."""
    rows: list[tuple[str, str, str]] = []

    def cluster_row(cluster: Cluster) -> tuple[str, str, str]:
        if not cluster_exists(cluster):
            return (f"PostgreSQL {cluster.role}", f"{HOST}:{cluster.port}", "absent")
        state = "online" if pg_ready(cluster) else "stopped"
        if state == "online":
            recovery = sql(cluster, "SELECT pg_is_in_recovery()", dbname="postgres")[0][0]
            state += " (standby)" if recovery else " (primary)"
        return (
            f"PostgreSQL {config.pg_version()} {cluster.role}",
            f"{HOST}:{cluster.port}",
            f"{state}, cluster {cluster.name}, {cluster_data(cluster)}",
        )

    rows.append(cluster_row(PRIMARY))
    rows.append(cluster_row(REPLICA))
    if cluster_exists(PRIMARY) and pg_ready(PRIMARY):
        rows.append(("replication", f"slot {config.SLOT}", replication_status()))
    redis = pid_of("redis")
    rows.append(("Redis", f"{HOST}:{config.REDIS_PORT}", f"pid {redis}" if redis else "stopped"))
    backends = backend_states()
    for i, port in enumerate(config.APP_PORTS):
        name = app_name(i)
        pid = pid_of(name)
        state = f"pid {pid}, {config.APP_WORKERS} workers" if pid else "stopped"
        if name in backends:
            state += f", HAProxy: {backends[name]}"
        rows.append((f"gunicorn {name}", f"{HOST}:{port}", state))
    workers = worker_table()
    supervisor = pid_of("workers")
    rows.append(
        (
            "task workers",
            "db_worker ×" + str(len(workers)),
            (
                f"supervisor pid {supervisor}; "
                + ", ".join(f"{w['worker_id']} pid {w['pid']}" for w in workers.values())
            )
            if supervisor
            else "stopped",
        )
    )
    haproxy = pid_of("haproxy")
    rows.append(
        (
            "HAProxy",
            f"{config.BASE_URL} (http :{config.HTTP_PORT} redirects; stats :{config.STATS_PORT})",
            f"pid {haproxy}" if haproxy else "stopped",
        )
    )
    width = max(len(r[0]) for r in rows)
    where = max(len(r[1]) for r in rows)
    for row in rows:
        say(f"  {row[0]:<{width}}  {row[1]:<{where}}  {row[2]}")
    say(f"  state, configs, logs: {STATE}")
    complete = all("stopped" not in r[2] and "absent" not in r[2] for r in rows) and list(
        backends.values()
    ) == ["UP"] * len(config.APP_PORTS)
    return 0 if complete else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run scripts/topology")
