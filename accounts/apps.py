from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        # Connects the receivers: the sign-in's that stamps a new session
        # (SessionIdleRefreshMiddleware), the devices' that forget a cached copy (state).
        from . import middleware, state  # noqa: F401
