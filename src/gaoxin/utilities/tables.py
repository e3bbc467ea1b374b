"""The utilities' tables: the risk list (and its export, the same columns of the same rows) and
the findings. A level is drawn as its band's badge; amounts in 元 with two decimals."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import BAND, Account, Finding

ATTRS = {"class": "table table-sm table-hover align-middle", "id": "account-table"}
TONE = {"red": "danger", "yellow": "warning", "green": "success"}


def level_badge(level: int, label) -> str:
    band = BAND.get(level, "green")
    return format_html('<span class="badge text-bg-{}">{}</span>', TONE[band], label)


class AccountTable(tables.Table):
    """The accounts, fewest days left first (the risk list's order, set by the view)."""

    enterprise = tables.Column(verbose_name=_("企业"), order_by=("enterprise__name",))
    kind = tables.Column(verbose_name=_("类别"))
    meter_no = tables.Column(verbose_name=_("表号"))
    company = tables.Column(verbose_name=_("供应单位"), order_by=("company__name",))
    balance = tables.Column(verbose_name=_("余额(元)"), attrs={"td": {"class": "text-end"}})
    daily_cost = tables.Column(
        verbose_name=_("预测日均费用(元)"), attrs={"td": {"class": "text-end"}}
    )
    days_left = tables.Column(verbose_name=_("可用天数"), attrs={"td": {"class": "text-end"}})
    level = tables.Column(verbose_name=_("预警级别"))
    protected = tables.BooleanColumn(verbose_name=_("保电"), yesno=("✔", ""))

    class Meta:
        model = Account
        fields = ()
        attrs = ATTRS
        row_attrs = {"id": lambda record: f"account-{record.pk}"}
        empty_text = _("没有符合条件的账户")

    def render_enterprise(self, record):
        return record.enterprise.name

    def value_enterprise(self, record):
        return record.enterprise.name

    def render_meter_no(self, record):
        url = reverse("utilities:account", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.meter_no)

    def value_meter_no(self, record):
        return record.meter_no

    def render_kind(self, record):
        return record.get_kind_display()

    def value_kind(self, record):
        return str(record.get_kind_display())

    def render_company(self, record):
        return record.company.name

    def value_company(self, record):
        return record.company.name

    def render_level(self, record):
        return level_badge(record.level, record.get_level_display())

    def value_level(self, record):
        return str(record.get_level_display())

    def value_protected(self, record):
        return _("是") if record.protected else ""


class FindingTable(tables.Table):
    detected_on = tables.DateColumn(verbose_name=_("发现日期"), format="Y-m-d")
    kind = tables.Column(verbose_name=_("类型"))
    enterprise = tables.Column(verbose_name=_("企业"), order_by=("enterprise__name",))
    account = tables.Column(verbose_name=_("账户"), orderable=False)
    period = tables.Column(verbose_name=_("报告期"))
    expected = tables.Column(verbose_name=_("基准值"), attrs={"td": {"class": "text-end"}})
    observed = tables.Column(verbose_name=_("实际值"), attrs={"td": {"class": "text-end"}})
    change_percent = tables.Column(verbose_name=_("偏差(%)"), attrs={"td": {"class": "text-end"}})
    status = tables.Column(verbose_name=_("状态"))
    actions = tables.TemplateColumn(
        template_name="utilities/_finding_actions.html",
        verbose_name="",
        orderable=False,
        empty_values=(),
    )

    class Meta:
        model = Finding
        fields = ()
        attrs = {**ATTRS, "id": "finding-table"}
        row_attrs = {"id": lambda record: f"finding-{record.pk}"}
        empty_text = _("没有用量发现")

    def render_kind(self, record):
        return record.get_kind_display()

    def render_enterprise(self, record):
        url = reverse("enterprises:detail", args=[record.enterprise_id])
        return format_html('<a href="{}">{}</a>', url, record.enterprise.name)

    def render_account(self, record):
        if record.account_id is None:
            return "—"
        url = reverse("utilities:account", args=[record.account_id])
        return format_html('<a href="{}">{}</a>', url, record.account.meter_no)

    def render_status(self, record):
        tone = {"open": "warning", "visited": "success", "dismissed": "secondary"}[record.status]
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', tone, record.get_status_display()
        )


def export_table(table):
    """(headers, rows) of what `table` shows, every row, values as data."""
    values = table.as_values()
    headers = [str(h) for h in next(values)]
    return headers, values
