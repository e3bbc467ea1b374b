"""Official figures as a table (value in the indicator's unit, growth, the source badge) and as an
.xlsx export of the same filtered rows."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import units
from gaoxin.core.periods import Period
from gaoxin.core.spreadsheets.spec import Column
from gaoxin.core.spreadsheets.writing import write_rows

from ..models import OfficialFigure, OfficialSource

SOURCE_COLOURS = {
    OfficialSource.STATISTICS: "primary",
    OfficialSource.TAX: "success",
    OfficialSource.POWER: "warning",
    OfficialSource.SCIENCE: "info",
    OfficialSource.OTHER: "secondary",
}


def source_label(source: str) -> str:
    """「官方·统计局」: how a published figure is labelled everywhere."""
    return _("官方·%(s)s") % {"s": OfficialSource(source).label}


def source_badge(source: str) -> str:
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        SOURCE_COLOURS.get(source, "secondary"),
        source_label(source),
    )


class OfficialTable(tables.Table):
    period = tables.Column(verbose_name=gettext_lazy("报告期"))
    indicator = tables.Column(verbose_name=gettext_lazy("指标"), order_by=("indicator__position",))
    value = tables.Column(verbose_name=gettext_lazy("数值"), attrs={"td": {"class": "text-end"}})
    yoy_pct = tables.Column(
        verbose_name=gettext_lazy("同比(%)"), attrs={"td": {"class": "text-end"}}
    )
    source = tables.Column(verbose_name=gettext_lazy("来源"))
    source_note = tables.Column(verbose_name=gettext_lazy("来源说明"), orderable=False)
    entered_by_name = tables.Column(verbose_name=gettext_lazy("录入人"))
    updated_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=gettext_lazy("更新时间"))
    edit = tables.Column(verbose_name="", orderable=False, empty_values=())

    def __init__(self, *args, can_edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_edit:
            self.columns.hide("edit")

    def render_period(self, record):
        period = Period.of(record.period)
        return period.ytd_label() if record.indicator.cumulative else period.label()

    def render_indicator(self, value):
        return value.name

    def render_value(self, record):
        # As entered, in the indicator's unit (in English, in the English magnitude).
        ind = record.indicator
        return units.figure(record.value, ind.unit, ind.decimal_places, compact=False)

    def render_yoy_pct(self, value):
        return f"{value:+.1f}"

    def render_source(self, record):
        return source_badge(record.source)

    def render_edit(self, record):
        return format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a>',
            reverse("statistics:official_edit", args=[record.pk]),
            _("修改"),
        )

    class Meta:
        model = OfficialFigure
        fields = ("period", "indicator", "value", "yoy_pct", "source", "source_note",
                  "entered_by_name", "updated_at", "edit")  # fmt: skip
        attrs = {"class": "table table-sm table-hover align-middle", "id": "official-table"}
        empty_text = gettext_lazy("还没有官方数据")


def _number(value):
    return float(value) if value is not None else None


def export_columns() -> list[Column]:
    return [
        Column("period", _("报告期"), width=10),
        Column("period_label", _("期间"), width=16),
        Column("code", _("指标代码"), width=24),
        Column("indicator", _("指标"), width=30),
        Column("unit", _("单位"), width=10),
        Column("value", _("数值"), formatter=_number, width=16),
        Column("yoy_pct", _("同比增长(%)"), formatter=_number, width=14),
        Column("source", _("来源"), width=14),
        Column("source_note", _("来源说明"), width=30),
        Column("entered_by_name", _("录入人"), width=12),
    ]


def export_official(queryset, target) -> int:
    rows = (
        {
            "period": str(Period.of(f.period)),
            "period_label": Period.of(f.period).ytd_label()
            if f.indicator.cumulative
            else Period.of(f.period).label(),
            "code": f.indicator.code,
            "indicator": f.indicator.name,
            "unit": f.indicator.unit,
            "value": f.value,
            "yoy_pct": f.yoy_pct,
            "source": source_label(f.source),
            "source_note": f.source_note,
            "entered_by_name": f.entered_by_name,
        }
        for f in queryset.select_related("indicator").iterator(chunk_size=2000)
    )
    return write_rows(target, export_columns(), rows, title=_("官方数据"))
