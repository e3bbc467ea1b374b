from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gaoxin.core import modules, roles
from gaoxin.core.modules import Block, MenuItem
from gaoxin.core.roles import GOVERNMENT
from gaoxin.core.workbench import CARD_TEMPLATE


class InnovationConfig(modules.Module):
    """Innovation (科技创新): certifications, the IP ledger, platforms, talents, cooperation and
    cloud adoption; the high-tech pre-assessment and the cultivation pipeline built on them.

    Uses statistics directly (a module above it): revenue, R&D spending and employees come from
    the enterprises' accepted returns (`statistics.models.ReturnValue`)."""

    name = "gaoxin.innovation"
    label = "innovation"
    verbose_name = _("科技创新")

    menu = MenuItem(
        gettext_noop("科技创新"), "bi-lightbulb", "innovation:cockpit", roles=GOVERNMENT, order=50
    )

    # matters: the award checks (risk.award_warning) and its services (jobs); investment comes
    # with matters' services (Matter.project)
    uses = ("statistics", "matters", "investment")
    url_prefix = "innovation/"
    api_routers = (("/innovation", "gaoxin.innovation.api.router"),)
    import_targets = {
        "hightech_certificates": "gaoxin.innovation.importers.HIGHTECH_TARGET",
        "patents": "gaoxin.innovation.importers.PATENTS_TARGET",
        "platforms": "gaoxin.innovation.importers.PLATFORMS_TARGET",
        "talents": "gaoxin.innovation.importers.TALENTS_TARGET",
    }
    demo_step = "gaoxin.innovation.demo.build"
    demo_after = ("enterprises", "statistics")
    daily_job = "gaoxin.innovation.jobs.daily"
    home_cards = (
        Block(CARD_TEMPLATE, "gaoxin.innovation.panels.officer_card",
              roles=frozenset({roles.ZONE_STAFF, roles.ZONE_ADMIN}), order=50),
        Block(CARD_TEMPLATE, "gaoxin.innovation.panels.leader_card",
              roles=frozenset({roles.ZONE_LEADER}), order=50),
    )  # fmt: skip
    enterprise_panels = (
        Block("innovation/_enterprise_panel.html", "gaoxin.innovation.panels.enterprise", order=50),
    )

    def ready(self):
        # Hook: the registry's high-tech flag is derived from the valid certificates, no longer
        # typed (enterprises.derived; docs/architecture.md, "Hooks"); services.flags sets it.
        from gaoxin.enterprises import derived

        derived.register("high_tech", _("高新技术企业由科技创新模块的有效证书决定,不能直接修改"))

        # Hook: an award recorded to a certified enterprise warns when its high-tech income share
        # nears 60% (matters.award_checks; docs/architecture.md, "Hooks").
        from gaoxin.matters import award_checks

        from . import risk

        award_checks.register(risk.award_warning)

        # The daily job's notification kinds (证书临期, 年报未报, 资格风险), named for the bell.
        from . import jobs  # noqa: F401
