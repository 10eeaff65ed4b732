from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonsConfig(AppConfig):
    name = "cocity.commons"
    label = "commons"
    verbose_name = _("Commons")

    def ready(self) -> None:
        from cocity.commons import permissions  # noqa: F401  (registers the rules)
        from cocity.commons.selectors import commons_counts, home_hubs, hub_counts
        from cocity.core.registry import (
            HomeSection,
            MenuEntry,
            Statistic,
            register_home_section,
            register_menu_entry,
            register_statistic,
        )

        register_menu_entry(MenuEntry(label=_("Commons"), url_name="commons:list", order=10))
        register_menu_entry(
            MenuEntry(label=_("Neighbourhood houses"), url_name="commons:hubs", order=20)
        )
        register_menu_entry(
            MenuEntry(
                label=_("Commons catalogue"),
                url_name="commons_office:list",
                order=10,
                area="office",
            )
        )
        register_home_section(
            HomeSection(key="hubs", template="commons/_home_hubs.html", context=home_hubs, order=20)
        )
        register_statistic(
            Statistic(key="commons", label=_("Commons"), compute=commons_counts, order=20)
        )
        register_statistic(
            Statistic(key="hubs", label=_("Neighbourhood houses"), compute=hub_counts, order=30)
        )
