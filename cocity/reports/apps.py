from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cocity.reports"
    label = "reports"
    verbose_name = _("Activity reports")

    def ready(self) -> None:
        from cocity.core.registry import (
            HomeSection,
            MenuEntry,
            PersonalSection,
            register_menu_entry,
            register_pact_section,
            register_personal_section,
        )
        from cocity.reports.selectors import pact_section, personal_reports

        register_personal_section(PersonalSection(key="reports", items=personal_reports, order=20))

        register_pact_section(
            HomeSection(
                key="reports", template="reports/_pact_section.html", context=pact_section, order=10
            )
        )

        register_menu_entry(
            MenuEntry(
                label=_("Reports to review"), url_name="reports_office:list", order=7, area="office"
            )
        )
