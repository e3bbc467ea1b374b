from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gaoxin.core import modules
from gaoxin.core.modules import Block, MenuItem
from gaoxin.core.roles import ENTERPRISE_USER, GOVERNMENT
from gaoxin.core.workbench import CARD_TEMPLATE


class EnterprisesConfig(modules.Module):
    """The registry of the zone's enterprises, the floor every other module stands on."""

    name = "gaoxin.enterprises"
    label = "enterprises"
    verbose_name = _("企业库")

    menu = MenuItem(gettext_noop("企业库"), "bi-buildings", "enterprises:list", order=10)
    url_prefix = "enterprises/"
    api_routers = (("/enterprises", "gaoxin.enterprises.api.router"),)
    import_targets = {"enterprises": "gaoxin.enterprises.importers.SPREADSHEET_TARGET"}
    demo_step = "gaoxin.enterprises.demo.build"
    home_cards = (
        Block(
            CARD_TEMPLATE, "gaoxin.enterprises.summary.my_enterprise_card",
            roles=frozenset({ENTERPRISE_USER}), order=10,
        ),
        # The zone at a glance, below everyone's tasks: the government side only.
        Block(
            "enterprises/_home_card.html", "gaoxin.enterprises.summary.home_card",
            roles=GOVERNMENT, order=900,
        ),
    )  # fmt: skip

    def ready(self):
        super().ready()
        # The name search's post_save receiver (enterprises/search.py) keeps it in step.
        from gaoxin.core import forms

        from . import search  # noqa: F401

        # A zone's enterprises are too many to list in a select: pickers search as one types.
        forms.register_search("enterprises.Enterprise", "enterprises:search")
