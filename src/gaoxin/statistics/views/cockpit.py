"""The economic cockpit (经济运行监测): for the zone and a reporting period, the indicator cards
(value, same-set growth, a 13-month trend line), official figures beside computed ones with their
source, the industry breakdown (门类/大类), top enterprises, contributors to growth, who has not
reported and the open findings. Month / year-to-date switch; every figure links to the rows
behind it; `cockpit-export` writes the same to .xlsx.

Every figure comes from `engine` (rollups; `ReturnValue` only for the top enterprises and the
contributions of one period). Readers: officers, leaders, admins and the province (of the zone
chosen with the zone switcher); enterprise users get 404.
"""

from functools import lru_cache

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gaoxin.core import clock, units
from gaoxin.core.pages import zone_for
from gaoxin.core.periods import Period
from gaoxin.core.spreadsheets import XLSX

from .. import catalogue, engine, export, services
from ..models import Finding, FindingStatus, Indicator, OfficialFigure, ReturnStatus, Rollup

TREND_MONTHS = 13
TOP_N = 10
OPEN_FINDINGS = (FindingStatus.OPEN, FindingStatus.EXPLAINED, FindingStatus.QUERIED)


class BadChoice(ValueError):
    pass


@lru_cache(maxsize=32)
def _base(name: str) -> str:
    return reverse(name)


def url(name: str, **query) -> str:
    """A page's URL with a query string (empty values left out)."""
    base = _base(name)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{base}?{urlencode(query)}" if query else base


def show(value, indicator) -> str:
    """A figure for people in the indicator's unit (`core.units.figure`): 万元 as 万元/亿元,
    万千瓦时 as 万/亿千瓦时, others with their unit; in English "7.6 billion yuan", "300 GWh"."""
    return units.figure(value, indicator.unit, indicator.decimal_places)


def mode_and_period(request, latest) -> tuple[str, Period | None]:
    """The month/year-to-date mode and the period asked for (default: `latest()`, the latest with
    accepted returns, None without any); BadChoice with what is right. The cockpit's and the
    zone comparison's choice."""
    mode = request.GET.get("mode") or engine.YTD
    if mode not in engine.MODES:
        raise BadChoice(_("口径应为 ytd(累计)或 month(当月)"))
    text = request.GET.get("period")
    if text:
        try:
            return mode, Period.parse(text)
        except ValidationError as exc:
            raise BadChoice(" ".join(exc.messages)) from None
    key = latest()
    return mode, Period.of(key) if key else None


def choices(request, zone) -> dict:
    """period (default: the latest with accepted returns), mode and the focus indicator."""
    mode, period = mode_and_period(request, lambda: engine.latest_period(zone))
    return {"mode": mode, "period": period, "focus": request.GET.get("indicator") or ""}


def summed(indicators) -> list:
    return [
        i
        for i in indicators
        if i.source == Indicator.Source.RETURN and i.aggregation == Indicator.Aggregation.SUM
    ]


def cockpit_data(zone, period: Period, mode: str, focus_code: str = "") -> dict:
    """Every figure of the cockpit: a fixed number of queries, whatever the zone's size."""
    indicators = catalogue.indicators_for(zone)
    focusable = summed(indicators)
    focus = next((i for i in focusable if i.code == focus_code), None)
    if focus is None and focus_code:
        raise BadChoice(_("未找到指标 %(c)s") % {"c": focus_code})
    focus = focus or (focusable[0] if focusable else None)
    key = period.key
    rows = engine.period_rows(zone, key, [i for i in indicators if engine.is_computed(i)])
    figures = engine.figures(zone, key, mode=mode, indicators=indicators, rows=rows)
    shown = [f.indicator for f in figures]
    trends = engine.trends(zone, shown, key, months=TREND_MONTHS, mode=mode)
    returns = {"period": str(period), "status": ReturnStatus.ACCEPTED}
    codes = {i.pk: i.code for i in indicators}
    cards = []
    for f in figures:
        ind = f.indicator
        if f.source == "official":
            link = url("statistics:official", period=str(period), indicator=ind.code)
        elif ind.aggregation == Indicator.Aggregation.RATIO:
            link = url("statistics:returns", **returns, indicator=codes.get(ind.numerator_id))
        else:
            link = url("statistics:returns", **returns, indicator=ind.code)
        cards.append(
            {
                "figure": f,
                "code": ind.code,
                "display": show(f.value, ind),
                "basis": basis(period, ind, mode, f.source),
                "url": link,
                "trend": trends[ind.code],
            }
        )
    data = {
        "zone": zone,
        "period": period,
        "mode": mode,
        "mode_label": _("当月") if mode == engine.MONTH else _("本年累计"),
        "focus": focus,
        "focusable": focusable,
        "official": [c for c in cards if c["figure"].source == "official"],
        "computed": [c for c in cards if c["figure"].source == "computed"],
        "sections": [],
        "divisions": [],
        "top": [],
        "contributions": [],
    }
    if focus is not None:
        for dimension, name in (("section", "sections"), ("division", "divisions")):
            found = engine.breakdown(zone, focus, key, dimension, mode=mode, rows=rows)
            for r in found:
                r["display"] = show(r["value"], focus)
                r["url"] = url(
                    "statistics:returns", **returns, indicator=focus.code, **{dimension: r["key"]}
                )
            data[name] = found
        data["top"] = _with_links(
            engine.top(zone, focus, key, n=TOP_N, mode=mode, rows=rows), focus
        )
        data["contributions"] = _with_links(
            engine.contributions(zone, focus, key, n=TOP_N, mode=mode, rows=rows), focus
        )
    data["missing"] = services.missing_reporters(zone, key).count()
    data["missing_url"] = url("statistics:missing", period=str(period))
    data["findings"] = Finding.objects.filter(
        zone=zone, period=key, status__in=OPEN_FINDINGS
    ).count()
    # The findings page lists the open ones (not closed) unless asked otherwise.
    data["findings_url"] = url("statistics:findings", period=str(period))
    return data


def _with_links(rows, indicator) -> list:
    for r in rows:
        r["display"] = show(r["value"], indicator)
        if "change" in r:
            r["change_display"] = show(r["change"], indicator)
        r["url"] = reverse("statistics:return", args=[r["ret_id"]])
    return rows


def basis(period: Period, indicator, mode: str, source: str) -> str:
    """What the value covers: 2019年1–12月, 2019年12月, or 期末数 (a point in time)."""
    if not indicator.cumulative:
        return _("%(p)s 期末数") % {"p": period.label()}
    if mode == engine.MONTH and source == "computed":
        return period.label()
    return period.ytd_label()


def _number(value):
    return None if value is None else float(value)


def charts(data) -> dict:
    """ECharts options (drawn by core/gaoxin.js from json_script tags): a trend line per card,
    the 大类 breakdown and the contributions."""
    out = {}
    for card in data["official"] + data["computed"]:
        points = card["trend"]
        # In English the values in the step a reader expects ("GWh", "billion yuan"), named.
        divisor, unit_name = units.chart_unit([p.value for p in points], card["figure"].unit)
        name = card["figure"].name + (f" ({unit_name})" if unit_name else "")
        out[f"chart-trend-{card['code']}"] = {
            "grid": {"left": 2, "right": 2, "top": 6, "bottom": 2},
            "tooltip": {"trigger": "axis"},
            "xAxis": {"type": "category", "show": False, "data": [p.label for p in points]},
            # Shares (%) from zero: a scaled axis would turn 14.99 → 15.00 into a spike.
            "yAxis": {"type": "value", "show": False, "scale": card["figure"].unit != "%"},
            "series": [
                {
                    "type": "line",
                    "name": name,
                    "smooth": True,
                    "symbol": "none",
                    "connectNulls": True,
                    "areaStyle": {"opacity": 0.15},
                    "data": units.chart_values([p.value for p in points], divisor),
                }
            ],
        }
    divisions = data["divisions"][:15]
    focus_unit = data["focus"].unit if data["focus"] is not None else ""
    divisor, unit_name = units.chart_unit([r["value"] for r in divisions], focus_unit)
    out["chart-divisions"] = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 160, "right": 30, "top": 10, "bottom": 20},
        "xAxis": {"type": "value", **({"name": unit_name} if unit_name else {})},
        "yAxis": {"type": "category", "inverse": True, "data": [r["label"] for r in divisions]},
        "series": [
            {"type": "bar", "data": units.chart_values([r["value"] for r in divisions], divisor)}
        ],
    }
    contributions = data["contributions"]
    out["chart-contributions"] = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 160, "right": 30, "top": 10, "bottom": 20},
        "xAxis": {"type": "value", "name": _("百分点")},
        "yAxis": {"type": "category", "inverse": True, "data": [r["name"] for r in contributions]},
        "series": [{"type": "bar", "data": [_number(r["contribution_pp"]) for r in contributions]}],
    }
    return out


def _context(request, *, fallback: bool = False):
    """(zone, data or None, error message or None, choices). Without returns in the zone there
    is no period to show; `fallback` takes the last month that is over instead (the export)."""
    zone = zone_for(request, Rollup)  # the zone chosen, when the user reads its figures
    try:
        chosen = choices(request, zone)
        if chosen["period"] is None:
            if not fallback:
                return zone, None, None, chosen
            today = clock.today()
            chosen["period"] = Period(today.year, today.month).previous_month()
        data = cockpit_data(zone, chosen["period"], chosen["mode"], chosen["focus"])
    except BadChoice as exc:
        return zone, None, str(exc), None
    return zone, data, None, chosen


def offered_periods(zone, shown: Period) -> list[Period]:
    """The period picker: every period of the zone with accepted returns (its rollups) or an
    official figure, back to the first, newest first, and the one shown; one query. January
    is left out: it is no reporting period (the cockpit reads 1–2月 as one)."""
    with_returns = (
        Rollup.objects.filter(zone=zone, dimension="all").order_by().values_list("period")
    )
    official = OfficialFigure.objects.filter(zone=zone).order_by().values_list("period")
    keys = {key for (key,) in with_returns.union(official)} | {shown.key}
    return [Period.of(key) for key in sorted(keys, reverse=True) if key % 100 != 1]


@login_required
def cockpit(request):
    zone, data, error, chosen = _context(request)
    context = {"nav": "cockpit", "zone": zone, "error": error}
    if error:
        return render(request, "statistics/cockpit.html", context, status=400)
    if data is None:
        return render(request, "statistics/cockpit.html", context)
    query = {"period": str(data["period"]), "mode": data["mode"]}
    if chosen["focus"]:
        query["indicator"] = chosen["focus"]
    context.update(
        data,
        charts=charts(data),
        periods=offered_periods(zone, data["period"]),
        query=query,
        export_url=url("statistics:cockpit-export", **query),
        switch_url=url(
            "statistics:cockpit",
            **{**query, "mode": engine.YTD if data["mode"] == engine.MONTH else engine.MONTH},
        ),
    )
    return render(request, "statistics/cockpit.html", context)


@login_required
def cockpit_export(request):
    zone, data, error, _chosen = _context(request, fallback=True)
    if error:
        return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
    period = data["period"]
    response = HttpResponse(content_type=XLSX)
    filename = f"statistics-cockpit-{zone.code}-{period.key}-{data['mode']}.xlsx"
    response["Content-Disposition"] = f"attachment; filename={filename}"
    export.export_audited(
        request.user,
        zone,
        data,
        response,
        describe=_("导出经济运行监测:%(p)s(%(m)s)")
        % {"p": period.label(), "m": data["mode_label"]},
    )
    return response


urlpatterns = [
    path("", cockpit, name="cockpit"),
    path("export/", cockpit_export, name="cockpit-export"),
]
