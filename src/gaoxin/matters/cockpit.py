"""The service cockpit's figures (服务总览): for a zone and a period, the matters open now (due
soon, overdue, escalated) by department and kind, those resolved in the period with the on-time
rate, the median time to close and the enterprises' satisfaction, matters opened and resolved by
month, and the help ledgers' totals (`assistance.summary`).

Every number carries the link to the matter list (`matters:list`) with the list's contract
parameters, so that the list shows exactly the matters counted. A fixed number of queries: three
here and the summary's own, whatever the zone's size.
"""

import calendar
import datetime
import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import assistance
from .models import ACTIVE, DUE_SOON_DAYS, Kind, Matter

PRESETS = ("month", "quarter", "year")
MAX_DAYS = 3700  # about ten years: the monthly chart stays readable
NONE = "none"


class BadPeriod(ValueError):
    pass


@dataclass(frozen=True)
class Span:
    start: datetime.date
    end: datetime.date
    preset: str  # month / quarter / year / custom

    @property
    def label(self) -> str:
        return _("%(s)s 至 %(e)s") % {"s": self.start.isoformat(), "e": self.end.isoformat()}

    def query(self) -> dict:
        if self.preset == "custom":
            return {"start": self.start.isoformat(), "end": self.end.isoformat()}
        return {"period": self.preset}


def preset_span(preset: str, today: datetime.date) -> Span:
    if preset == "month":
        first = today.replace(day=1)
        last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        return Span(first, last, preset)
    if preset == "quarter":
        q = (today.month - 1) // 3
        first = datetime.date(today.year, q * 3 + 1, 1)
        end_month = q * 3 + 3
        last = datetime.date(today.year, end_month, calendar.monthrange(today.year, end_month)[1])
        return Span(first, last, preset)
    return Span(datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31), "year")


def _date(text: str, label: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise BadPeriod(
            _("%(l)s“%(t)s”不是有效日期,格式应为 YYYY-MM-DD") % {"l": label, "t": text}
        ) from None


def parse_span(params, today: datetime.date) -> Span:
    """The period of a query string: `start` and `end` (custom), else `period` = month /
    quarter / year (default: this year)."""
    start, end = (params.get("start") or "").strip(), (params.get("end") or "").strip()
    if start or end:
        if not (start and end):
            raise BadPeriod(_("自定义期间须同时填写开始日期和结束日期"))
        span = Span(_date(start, _("开始日期")), _date(end, _("结束日期")), "custom")
        if span.start > span.end:
            raise BadPeriod(_("开始日期不能晚于结束日期"))
        if (span.end - span.start).days > MAX_DAYS:
            raise BadPeriod(_("期间不能超过十年"))
        return span
    preset = params.get("period") or "year"
    if preset not in PRESETS:
        raise BadPeriod(_("期间应为 month(本月)、quarter(本季)或 year(本年)"))
    return preset_span(preset, today)


@lru_cache(maxsize=64)
def _base(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def link(name: str, query: dict | list) -> str:
    base = _base(name)
    if not base:
        return ""
    items = query.items() if isinstance(query, dict) else query
    items = [(k, v) for k, v in items if v not in (None, "")]
    return f"{base}?{urlencode(items)}" if items else base


ACTIVE_QUERY = [("status", s.value) for s in ACTIVE]


def list_link(*pairs, **params) -> str:
    """The matter list with `pairs` ((name, value) pairs, repeatable) and `params`."""
    return link("matters:list", [*pairs, *params.items()])


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _one_decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def figures(zone, span: Span, today: datetime.date) -> dict:
    """Every figure of the cockpit, with its link."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    matters = Matter.objects.filter(zone=zone)
    # 1. What is open now, by department and kind, with its lights.
    groups = list(
        matters.filter(status__in=ACTIVE)
        .values("department_id", "department__name", "kind")
        .annotate(
            open=Count("id"),
            yellow=Count("id", filter=Q(due_on__gte=today, due_on__lte=soon)),
            red=Count("id", filter=Q(due_on__lt=today)),
            escalated=Count("id", filter=Q(escalated_at__isnull=False)),
        )
        .order_by()
    )
    # 2. What was resolved in the period.
    start, end = span.start, span.end
    resolved = list(
        matters.filter(resolved_at__date__gte=start, resolved_at__date__lte=end).values_list(
            "created_at", "resolved_at", "due_on", "rating"
        )
    )
    # 3. What was raised in the period, by month.
    opened = dict(
        matters.filter(created_at__date__gte=start, created_at__date__lte=end)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("month", "n")
    )
    period = {"closed_from": start.isoformat(), "closed_to": end.isoformat()}
    totals = {k: sum(g[k] for g in groups) for k in ("open", "yellow", "red", "escalated")}
    on_time = sum(1 for _c, r, due, _s in resolved if timezone.localtime(r).date() <= due)
    days = [(r - c).total_seconds() / 86400 for c, r, _d, _s in resolved]
    ratings = [s for *_x, s in resolved if s is not None]
    good = sum(1 for s in ratings if s >= 4)
    cards = {
        "open": {"value": totals["open"], "url": list_link(*ACTIVE_QUERY)},
        "yellow": {"value": totals["yellow"], "url": list_link(light="yellow")},
        "red": {"value": totals["red"], "url": list_link(light="red")},
        "escalated": {
            "value": totals["escalated"],
            "url": list_link(*ACTIVE_QUERY, escalated="1"),
        },
        "resolved": {"value": len(resolved), "url": list_link(**period)},
        "on_time": {"value": on_time, "rate": _percent(on_time, len(resolved))},
        "median_days": _one_decimal(statistics.median(days)) if days else None,
        "rated": {"value": len(ratings), "url": list_link(**period, rated="1")},
        "average_rating": (
            (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.01")) if ratings else None
        ),
        "good": {"value": good, "rate": _percent(good, len(ratings))},
        "stars": [
            {
                "stars": n,
                "value": sum(1 for s in ratings if s == n),
                "url": list_link(**period, rating=str(n)),
            }
            for n in range(5, 0, -1)
        ],
    }
    return {
        "zone": zone,
        "span": span,
        "today": today,
        "cards": cards,
        "departments": _by_department(groups),
        "kinds": _by_kind(groups),
        "monthly": _monthly(span, opened, resolved),
        "ledgers": _ledgers(zone, span),
    }


def _cell(group, **where) -> dict:
    """Open / due soon / overdue counts with the links to the matters behind them (`where`: the
    list's filters; empty ones are left out)."""
    return {
        "open": group["open"],
        "yellow": group["yellow"],
        "red": group["red"],
        "green": group["open"] - group["yellow"] - group["red"],
        "open_url": list_link(*ACTIVE_QUERY, **where),
        "yellow_url": list_link(**where, light="yellow"),
        "red_url": list_link(**where, light="red"),
    }


def _by_department(groups) -> dict:
    """Rows by department (unassigned last), a cell per kind and the row total."""
    rows = {}
    for g in groups:
        key = str(g["department_id"]) if g["department_id"] else NONE
        row = rows.setdefault(
            key,
            {
                "key": key,
                "name": g["department__name"] or _("未分派部门"),
                "kinds": {},
                "total": {"open": 0, "yellow": 0, "red": 0},
            },
        )
        row["kinds"][g["kind"]] = g
        for k in ("open", "yellow", "red"):
            row["total"][k] += g[k]
    kinds = [k for k in Kind if any(g["kind"] == k for g in groups)]
    out = []
    for row in sorted(rows.values(), key=lambda r: (r["key"] == NONE, -r["total"]["open"])):
        key, found = row["key"], row["kinds"]
        cells = [
            _cell(found[k], department=key, kind=k.value) if k in found else None for k in kinds
        ]
        out.append(
            {
                "key": key,
                "name": row["name"],
                "cells": cells,
                "total": _cell(row["total"], department=key),
            }
        )
    return {"kinds": [{"value": k.value, "label": str(k.label)} for k in kinds], "rows": out}


def _by_kind(groups) -> list:
    out = []
    for kind in Kind:
        found = [g for g in groups if g["kind"] == kind]
        total = {k: sum(g[k] for g in found) for k in ("open", "yellow", "red")}
        out.append({**_cell(total, kind=kind.value), "kind": kind.value, "label": str(kind.label)})
    return out


def _monthly(span: Span, opened: dict, resolved: list) -> list:
    months = _months(span.start, span.end)
    opened_by = {timezone.localtime(m).date().replace(day=1) if isinstance(m, datetime.datetime)
                 else m.replace(day=1): n for m, n in opened.items()}  # fmt: skip
    resolved_by = {}
    for _c, r, _d, _s in resolved:
        month = timezone.localtime(r).date().replace(day=1)
        resolved_by[month] = resolved_by.get(month, 0) + 1
    return [
        {
            "month": m,
            "label": _("%(y)s年%(m)s月") % {"y": m.year, "m": m.month},
            "opened": opened_by.get(m, 0),
            "resolved": resolved_by.get(m, 0),
        }
        for m in months
    ]


def _ledgers(zone, span: Span) -> dict:
    data = assistance.summary(zone, span.start, span.end)
    dates = {"start": span.start.isoformat(), "end": span.end.isoformat()}
    data["urls"] = {
        "awards": link("matters:awards", dates),
        "loans": link("matters:loans", dates),
        "fairs": link("matters:fairs", dates),
        "resumption": link("matters:resumption", dates),
    }
    return data
