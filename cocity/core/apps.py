from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cocity.core"
    label = "core"
    verbose_name = "Co-City"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from cocity.core import (
            changes,
            checks,  # noqa: F401 (registers the deployment checks)
            search,
        )
        from cocity.core.versions import versions_changed

        # Every announced change moves the versions that the stored pages and fragments key
        # on (docs/architecture.md, cocity/core/versions.py).
        changes.subscribe(versions_changed)
        # SQLite's search triggers call a Python function (docs/decisions/0020).
        connection_created.connect(search.connected, dispatch_uid="cocity.core.search")
