from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "cocity.programmes"
    label = "programmes"
    verbose_name = _("Funding programmes")

    def ready(self) -> None:
        from cocity.core.registry import MenuEntry, register_menu_entry

        register_menu_entry(
            MenuEntry(
                label=_("Funding programmes"),
                url_name="programmes_office:list",
                order=30,
                area="office",
            )
        )
