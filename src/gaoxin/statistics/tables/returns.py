"""The returns list as a table on the page, and the returns and 催报 lists as .xlsx exports of
the same rows."""

from decimal import Decimal, InvalidOperation

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.spreadsheets.spec import Column
from gaoxin.core.spreadsheets.writing import write_rows

from ..models import ReturnStatus
from ..ordering import by_enterprise_name

STATUS_COLOURS = {
    ReturnStatus.DRAFT: "secondary",
    ReturnStatus.SUBMITTED: "primary",
    ReturnStatus.ACCEPTED: "success",
    ReturnStatus.RETURNED: "warning",
}


def status_badge(status: str, label: str = "") -> str:
    colour = STATUS_COLOURS.get(status, "secondary")
    label = label or ReturnStatus(status).label
    return format_html('<span class="badge text-bg-{} gx-status">{}</span>', colour, label)


def findings_badges(errors: int, warnings: int) -> str:
    parts = []
    if errors:
        parts.append(
            format_html('<span class="badge text-bg-danger">{} {}</span>', _("错误"), errors)
        )
    if warnings:
        parts.append(
            format_html('<span class="badge text-bg-warning">{} {}</span>', _("警告"), warnings)
        )
    if not parts:
        return format_html('<span class="text-muted small">{}</span>', _("无"))
    return format_html(" ".join(["{}"] * len(parts)), *parts)


class ReturnTable(tables.Table):
    enterprise = tables.LinkColumn(
        "statistics:return",
        args=[tables.A("pk")],
        text=lambda r: r.enterprise.name,
        verbose_name=gettext_lazy("企业"),
        order_by=("enterprise__name",),
    )
    uscc = tables.Column(
        accessor="enterprise__uscc",
        verbose_name=gettext_lazy("统一社会信用代码"),
        order_by=("enterprise__uscc",),
    )
    status = tables.Column(verbose_name=gettext_lazy("状态"))
    findings = tables.Column(
        verbose_name=gettext_lazy("审核发现"), empty_values=(), order_by=("-errors", "-warnings")
    )
    submitted_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=gettext_lazy("报送时间"))
    revision = tables.Column(verbose_name=gettext_lazy("修订"), attrs={"td": {"class": "text-end"}})

    def __init__(self, data, *args, counted: tuple[int, bool], **kwargs):
        self.counted = counted  # the view's capped_count of the rows: how the name order reads
        super().__init__(data, *args, **kwargs)  # orders by Meta.order_by already

    def order_enterprise(self, queryset, is_descending):
        """By name, through the enterprises' index for a period of many (statistics.ordering)."""
        return by_enterprise_name(queryset, is_descending, count=self.counted[0]), True

    def render_status(self, record):
        return status_badge(record.status, record.get_status_display())

    def render_findings(self, record):
        return findings_badges(record.errors, record.warnings)

    def render_revision(self, value):
        return value or "—"

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "return-table"}
        empty_text = gettext_lazy("没有符合条件的报表")
        order_by = ("enterprise",)


# --- exports ----------------------------------------------------------------------------------


def naive(moment):
    """A stored time as the local wall-clock time Excel shows."""
    return timezone.localtime(moment).replace(tzinfo=None)


def _number(text):
    if text in (None, ""):
        return None
    try:
        return float(Decimal(str(text)))
    except (InvalidOperation, ValueError):
        return str(text)


def export_returns(queryset, target, *, indicators, period_label: str) -> int:
    """The shown returns with their figures, one column per return indicator."""
    columns = [
        Column("period", _("报告期"), width=12),
        Column("enterprise", _("企业"), width=30),
        Column("uscc", _("统一社会信用代码"), width=22, text=True),
        Column("status", _("状态"), width=10),
        Column("errors", _("错误"), width=8),
        Column("warnings", _("警告"), width=8),
        Column("submitted_at", _("报送时间"), width=18),
        Column("revision", _("修订次数"), width=10),
    ] + [
        Column(f"v_{i.code}", f"{i.name}({i.unit})", formatter=_number, width=16)
        for i in indicators
    ]

    def rows():
        for r in queryset.iterator(chunk_size=2000):
            submitted = naive(r.submitted_at) if r.submitted_at else None
            row = {
                "period": period_label,
                "enterprise": r.enterprise.name,
                "uscc": r.enterprise.uscc,
                "status": r.get_status_display(),
                "errors": r.errors,
                "warnings": r.warnings,
                "submitted_at": submitted,
                "revision": r.revision,
            }
            for i in indicators:
                row[f"v_{i.code}"] = _number((r.data or {}).get(i.code))
            yield row

    return write_rows(target, columns, rows(), title=_("月度报表"))


def export_missing(rows, target) -> int:
    """The 催报 list: who has not reported, since when overdue, last reminded."""
    columns = [
        Column("period", _("报告期"), width=12),
        Column("enterprise", _("企业"), width=30),
        Column("uscc", _("统一社会信用代码"), width=22, text=True),
        Column("state", _("报表状态"), width=12),
        Column("due_on", _("截止日期"), date=True, width=12),
        Column("overdue", _("逾期天数"), width=10),
        Column("reminders", _("已催报次数"), width=10),
        Column("last_reminder", _("最近催报"), width=18),
    ]

    def out():
        for row in rows:
            last = row["last_reminder"]
            yield {
                "period": row["period_label"],
                "enterprise": row["enterprise"].name,
                "uscc": row["enterprise"].uscc,
                "state": row["state_label"],
                "due_on": row["due_on"],
                "overdue": row["overdue"] or None,
                "reminders": row["reminders"],
                "last_reminder": naive(last) if last else None,
            }

    return write_rows(target, columns, out(), title=_("催报清单"))
