from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "cocity.municipalities"
    label = "municipalities"
    verbose_name = _("Municipalities")

    def ready(self) -> None:
        from cocity.core import changes
        from cocity.core.registry import Statistic, register_statistic
        from cocity.core.versions import register_city_of_slug
        from cocity.municipalities.selectors import (
            district_counts,
            municipality_choices_changed,
            municipality_id_of_slug,
        )

        changes.subscribe(municipality_choices_changed)
        register_city_of_slug(municipality_id_of_slug)

        register_statistic(
            Statistic(key="districts", label=_("Districts"), compute=district_counts, order=10)
        )
