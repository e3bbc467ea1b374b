from django.utils.translation import gettext_lazy as _

from gaoxin.core import modules


class UtilitiesConfig(modules.Module):
    """Utilities (水电气): prepaid water, power and gas accounts that never stop by surprise —
    the ledger, days-of-supply forecasts, warnings handed to people who act, and consumption as
    the zone's earliest signal of a stoppage or a wrong return.

    Uses matters (the closed loop: a second-level warning, a surprise stop and a drop finding
    become matters, through `matters.services`) and statistics (the reported electricity of the
    accepted monthly returns, `statistics.models.ReturnValue`, against the meters)."""

    name = "gaoxin.utilities"
    label = "utilities"
    verbose_name = _("水电气")

    # A utility company's partner account reaches this module's pages and API, nothing else.
    partner_access = True
    uses = ("matters", "statistics", "investment")
    url_prefix = "utilities/"
    api_routers = (("/utilities", "gaoxin.utilities.api.router"),)
    import_targets = {"utility_readings": "gaoxin.utilities.importers.READINGS_TARGET", "utility_topups": "gaoxin.utilities.importers.TOPUPS_TARGET", "utility_cutoffs": "gaoxin.utilities.importers.CUTOFFS_TARGET"}  # fmt: skip
