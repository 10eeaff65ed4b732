from django.apps import AppConfig


class SeedingConfig(AppConfig):
    """The demo and the national data set (``manage.py seed``), made through the public
    services of the apps, and above all of them: no app imports the seeding."""

    name = "cocity.seeding"
    label = "seeding"
    verbose_name = "Seeding"
