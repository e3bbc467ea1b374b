from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gaoxin.core import modules
from gaoxin.core.modules import Block, MenuItem
from gaoxin.core.roles import (
    ENTERPRISE_USER,
    PLATFORM_ADMIN,
    PROVINCE_VIEWER,
    ZONE_ADMIN,
    ZONE_LEADER,
    ZONE_STAFF,
)  # fmt: skip
from gaoxin.core.workbench import CARD_TEMPLATE


class StatisticsConfig(modules.Module):
    """Economic statistics: indicators, enterprise returns, checks, official figures, rollups."""

    name = "gaoxin.statistics"
    label = "statistics"
    verbose_name = _("经济运行")

    menu = MenuItem(
        gettext_noop("经济运行"), "bi-graph-up", "statistics:cockpit",
        url_for={ENTERPRISE_USER: "statistics:my"}, order=30,
    )  # fmt: skip
    uses = ("investment",)
    url_prefix = "statistics/"
    api_routers = (("/statistics", "gaoxin.statistics.api.router"),)
    import_targets = {
        "returns": "gaoxin.statistics.importers.RETURNS_TARGET",
        "official": "gaoxin.statistics.importers.OFFICIAL_TARGET",
    }
    demo_step = "gaoxin.statistics.demo.build"
    demo_after = ("enterprises", "investment")
    home_cards = (
        Block(
            CARD_TEMPLATE,
            "gaoxin.statistics.panels.my_returns_card",
            roles=frozenset({ENTERPRISE_USER}),
            order=20,
        ),
        Block(
            CARD_TEMPLATE,
            "gaoxin.statistics.panels.key_figures_card",
            roles=frozenset({ZONE_LEADER, PROVINCE_VIEWER, PLATFORM_ADMIN}),
            order=5,
        ),
        Block(
            CARD_TEMPLATE,
            "gaoxin.statistics.panels.review_card",
            roles=frozenset({ZONE_STAFF, ZONE_ADMIN, PLATFORM_ADMIN}),
            order=30,
        ),
    )
    enterprise_panels = (
        Block("statistics/_enterprise_panel.html", "gaoxin.statistics.panels.enterprise",
              order=30),
    )  # fmt: skip

    def ready(self):
        from . import providers

        # Hook: investment delivery compares output and tax per 亩 with the enterprise's returns
        # (investment.delivery.register_figures_provider; docs/architecture.md, "Hooks").
        providers.register()
        # Hook: the rollups group the accepted values by the enterprise's industry, scale,
        # above-scale flag and tags, so a registry edit or import that changes them moves the
        # enterprise's values (enterprises.regrouping; docs/architecture.md, "Hooks").
        from gaoxin.enterprises import regrouping

        from . import rollups_incremental

        regrouping.register(rollups_incremental.regroup)
