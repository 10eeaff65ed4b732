from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cocity.core"
    label = "core"
    verbose_name = "Co-City"

    def ready(self) -> None:
        from cocity.core import (
            changes,
            checks,  # noqa: F401 (registers the deployment checks)
        )
        from cocity.core.pagecache import forget_pages

        # Every announced change forgets the stored public pages (docs/architecture.md).
        changes.subscribe(forget_pages)
