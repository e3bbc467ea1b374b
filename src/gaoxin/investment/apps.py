from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "gaoxin.investment"
    label = "investment"
    verbose_name = _("招商引资")

    def ready(self):
        from gaoxin.core.spreadsheets.registry import TARGETS

        # `gaoxin import projects FILE --zone CODE`: the ledger importer (investment.importers).
        TARGETS.setdefault("projects", "gaoxin.investment.importers.SPREADSHEET_TARGET")
