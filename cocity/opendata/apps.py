from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "cocity.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from cocity.core.registry import MenuEntry, register_menu_entry

        register_menu_entry(
            MenuEntry(
                label=_("Import a register of pacts"),
                url_name="opendata_office:import",
                order=40,
                area="office",
            )
        )
