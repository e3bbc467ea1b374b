"""The project ledger as a table on the page and as an .xlsx export of the same filtered rows."""

import django_tables2 as tables
from django.db.models import BooleanField, Case, Value, When
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.money import format_wan
from gaoxin.core.spreadsheets.spec import Column
from gaoxin.core.spreadsheets.writing import write_rows

from .. import delivery
from ..models import Project, Stage

# Bootstrap colours of the stage badges.
STAGE_COLOURS = {
    Stage.LEAD: "secondary",
    Stage.VISIT: "info",
    Stage.NEGOTIATION: "primary",
    Stage.SIGNED: "success",
    Stage.STARTED: "success",
    Stage.PRODUCTION: "dark",
    Stage.ON_HOLD: "warning",
    Stage.DROPPED: "light",
}


def with_overdue_flag(projects, today):
    """Annotate `is_overdue` (behind on a commitment, see `delivery.overdue_q`) in the same
    query as the rows themselves."""
    return projects.annotate(funds_due_paid=delivery.funds_by_deadline()).annotate(
        is_overdue=Case(
            When(delivery.overdue_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def stage_badge(project) -> str:
    colour = STAGE_COLOURS.get(project.stage, "secondary")
    text = "text-bg-light border" if colour == "light" else f"text-bg-{colour}"
    return format_html(
        '<span class="badge {}">{}</span> <small class="text-muted">{}</small>',
        text,
        project.get_stage_display(),
        project.stage_on.isoformat() if project.stage_on else "",
    )


class PublicProjectTable(tables.Table):
    """What an enterprise user sees of their own projects: the public status only."""

    name = tables.LinkColumn(
        "investment:project_detail", args=[tables.A("pk")], verbose_name=gettext_lazy("项目名称")
    )
    category = tables.Column(verbose_name=gettext_lazy("项目类别"))
    stage = tables.Column(
        verbose_name=gettext_lazy("当前阶段"), order_by=("stage", "stage_on"), empty_values=()
    )

    def render_stage(self, record):
        return stage_badge(record)

    class Meta:
        model = Project
        fields = ("name", "category", "stage")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "project-table"}
        empty_text = gettext_lazy("没有符合条件的项目")


class ProjectTable(PublicProjectTable):
    investor_name = tables.Column(verbose_name=gettext_lazy("投资方"))
    planned_investment = tables.Column(
        verbose_name=gettext_lazy("计划总投资"), attrs={"td": {"class": "text-end"}}
    )
    department = tables.Column(
        verbose_name=gettext_lazy("责任部门"), order_by=("department__name",)
    )
    officer = tables.Column(verbose_name=gettext_lazy("责任人"), order_by=("officer__username",))
    signed_on = tables.DateColumn(format="Y-m-d", verbose_name=gettext_lazy("签约日期"))
    started_on = tables.DateColumn(format="Y-m-d", verbose_name=gettext_lazy("开工日期"))
    production_on = tables.DateColumn(format="Y-m-d", verbose_name=gettext_lazy("投产日期"))
    is_overdue = tables.Column(
        verbose_name=gettext_lazy("承诺逾期"), orderable=False, empty_values=()
    )

    def render_planned_investment(self, value):
        return format_wan(value)

    def render_officer(self, value):
        return value.display_name

    def render_is_overdue(self, record):
        if getattr(record, "is_overdue", False):
            return format_html('<span class="badge text-bg-danger">{}</span>', _("逾期"))
        return ""

    class Meta(PublicProjectTable.Meta):
        fields = (
            "name",
            "investor_name",
            "category",
            "stage",
            "planned_investment",
            "department",
            "officer",
            "signed_on",
            "started_on",
            "production_on",
            "is_overdue",
        )


# --- export -----------------------------------------------------------------------------------


def _number(value):
    return float(value) if value is not None else None


def export_columns(details: bool) -> list[Column]:
    """The export's columns; an enterprise user's export holds only the public status."""
    public = [
        Column("name", _("项目名称"), width=30),
        Column("category", _("项目类别"), width=10),
        Column("stage", _("当前阶段"), width=10),
        Column("stage_on", _("进入当前阶段日期"), date=True, width=14),
    ]
    if not details:
        return public
    return public + [
        Column("investor_name", _("投资方"), width=30),
        Column("investor_enterprise", _("落地企业"), width=30),
        Column("origin", _("投资方来源"), width=14),
        Column("industry", _("国民经济行业"), width=24),
        Column("chain", _("产业链"), width=12),
        Column("channel", _("招商渠道"), width=12),
        Column("planned_investment", _("计划总投资(万元)"), formatter=_number, width=16),
        Column("fixed_asset_investment", _("其中固定资产投资(万元)"), formatter=_number, width=18),
        Column("foreign_investment_usd", _("外资(万美元)"), formatter=_number, width=14),
        Column("land_mu", _("用地(亩)"), formatter=_number, width=10),
        Column("building_area", _("建筑面积(平方米)"), formatter=_number, width=14),
        Column("expected_output", _("预计年产值(万元)"), formatter=_number, width=14),
        Column("expected_tax", _("预计年税收(万元)"), formatter=_number, width=14),
        Column("expected_jobs", _("预计用工(人)"), width=10),
        Column("department", _("责任部门"), width=14),
        Column("officer", _("责任人"), width=10),
        Column("site", _("项目选址"), width=20),
        Column("lead_on", _("线索日期"), date=True, width=12),
        Column("visit_on", _("考察日期"), date=True, width=12),
        Column("negotiation_on", _("洽谈日期"), date=True, width=12),
        Column("signed_on", _("签约日期"), date=True, width=12),
        Column("started_on", _("开工日期"), date=True, width=12),
        Column("production_on", _("投产日期"), date=True, width=12),
        Column("is_overdue", _("承诺逾期"), width=10),
    ]


def _row(p: Project, details: bool) -> dict:
    row = {
        "name": p.name,
        "category": p.get_category_display(),
        "stage": p.get_stage_display(),
        "stage_on": p.stage_on,
    }
    if not details:
        return row
    row.update(
        {
            "investor_name": p.investor_name,
            "investor_enterprise": p.investor_enterprise.name if p.investor_enterprise else "",
            "origin": p.origin_province.name if p.origin_province else p.origin_country,
            "industry": f"{p.industry.code} {p.industry.name}" if p.industry else "",
            "chain": p.chain.name if p.chain else "",
            "channel": p.channel.name if p.channel else "",
            "department": p.department.name if p.department else "",
            "officer": p.officer.display_name if p.officer else "",
            "is_overdue": _("是") if getattr(p, "is_overdue", False) else "",
        }
    )
    for name in (
        "planned_investment",
        "fixed_asset_investment",
        "foreign_investment_usd",
        "land_mu",
        "building_area",
        "expected_output",
        "expected_tax",
        "expected_jobs",
        "site",
        "lead_on",
        "visit_on",
        "negotiation_on",
        "signed_on",
        "started_on",
        "production_on",
    ):
        row[name] = getattr(p, name)
    return row


def export_projects(queryset, target, *, details: bool) -> int:
    """Write the (restricted, filtered) projects to an .xlsx; returns how many were written."""
    if details:
        queryset = queryset.select_related(
            "investor_enterprise",
            "origin_province",
            "industry",
            "chain",
            "channel",
            "department",
            "officer",
        )
    rows = (_row(p, details) for p in queryset.iterator(chunk_size=2000))
    return write_rows(target, export_columns(details), rows, title=_("招商项目台账"))
