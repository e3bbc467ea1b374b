from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gaoxin.core import modules, roles
from gaoxin.core.modules import Block, MenuItem
from gaoxin.core.roles import ENTERPRISE_USER
from gaoxin.core.workbench import CARD_TEMPLATE


class MattersConfig(modules.Module):
    """The closed loop: service requests, scheduling problems, help requests, data queries."""

    name = "gaoxin.matters"
    label = "matters"
    verbose_name = _("服务闭环")

    menu = MenuItem(
        gettext_noop("服务闭环"), "bi-arrow-repeat", "matters:cockpit",
        url_for={ENTERPRISE_USER: "matters:list"}, order=40,
    )  # fmt: skip
    uses = ("investment", "statistics")
    url_prefix = "matters/"
    api_routers = (
        ("/matters", "gaoxin.matters.api.router"),
        ("/assistance", "gaoxin.matters.api.assistance_router"),
    )
    demo_step = "gaoxin.matters.demo.build"
    demo_after = ("enterprises", "investment", "statistics")
    daily_job = "gaoxin.matters.jobs.daily"
    home_cards = (
        Block(CARD_TEMPLATE, "gaoxin.matters.panels.inbox_card", order=15),
        Block(CARD_TEMPLATE, "gaoxin.matters.panels.oversight_card",
              roles=frozenset({roles.ZONE_LEADER, roles.PROVINCE_VIEWER}), order=40),
    )  # fmt: skip
    enterprise_panels = (
        Block("matters/_enterprise_panel.html", "gaoxin.matters.panels.enterprise", order=40),
        Block("matters/_rated_panel.html", "gaoxin.matters.panels.rated", order=45),
        Block("matters/_assistance_panel.html", "gaoxin.matters.panels.assistance", order=50),
    )
    project_panels = (
        Block("matters/_project_panel.html", "gaoxin.matters.panels.project", order=40),
    )

    def ready(self):
        from gaoxin.statistics import queries

        from . import services

        # Hook: a statistics finding sent to an enterprise as a query becomes a data-query matter
        # (statistics.queries.register_handler; docs/architecture.md, "Hooks").
        queries.register_handler(services.open_data_query)
