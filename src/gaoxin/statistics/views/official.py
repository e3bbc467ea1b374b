"""Official figures (官方数据): the zone's figures published by an authority, by period and
indicator, with value, growth and a source badge (官方·统计局 …), kept apart from the figures the
platform computes; add and edit (`services.save_official`), export, and the import link.

Officers, leaders and the province read them (the zone-figures policy); admins and staff enter
them; enterprise users get 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import ADD, CHANGE, VIEW, can_in_zone
from gaoxin.core.pages import PageCall, zone_for
from gaoxin.core.periods import Period
from gaoxin.core.spreadsheets import XLSX
from gaoxin.core.tables import paginate_table

from .. import services
from ..catalogue import indicators_for
from ..filters.official import OfficialFilter
from ..forms.official import OfficialForm
from ..models import OfficialFigure
from ..tables.official import OfficialTable, export_official, source_label


@login_required
def official_list(request):
    zone = zone_for(request, OfficialFigure)
    user = request.user
    queryset = (
        OfficialFigure.objects.restrict(user, VIEW)
        .filter(zone=zone)
        .select_related("indicator")
        .order_by("-period", "indicator__position", "indicator__code")
    )
    flt = OfficialFilter(
        request.GET or None, queryset=queryset, indicators=indicators_for(zone, active_only=False)
    )
    rows = flt.qs
    if request.GET.get("export") == "xlsx":
        return _export(request, rows)
    can_edit = can_in_zone(user, OfficialFigure, zone, CHANGE)
    table = OfficialTable(rows, can_edit=can_edit)
    paginate_table(request, table)
    query = request.GET.copy()
    query["export"] = "xlsx"
    return render(
        request,
        "statistics/official_list.html",
        {
            "filter": flt,
            "table": table,
            "can_add": can_in_zone(user, OfficialFigure, zone, ADD),
            "export_query": query.urlencode(),
        },
    )


def _export(request, rows):
    response = HttpResponse(content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f"attachment; filename=official-{stamp}.xlsx"
    count = export_official(rows, response)
    audit.record(
        request.user,
        AuditRecord.Action.EXPORT,
        zone=request.zone,
        repr_=_("官方数据导出"),
        message=_("导出 %(n)s 条官方数据;条件:%(q)s") % {"n": count, "q": request.GET.urlencode()},
    )
    return response


def _form_page(request, form, figure=None, status=200):
    return render(
        request,
        "statistics/official_form.html",
        {"form": form, "figure": figure, "label": source_label(figure.source) if figure else ""},
        status=status,
    )


def _save(request, zone, form, figure=None):
    """Save a valid form through the service; None when saved, else the answer's status."""
    data = form.cleaned_data
    indicator = figure.indicator if figure else data["indicator"]
    period = figure.period if figure else data["period"]
    call = PageCall(form)
    with call:
        if (
            figure is None
            and OfficialFigure.objects.filter(
                zone=zone, indicator=indicator, period=period
            ).exists()
        ):
            raise ValidationError({"period": _("本期该指标的官方数据已存在,请在列表中修改原记录")})
        services.save_official(
            request.user,
            zone,
            indicator=indicator,
            period=period,
            value=data["value"],
            yoy_pct=data["yoy_pct"],
            source=data["source"],
            source_note=data["source_note"],
            version=data["version"] if figure else None,
        )
    return call.status


@login_required
def official_create(request):
    zone = zone_for(request, OfficialFigure, ADD)
    indicators = indicators_for(zone)
    form = OfficialForm(request.POST or None, indicators=indicators, initial=_initial(request))
    if request.method != "POST":
        return _form_page(request, form)
    status = 422
    if form.is_valid():
        status = _save(request, zone, form)
        if status is None:
            messages.success(request, _("已录入官方数据"))
            return redirect("statistics:official")
    return _form_page(request, form, status=status)


def _initial(request) -> dict:
    initial = {"source": "statistics"}
    for key in ("indicator", "period"):
        if request.GET.get(key):
            initial[key] = request.GET[key][:40]
    return initial


@login_required
def official_edit(request, pk):
    zone = zone_for(request, OfficialFigure, CHANGE)
    figure = (
        OfficialFigure.objects.restrict(request.user, CHANGE)
        .filter(zone=zone, pk=pk)
        .select_related("indicator")
        .first()
    )
    if figure is None:
        raise Http404(_("未找到该官方数据"))
    initial = {
        "indicator": figure.indicator.code,
        "period": str(Period.of(figure.period)),
        "value": _plain(figure.value),
        "yoy_pct": _plain(figure.yoy_pct),
        "source": figure.source,
        "source_note": figure.source_note,
        "version": figure.version,
    }
    indicators = indicators_for(zone, active_only=False)
    form = OfficialForm(
        request.POST or None, indicators=indicators, initial=initial, editing=figure
    )
    if request.method != "POST":
        return _form_page(request, form, figure)
    status = 422
    if form.is_valid():
        status = _save(request, zone, form, figure)
        if status is None:
            messages.success(request, _("已保存"))
            return redirect("statistics:official")
    return _form_page(request, form, figure, status=status)


def _plain(value) -> str:
    return "" if value is None else format(value.normalize(), "f")


urlpatterns = [
    path("official/", official_list, name="official"),
    path("official/new/", official_create, name="official_create"),
    path("official/<int:pk>/edit/", official_edit, name="official_edit"),
]
