"""Campaigns (招商活动) with their progress against targets, departments' annual targets and the
zone's size thresholds. Everyone but enterprise users reads campaigns and targets; only admins
(platform admin, the zone's admin) create, edit and delete them and set thresholds — others get
404 on those forms, as on anything they may not see."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core import clock
from gaoxin.core.models import Department
from gaoxin.core.pages import PageCall

from .. import plans, services, summary
from ..forms.campaigns import CampaignForm, TargetForm, ThresholdsForm
from ..models import Campaign, DepartmentTarget, Stage, Thresholds
from .cockpit import Links, headline_cards, is_admin, readable_projects, visible_campaigns

ZERO = Decimal("0")


def _admin_only(request):
    readable_projects(request)  # 404 for enterprise users and users without a zone
    if not is_admin(request):
        raise Http404(_("未找到该页面"))


def _get_campaign(request, pk) -> Campaign:
    campaign = visible_campaigns(request).filter(pk=pk).first()
    if campaign is None:
        raise Http404(_("未找到该招商活动"))
    return campaign


# --- campaigns --------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    projects = readable_projects(request)
    campaigns = list(visible_campaigns(request).order_by("-start", "-pk"))
    rows = summary.campaigns_progress(
        projects, campaigns, services.thresholds_for(request.zone), clock.today()
    )
    for row in rows:
        row["url"] = Links(row["period"])("signed")
    return render(
        request,
        "investment/campaign_list.html",
        {"rows": rows, "is_admin": is_admin(request)},
    )


@login_required
def campaign_detail(request, pk):
    projects = readable_projects(request)
    campaign = _get_campaign(request, pk)
    thresholds = services.thresholds_for(request.zone)
    progress = summary.campaign_progress(projects, campaign, thresholds, clock.today())
    links = Links(progress["period"])
    daily = progress["daily"]
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 50, "right": 70, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": [d["date"].isoformat() for d in daily]},
        "yAxis": [
            {"type": "value", "name": _("累计签约项目"), "minInterval": 1},
            {"type": "value", "name": _("万元")},
        ],
        "series": [
            {
                "type": "line",
                "step": "end",
                "showSymbol": False,
                "name": _("累计签约项目"),
                "data": [],
            },
            {
                "type": "line",
                "showSymbol": False,
                "name": _("累计签约投资(万元)"),
                "yAxisIndex": 1,
                "data": [],
            },
        ],
    }
    chart["series"][0]["data"] = [d["signed"] for d in daily]
    chart["series"][1]["data"] = [float(d["investment_wan"]) for d in daily]
    if campaign.target_projects:
        chart["series"][0]["markLine"] = {
            "symbol": "none",
            "data": [{"yAxis": campaign.target_projects, "name": _("目标")}],
        }
    figures = progress["figures"]
    bars = [
        {
            "key": "projects",
            "label": _("签约项目数"),
            "done": figures["signed"]["count"],
            "target": campaign.target_projects,
            "share": progress["progress"]["projects"],
            "url": links("signed"),
            "money": False,
        },
        {
            "key": "investment",
            "label": _("签约计划总投资"),
            "done": figures["signed"]["investment_wan"],
            "target": campaign.target_investment,
            "share": progress["progress"]["investment"],
            "url": links("signed"),
            "money": True,
            "count": figures["signed"]["count"],
        },
        {
            "key": "large",
            "label": _("亿元以上签约项目"),
            "done": figures["over_100m"],
            "target": campaign.target_large,
            "share": progress["progress"]["large"],
            "url": links("signed", size="large"),
            "money": False,
        },
    ]
    return render(
        request,
        "investment/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": progress,
            "cards": headline_cards(figures, links, thresholds),
            "bars": bars,
            "daily": list(reversed(daily)),
            "chart": chart,
            "is_admin": is_admin(request),
        },
    )


def _campaign_form_page(request, form, campaign=None, status=200):
    return render(
        request,
        "investment/campaign_form.html",
        {"form": form, "campaign": campaign, "is_admin": True},
        status=status,
    )


@login_required
def campaign_create(request):
    _admin_only(request)
    form = CampaignForm(request.POST or None)
    if request.method != "POST":
        return _campaign_form_page(request, form)
    status = 422
    if form.is_valid():
        call = PageCall(form)
        with call:
            campaign = plans.create_campaign(request.user, request.zone, **form.changes())
        if call.ok:
            messages.success(request, _("已设立招商活动「%(n)s」") % {"n": campaign.name})
            return redirect("investment:campaign_detail", pk=campaign.pk)
        status = call.status
    return _campaign_form_page(request, form, status=status)


@login_required
def campaign_edit(request, pk):
    _admin_only(request)
    campaign = _get_campaign(request, pk)
    initial = {f: getattr(campaign, f) for f in plans.CAMPAIGN_FIELDS}
    if initial["target_investment"] is not None:
        initial["target_investment"] = format(initial["target_investment"].normalize(), "f")
    initial["version"] = campaign.version
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method != "POST":
        return _campaign_form_page(request, form, campaign)
    status = 422
    if form.is_valid():
        call = PageCall(form)
        with call:
            plans.update_campaign(
                request.user, campaign.pk, form.changes(), version=form.cleaned_data["version"]
            )
        if call.ok:
            messages.success(request, _("已保存"))
            return redirect("investment:campaign_detail", pk=campaign.pk)
        status = call.status
    return _campaign_form_page(request, form, campaign, status=status)


@login_required
@require_POST
def campaign_delete(request, pk):
    _admin_only(request)
    campaign = _get_campaign(request, pk)
    if request.POST.get("confirm") != campaign.name:
        messages.error(
            request,
            _("未删除:请输入活动名称「%(n)s」以确认删除") % {"n": campaign.name},
        )
        return redirect("investment:campaign_detail", pk=pk)
    call = PageCall()
    with call:
        plans.delete_campaign(request.user, campaign.pk)
    if not call.ok:
        messages.error(request, _("未删除:") + "".join(call.messages()))
        return redirect("investment:campaign_detail", pk=pk)
    messages.success(request, _("已删除招商活动「%(n)s」") % {"n": campaign.name})
    return redirect("investment:campaigns")


# --- department targets -----------------------------------------------------------------------


def _target_year(request, today) -> tuple[int | None, str]:
    text = (request.GET.get("year") or "").strip()
    if not text:
        return today.year, ""
    if not text.isdigit() or not 2000 <= int(text) <= today.year + 1:
        return None, _("年度应为 2000 至 %(y)s 之间的四位数字(收到「%(v)s」)") % {
            "y": today.year + 1,
            "v": text[:20],
        }
    return int(text), ""


def _target_rows(request, projects, year, forms=None):
    zone = request.zone
    departments = {d.pk: d for d in Department.objects.filter(zone=zone).order_by("name")}
    targets = DepartmentTarget.objects.restrict(request.user, "view").filter(zone=zone, year=year)
    rows = summary.department_targets(
        projects,
        year,
        services.thresholds_for(zone),
        [(pk, d.name) for pk, d in departments.items()],
        targets,
    )
    links = Links(summary.Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year)))
    for row in rows:
        department, target = departments[row["department_id"]], row["target"]
        form = (forms or {}).get(department.pk)
        if form is None:
            form = TargetForm(
                initial={
                    "department": department.pk,
                    "year": year,
                    "target_projects": target.target_projects if target else None,
                    "target_investment": (
                        format(target.target_investment.normalize(), "f")
                        if target and target.target_investment is not None
                        else None
                    ),
                    "target_large": target.target_large if target else None,
                },
                prefix=f"d{department.pk}",
                form_id=f"target-{department.pk}",
            )
        row.update(
            department=department,
            share_projects=row["progress"]["projects"],
            share_investment=row["progress"]["investment"],
            share_large=row["progress"]["large"],
            urls={
                "signed": links(Stage.SIGNED, department=department.pk),
                "large": links(Stage.SIGNED, department=department.pk, size="large"),
            },
            form=form,
        )
    return rows


@login_required
def targets(request):
    projects = readable_projects(request)
    today = clock.today()
    admin = is_admin(request)
    failed, status, error = None, 200, ""
    if request.method == "POST":
        if not admin:
            raise Http404(_("未找到该页面"))
        failed = _save_target(request)
        if not isinstance(failed, TargetForm):
            return failed  # saved: back to the year's table
        year = failed.cleaned_data.get("year") or today.year
        if not 2000 <= year <= today.year + 1:
            year = today.year
        status = 422
    else:
        year, error = _target_year(request, today)
        if year is None:
            status = 400
    context = {
        "year": year,
        "error": error,
        "failed": failed,
        "years": list(range(today.year + 1, 2014, -1)),
        "is_admin": admin,
    }
    if year is not None:
        forms = {}
        if failed is not None and failed.cleaned_data.get("department"):
            forms[failed.cleaned_data["department"]] = failed
        context["rows"] = _target_rows(request, projects, year, forms)
    return render(request, "investment/targets.html", context, status=status)


def _save_target(request):
    """Save one row of the table; a redirect on success, else the row's form with its errors.

    A row posts its department and year unprefixed and its targets as d<department>-<field>."""
    department = request.POST.get("department", "").strip()
    prefix = f"d{department}" if department.isdigit() else "d0"
    data = request.POST.copy()
    data[f"{prefix}-department"] = department
    data[f"{prefix}-year"] = request.POST.get("year", "")
    form = TargetForm(data, prefix=prefix, form_id=f"target-{department}")
    if not form.is_valid():
        return form
    cleaned = form.cleaned_data
    call = PageCall(form)
    with call:
        plans.set_department_target(
            request.user,
            request.zone,
            cleaned["department"],
            cleaned["year"],
            target_projects=cleaned["target_projects"],
            target_investment=cleaned["target_investment"],
            target_large=cleaned["target_large"],
        )
    if not call.ok:
        return form
    messages.success(request, _("已保存 %(y)s 年部门目标") % {"y": cleaned["year"]})
    return redirect(f"{reverse('investment:targets')}?year={cleaned['year']}")


# --- thresholds -------------------------------------------------------------------------------


@login_required
def thresholds(request):
    _admin_only(request)
    zone = request.zone
    current = services.thresholds_for(zone)
    saved = current.pk is not None
    initial = {
        "large": format(current.large.normalize(), "f"),
        "class_5020": format(current.class_5020.normalize(), "f"),
        "version": current.version,
    }
    form = ThresholdsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            call = PageCall(form)
            with call:
                plans.save_thresholds(
                    request.user,
                    zone,
                    large=form.cleaned_data["large"],
                    class_5020=form.cleaned_data["class_5020"],
                    version=form.cleaned_data["version"],
                )
            if call.ok:
                messages.success(request, _("已保存项目规模门槛"))
                return redirect("investment:thresholds")
            status = call.status
    return render(
        request,
        "investment/thresholds.html",
        {
            "form": form,
            "current": current,
            "saved": saved,
            "default_5020": services.DEFAULT_5020,
            "zone_level": zone.get_level_display(),
            "is_admin": True,
            "model": Thresholds,
        },
        status=status,
    )


urlpatterns = [
    path("campaigns/", campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/delete/", campaign_delete, name="campaign_delete"),
    path("targets/", targets, name="targets"),
    path("thresholds/", thresholds, name="thresholds"),
]
