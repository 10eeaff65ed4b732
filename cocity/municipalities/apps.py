from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "cocity.municipalities"
    label = "municipalities"
    verbose_name = _("Municipalities")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from cocity.core.registry import Statistic, register_statistic
        from cocity.municipalities.models import Municipality
        from cocity.municipalities.selectors import district_counts, municipality_choices_changed

        for signal in (post_save, post_delete):
            signal.connect(
                municipality_choices_changed,
                sender=Municipality,
                dispatch_uid=f"municipality-choices-{signal is post_save}",
            )

        register_statistic(
            Statistic(key="districts", label=_("Districts"), compute=district_counts, order=10)
        )
