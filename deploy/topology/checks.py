"""``scripts/topology test``: the checks against the running topology (docs/deployment.md).

1. ``writes_everywhere``: a write through one app process is seen through the other two at
   once, by the person who made it; the replica has it a few milliseconds later.
2. ``lagging_replica``: with the replica's replay paused, the person who writes still sees
   what they wrote through every app process (their reads go to the primary), while another
   session of theirs, reading from the replica, sees the older state, which proves the lag.
3. ``app_killed``: under a load of writes (draft proposals of a second citizen) and reads
   through HAProxy, one gunicorn process (master and workers) is killed with SIGKILL: every
   acknowledged write is in the database, none twice, HAProxy stops sending to it within
   seconds and answers throughout; the errors of the kill window are counted and each failed
   write is looked up in the database, not hidden. The process is started again at the end.
4. ``worker_killed``: a batch of imports (the real task ``cocity.opendata.tasks.
   import_process``, one per city) runs on the two task workers; one worker is killed with
   SIGKILL in the middle of a task. The supervisor requeues the task the dead worker held,
   another worker finishes it, and every row of every import is imported exactly once.
5. ``bench``: requests/s and p95 through HAProxy with 1 app process, then with 3.

Django is set up in this process with the topology's settings, so that the checks read the
primary through the ORM (outside a request every read goes there) and the replica with SQL.
"""

from __future__ import annotations

import collections
import os
import re
import secrets
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from deploy.topology import config, services
from deploy.topology.client import Answer, Browser
from deploy.topology.config import APP_PORTS, CITIZEN, CITIZEN_2, CITY, PRIMARY, REPLICA
from deploy.topology.services import say

PROFILE = "/account/profile/"
NEW_DRAFT = f"/{CITY}/pacts/new/"
CHECKBOX = re.compile(r'<input[^>]*name="show_name_publicly"[^>]*>')


class CheckFailed(AssertionError):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def setup_django() -> None:
    os.environ.update(config.app_env())
    sys.path.insert(0, str(config.ROOT))
    import django

    django.setup()
    from django.utils import translation

    translation.activate("en")


def profile_save(browser: Browser, name: str) -> Answer:
    """Save the profile's display name, keeping the choice of showing it publicly."""
    page = browser.get(PROFILE)
    expect(page.status == 200, f"the profile answered {page.status} {page.error}")
    box = CHECKBOX.search(page.body)
    fields = {"display_name": name}
    if box and "checked" in box[0]:
        fields["show_name_publicly"] = "on"
    return browser.post(PROFILE, fields)


def replica_display_name(email: str) -> str:
    rows = services.sql(REPLICA, "SELECT display_name FROM accounts_user WHERE email = %s", email)
    return rows[0][0] if rows else ""


def primary_display_name(email: str) -> str:
    rows = services.sql(PRIMARY, "SELECT display_name FROM accounts_user WHERE email = %s", email)
    return rows[0][0] if rows else ""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


# --- 1. a write seen through every app process ------------------------------------------------


def writes_everywhere(out: Callable[[str], None]) -> None:
    token = secrets.token_hex(3)
    first = Browser(port=APP_PORTS[0])
    first.login(CITIZEN)
    name = f"Giulia {token}"
    replicated: list[float] = []
    watcher = threading.Thread(target=_replica_watch, args=(name, replicated))
    watcher.start()
    saved = profile_save(first, name)
    written = time.monotonic()
    watcher.join()
    expect(saved.status == 302, f"saving the profile through app1 answered {saved.status}")
    expect(bool(replicated), "the replica did not get the write within 10 s")
    out(f"app1: {CITIZEN} saved the display name {name!r} (302)")
    out(f"replica: has the new name {ms(max(0.0, replicated[0] - written))} after the answer")
    for index, port in enumerate(APP_PORTS[1:], start=2):
        other = Browser(port=port, cookies=dict(first.cookies))
        page = other.get(PROFILE)
        expect(
            page.status == 200 and f'value="{name}"' in page.body,
            f"app{index} did not show the new name (HTTP {page.status})",
        )
        out(
            f"app{index}: the same person's profile shows {name!r} "
            f"({ms(time.monotonic() - written)} after the write)"
        )
    draft = first.post(NEW_DRAFT, {"title": f"Topologia {token}", "place_name": "Via Po 1"})
    expect(
        draft.status == 302 and "/drafts/" in draft.location,
        f"the new draft answered {draft.status}",
    )
    created = time.monotonic()
    out(f"app1: a draft proposal saved (302 → {draft.location})")
    for index, port in enumerate(APP_PORTS[1:], start=2):
        other = Browser(port=port, cookies=dict(first.cookies))
        page = other.get(draft.location)
        expect(
            page.status == 200 and f"Topologia {token}" in page.body,
            f"app{index} did not show the new draft (HTTP {page.status})",
        )
        out(f"app{index}: the draft's page answers 200 ({ms(time.monotonic() - created)} after)")


def _replica_watch(name: str, seen: list[float]) -> None:
    """Note when the replica first has ``name`` (within 10 s)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if replica_display_name(CITIZEN) == name:
            seen.append(time.monotonic())
            return
        time.sleep(0.002)


# --- 2. a lagging replica never shows a person an older state of their own write ---------------


def lagging_replica(out: Callable[[str], None]) -> None:
    token = secrets.token_hex(3)
    writer = Browser()  # through HAProxy
    writer.login(CITIZEN)
    other = Browser()  # the same person in another browser, without the writer's cookie
    other.login(CITIZEN)
    for _ in range(50):  # until the replica has replayed its login and its cookie is dropped
        other.get(PROFILE)
        if "cocity_wal" not in other.cookies:
            break
        time.sleep(0.05)
    expect("cocity_wal" not in other.cookies, "the other session stayed pinned to the primary")
    before = primary_display_name(CITIZEN)
    services.sql(REPLICA, "SELECT pg_wal_replay_pause()", dbname="postgres")
    try:
        deadline = time.monotonic() + 10
        while (
            services.sql(REPLICA, "SELECT pg_get_wal_replay_pause_state()", dbname="postgres")[0][0]
            != "paused"
        ):
            expect(time.monotonic() < deadline, "the replica did not pause")
            time.sleep(0.05)
        out("replica: WAL replay paused (pg_wal_replay_pause())")
        name = f"Giulia {token}"
        saved = profile_save(writer, name)
        expect(saved.status == 302, f"saving the profile answered {saved.status}")
        out(
            f"{saved.server or '?'}: saved the display name {name!r} (302); pinning cookie "
            f"cocity_wal={writer.cookies.get('cocity_wal', '—')}"
        )
        draft = writer.post(NEW_DRAFT, {"title": f"Ritardo {token}", "place_name": "Via Po 2"})
        expect(draft.status == 302 and "/drafts/" in draft.location, "the draft was not saved")
        out(f"{draft.server or '?'}: saved a draft proposal (302 → {draft.location})")
        time.sleep(0.5)  # the replica has received the WAL by now, and not replayed it
        seen = set()
        for _ in range(len(APP_PORTS)):
            page = writer.get(PROFILE)
            expect(
                page.status == 200 and f'value="{name}"' in page.body,
                f"{page.server}: the writer saw an older profile (HTTP {page.status})",
            )
            seen.add(page.server)
            again = writer.get(draft.location)
            expect(
                again.status == 200,
                f"{again.server}: the writer's new draft answered {again.status}",
            )
            seen.add(again.server)
        out(
            f"writer, through {', '.join(sorted(seen))}: sees the new name and the new draft "
            "(reads from the primary while the replica lags)"
        )
        stale = other.get(PROFILE)
        expect(stale.status == 200, f"the other session's profile answered {stale.status}")
        old_shown = f'value="{before}"' in stale.body and f'value="{name}"' not in stale.body
        missing = other.get(draft.location)
        out(
            f"other session ({stale.server}), no pinning cookie: shows {before!r}"
            if old_shown
            else f"other session ({stale.server}): did not show the old name"
        )
        out(
            f"other session ({missing.server}): the new draft answers {missing.status} "
            "(not replayed yet)"
        )
        replica_has = replica_display_name(CITIZEN)
        lag = services.sql(
            REPLICA,
            "SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())",
            dbname="postgres",
        )[0][0]
        out(
            f"SQL: primary has {primary_display_name(CITIZEN)!r}, replica has {replica_has!r} "
            f"({int(lag)} bytes received and not replayed)"
        )
        expect(replica_has == before, "the replica was not behind: the check proves nothing")
        expect(
            old_shown and missing.status == 404, "the replica's reader did not see the old state"
        )
    finally:
        services.sql(REPLICA, "SELECT pg_wal_replay_resume()", dbname="postgres")
    out("replica: replay resumed")
    deadline = time.monotonic() + 10
    while replica_display_name(CITIZEN) != name:
        expect(time.monotonic() < deadline, "the replica did not catch up within 10 s")
        time.sleep(0.01)
    fresh = other.get(PROFILE)
    expect(f'value="{name}"' in fresh.body, "the other session did not see the name after catch-up")
    writer.get(PROFILE)
    out(
        "after catch-up: the other session shows the new name; the writer's pinning cookie "
        + ("is dropped" if "cocity_wal" not in writer.cookies else "is still there")
    )


# --- 3. an app process killed under load -------------------------------------------------------


@dataclass
class Load:
    started: float = field(default_factory=time.monotonic)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged: list[str] = field(default_factory=list)
    unanswered: list[tuple[str, float, str]] = field(default_factory=list)  # title, t, outcome
    reads: list[tuple[float, int, str]] = field(default_factory=list)  # t, status, server/error
    writes: list[tuple[float, int, str]] = field(default_factory=list)

    def now(self) -> float:
        return time.monotonic() - self.started


def _writer(load: Load, browser: Browser, token: str, number: int) -> None:
    n = 0
    previous = "—"
    while not load.stop.is_set():
        title = f"topo-{token}-{number}-{n}"
        n += 1
        answer = browser.post(NEW_DRAFT, {"title": title, "place_name": "Via Topologia 1"})
        t = load.now()
        outcome = answer.server if answer.status else answer.error
        with load.lock:
            load.writes.append((t, answer.status, outcome))
            if answer.status == 302 and "/drafts/" in answer.location:
                load.acknowledged.append(title)
            else:
                how = f"{answer.status or answer.error}"
                if answer.reused:
                    how += f" (kept-alive connection; the answer before: {previous})"
                load.unanswered.append((title, t, how))
        previous = f"{answer.status or answer.error} from {answer.server or '?'}"


def _reader(load: Load, browser: Browser, paths: list[str]) -> None:
    n = 0
    while not load.stop.is_set():
        answer = browser.get(paths[n % len(paths)])
        n += 1
        with load.lock:
            load.reads.append((load.now(), answer.status, answer.server or answer.error))


def app_killed(out: Callable[[str], None]) -> None:
    token = secrets.token_hex(3)
    victim = services.app_name(1)
    writers = [Browser() for _ in range(4)]
    for browser in writers:  # another citizen than the benchmark's: their drafts pile up
        browser.login(CITIZEN_2)
    signed_in = Browser()
    signed_in.login(CITIZEN)
    readers = [Browser() for _ in range(3)] + [signed_in]
    public = ["/ping", "/", f"/{CITY}/", f"/{CITY}/pacts/", f"/{CITY}/commons/"]
    load = Load()
    threads = [
        threading.Thread(target=_writer, args=(load, b, token, i)) for i, b in enumerate(writers)
    ] + [
        threading.Thread(
            target=_reader,
            args=(load, b, public if b is not signed_in else [PROFILE, f"/{CITY}/pacts/"]),
        )
        for b in readers
    ]
    for thread in threads:
        thread.start()
    time.sleep(4)
    pid = services.pid_of(victim)
    expect(pid is not None, f"{victim} is not running")
    assert pid is not None
    family = [pid, *services.children_of(pid)]
    killed_at = load.now()
    for member in family:
        os.kill(member, signal.SIGKILL)
    out(
        f"t={killed_at:.1f} s: kill -9 {victim} (gunicorn master {pid} and workers "
        f"{', '.join(map(str, family[1:]))}) under load: 4 writers, 4 readers through HAProxy"
    )
    down_at = None
    while load.now() < killed_at + 10:
        if down_at is None and services.backend_states().get(victim, "").startswith("DOWN"):
            down_at = load.now()
        time.sleep(0.1)
    load.stop.set()
    for thread in threads:
        thread.join(timeout=30)
    expect(down_at is not None, f"HAProxy never marked {victim} DOWN")
    assert down_at is not None
    out(
        f"t={down_at:.1f} s: HAProxy marks {victim} DOWN "
        f"({down_at - killed_at:.1f} s after the kill)"
    )
    window_end = down_at + 1.0

    def phase(t: float) -> str:
        return "before" if t < killed_at else "window" if t < window_end else "after"

    for kind, rows in (("reads", load.reads), ("writes", load.writes)):
        counts: dict[str, collections.Counter[str]] = {
            p: collections.Counter() for p in ("before", "window", "after")
        }
        for t, status, server in rows:
            ok = status in (200, 302)
            counts[phase(t)]["ok" if ok else f"{status or server}"] += 1
        out(
            f"{kind}: "
            + "; ".join(
                f"{p}: {c['ok']} ok"
                + "".join(f", {n} × {what}" for what, n in sorted(c.items()) if what != "ok" and n)
                for p, c in counts.items()
            )
        )
    after_servers = collections.Counter(
        s for t, st, s in load.reads + load.writes if phase(t) == "after" and st in (200, 302)
    )
    out(
        "answered after the window by: "
        + ", ".join(f"{s} {n}" for s, n in sorted(after_servers.items()))
    )
    from cocity.pacts.models import Pact

    stored = collections.Counter(
        Pact.objects.filter(title__startswith=f"topo-{token}-").values_list("title", flat=True)
    )
    lost = [t for t in load.acknowledged if t not in stored]
    twice = [t for t, n in stored.items() if n > 1]
    ambiguous = [t for t, _, _ in load.unanswered if t in stored]
    out(
        f"database: {len(load.acknowledged)} acknowledged writes, {len(lost)} of them missing, "
        f"{len(twice)} stored twice; {len(load.unanswered)} writes failed, "
        f"{len(ambiguous)} of which were made all the same (the answer was lost)"
    )
    for title, t, how in load.unanswered:
        out(f"  failed write at t={t:.1f} s: {how}" + (" (made)" if title in stored else ""))
    errors_after = [
        r for r in load.reads + load.writes if phase(r[0]) == "after" and r[1] not in (200, 302)
    ]
    expect(not lost, f"acknowledged writes missing: {lost[:5]}")
    expect(not twice, f"writes stored twice: {twice[:5]}")
    expect(not errors_after, f"errors after HAProxy routed around: {errors_after[:5]}")
    expect(victim not in after_servers, f"{victim} still answered after it was killed")
    restarted = time.monotonic()
    services.start_app(1)
    services.wait_for(
        f"{victim} back behind HAProxy",
        lambda: services.backend_states().get(victim) == "UP",
        60,
    )
    out(f"{victim} started again: UP behind HAProxy {time.monotonic() - restarted:.1f} s later")


# --- 4. a task worker killed mid-batch ----------------------------------------------------------

IMPORT_ROWS = 200
MAPPING = """[source]
delimiter = ";"
encoding = "utf-8"
id = "Codice"

[columns]
title = "Titolo"
status = "Stato"
proponent_name = "Proponente"
address = "Indirizzo"

[status]
"Proposta" = "submitted"

[proponent_kind]
"*" = "association"
"""


def worker_killed(out: Callable[[str], None]) -> None:
    from django_tasks_db.models import DBTaskResult

    from cocity.municipalities.models import Municipality
    from cocity.opendata import importer
    from cocity.opendata import tasks as import_tasks
    from cocity.opendata.models import ImportedPact, ImportRun
    from cocity.pacts.models import Pact

    token = secrets.token_hex(3)
    busy = ImportRun.objects.filter(state__in=ImportRun.WRITING)
    expect(not busy.exists(), f"an import is already under way: {list(busy)}")
    mapping = importer.mapping_parse(MAPPING)
    runs: dict[int, Any] = {}  # run id → task result
    cities = list(Municipality.objects.order_by("pk"))
    for city in cities:
        rows = ["Codice;Titolo;Stato;Proponente;Indirizzo"] + [
            f"T{token}-{i:03d};Topologia {token} {i:03d};Proposta;"
            f"Associazione Topologia {token};Via Topologia {i % 7}"
            for i in range(IMPORT_ROWS)
        ]
        data = ("\n".join(rows) + "\n").encode()
        source = importer.read_source(data, mapping)
        run = importer.import_run_start(
            municipality=city,
            file_name=f"topologia-{token}.csv",
            data=data,
            mapping=mapping,
            source=source,
            dry_run=False,
        )
        runs[run.pk] = import_tasks.import_process.enqueue(run_id=run.pk)
    out(
        f"enqueued {len(runs)} tasks import_process (one per city, {IMPORT_ROWS} rows each, "
        f"batches of {importer.BATCH_ROWS}) for {len(services.worker_table())} workers"
    )
    task_ids = {run_id: str(result.id) for run_id, result in runs.items()}
    deadline = time.monotonic() + 120
    victim: tuple[str, int, int] | None = None  # worker id, pid, run id
    while victim is None:
        expect(time.monotonic() < deadline, "no import task got past its first batch in 120 s")
        table = {w["worker_id"]: int(w["pid"]) for w in services.worker_table().values()}
        for run_id, task_id in task_ids.items():
            task = DBTaskResult.objects.get(pk=task_id)
            run = ImportRun.objects.get(pk=run_id)
            if (
                task.status == "RUNNING"
                and importer.BATCH_ROWS <= run.rows_done < run.rows_total
                and task.worker_ids
                and task.worker_ids[-1] in table
            ):
                victim = (task.worker_ids[-1], table[task.worker_ids[-1]], run_id)
                break
        time.sleep(0.05)
    worker_id, pid, run_id = victim
    os.kill(pid, signal.SIGKILL)
    done_rows = ImportRun.objects.get(pk=run_id).rows_done
    out(
        f"kill -9 {worker_id} (pid {pid}) while it ran import {run_id} "
        f"({done_rows} of {IMPORT_ROWS} rows committed)"
    )
    deadline = time.monotonic() + 180
    while True:
        states = dict(
            DBTaskResult.objects.filter(pk__in=task_ids.values()).values_list("id", "status")
        )
        if all(s in ("SUCCESSFUL", "FAILED") for s in states.values()) and len(states) == len(
            task_ids
        ):
            break
        expect(time.monotonic() < deadline, f"the tasks did not finish in 180 s: {states}")
        time.sleep(0.2)
    for run_id, task_id in task_ids.items():
        task = DBTaskResult.objects.get(pk=task_id)
        run = ImportRun.objects.get(pk=run_id)
        imported = ImportedPact.objects.filter(
            municipality_id=run.municipality_id, source_id__startswith=f"T{token}-"
        )
        ids = collections.Counter(imported.values_list("source_id", flat=True))
        pacts = collections.Counter(
            Pact.objects.filter(
                municipality_id=run.municipality_id, title__startswith=f"Topologia {token} "
            ).values_list("title", flat=True)
        )
        out(
            f"import {run_id} ({run.municipality.slug}): task {task.status}, "
            f"return {task.return_value!r}, ran by {' then '.join(task.worker_ids)}; "
            f"run {run.state}, "
            f"{run.rows_done}/{run.rows_total} rows; {len(ids)} rows imported, "
            f"{sum(n - 1 for n in ids.values())} twice; {sum(pacts.values())} pacts made"
        )
        expect(task.status == "SUCCESSFUL", f"task {task_id} {task.status}")
        expect(run.state == ImportRun.State.DONE, f"import {run_id} is {run.state}")
        expect(len(ids) == IMPORT_ROWS and all(n == 1 for n in ids.values()), "rows not once each")
        expect(
            len(pacts) == IMPORT_ROWS and all(n == 1 for n in pacts.values()),
            f"import {run_id}: {sum(pacts.values())} pacts for {IMPORT_ROWS} rows",
        )
    log = (config.LOGS / "workers.log").read_text().splitlines()
    for line in [line for line in log if worker_id in line and "ended" in line][-1:]:
        out("supervisor: " + line.split("supervisor: ", 1)[-1])
    killed_task = next(
        t
        for t in DBTaskResult.objects.filter(pk__in=task_ids.values())
        if worker_id in t.worker_ids
    )
    expect(len(killed_task.worker_ids) >= 2, "the killed worker's task was not run again")


# --- 5. 1 versus 3 app processes ---------------------------------------------------------------


@dataclass
class Measure:
    latencies: list[float] = field(default_factory=list)
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    elapsed: float = 0.0

    def p95(self) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def measure(
    paths: list[str], clients: int, seconds: float, cookies: dict[str, str] | None
) -> Measure:
    result = Measure()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        browser = Browser(cookies=dict(cookies or {}))
        n = offset
        mine: list[float] = []
        errors: collections.Counter[str] = collections.Counter()
        while time.monotonic() < stop:
            path = paths[n % len(paths)]
            answer = browser.get(path)
            n += 1
            if answer.status == 200:
                mine.append(answer.seconds)
            else:
                errors[f"{answer.status or answer.error} {path}"] += 1
        browser.close()
        with lock:
            result.latencies.extend(mine)
            result.errors.update(errors)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.monotonic() - started
    return result


def set_backends(count: int) -> None:
    """Only the first ``count`` app processes take requests (HAProxy's runtime API)."""
    for i in range(len(APP_PORTS)):
        state = "ready" if i < count else "maint"
        services.haproxy_command(f"set server app/{services.app_name(i)} state {state}")
    services.wait_for(
        f"{count} app process(es) in HAProxy",
        lambda: sum(s == "UP" for s in services.backend_states().values()) == count,
        30,
    )


def bench(out: Callable[[str], None], *, seconds: float = 5.0, clients: int = 8) -> None:
    signed_in = Browser()
    signed_in.login(CITIZEN)
    mixes = [
        ("/ping (no database)", ["/ping"], None),
        (
            "anonymous pages (page cache)",
            ["/", f"/{CITY}/", f"/{CITY}/pacts/", f"/{CITY}/commons/"],
            None,
        ),
        (
            "signed-in pages (rendered, replica reads)",
            [PROFILE, f"/{CITY}/pacts/", f"/{CITY}/", f"/{CITY}/commons/"],
            dict(signed_in.cookies),
        ),
    ]
    out(
        f"{clients} concurrent clients (keep-alive HTTPS through HAProxy), {seconds:g} s per "
        f"measurement, {config.APP_WORKERS} sync gunicorn workers per app process, "
        f"{os.cpu_count()} cores shared by everything"
    )
    table: dict[str, dict[int, Measure]] = {}
    try:
        for count in (1, 3):
            set_backends(count)
            for name, paths, cookies in mixes:
                measure(paths, clients, 1.0, cookies)  # warm-up
                table.setdefault(name, {})[count] = measure(paths, clients, seconds, cookies)
    finally:
        set_backends(len(APP_PORTS))
    out(f"{'':<42} {'1 app: req/s':>12} {'p95':>8} {'3 apps: req/s':>14} {'p95':>8} {'errors':>7}")
    for name, by_count in table.items():
        one, three = by_count[1], by_count[3]
        out(
            f"{name:<42} {len(one.latencies) / one.elapsed:>12.0f} {ms(one.p95()):>8} "
            f"{len(three.latencies) / three.elapsed:>14.0f} {ms(three.p95()):>8} "
            f"{(one.errors + three.errors).total():>7}"
        )
    for name, by_count in table.items():
        for count, m in by_count.items():
            if m.errors:
                out(
                    f"errors, {name}, {count} app(s): "
                    + ", ".join(f"{n} × {what}" for what, n in m.errors.most_common(4))
                )


# --- running them ---------------------------------------------------------------------------------

CHECKS: dict[str, Callable[[Callable[[str], None]], None]] = {
    "writes_everywhere": writes_everywhere,
    "lagging_replica": lagging_replica,
    "app_killed": app_killed,
    "worker_killed": worker_killed,
    "bench": bench,
}


def main(only: list[str] | None = None) -> int:
    if services.status() != 0:
        say("The topology is not complete: run scripts/topology up first.")
        return 1
    setup_django()
    names = only or list(CHECKS)
    unknown = set(names) - set(CHECKS)
    if unknown:
        say(f"unknown checks: {', '.join(sorted(unknown))} (known: {', '.join(CHECKS)})")
        return 2
    passed = failed = 0
    started = time.monotonic()
    for name in names:
        say(f"\n== {name}")
        began = time.monotonic()
        try:
            CHECKS[name](lambda line: say(f"  {line}"))
        except Exception as error:  # noqa: BLE001 (reported, and counted as a failure)
            failed += 1
            say(f"  FAIL ({time.monotonic() - began:.1f} s): {error}")
            if not isinstance(error, CheckFailed):
                traceback.print_exc()
        else:
            passed += 1
            say(f"  ok ({time.monotonic() - began:.1f} s)")
    say(f"\nTopology checks in {time.monotonic() - started:.0f} s:")
    say(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def bench_main(*, seconds: float, clients: int) -> int:
    if services.status() != 0:
        say("The topology is not complete: run scripts/topology up first.")
        return 1
    setup_django()
    say("\n== bench")
    bench(lambda line: say(f"  {line}"), seconds=seconds, clients=clients)
    return 0
