from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "cocity.office"
    label = "office"
    verbose_name = _("Office area")

    def ready(self) -> None:
        from cocity.office import permissions  # noqa: F401  (registers the rules)
