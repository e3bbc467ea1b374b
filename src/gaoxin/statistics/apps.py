from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "gaoxin.statistics"
    label = "statistics"
    verbose_name = _("经济运行")

    def ready(self):
        from . import providers

        # Investment commitments compare output and tax per 亩 with the enterprise's returns.
        providers.register()
