from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gaoxin.core import modules, roles
from gaoxin.core.modules import Block, MenuItem
from gaoxin.core.roles import ENTERPRISE_USER
from gaoxin.core.workbench import CARD_TEMPLATE


class InvestmentConfig(modules.Module):
    """Investment attraction: leads → signed → started → in production; commitments."""

    name = "gaoxin.investment"
    label = "investment"
    verbose_name = _("招商引资")

    # Enterprise users see their own project's public status, not the pipeline's cockpit.
    menu = MenuItem(
        gettext_noop("招商引资"), "bi-briefcase", "investment:cockpit",
        url_for={ENTERPRISE_USER: "investment:projects"}, order=20,
    )  # fmt: skip
    url_prefix = "investment/"
    api_routers = (("/investment", "gaoxin.investment.api.router"),)
    import_targets = {"projects": "gaoxin.investment.importers.SPREADSHEET_TARGET"}
    demo_step = "gaoxin.investment.demo.build"
    demo_after = ("enterprises",)
    home_cards = (
        Block(CARD_TEMPLATE, "gaoxin.investment.panels.leader_card",
              roles=frozenset({roles.ZONE_LEADER, roles.PROVINCE_VIEWER, roles.PLATFORM_ADMIN}),
              order=8),
        Block(CARD_TEMPLATE, "gaoxin.investment.panels.officer_card",
              roles=frozenset({roles.ZONE_STAFF, roles.ZONE_ADMIN, roles.ZONE_LEADER}), order=25),
        Block(CARD_TEMPLATE, "gaoxin.investment.panels.investor_card",
              roles=frozenset({ENTERPRISE_USER}), order=30),
    )  # fmt: skip
    enterprise_panels = (
        Block("investment/_enterprise_panel.html", "gaoxin.investment.panels.enterprise",
              order=20),
    )  # fmt: skip
