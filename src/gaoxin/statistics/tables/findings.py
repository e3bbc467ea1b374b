"""The findings list as a table on the page and as an .xlsx export of the same filtered rows."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.periods import Period
from gaoxin.core.spreadsheets.spec import Column
from gaoxin.core.spreadsheets.writing import write_rows

from ..models import Finding, FindingStatus, Rule

SEVERITY_COLOURS = {Rule.Severity.ERROR: "danger", Rule.Severity.WARNING: "warning"}
STATUS_COLOURS = {
    FindingStatus.OPEN: "secondary",
    FindingStatus.EXPLAINED: "info",
    FindingStatus.QUERIED: "primary",
    FindingStatus.CLOSED: "light",
}


def badge(colour: str, text) -> str:
    css = "text-bg-light border" if colour == "light" else f"text-bg-{colour}"
    return format_html('<span class="badge {}">{}</span>', css, text)


class FindingTable(tables.Table):
    period = tables.Column(verbose_name=gettext_lazy("报告期"))
    enterprise = tables.Column(verbose_name=gettext_lazy("企业"), order_by=("enterprise__name",))
    indicator = tables.Column(verbose_name=gettext_lazy("指标"), order_by=("indicator__position",))
    severity = tables.Column(verbose_name=gettext_lazy("级别"))
    # Long Chinese sentences with figures: let them wrap (tables keep one line per cell).
    message = tables.Column(
        verbose_name=gettext_lazy("问题"), orderable=False,
        attrs={"td": {"style": "white-space: normal; min-width: 24rem"}},
    )  # fmt: skip
    status = tables.Column(verbose_name=gettext_lazy("状态"))
    explanation = tables.Column(verbose_name=gettext_lazy("企业说明"), orderable=False)
    actions = tables.TemplateColumn(
        template_name="statistics/finding_actions.html",
        verbose_name=gettext_lazy("处理"),
        orderable=False,
        empty_values=(),
    )

    def render_period(self, record):
        url = reverse("statistics:return", args=[record.ret_id])
        return format_html('<a href="{}">{}</a>', url, Period.of(record.period).label())

    def render_enterprise(self, value):
        return value.name

    def render_indicator(self, value):
        return value.name

    def render_severity(self, record):
        return badge(
            SEVERITY_COLOURS.get(record.severity, "secondary"), record.get_severity_display()
        )

    def render_status(self, record):
        text = badge(STATUS_COLOURS.get(record.status, "secondary"), record.get_status_display())
        if record.status == FindingStatus.QUERIED and record.query_due_on:
            return format_html(
                '{} <small class="text-muted">{}</small>',
                text,
                _("%(d)s 前回复") % {"d": record.query_due_on.isoformat()},
            )
        return text

    class Meta:
        model = Finding
        fields = ("period", "enterprise", "indicator", "severity", "message", "status",
                  "explanation", "actions")  # fmt: skip
        attrs = {"class": "table table-sm table-hover align-middle", "id": "finding-table"}
        empty_text = gettext_lazy("没有符合条件的审核发现")
        # no order_by: the view's (period, severity, enterprise) stands until a header is clicked


def export_columns() -> list[Column]:
    return [
        Column("period", _("报告期"), width=12),
        Column("enterprise", _("企业"), width=30),
        Column("uscc", _("统一社会信用代码"), text=True, width=22),
        Column("rule_code", _("规则代码"), width=22),
        Column("kind", _("规则类型"), width=16),
        Column("indicator", _("指标"), width=16),
        Column("severity", _("级别"), width=8),
        Column("message", _("问题"), width=60),
        Column("status", _("状态"), width=12),
        Column("explanation", _("企业说明"), width=40),
        Column("query_due_on", _("询问回复期限"), date=True, width=14),
        Column("created_at", _("发现时间"), width=18),
    ]


def export_findings(queryset, target) -> int:
    """Write the (restricted, filtered) findings to an .xlsx; returns how many were written."""
    from django.utils import timezone

    rows = (
        {
            "period": Period.of(f.period).label(),
            "enterprise": f.enterprise.name,
            "uscc": f.enterprise.uscc,
            "rule_code": f.rule_code,
            "kind": f.get_kind_display(),
            "indicator": f.indicator.name if f.indicator_id else "",
            "severity": f.get_severity_display(),
            "message": f.message,
            "status": f.get_status_display(),
            "explanation": f.explanation,
            "query_due_on": f.query_due_on,
            "created_at": timezone.localtime(f.created_at).replace(tzinfo=None),
        }
        for f in queryset.select_related("enterprise", "indicator").iterator(chunk_size=2000)
    )
    return write_rows(target, export_columns(), rows, title=_("审核发现"))
