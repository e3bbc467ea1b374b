from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gaoxin.core import modules, roles
from gaoxin.core.modules import Block, MenuItem
from gaoxin.core.workbench import CARD_TEMPLATE


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
    menu = MenuItem(
        gettext_noop("水电气"), "bi-lightning-charge", "utilities:accounts",
        roles=roles.GOVERNMENT | {roles.ENTERPRISE_USER, roles.PARTNER},
        url_for={roles.ENTERPRISE_USER: "utilities:mine", roles.PARTNER: "utilities:partner"},
        order=55,
    )  # fmt: skip
    home_cards = (
        Block(CARD_TEMPLATE, "gaoxin.utilities.panels.officer_card",
              roles=frozenset({roles.ZONE_STAFF, roles.ZONE_ADMIN}), order=55),
        Block(CARD_TEMPLATE, "gaoxin.utilities.panels.leader_card",
              roles=frozenset({roles.ZONE_LEADER}), order=55),
        Block(CARD_TEMPLATE, "gaoxin.utilities.panels.enterprise_card",
              roles=frozenset({roles.ENTERPRISE_USER}), order=55),
    )  # fmt: skip
    enterprise_panels = (
        Block("utilities/_enterprise_panel.html", "gaoxin.utilities.panels.enterprise", order=55),
    )
    uses = ("matters", "statistics", "investment")
    url_prefix = "utilities/"
    api_routers = (("/utilities", "gaoxin.utilities.api.router"),)
    import_targets = {"utility_readings": "gaoxin.utilities.importers.READINGS_TARGET", "utility_topups": "gaoxin.utilities.importers.TOPUPS_TARGET", "utility_cutoffs": "gaoxin.utilities.importers.CUTOFFS_TARGET"}  # fmt: skip
    # H4: the demo after the registry, the returns (the meters follow their electricity) and the
    # matters (its 水电气保障 category among theirs); the daily forecasts, warnings and findings.
    demo_step = "gaoxin.utilities.demo.build"
    demo_after = ("enterprises", "statistics", "matters")
    daily_job = "gaoxin.utilities.jobs.daily"

    def ready(self):
        # The notification kinds (余额预警, 停供, 用量发现), named for the bell.
        from .services import findings, warnings  # noqa: F401
