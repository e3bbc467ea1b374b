from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    name = "gaoxin.matters"
    label = "matters"
    verbose_name = _("服务闭环")

    def ready(self):
        from gaoxin.statistics import queries

        from . import services

        # A statistics finding sent to an enterprise as a query becomes a data-query matter.
        queries.register_handler(services.open_data_query)
