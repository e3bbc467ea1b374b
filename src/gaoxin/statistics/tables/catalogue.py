"""The catalogue (indicators) and the rules in force as tables, and their .xlsx exports."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.spreadsheets.spec import Column
from gaoxin.core.spreadsheets.writing import write_rows

from ..models import Rule
from ..services.configuration import PARAM_LABELS

YES = "✓"


class IndicatorTable(tables.Table):
    code = tables.Column(verbose_name=gettext_lazy("代码"))
    name = tables.Column(verbose_name=gettext_lazy("名称"))
    unit = tables.Column(verbose_name=gettext_lazy("单位"))
    frequency = tables.Column(verbose_name=gettext_lazy("频率"))
    cumulative = tables.BooleanColumn(verbose_name=gettext_lazy("累计"), yesno=f"{YES}, ")
    source = tables.Column(verbose_name=gettext_lazy("来源"))
    aggregation = tables.Column(verbose_name=gettext_lazy("汇总方式"))
    definition = tables.Column(verbose_name=gettext_lazy("指标解释"))
    department = tables.Column(verbose_name=gettext_lazy("责任部门"))
    zone = tables.Column(verbose_name=gettext_lazy("范围"), empty_values=())
    edit = tables.Column(verbose_name="", empty_values=())

    def __init__(self, *args, can_edit=False, **kwargs):
        super().__init__(*args, orderable=False, **kwargs)
        if not can_edit:
            self.columns.hide("edit")

    def render_code(self, value):
        return format_html("<code>{}</code>", value)

    def render_source(self, record):
        colour = {"return": "secondary", "official": "primary", "computed": "success"}
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            colour.get(record.source, "secondary"),
            record.get_source_display(),
        )

    def render_zone(self, record):
        if record.zone_id is None:
            return _("标准")
        text = _("本园区") if record.is_active else _("本园区(停用)")
        return format_html('<span class="badge text-bg-info">{}</span>', text)

    def render_edit(self, record):
        if record.zone_id is None:
            return ""
        return format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a>',
            reverse("statistics:indicator_edit", args=[record.pk]),
            _("修改"),
        )

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "indicator-table"}
        empty_text = gettext_lazy("没有指标")


def params_text(rule) -> str:
    parts = []
    for key, value in (rule.params or {}).items():
        parts.append(f"{PARAM_LABELS.get(key, key)} {value}")
    return ";".join(parts)


class RuleTable(tables.Table):
    code = tables.Column(verbose_name=gettext_lazy("代码"))
    name = tables.Column(verbose_name=gettext_lazy("规则"))
    kind = tables.Column(verbose_name=gettext_lazy("类型"))
    indicator = tables.Column(verbose_name=gettext_lazy("指标"), empty_values=())
    params = tables.Column(verbose_name=gettext_lazy("参数"), empty_values=())
    severity = tables.Column(verbose_name=gettext_lazy("级别"))
    is_active = tables.BooleanColumn(verbose_name=gettext_lazy("启用"), yesno=f"{YES}, ")
    zone = tables.Column(verbose_name=gettext_lazy("范围"), empty_values=())
    edit = tables.Column(verbose_name="", empty_values=())

    def __init__(self, *args, can_edit=False, **kwargs):
        super().__init__(*args, orderable=False, **kwargs)
        if not can_edit:
            self.columns.hide("edit")

    def render_code(self, value):
        return format_html("<code>{}</code>", value)

    def render_indicator(self, record):
        if not record.indicator_id:
            return "—"
        if record.other_id:
            return f"{record.indicator.name} / {record.other.name}"
        return record.indicator.name

    def render_params(self, record):
        return params_text(record) or "—"

    def render_severity(self, record):
        colour = "danger" if record.severity == Rule.Severity.ERROR else "warning"
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', colour, record.get_severity_display()
        )

    def render_zone(self, record):
        if record.zone_id is None:
            return _("标准")
        return format_html('<span class="badge text-bg-info">{}</span>', _("本园区已调整"))

    def render_edit(self, record):
        return format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a>',
            reverse("statistics:rule_edit", args=[record.code]),
            _("调整"),
        )

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "rule-table"}
        empty_text = gettext_lazy("没有规则")


def export_indicators(indicators, target) -> int:
    columns = [
        Column("code", _("指标代码"), width=24),
        Column("name", _("指标名称"), width=30),
        Column("unit", _("单位"), width=10),
        Column("frequency", _("频率"), width=8),
        Column("cumulative", _("本年累计值"), width=10),
        Column("source", _("来源"), width=10),
        Column("aggregation", _("汇总方式"), width=16),
        Column("definition", _("指标解释"), width=60),
        Column("department", _("责任部门"), width=14),
        Column("scope", _("范围"), width=10),
    ]
    rows = (
        {
            "code": i.code,
            "name": i.name,
            "unit": i.unit,
            "frequency": i.get_frequency_display(),
            "cumulative": _("是") if i.cumulative else _("否"),
            "source": i.get_source_display(),
            "aggregation": i.get_aggregation_display(),
            "definition": i.definition,
            "department": i.department,
            "scope": _("标准") if i.zone_id is None else _("本园区"),
        }
        for i in indicators
    )
    return write_rows(target, columns, rows, title=_("统计指标目录"))


def export_rules(rules, target) -> int:
    columns = [
        Column("code", _("规则代码"), width=26),
        Column("name", _("规则名称"), width=36),
        Column("kind", _("类型"), width=16),
        Column("indicator", _("指标"), width=16),
        Column("other", _("对照指标"), width=16),
        Column("params", _("参数"), width=30),
        Column("severity", _("级别"), width=8),
        Column("is_active", _("启用"), width=8),
        Column("scope", _("范围"), width=12),
    ]
    rows = (
        {
            "code": r.code,
            "name": r.name,
            "kind": r.get_kind_display(),
            "indicator": r.indicator.name if r.indicator_id else "",
            "other": r.other.name if r.other_id else "",
            "params": params_text(r),
            "severity": r.get_severity_display(),
            "is_active": _("是") if r.is_active else _("否"),
            "scope": _("标准") if r.zone_id is None else _("本园区已调整"),
        }
        for r in rules
    )
    return write_rows(target, columns, rows, title=_("审核规则"))
