"""The statistics module's panel on the enterprise page (一企一档; core.modules)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from gaoxin.core import clock, workbench
from gaoxin.core.models.access import VIEW
from gaoxin.core.periods import Period
from gaoxin.enterprises.models import Enterprise

from . import catalogue, engine, services
from .models import (
    Deadline,
    Finding,
    FindingStatus,
    Reminder,
    Return,
    ReturnStatus,
    ReturnValue,
)  # fmt: skip
from .services.reporting import OPEN_FINDINGS, default_due_on
from .views.cockpit import show
from .views.fill import owed_periods
from .views.returns import fill_url, last_period

SHOWN = 6


TREND_INDICATORS = ("output_value", "revenue", "industrial_tax", "rd_spending")
TREND_MONTHS = 13


def enterprise(request, enterprise) -> dict | None:
    """The enterprise's statistics as far as the user may see them: its latest returns (each
    opening where this user works on it: the enterprise fills its own, officers review), its key
    indicators year to date with their growth and a monthly trend, and the open findings and
    queries on its figures."""
    user = request.user
    returns = list(
        Return.objects.restrict(user, VIEW)
        .filter(enterprise=enterprise)
        .order_by("-period")[:SHOWN]
    )
    if not returns:
        return None
    own = user.is_enterprise_only()
    for r in returns:
        r.label = str(Period.of(r.period))
    trend = _trend(user, enterprise)
    findings = list(
        Finding.objects.restrict(user, VIEW)
        .filter(enterprise=enterprise, status__in=OPEN_FINDINGS)
        .select_related("indicator")
        .order_by("-period", "id")[:SHOWN]
    )
    for f in findings:
        f.label = str(Period.of(f.period))
    return {"returns": returns, "own": own, "findings": findings, **trend}


def _trend(user, enterprise) -> dict:
    """The key indicators' accepted values: the latest period's year-to-date value against the
    same period a year earlier, and the monthly values of the last TREND_MONTHS months (a
    chart's option)."""
    indicators = {
        i.code: i for i in catalogue.indicators_for(enterprise.zone) if i.code in TREND_INDICATORS
    }
    values = ReturnValue.objects.restrict(user, VIEW).filter(
        enterprise=enterprise, indicator__in=indicators.values()
    )
    latest = values.order_by("-period").values_list("period", flat=True).first()
    if latest is None:
        return {"figures": [], "chart": None}
    months = Period.of(latest).months_back(TREND_MONTHS)
    keys = {p.key for p in months} | {latest - 100}
    found = {
        (code, period): (value, month)
        for code, period, value, month in values.filter(period__in=keys).values_list(
            "indicator__code", "period", "value", "month_value"
        )
    }
    figures = []
    for code in TREND_INDICATORS:
        if code not in indicators or (code, latest) not in found:
            continue
        now, base = found[(code, latest)][0], found.get((code, latest - 100), (None,))[0]
        growth = round((now / base - 1) * 100, 1) if base else None
        figures.append({"indicator": indicators[code], "value": show(now, indicators[code]),
                        "base": show(base, indicators[code]), "growth": growth})  # fmt: skip
    labels = [str(p) for p in months]
    series = [
        {
            "type": "line",
            "name": indicators[code].name,
            "data": [_number(found.get((code, p.key), (None, None))[1]) for p in months],
        }
        for code in TREND_INDICATORS[:2]
        if code in indicators
    ]
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 60, "right": 16, "top": 30, "bottom": 30},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {
            "type": "value",
            "name": indicators[TREND_INDICATORS[0]].unit
            if TREND_INDICATORS[0] in indicators
            else "",
        },
        "series": series,
    }
    return {"figures": figures, "chart": chart, "latest": str(Period.of(latest))}


def _number(value):
    return None if value is None else float(value)


# --- workbench cards (core.workbench) -----------------------------------------------------------

SHOWN_TASKS = 6
KEY_FIGURES = ("output_value", "industrial_value_added", "revenue", "industrial_tax")


def _names(usernames) -> dict[str, str]:
    """Officers' full names by user name (a reminder keeps the name it was sent under)."""
    users = get_user_model().objects.filter(username__in=set(usernames))
    return {u.username: u.display_name for u in users}


def _return_task(enterprise, key: int, ret, due, reminder, names, today) -> workbench.Task:
    period = Period.of(key)
    text = _("%(p)s 月报") % {"p": period}
    if len(names.get("__enterprises__", ())) > 1:
        text = f"{enterprise.name} · {text}"
    url = fill_url(enterprise.pk, period, on_behalf=False)
    status = ret.status if ret else None
    if status == ReturnStatus.ACCEPTED:
        return workbench.Task(text, url, note=str(ret.get_status_display()), tone="success")
    if status == ReturnStatus.SUBMITTED:
        return workbench.Task(text, url, note=_("已报送,待审核"), tone="info")
    if status == ReturnStatus.RETURNED:
        note = _("已退回:%(r)s") % {"r": ret.returned_reason}
        return workbench.Task(text, url, note=note[:60], tone="danger", badge=_("已退回"))
    late = today > due
    note = _("截止 %(d)s") % {"d": due.strftime("%m-%d")}
    if reminder:
        who = names.get(reminder["by"], reminder["by"])
        note += " · " + _("%(who)s %(when)s 催报") % {
            "who": who,
            "when": localtime(reminder["at"]).strftime("%m-%d %H:%M"),
        }
    badge = _("已逾期") if late else (_("草稿") if ret else _("待填报"))
    return workbench.Task(text, url, note=note, tone="danger" if late else "warning", badge=badge)


def my_returns_card(request) -> dict | None:
    """An enterprise user's returns: the recent periods they owe, with the due date, the status,
    what was sent back and why, and who reminded them (催报) and when; then the open findings
    they have to explain."""
    user = request.user
    enterprises = list(
        Enterprise.objects.restrict(user, VIEW).filter(
            pk__in=user.own_enterprise_ids(), is_deleted=False
        )
    )
    if not enterprises:
        return None
    today = clock.today()
    owed = {e.pk: owed_periods(e, months=3) for e in enterprises}
    keys = {k for ks in owed.values() for k in ks}
    returns = {
        (r.enterprise_id, r.period): r
        for r in Return.objects.restrict(user, VIEW).filter(
            enterprise__in=enterprises, period__in=keys
        )
    }
    reminded = {}
    for r in (
        Reminder.objects.restrict(user, VIEW)
        .filter(enterprise__in=enterprises, period__in=keys)
        .order_by("sent_at")
    ):
        reminded[(r.enterprise_id, r.period)] = {"by": r.sent_by_name, "at": r.sent_at}
    names = _names(r["by"] for r in reminded.values())
    names["__enterprises__"] = enterprises
    deadlines = dict(
        Deadline.objects.filter(zone__in={e.zone_id for e in enterprises}, period__in=keys)
        .values_list("period", "due_on")
    )  # fmt: skip
    tasks = [
        _return_task(
            e,
            key,
            returns.get((e.pk, key)),
            deadlines.get(key) or default_due_on(key),
            reminded.get((e.pk, key)),
            names,
            today,
        )  # fmt: skip
        for e in enterprises
        for key in owed[e.pk]
    ]
    findings = (
        Finding.objects.restrict(user, VIEW)
        .filter(enterprise__in=enterprises, status__in=(FindingStatus.OPEN, FindingStatus.QUERIED))
        .select_related("indicator")
        .order_by("-period", "id")
    )
    for f in findings[:SHOWN_TASKS]:
        tasks.append(
            workbench.Task(
                f.message,
                fill_url(f.enterprise_id, Period.of(f.period), on_behalf=False),
                note=str(Period.of(f.period)),
                tone="danger" if f.severity == "error" else "warning",
                badge=_("待说明"),
            )
        )
    return workbench.card(
        _("我的月度报表"),
        icon="bi-clipboard-data",
        url=reverse("statistics:my"),
        tasks=tasks,
        empty=_("本企业暂无需要填报的报表。"),
        key="my-returns",
    )


def review_card(request) -> dict | None:
    """An officer's returns to review (submitted, oldest first), with the period's missing
    reporters and open findings as figures."""
    zone = request.zone
    if zone is None or not services.is_officer(request.user, zone):
        return None
    period = last_period()
    waiting = (
        Return.objects.restrict(request.user, VIEW)
        .filter(zone=zone, status=ReturnStatus.SUBMITTED)
        .select_related("enterprise")
        .order_by("submitted_at", "pk")
    )
    shown = list(waiting[:SHOWN_TASKS])
    tasks = [
        workbench.Task(
            f"{r.enterprise.name} · {Period.of(r.period)}",
            reverse("statistics:return", args=[r.pk]),
            note=localtime(r.submitted_at).strftime("%m-%d %H:%M") if r.submitted_at else "",
            tone="warning",
            badge=_("待审核"),
        )
        for r in shown
    ]
    missing = services.missing_reporters(zone, period.key).count()
    findings = Finding.objects.filter(zone=zone, status__in=OPEN_FINDINGS).count()
    due = services.due_on(zone, period.key)
    late = clock.today() > due
    figures = [
        workbench.KeyFigure(
            _("%(p)s 未报企业") % {"p": period},
            str(missing),
            url=f"{reverse('statistics:missing')}?period={period}",
            tone=("danger" if late else "warning") if missing else "",
            note=_("截止 %(d)s") % {"d": due},
        ),
        workbench.KeyFigure(
            _("待处理数据问题"),
            str(findings),
            url=reverse("statistics:findings"),
            tone="warning" if findings else "",
        ),
    ]
    return workbench.card(
        _("报表审核"),
        icon="bi-clipboard-check",
        url=f"{reverse('statistics:returns')}?status=submitted",
        tasks=tasks,
        figures=figures,
        count=len(tasks) if len(tasks) < SHOWN_TASKS else waiting.count(),
        empty=_("没有待审核的报表。"),
        key="review",
    )


def _figure_url(figure, period) -> str:
    """Where a key figure's detail is: an official figure's publication, or the cockpit focused
    on a summed indicator."""
    if figure.source == "official":
        return f"{reverse('statistics:official')}?period={period}&indicator={figure.code}"
    return f"{reverse('statistics:cockpit')}?period={period}&indicator={figure.code}"


def key_figures_card(request) -> dict | None:
    """The zone's key figures of the latest period with accepted returns (year to date), each
    with its growth and a click through to the cockpit."""
    zone = request.zone
    if zone is None:
        return None
    latest = engine.latest_period(zone)
    if latest is None:
        return None
    period = Period.of(latest)
    wanted = [i for i in catalogue.indicators_for(zone) if i.code in KEY_FIGURES]
    found = {f.code: f for f in engine.figures(zone, latest, indicators=wanted)}
    figures = [
        workbench.KeyFigure(
            f.name,
            show(f.value, f.indicator),
            url=_figure_url(f, period),
            growth=f.yoy_pct,
        )
        for code in KEY_FIGURES
        if (f := found.get(code)) is not None
    ]
    findings = Finding.objects.filter(zone=zone, status__in=OPEN_FINDINGS).count()
    figures.append(
        workbench.KeyFigure(
            _("待处理数据问题"),
            str(findings),
            url=reverse("statistics:findings"),
            tone="warning" if findings else "",
        )  # fmt: skip
    )
    return workbench.card(
        _("经济运行 · %(p)s 累计") % {"p": period},
        icon="bi-graph-up",
        url=reverse("statistics:cockpit"),
        figures=figures,
        key="economy",
    )
