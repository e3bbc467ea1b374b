"""The service cockpit (服务总览, /matters/): for the zone and a period (本月 / 本季 / 本年 or from
a start to an end date), the cards, the department × kind table, the charts and the help ledgers'
totals; every number links to the matters behind it. `cockpit_export` writes the same to .xlsx.

Readers: officers, leaders, admins and the province (the zone chosen with the zone switcher);
enterprise users get 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from gaoxin.core import clock
from gaoxin.core.models.access import VIEW
from gaoxin.core.money import format_wan
from gaoxin.core.pages import zone_for
from gaoxin.core.spreadsheets import XLSX

from .. import cockpit as figures_of
from .. import export
from ..models import Light, Matter

LIGHT_COLOURS = {Light.GREEN: "#198754", Light.YELLOW: "#ffc107", Light.RED: "#dc3545"}


def _context(request):
    zone = zone_for(request, Matter, VIEW)
    today = clock.today()
    span = figures_of.parse_span(request.GET, today)
    return zone, figures_of.figures(zone, span, today)


def _lights(counts) -> list:
    """The green / yellow / red stacks of a bar chart, a bar per item of `counts`."""
    return [
        {
            "name": str(light.label),
            "type": "bar",
            "stack": "light",
            "itemStyle": {"color": colour},
            "data": [c[light.value] for c in counts],
        }
        for light, colour in LIGHT_COLOURS.items()
    ]


def charts(data) -> dict:
    """ECharts options (drawn by core/gaoxin.js from json_script tags)."""
    kinds = data["kinds"]
    rows = data["departments"]["rows"]
    monthly = data["monthly"]
    legend = {"bottom": 0}
    return {
        "chart-kinds": {
            "tooltip": {"trigger": "axis"},
            "legend": legend,
            "grid": {"left": 40, "right": 10, "top": 10, "bottom": 50},
            "xAxis": {"type": "category", "data": [k["label"] for k in kinds]},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": _lights(kinds),
        },
        "chart-departments": {
            "tooltip": {"trigger": "axis"},
            "legend": legend,
            "grid": {"left": 110, "right": 20, "top": 10, "bottom": 50},
            "xAxis": {"type": "value", "minInterval": 1},
            "yAxis": {"type": "category", "inverse": True, "data": [r["name"] for r in rows]},
            "series": _lights([r["total"] for r in rows]),
        },
        "chart-monthly": {
            "tooltip": {"trigger": "axis"},
            "legend": legend,
            "grid": {"left": 40, "right": 10, "top": 10, "bottom": 50},
            "xAxis": {"type": "category", "data": [m["label"] for m in monthly]},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [
                {"name": _("新提出"), "type": "bar", "data": [m["opened"] for m in monthly]},
                {"name": _("办结"), "type": "bar", "data": [m["resolved"] for m in monthly]},
            ],
        },
    }


@login_required
def cockpit(request):
    try:
        zone, data = _context(request)
    except figures_of.BadPeriod as exc:
        context = {"nav": "cockpit", "zone": request.zone, "error": str(exc)}
        return render(request, "matters/cockpit.html", context, status=400)
    span = data["span"]
    ledgers = data["ledgers"]
    context = {
        **data,
        "nav": "cockpit",
        "charts": charts(data),
        "presets": [
            ("month", _("本月")),
            ("quarter", _("本季")),
            ("year", _("本年")),
        ],
        "export_url": figures_of.link("matters:cockpit_export", span.query()),
        "money": {
            "awards": format_wan(ledgers["awards"]["amount_wan"]),
            "credit": format_wan(ledgers["loans"]["credit"]["amount_wan"]),
            "guaranteed": format_wan(ledgers["loans"]["guaranteed"]["amount_wan"]),
            "total": format_wan(ledgers["loans"]["total"]["amount_wan"]),
        },
    }
    return render(request, "matters/cockpit.html", context)


@login_required
def cockpit_export(request):
    try:
        zone, data = _context(request)
    except figures_of.BadPeriod as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    span = data["span"]
    response = HttpResponse(content_type=XLSX)
    filename = f"matters-cockpit-{zone.code}-{span.start:%Y%m%d}-{span.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename={filename}"
    export.export_audited(request.user, zone, data, response)
    return response


urlpatterns = [
    path("", cockpit, name="cockpit"),
    path("cockpit/export/", cockpit_export, name="cockpit_export"),
]
