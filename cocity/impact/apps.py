from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "cocity.impact"
    label = "impact"
    verbose_name = _("Impact")

    def ready(self) -> None:
        from cocity.core import changes
        from cocity.core.registry import MenuEntry, register_menu_entry
        from cocity.impact.cache import figures_changed

        changes.subscribe(figures_changed)

        register_menu_entry(MenuEntry(label=_("Impact"), url_name="impact:dashboard", order=50))
