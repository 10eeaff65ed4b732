"""The task workers' supervisor: runs ``manage.py db_worker`` processes, and when one exits,
for whatever reason (SIGKILL included), puts the tasks it had claimed back in the queue and
starts another worker in its place (docs/decisions/0021, "Exactly once").

``django_tasks_db`` claims a task by setting it RUNNING with the worker's id, in a
transaction, and runs it outside that transaction. A worker that dies mid-task leaves the task
RUNNING for ever: the library never gives it to another worker. Here the supervisor knows
when a worker has died (it is its parent), so it is safe to requeue what that worker held:
nobody runs it any more. Each worker gets an id of its own (``<host>-topology-w<slot>-<n>``),
so a requeue never touches a task a live worker runs. The same, under systemd, is
``ExecStopPost=python -m deploy.topology.workers --requeue %i`` of a worker unit.

Requeued tasks run again from their start: a task must be safe to run twice. The import's
task is (each batch commits with its progress; a second run goes on from there); a mail sent
just before its worker was killed, but not yet marked done, would be sent again."""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RUN = Path(os.environ.get("TOPOLOGY_STATE", ROOT / "var" / "topology")) / "run"
PREFIX = f"{socket.gethostname()}-topology-w"


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.config.settings")
    import django

    django.setup()


def requeue(worker_id: str | None = None, *, prefix: str | None = None) -> list[str]:
    """Put back in the queue the RUNNING tasks last claimed by ``worker_id`` (or by any worker
    whose id starts with ``prefix``); answer their ids. Only for workers known dead."""
    from django.db import connections, transaction
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    requeued = []
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING
        )
        for task in running:
            last = task.worker_ids[-1] if task.worker_ids else ""
            if last == worker_id or (prefix is not None and last.startswith(prefix)):
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                requeued.append(str(task.id))
    connections.close_all()
    return requeued


def _die_with_parent() -> None:
    """A worker is killed with its supervisor (Linux's PR_SET_PDEATHSIG), so that no worker
    outlives the one process that may requeue its tasks: a new supervisor requeues every task
    its predecessor's workers held, and none of them still runs it."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class Supervisor:
    def __init__(self, count: int) -> None:
        self.count = count
        self.generation = 0
        self.workers: dict[int, dict[str, Any]] = {}  # slot → pid, worker_id, process
        self.stopping = False

    def log(self, message: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} supervisor: {message}", flush=True)

    def start(self, slot: int) -> None:
        self.generation += 1
        worker_id = f"{PREFIX}{slot + 1}-{self.generation}"
        process = subprocess.Popen(  # noqa: S603 (our interpreter, fixed arguments)
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--worker-id",
                worker_id,
                "--interval",
                "0.5",
                "--no-startup-delay",
                "--no-reload",
                "-v",
                "1",
            ],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,  # safe: the supervisor has no threads
        )
        self.workers[slot] = {"pid": process.pid, "worker_id": worker_id, "process": process}
        self.log(f"started {worker_id} (pid {process.pid})")
        self.write_table()

    def write_table(self) -> None:
        table = {
            str(slot): {"pid": w["pid"], "worker_id": w["worker_id"]}
            for slot, w in self.workers.items()
        }
        path = RUN / "workers.json"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(table))
        temporary.replace(path)

    def stop(self, signum: int, frame: object) -> None:
        self.stopping = True
        for w in self.workers.values():
            if w["process"].poll() is None:
                w["process"].send_signal(signal.SIGTERM)

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        orphans = requeue(prefix=PREFIX)
        if orphans:
            self.log(f"requeued {len(orphans)} tasks of workers of an earlier run")
        for slot in range(self.count):
            self.start(slot)
        while self.workers:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            ended = next((s for s, w in self.workers.items() if w["pid"] == pid), None)
            if ended is None:
                continue
            dead = self.workers.pop(ended)
            how = (
                f"signal {-os.waitstatus_to_exitcode(status)}"
                if os.WIFSIGNALED(status)
                else f"exit {os.waitstatus_to_exitcode(status)}"
            )
            # The worker is gone: nobody runs the tasks it held any more.
            tasks = requeue(dead["worker_id"])
            self.log(
                f"{dead['worker_id']} (pid {pid}) ended ({how}); requeued "
                f"{len(tasks)} task(s) it held" + (f": {', '.join(tasks)}" if tasks else "")
            )
            if self.stopping:
                self.write_table()
                continue
            self.start(ended)
        (RUN / "workers.json").unlink(missing_ok=True)
        self.log("stopped")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2, help="worker processes to keep running")
    parser.add_argument(
        "--requeue", metavar="WORKER_ID", help="only requeue the tasks of this dead worker"
    )
    args = parser.parse_args()
    os.chdir(ROOT)
    _django()
    if args.requeue:
        for task_id in requeue(args.requeue):
            print(task_id)
        return
    RUN.mkdir(parents=True, exist_ok=True)
    Supervisor(args.count).run()


if __name__ == "__main__":
    main()
