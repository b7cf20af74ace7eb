from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Framework-level helpers below every app: Buddhist-era dates, domain errors, styled forms,
    lists and exports, the API's error mapping. Imports no app of the project."""

    name = "core"
