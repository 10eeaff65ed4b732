"""Background tasks of the open-data app (Django's task framework): the import of a register.

The import's services (``cocity.opendata.importer``) enqueue ``import_process`` after commit;
the worker (``manage.py db_worker``) runs it. It may run twice for the same import (the office
resumed a run whose first task still waits): each batch locks the run and starts from the
progress the last committed batch recorded, so the second run only finds less, or nothing,
to do."""

from __future__ import annotations

from django.tasks import task


@task
def import_process(*, run_id: int) -> str:
    """Check or apply the import ``run_id`` from its recorded progress to its end. Returns the
    run's state at the end (``deleted`` when it no longer exists)."""
    # Here, not at the top: the importer enqueues this task.
    from cocity.opendata.importer import import_run_process

    run = import_run_process(run_id=run_id)
    return run.state if run is not None else "deleted"
