from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cocity.core"
    label = "core"
    verbose_name = "Co-City"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from cocity.core import checks  # noqa: F401 (registers the deployment checks)
        from cocity.core.pagecache import pages_changed

        # Any saved or deleted row of Co-City (or a user's) may show on a public page.
        for model in apps.get_models():
            if model.__module__.startswith("cocity."):
                for signal in (post_save, post_delete):
                    signal.connect(
                        pages_changed,
                        sender=model,
                        dispatch_uid=f"pages-{model}-{signal is post_save}",
                    )
        m2m_changed.connect(pages_changed, dispatch_uid="pages-m2m")
