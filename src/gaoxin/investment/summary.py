"""The investment cockpit's figures, for any period: what was signed, started and put into
production, the size classes, the funnel, speed, departments side by side and the monthly trend.

Counts are by the date a stage was reached (签约日期 within the period, and so on), over the
projects the caller may see in one zone. Money is 计划总投资 in 万元; never mixed with fixed-asset
investment or funds in place. Every figure has the filter that lists the projects behind it
(`list_query`), so the cockpit's numbers click through to exactly those projects.
"""

import calendar
import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from gaoxin.core import periods

from .models import MILESTONE_FIELD, PIPELINE, Stage

ZERO = Decimal("0")
# The figures of the summary: milestone stage → key.
REACHED = {Stage.SIGNED: "signed", Stage.STARTED: "started", Stage.PRODUCTION: "production"}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    label: str

    def q(self, stage: str) -> Q:
        return Q(**{f"{MILESTONE_FIELD[stage]}__range": (self.start, self.end)})


def parse_period(text: str | None, *, start=None, end=None, today: datetime.date) -> Period:
    """A period from what `core.periods.read` reads ("2019", "2020Q1", "2020年一季度",
    "2020-03", "2020年上半年", "2019年1-9月" …: the span itself, 2020-02 is February alone), or
    explicit start/end dates. With nothing given, the year to date.
    """
    if start is not None or end is not None:
        if start is None or end is None:
            raise ValidationError(
                {"start" if start is None else "end": _("请同时给出开始和结束日期")}
            )
        if end < start:
            raise ValidationError({"end": _("结束日期不能早于开始日期")})
        return Period(start, end, _("%(s)s 至 %(e)s") % {"s": start, "e": end})
    if text is None or not str(text).strip():
        return Period(datetime.date(today.year, 1, 1), today, _("%(y)s 年至今") % {"y": today.year})
    try:
        span = periods.read(text)  # the one reader: 2019, 2020Q1, 2020年一季度, 2020-03 …
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if not 1900 <= span.year <= 2100:
        raise ValidationError(
            {"period": _("年份应在 1900 至 2100 之间(收到 %(y)s)") % {"y": f"{span.year:04d}"}}
        )
    first = datetime.date(span.year, span.first, 1)
    last = datetime.date(span.year, span.last, calendar.monthrange(span.year, span.last)[1])
    return Period(first, last, _label(span))


def _label(span) -> str:
    y = span.year
    if span.kind == "year":
        return _("%(y)s 年") % {"y": y}
    if span.kind == "quarter":
        return _("%(y)s 年第 %(q)s 季度") % {"y": y, "q": span.number}
    if span.kind == "month":
        return _("%(y)s 年 %(m)s 月") % {"y": y, "m": span.first}
    if span.kind == "half" and span.first == 1:
        return _("%(y)s 年上半年") % {"y": y}
    if span.kind == "half":
        return _("%(y)s 年下半年") % {"y": y}
    return _("%(y)s 年 %(a)s–%(b)s 月") % {"y": y, "a": span.first, "b": span.last}


def headline(projects, period: Period, thresholds) -> dict:
    """Signed / started / into production (count and planned investment), 亿元以上 and 5020
    among those signed, and how many reached each earlier stage: one query."""
    signed = period.q(Stage.SIGNED)
    aggregates = {
        "signed_large": Count("pk", filter=signed & Q(planned_investment__gte=thresholds.large)),
        "signed_5020": Count(
            "pk", filter=signed & Q(planned_investment__gte=thresholds.class_5020)
        ),
    }
    for stage in PIPELINE:
        aggregates[f"{stage}_count"] = Count("pk", filter=period.q(stage))
        aggregates[f"{stage}_investment"] = Sum("planned_investment", filter=period.q(stage))
    row = projects.aggregate(**aggregates)
    figures = {
        key: {"count": row[f"{stage}_count"], "investment_wan": row[f"{stage}_investment"] or ZERO}
        for stage, key in REACHED.items()
    }
    figures["over_100m"] = row["signed_large"]
    figures["class_5020"] = row["signed_5020"]
    figures["funnel"] = funnel({stage: row[f"{stage}_count"] for stage in PIPELINE})
    return figures


def funnel(counts: dict) -> list[dict]:
    """The stages with the number reaching each in the period and the conversion from the one
    before (a share of it, in %; None when the stage before had none)."""
    rows, previous = [], None
    for stage in PIPELINE:
        count = counts[stage]
        rate = None
        if previous:
            rate = round(Decimal(count) * 100 / previous, 1)
        rows.append(
            {"stage": stage, "label": str(Stage(stage).label), "count": count, "rate": rate}
        )
        previous = count
    return rows


def _median(values) -> float | None:
    return float(statistics.median(values)) if values else None


def speed(projects, period: Period) -> dict:
    """Days 考察→签约 for projects signed in the period and 签约→开工 for those started in it:
    median, count, and by department."""
    rows = projects.filter(period.q(Stage.SIGNED) | period.q(Stage.STARTED)).values_list(
        "department__name", "visit_on", "signed_on", "started_on"
    )
    overall = {"visit_to_signed": [], "signed_to_started": []}
    by_department = defaultdict(lambda: {"visit_to_signed": [], "signed_to_started": []})
    for department, visit_on, signed_on, started_on in rows:
        department = department or _("未指定部门")
        if visit_on and signed_on and period.start <= signed_on <= period.end:
            days = (signed_on - visit_on).days
            overall["visit_to_signed"].append(days)
            by_department[department]["visit_to_signed"].append(days)
        if signed_on and started_on and period.start <= started_on <= period.end:
            days = (started_on - signed_on).days
            overall["signed_to_started"].append(days)
            by_department[department]["signed_to_started"].append(days)

    def sums(values):
        return {key: {"median": _median(v), "count": len(v)} for key, v in values.items()}

    return {
        **sums(overall),
        "by_department": [{"department": d, **sums(v)} for d, v in sorted(by_department.items())],
    }


def speed_by_year(projects) -> list[dict]:
    """Median days 考察→签约 (by year signed) and 签约→开工 (by year started), every year."""
    years = defaultdict(lambda: {"visit_to_signed": [], "signed_to_started": []})
    for visit_on, signed_on, started_on in projects.filter(signed_on__isnull=False).values_list(
        "visit_on", "signed_on", "started_on"
    ):
        if visit_on:
            years[signed_on.year]["visit_to_signed"].append((signed_on - visit_on).days)
        if started_on:
            years[started_on.year]["signed_to_started"].append((started_on - signed_on).days)
    return [
        {
            "year": year,
            **{key: {"median": _median(v), "count": len(v)} for key, v in values.items()},
        }
        for year, values in sorted(years.items())
    ]


def departments(projects, period: Period, thresholds, targets=()) -> list[dict]:
    """Departments side by side: signed (count, investment, 亿元以上), started, into production,
    and their annual targets when the period lies within one year."""
    signed = period.q(Stage.SIGNED)
    rows = (
        projects.values("department_id", "department__name")
        .annotate(
            signed=Count("pk", filter=signed),
            signed_investment=Sum("planned_investment", filter=signed),
            large=Count("pk", filter=signed & Q(planned_investment__gte=thresholds.large)),
            started=Count("pk", filter=period.q(Stage.STARTED)),
            production=Count("pk", filter=period.q(Stage.PRODUCTION)),
        )
        .order_by()
    )
    # Sorted here, not by the database: SQLite and PostgreSQL differ in where NULL goes and in
    # how they collate Chinese. The projects without a department come first.
    rows = sorted(
        rows, key=lambda r: (r["department__name"] is not None, r["department__name"] or "")
    )
    by_department = {t.department_id: t for t in targets}
    out = []
    for row in rows:
        target = by_department.get(row["department_id"])
        out.append(
            {
                "department_id": row["department_id"],
                "department": row["department__name"] or _("未指定部门"),
                "signed": row["signed"],
                "signed_investment_wan": row["signed_investment"] or ZERO,
                "large": row["large"],
                "started": row["started"],
                "production": row["production"],
                "target_projects": target.target_projects if target else None,
                "target_investment_wan": target.target_investment if target else None,
                "target_large": target.target_large if target else None,
            }
        )
    return out


def months(period: Period) -> list[tuple[int, int]]:
    out, year, month = [], period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def monthly(projects, period: Period) -> list[dict]:
    """Per month of the period: projects signed (and their investment), started, into production."""
    table = {
        ym: {"signed": 0, "signed_investment_wan": ZERO, "started": 0, "production": 0}
        for ym in months(period)
    }
    rows = projects.filter(
        period.q(Stage.SIGNED) | period.q(Stage.STARTED) | period.q(Stage.PRODUCTION)
    ).values_list("signed_on", "started_on", "production_on", "planned_investment")
    for signed_on, started_on, production_on, planned in rows:
        for key, on in (
            ("signed", signed_on),
            ("started", started_on),
            ("production", production_on),
        ):
            if on and period.start <= on <= period.end:
                table[(on.year, on.month)][key] += 1
                if key == "signed":
                    table[(on.year, on.month)]["signed_investment_wan"] += planned
    return [{"month": f"{y}-{m:02d}", **v} for (y, m), v in table.items()]


def share(done, target) -> Decimal | None:
    """`done` as a percentage of `target`, to one decimal; None when there is no target."""
    return round(Decimal(done) * 100 / Decimal(target), 1) if target else None


def _campaign_shares(campaign, signed: int, investment, large: int, today) -> dict:
    elapsed = max(0, (min(today, campaign.end) - campaign.start).days + 1)
    total_days = (campaign.end - campaign.start).days + 1
    return {
        "progress": {
            "projects": share(signed, campaign.target_projects),
            "investment": share(investment, campaign.target_investment),
            "large": share(large, campaign.target_large),
            "time": share(elapsed, total_days),
        },
        "days_elapsed": elapsed,
        "days_total": total_days,
    }


def campaigns_progress(projects, campaigns, thresholds, today: datetime.date) -> list[dict]:
    """Each campaign's signed figures against its targets, all in one aggregate query."""
    aggregates = {}
    for c in campaigns:
        signed = Q(signed_on__range=(c.start, c.end))
        aggregates[f"n{c.pk}"] = Count("pk", filter=signed)
        aggregates[f"w{c.pk}"] = Sum("planned_investment", filter=signed)
        aggregates[f"l{c.pk}"] = Count(
            "pk", filter=signed & Q(planned_investment__gte=thresholds.large)
        )
    row = projects.aggregate(**aggregates) if aggregates else {}
    out = []
    for c in campaigns:
        count, investment, large = row[f"n{c.pk}"], row[f"w{c.pk}"] or ZERO, row[f"l{c.pk}"]
        out.append(
            {
                "campaign": c,
                "period": Period(c.start, c.end, c.name),
                "signed": count,
                "investment_wan": investment,
                "large": large,
                **_campaign_shares(c, count, investment, large, today),
            }
        )
    return out


DAILY_POINTS = 366


def campaign_progress(projects, campaign, thresholds, today: datetime.date) -> dict:
    """A campaign's figures against its targets, with the running total day by day."""
    period = Period(campaign.start, campaign.end, campaign.name)
    figures = headline(projects, period, thresholds)
    signed = figures["signed"]
    daily = []
    rows = projects.filter(period.q(Stage.SIGNED)).values_list("signed_on", "planned_investment")
    per_day = defaultdict(lambda: [0, ZERO])
    for on, planned in rows:
        per_day[on][0] += 1
        per_day[on][1] += planned
    # At most the last DAILY_POINTS days: a campaign saved before its length was bounded may span
    # centuries; what came before the first day shown starts the running total.
    last = min(campaign.end, today)
    day = campaign.start
    if (last - day).days >= DAILY_POINTS:
        day = last - datetime.timedelta(days=DAILY_POINTS - 1)
    count = sum(n for on, (n, _w) in per_day.items() if on < day)
    investment = sum((w for on, (_n, w) in per_day.items() if on < day), ZERO)
    while day <= last:
        count += per_day[day][0]
        investment += per_day[day][1]
        daily.append({"date": day, "signed": count, "investment_wan": investment})
        day += datetime.timedelta(days=1)
    return {
        "period": period,
        "figures": figures,
        **_campaign_shares(
            campaign, signed["count"], signed["investment_wan"], figures["over_100m"], today
        ),
        "daily": daily,
    }


def department_targets(projects, year: int, thresholds, shown, targets) -> list[dict]:
    """Each department's signed projects, investment and 亿元以上 in `year` against its annual
    targets. `shown` is [(department id, name)] in the order to show; id None is 未指定部门."""
    period = Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year))
    actual = {r["department_id"]: r for r in departments(projects, period, thresholds)}
    by_department = {t.department_id: t for t in targets}
    rows = []
    for pk, name in shown:
        got, target = actual.get(pk, {}), by_department.get(pk)
        signed = got.get("signed", 0)
        investment = got.get("signed_investment_wan", ZERO)
        large = got.get("large", 0)
        rows.append(
            {
                "department_id": pk,
                "department": name,
                "target": target,
                "signed": signed,
                "investment_wan": investment,
                "large": large,
                "started": got.get("started", 0),
                "production": got.get("production", 0),
                "progress": {
                    "projects": share(signed, target and target.target_projects),
                    "investment": share(investment, target and target.target_investment),
                    "large": share(large, target and target.target_large),
                },
            }
        )
    return rows


def list_query(period: Period, stage: str | None = None, **extra) -> str:
    """The project list's query string that shows the projects behind a figure."""
    params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    if stage:
        params["reached"] = stage
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(params, doseq=True)
