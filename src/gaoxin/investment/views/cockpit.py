"""The investment cockpit (招商驾驶舱): for any period of the zone the user works in, what was
signed, started and put into production, the size classes, the funnel, speed, departments side
by side and the monthly trend, as charts and tables. Every number links to the project list
with the filter that counted it (summary.list_query); `?export=xlsx` writes the same to Excel.

Readers: every role but enterprise users (who see only their own project's public status)."""

import calendar
import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from gaoxin.core import clock, units
from gaoxin.core.models.access import can_add
from gaoxin.core.spreadsheets import XLSX

from .. import export, services, summary
from ..forms.campaigns import PeriodForm
from ..models import Campaign, Category, DepartmentTarget


def readable_projects(request):
    """The zone's projects the user may see; 404 for enterprise users and users without a zone."""
    if not request.zone or not services.sees_pipeline(request.user):
        raise Http404(_("未找到该页面"))
    return services.pipeline(request.user).filter(zone=request.zone)


def is_admin(request) -> bool:
    """Whether the user manages the zone's campaigns, targets and thresholds."""
    return can_add(request.user, Campaign, request.zone)


def visible_campaigns(request):
    return Campaign.objects.restrict(request.user, "view").filter(zone=request.zone)


class Links:
    """URLs of the project list behind each figure of one period (and category)."""

    def __init__(self, period, category=None):
        self.base = reverse("investment:projects")
        self.period, self.category = period, category or None

    def __call__(self, stage=None, *, period=None, **extra):
        query = summary.list_query(period or self.period, stage, category=self.category, **extra)
        return f"{self.base}?{query}"


def headline_cards(figures, links, thresholds) -> list[dict]:
    """The headline figures with their labels and click-through links."""
    cards = []
    for key, label in (
        ("signed", _("签约项目")),
        ("started", _("开工项目")),
        ("production", _("投产项目")),
    ):
        cards.append(
            {
                "key": key,
                "label": label,
                "count": figures[key]["count"],
                "investment_wan": figures[key]["investment_wan"],
                "url": links(key),
            }
        )
    cards.append(
        {
            "key": "over_100m",
            "label": _("亿元以上签约项目"),
            "count": figures["over_100m"],
            "threshold_wan": thresholds.large,
            "url": links("signed", size="large"),
        }
    )
    cards.append(
        {
            "key": "class_5020",
            "label": _("5020 签约项目"),
            "count": figures["class_5020"],
            "threshold_wan": thresholds.class_5020,
            "url": links("signed", size="5020"),
        }
    )
    return cards


def _with_targets(rows, targets) -> list[dict]:
    """Departments with a target but no project yet still appear, with zeros."""
    present = {r["department_id"] for r in rows}
    for t in targets:
        if t.department_id not in present:
            rows.append(
                {
                    "department_id": t.department_id,
                    "department": t.department.name,
                    "signed": 0,
                    "signed_investment_wan": summary.ZERO,
                    "large": 0,
                    "started": 0,
                    "production": 0,
                    "target_projects": t.target_projects,
                    "target_investment_wan": t.target_investment,
                    "target_large": t.target_large,
                }
            )
    return rows


def _month_period(month: str, period):
    """The part of `period` in one month ("2020-01"), for the monthly rows' links."""
    year, number = int(month[:4]), int(month[5:])
    first = datetime.date(year, number, 1)
    last = datetime.date(year, number, calendar.monthrange(year, number)[1])
    return summary.Period(max(first, period.start), min(last, period.end), month)


def cockpit_data(request, projects, period, category) -> dict:
    """Every figure of the cockpit for `period`: a fixed number of queries, whatever the size."""
    zone = request.zone
    if category:
        projects = projects.filter(category=category)
    thresholds = services.thresholds_for(zone)
    links = Links(period, category)
    figures = summary.headline(projects, period, thresholds)
    for row in figures["funnel"]:
        row["url"] = links(row["stage"])
    one_year = period.start.year == period.end.year
    targets = []
    if one_year:
        targets = list(
            DepartmentTarget.objects.restrict(request.user, "view")
            .filter(zone=zone, year=period.start.year)
            .select_related("department")
        )
    departments = _with_targets(summary.departments(projects, period, thresholds, targets), targets)
    for row in departments:
        dept = row["department_id"] or "null"
        row["urls"] = {
            "signed": links("signed", department=dept),
            "large": links("signed", department=dept, size="large"),
            "started": links("started", department=dept),
            "production": links("production", department=dept),
        }
    monthly = summary.monthly(projects, period)
    for row in monthly:
        month = _month_period(row["month"], period)
        row["urls"] = {key: links(key, period=month) for key in ("signed", "started", "production")}
    return {
        "zone": zone,
        "period": period,
        "category": category,
        "category_label": str(Category(category).label) if category else _("全部类别"),
        "thresholds": thresholds,
        "figures": figures,
        "cards": headline_cards(figures, links, thresholds),
        "funnel": figures["funnel"],
        "speed": summary.speed(projects, period),
        "speed_by_year": summary.speed_by_year(projects),
        "departments": departments,
        "one_year": one_year,
        "monthly": monthly,
    }


def charts(data) -> dict:
    """ECharts options for the cockpit (drawn by core/gaoxin.js from json_script tags)."""
    funnel = data["funnel"]
    monthly = data["monthly"]
    departments = data["departments"]
    by_year = data["speed_by_year"]
    invested = [r["signed_investment_wan"] for r in monthly]
    # Chinese: 万元 as stored; English: the step the largest month reaches ("million yuan").
    divisor, money_unit = units.chart_unit(invested, "万元")
    out = {
        # Bars, not a funnel shape: the counts are of stages reached within the period, which
        # need not shrink from one stage to the next.
        "funnel": {
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 60, "right": 40, "top": 10, "bottom": 20},
            "xAxis": {"type": "value", "minInterval": 1},
            "yAxis": {
                "type": "category",
                "inverse": True,
                "data": [r["label"] for r in funnel],
            },
            "series": [
                {
                    "type": "bar",
                    "label": {"show": True, "position": "right"},
                    "data": [r["count"] for r in funnel],
                }
            ],
        },
        "monthly": {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"left": 50, "right": 60, "top": 40, "bottom": 30},
            "xAxis": {"type": "category", "data": [r["month"] for r in monthly]},
            "yAxis": [
                {"type": "value", "name": _("项目数"), "minInterval": 1},
                {"type": "value", "name": money_unit or _("万元")},
            ],
            "series": [
                {"type": "bar", "name": _("签约"), "data": [r["signed"] for r in monthly]},
                {"type": "bar", "name": _("开工"), "data": [r["started"] for r in monthly]},
                {"type": "bar", "name": _("投产"), "data": [r["production"] for r in monthly]},
                {
                    "type": "line",
                    "name": f"{_('签约计划总投资')} ({money_unit})"
                    if money_unit
                    else _("签约计划总投资(万元)"),
                    "yAxisIndex": 1,
                    "data": units.chart_values(invested, divisor),
                },
            ],
        },
        "departments": {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"left": 50, "right": 20, "top": 40, "bottom": 60},
            "xAxis": {
                "type": "category",
                "axisLabel": {"interval": 0, "rotate": 20},
                "data": [r["department"] for r in departments],
            },
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [
                {"type": "bar", "name": _("签约项目"), "data": [r["signed"] for r in departments]},
                {
                    "type": "bar",
                    "name": _("年度目标"),
                    "data": [r["target_projects"] for r in departments],
                },
                {"type": "bar", "name": _("开工"), "data": [r["started"] for r in departments]},
                {"type": "bar", "name": _("投产"), "data": [r["production"] for r in departments]},
            ],
        },
        "speed": {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"left": 50, "right": 20, "top": 40, "bottom": 30},
            "xAxis": {"type": "category", "data": [str(r["year"]) for r in by_year]},
            "yAxis": {"type": "value", "name": _("天")},
            "series": [
                {
                    "type": "line",
                    "name": _("考察→签约"),
                    "connectNulls": True,
                    "data": [r["visit_to_signed"]["median"] for r in by_year],
                },
                {
                    "type": "line",
                    "name": _("签约→开工"),
                    "connectNulls": True,
                    "data": [r["signed_to_started"]["median"] for r in by_year],
                },
            ],
        },
    }
    return out


def period_shortcuts(today) -> list[tuple[str, str]]:
    """Suggestions for the period box: recent years, quarters and months."""
    year = today.year
    out = [(str(y), _("%(y)s 年") % {"y": y}) for y in range(year, year - 4, -1)]
    for y in (year, year - 1):
        out += [(f"{y}Q{q}", _("%(y)s 年第 %(q)s 季度") % {"y": y, "q": q}) for q in range(1, 5)]
    out += [(f"{year}-{m:02d}", _("%(y)s 年 %(m)s 月") % {"y": year, "m": m}) for m in range(1, 13)]
    return out


@login_required
def cockpit(request):
    projects = readable_projects(request)
    today = clock.today()
    form = PeriodForm(request.GET, campaigns=visible_campaigns(request), today=today)
    context = {
        "form": form,
        "shortcuts": period_shortcuts(today),
        "is_admin": is_admin(request),
    }
    if not form.is_valid():
        return render(request, "investment/cockpit.html", context, status=400)
    period = form.cleaned_data["the_period"]
    data = cockpit_data(request, projects, period, form.cleaned_data["category"])
    if request.GET.get("export") == "xlsx":
        return _export(request, data)
    query = request.GET.copy()
    query["export"] = "xlsx"
    context.update(data, charts=charts(data), export_query=query.urlencode())
    return render(request, "investment/cockpit.html", context)


def _export(request, data) -> HttpResponse:
    period = data["period"]
    response = HttpResponse(content_type=XLSX)
    filename = f"investment-cockpit-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename={filename}"
    export.export_audited(
        request.user,
        request.zone,
        data,
        response,
        describe=_("导出招商驾驶舱:%(p)s(%(s)s 至 %(e)s),%(c)s")
        % {"p": period.label, "s": period.start, "e": period.end, "c": data["category_label"]},
    )
    return response


urlpatterns = [path("", cockpit, name="cockpit")]
