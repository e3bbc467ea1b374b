"""ECharts options of the utilities' pages (drawn by core/gaoxin.js from json_script tags and
`data-chart` elements: no inline code). The account's chart: its recent daily costs (bars) and
the forecast balance over the next days (a line) with the zone's warning levels as lines, from
H4's forecast (`forecast.daily_costs`, `forecast.project`)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import ZoneUtilitySettings

HISTORY_DAYS = 30
FORECAST_DAYS = 30


def _number(value) -> float:
    return float(value) if isinstance(value, Decimal) else value


def zone_levels(zone) -> tuple[int, int]:
    row = ZoneUtilitySettings.objects.filter(zone=zone).first()
    defaults = ZoneUtilitySettings()
    row = row or defaults
    return row.first_level_days, row.second_level_days


def account_charts(account) -> dict:
    """{"chart-costs": the recent daily costs, "chart-forecast": the forecast balance with the
    warning levels}, or {} when the forecast is not available for it."""
    try:
        from .. import forecast
    except ImportError:  # H4's forecast not there yet
        return {}
    costs = forecast.daily_costs(account, days=HISTORY_DAYS)
    line = forecast.project(account, days=FORECAST_DAYS)
    out = {}
    if costs:
        out["chart-costs"] = {
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 10, "right": 20, "top": 30, "bottom": 30, "containLabel": True},
            "xAxis": {"type": "category", "data": [d.isoformat() for d, _v in costs]},
            "yAxis": {"type": "value", "name": _("元")},
            "series": [{"name": _("日费用(元)"), "type": "bar",
                        "data": [_number(v) for _d, v in costs]}],
        }  # fmt: skip
    if line:
        first, second = zone_levels(account.zone)
        out["chart-forecast"] = {
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 10, "right": 70, "top": 30, "bottom": 30, "containLabel": True},
            "xAxis": {"type": "category", "data": [d.isoformat() for d, _v in line]},
            "yAxis": {"type": "value", "name": _("元")},
            "series": [{
                "name": _("预测余额(元)"), "type": "line", "showSymbol": False,
                "data": [_number(v) for _d, v in line],
                "markLine": {"symbol": "none", "silent": True,
                             "data": _level_lines(account, first, second)},
            }],
        }  # fmt: skip
    return out


def _level_lines(account, first: int, second: int) -> list:
    cost = account.daily_cost
    if not cost:
        return []
    return [
        {"yAxis": float(cost * first), "name": _("一级预警"),
         "lineStyle": {"color": "#f0ad4e"}, "label": {"formatter": _("一级预警")}},
        {"yAxis": float(cost * second), "name": _("二级预警"),
         "lineStyle": {"color": "#d9534f"}, "label": {"formatter": _("二级预警")}},
    ]  # fmt: skip


def bar(labels, series, *, stack=False) -> dict:
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "type": "scroll"},
        "grid": {"left": 10, "right": 20, "top": 20, "bottom": 60, "containLabel": True},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value"},
        "series": [
            {
                "name": name,
                "type": "bar",
                "data": [_number(v) for v in data],
                **({"stack": "all"} if stack else {}),
            }
            for name, data in series
        ],  # fmt: skip
    }


def cockpit_charts(data: dict) -> dict:
    colors = {"red": "#dc3545", "yellow": "#ffc107", "green": "#198754"}
    out = {
        "chart-bands": {
            "tooltip": {"trigger": "item"},
            "legend": {"bottom": 0},
            "series": [
                {
                    "type": "pie",
                    "radius": ["40%", "70%"],
                    "data": [
                        {
                            "name": b["label"],
                            "value": b["n"],
                            "itemStyle": {"color": colors[b["band"]]},
                        }
                        for b in data["bands"]
                    ],
                }
            ],
        },  # fmt: skip
        "chart-warnings": {
            "tooltip": {"trigger": "item"},
            "legend": {"bottom": 0},
            "series": [
                {
                    "type": "pie",
                    "radius": "65%",
                    "data": [
                        {"name": e["label"], "value": e["n"]} for e in data["warnings"]["ended"]
                    ],
                }
            ],
        },  # fmt: skip
        "chart-electricity": bar(
            [r["period"] for r in data["electricity"]],
            [
                (_("电表计量(kWh)"), [r["metered"] for r in data["electricity"]]),
                (_("报表填报(kWh)"), [r["reported"] for r in data["electricity"]]),
            ],
        ),  # fmt: skip
    }
    for block in data["consumption"]:
        out[f"chart-consumption-{block['kind']}"] = bar(
            block["months"], [(r["label"], r["values"]) for r in block["rows"]], stack=True
        )
    return out
