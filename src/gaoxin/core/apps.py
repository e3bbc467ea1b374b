from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gaoxin.core"
    label = "core"
    verbose_name = _("平台基础")

    def ready(self):
        from . import otp, signals, tokens  # noqa: F401  (login audit, 2FA state, tokens end)
        from .checks import audit_retention  # noqa: F401  (registers the system check)
        from .people import signals as people_signals  # noqa: F401  (password history, CLI audit)
        from .tables import speed_up_tables

        speed_up_tables()
