"""The .xlsx exports of the campaigns list and the department targets page: what each page shows
(the targets of the year picked), read like the page (404 for enterprise users and users without
a zone), written by the shared `list_export` (Chinese headers, dates as dates, amounts as numbers
in 万元, a Chinese file name, audited)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.urls import path
from django.utils.translation import gettext as _

from gaoxin.core import clock
from gaoxin.core.models import Department
from gaoxin.core.spreadsheets import Column
from gaoxin.core.spreadsheets.exports import list_export

from .. import services, summary
from ..models import DepartmentTarget
from .campaigns import _target_year
from .cockpit import readable_projects, visible_campaigns


def campaign_columns() -> list[Column]:
    return [
        Column("name", _("活动名称"), width=24),
        Column("start", _("开始日期"), date=True, width=12),
        Column("end", _("结束日期"), date=True, width=12),
        Column("signed", _("签约项目数"), width=10),
        Column("target_projects", _("目标签约项目数"), width=12),
        Column("investment", _("签约投资额(万元)"), width=16),
        Column("target_investment", _("目标签约投资额(万元)"), width=18),
        Column("large", _("亿元以上项目数"), width=12),
        Column("target_large", _("目标亿元以上项目数"), width=14),
        Column("time", _("时间进度(%)"), width=10),
        Column("note", _("说明"), width=30),
    ]


@login_required
def campaign_export(request):
    projects = readable_projects(request)
    campaigns = list(visible_campaigns(request).order_by("-start", "-pk"))
    progress = summary.campaigns_progress(
        projects, campaigns, services.thresholds_for(request.zone), clock.today()
    )
    rows = (
        {
            "name": row["campaign"].name,
            "start": row["campaign"].start,
            "end": row["campaign"].end,
            "signed": row["signed"],
            "target_projects": row["campaign"].target_projects,
            "investment": row["investment_wan"],
            "target_investment": row["campaign"].target_investment,
            "large": row["large"],
            "target_large": row["campaign"].target_large,
            "time": row["progress"]["time"],
            "note": row["campaign"].note,
        }
        for row in progress
    )
    return list_export(request, request.zone, campaign_columns(), rows, title=_("招商活动清单"))


def target_columns() -> list[Column]:
    return [
        Column("year", _("年度"), width=8),
        Column("department", _("部门"), width=20),
        Column("signed", _("签约项目数"), width=10),
        Column("target_projects", _("目标签约项目数"), width=12),
        Column("investment", _("签约计划总投资(万元)"), width=18),
        Column("target_investment", _("目标签约投资额(万元)"), width=18),
        Column("large", _("亿元以上项目数"), width=12),
        Column("target_large", _("目标亿元以上项目数"), width=14),
        Column("started", _("开工项目数"), width=10),
        Column("production", _("投产项目数"), width=10),
    ]


@login_required
def target_export(request):
    projects = readable_projects(request)
    year, error = _target_year(request, clock.today())
    if year is None:
        return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
    zone = request.zone
    departments = Department.objects.filter(zone=zone).order_by("name")
    targets = DepartmentTarget.objects.restrict(request.user, "view").filter(zone=zone, year=year)
    figures = summary.department_targets(
        projects,
        year,
        services.thresholds_for(zone),
        [(d.pk, d.name) for d in departments],
        targets,
    )
    rows = (
        {
            "year": year,
            "department": row["department"],
            "signed": row["signed"],
            "target_projects": row["target"] and row["target"].target_projects,
            "investment": row["investment_wan"],
            "target_investment": row["target"] and row["target"].target_investment,
            "large": row["large"],
            "target_large": row["target"] and row["target"].target_large,
            "started": row["started"],
            "production": row["production"],
        }
        for row in figures
    )
    title = _("部门年度招商目标%(y)s") % {"y": year}
    return list_export(request, zone, target_columns(), rows, title=title)


urlpatterns = [
    path("campaigns/export/", campaign_export, name="campaign_export"),
    path("targets/export/", target_export, name="target_export"),
]
