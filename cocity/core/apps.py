from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cocity.core"
    label = "core"
    verbose_name = "Co-City"
