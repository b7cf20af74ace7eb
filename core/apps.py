from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Framework-level helpers below every app: Buddhist-era dates, domain errors, styled forms,
    lists and exports, the API's error mapping. Imports no app of the project."""

    name = "core"

    def ready(self):
        # Celery signal receivers: a queued task carries the request id and its queueing time.
        from core import logs  # noqa: F401
