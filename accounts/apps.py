from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        # Connects the sign-in receiver that stamps a new session (SessionIdleRefreshMiddleware).
        from . import middleware  # noqa: F401
