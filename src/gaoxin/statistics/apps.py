from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "gaoxin.statistics"
    label = "statistics"
    verbose_name = _("经济运行")
