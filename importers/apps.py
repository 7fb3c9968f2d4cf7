from django.apps import AppConfig


class ImportersConfig(AppConfig):
    """Bringing archives from other systems into Newsroom (WordPress, for now)."""

    name = "importers"
    verbose_name = "Imports"
