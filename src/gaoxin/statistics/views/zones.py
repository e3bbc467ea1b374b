"""园区对比: the zones a user reads, side by side for one period and ranked (`comparison`), with
the same period and month/year-to-date choice as the cockpit, and its .xlsx export. A province
viewer compares the province's zones, a platform admin every zone, a zone officer sees their own
zone's row; enterprise users get 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from gaoxin.core import clock
from gaoxin.core.periods import Period
from gaoxin.core.spreadsheets import Column
from gaoxin.core.spreadsheets.exports import list_export

from .. import comparison, engine
from .cockpit import BadChoice, mode_and_period, url


def _chosen(request, zones) -> dict:
    sort = request.GET.get("sort") or comparison.COMPARED[0]
    if sort not in comparison.COMPARED:
        raise BadChoice(_("排序指标应为以下之一:%(c)s") % {"c": "、".join(comparison.COMPARED)})
    mode, period = mode_and_period(request, lambda: comparison.latest_period(zones))
    return {"mode": mode, "sort": sort, "period": period}


def _context(request, *, fallback: bool = False):
    """The page's context; without any accepted return there is no period to show, and
    `fallback` takes the last month that is over instead (the export, as the cockpit's)."""
    zones = comparison.compared_zones(request.user)
    if not zones:
        raise Http404(_("未找到该页面"))
    context = {"nav": "zones", "zones": zones, "error": None, "period": None}
    try:
        chosen = _chosen(request, zones)
    except BadChoice as exc:
        context["error"] = str(exc)
        return context
    if chosen["period"] is None and fallback:
        today = clock.today()
        chosen["period"] = Period(today.year, today.month).previous_month()
    context.update(chosen)
    if chosen["period"] is not None:
        key = chosen["period"].key
        columns, rows = comparison.compare(zones, key, chosen["mode"], chosen["sort"])
        query = {"period": str(chosen["period"]), "mode": chosen["mode"]}
        other_mode = engine.YTD if chosen["mode"] == engine.MONTH else engine.MONTH
        context.update(
            columns=[
                {"indicator": c, "url": url("statistics:zones", **query, sort=c.code)}
                for c in columns
            ],
            rows=rows,
            periods=[Period.of(k) for k in comparison.offered_periods(zones, key)],
            export_url=url("statistics:zones-export", **query, sort=chosen["sort"]),
            switch_url=url(
                "statistics:zones",
                **{**query, "sort": chosen["sort"], "mode": other_mode},
            ),
        )
    return context


@login_required
def zones(request):
    context = _context(request)
    return render(
        request, "statistics/zones.html", context, status=400 if context["error"] else 200
    )


@login_required
def zones_export(request):
    context = _context(request, fallback=True)
    if context["error"]:
        return render(request, "statistics/zones.html", context, status=400)
    cols = [Column("rank", _("排名")), Column("zone", _("园区")), Column("n", _("报送企业数"))]
    for n, c in enumerate(context["columns"]):
        ind = c["indicator"]
        cols += [
            Column(f"v{n}", f"{ind.name}({ind.unit})"),
            Column(f"g{n}", _("%(n)s同比(%%)") % {"n": ind.name}),
        ]
    rows = (
        {
            "rank": r.rank,
            "zone": r.zone.name,
            "n": r.enterprises,
            **{f"v{n}": cell.value for n, cell in enumerate(r.cells)},
            **{f"g{n}": cell.yoy_pct for n, cell in enumerate(r.cells)},
        }
        for r in context["rows"]
    )
    title = _("园区对比") + context["period"].label()
    return list_export(request, None, cols, rows, title=title)


urlpatterns = [
    path("zones/", zones, name="zones"),
    path("zones/export/", zones_export, name="zones-export"),
]
