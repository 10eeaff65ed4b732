from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PactsConfig(AppConfig):
    name = "cocity.pacts"
    label = "pacts"
    verbose_name = _("Collaboration pacts")

    def ready(self) -> None:
        from cocity.core.registry import (
            HomeSection,
            MenuEntry,
            PersonalSection,
            Statistic,
            register_menu_entry,
            register_personal_section,
            register_rules_section,
            register_statistic,
        )
        from cocity.pacts import permissions  # noqa: F401  (registers the rules)
        from cocity.pacts.clauses import municipality_template
        from cocity.pacts.personal import personal_pacts
        from cocity.pacts.selectors import STAGE_STATISTICS

        register_personal_section(PersonalSection(key="pacts", items=personal_pacts, order=10))
        register_rules_section(
            HomeSection(
                key="model_pact",
                template="pacts/_model_pact.html",
                context=lambda municipality: {"articles": municipality_template(municipality)},
            )
        )
        register_menu_entry(MenuEntry(label=_("Pacts"), url_name="pacts:list", order=30))
        register_menu_entry(MenuEntry(label=_("Propose a pact"), url_name="pacts:new", order=40))
        register_menu_entry(
            MenuEntry(
                label=_("Pacts to process"),
                url_name="pacts_office:worklist",
                order=5,
                area="office",
            )
        )
        register_menu_entry(
            MenuEntry(
                label=_("Opinions asked of departments"),
                url_name="pacts_office:opinions",
                order=6,
                area="office",
            )
        )
        from cocity.pacts.figures import STAGES

        for order, (stage, compute) in enumerate(STAGE_STATISTICS.items(), start=40):
            figure = STAGES[stage]
            register_statistic(
                Statistic(
                    key=f"pacts_{stage}",
                    label=figure.label,
                    counts=figure.counts,
                    compute=compute,
                    order=order,
                )
            )
