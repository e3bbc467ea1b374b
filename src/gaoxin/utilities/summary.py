"""The utilities' figures: the cockpit (水电气驾驶舱), the leader's card and the API's summary.

`cockpit(zone, on)`: the open accounts by risk band (red / yellow / green), the warnings raised
this year (1 January to `on`) by level and how each ended (topped up in time / cut off / still
open / closed otherwise), the cut-offs and the surprise stops among them (意外停供: a stop without
both warnings first), the consumption by industry (GB/T 4754 section) and month for each kind
over the twelve months to `on`, and the metered against the reported electricity by month.

Every figure carries the URL of the list behind it (the count there equals the figure); the
lists read their parameters from filters.py and views. Reported electricity is the accepted
returns' `industrial_electricity` (万千瓦时, ×10,000 = kWh) month values; the metered figure
counts the same enterprises' electricity meters over the same months (the 1–2月 return against
January and February together), so the two compare like with like.
"""

import datetime
from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.models import Industry
from gaoxin.core.models.access import VIEW, can_in_zone

from .models import BAND, UNIT, Account, CutOff, Kind, Level, Reading, Warning

KWH_PER_WAN = Decimal(10000)  # 1 万千瓦时 = 10,000 kWh
MONTHS = 12
BAND_LABELS = {
    "red": gettext_lazy("红色"),
    "yellow": gettext_lazy("黄色"),
    "green": gettext_lazy("绿色"),
}
ENDINGS = ("topped_up", "cut_off", "open", "other")


def link(name: str, **params) -> str:
    """The page `utilities:<name>` with `params` as its query ("" when there is no such page)."""
    try:
        url = reverse(f"utilities:{name}")
    except NoReverseMatch:
        return ""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


def can_read(user, zone) -> bool:
    return can_in_zone(user, Account, zone, VIEW)


def open_accounts(zone):
    return Account.objects.filter(zone=zone, closed_on__isnull=True)


def bands(zone) -> list[dict]:
    """The open accounts by risk band, red first, with their lists."""
    counts = dict(open_accounts(zone).values_list("level").annotate(n=Count("pk")).order_by())
    out = []
    for band in ("red", "yellow", "green"):
        n = sum(counts.get(int(level), 0) for level, b in BAND.items() if b == band)
        out.append({"band": band, "label": str(BAND_LABELS[band]), "n": n,
                    "url": link("accounts", band=band)})  # fmt: skip
    return out


def month_starts(on: datetime.date, months: int = MONTHS) -> list[datetime.date]:
    """The first days of the `months` months up to `on`'s, oldest first."""
    year, month = on.year, on.month
    out = []
    for _i in range(months):
        out.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def warning_endings(zone, on: datetime.date) -> dict:
    """The warnings raised from 1 January to `on`: by level, and how each ended: topped up (a
    top-up cleared it), cut off (a stop of supply while it was open), open, or other (cleared
    without a top-up, e.g. the account closed)."""
    start = datetime.date(on.year, 1, 1)
    rows = Warning.objects.filter(zone=zone, raised_at__date__gte=start, raised_at__date__lte=on)
    after = CutOff.objects.filter(account=OuterRef("account"), at__gte=OuterRef("raised_at"))
    rows = rows.annotate(
        cut_any=Exists(after), cut_before=Exists(after.filter(at__lte=OuterRef("cleared_at")))
    )
    by_level = defaultdict(int)
    ended = dict.fromkeys(ENDINGS, 0)
    for w in rows.values("level", "cleared_at", "cleared_by_id", "cut_any", "cut_before"):
        w["cut"] = w["cut_before"] if w["cleared_at"] else w["cut_any"]
        by_level[w["level"]] += 1
        ended[ending(w)] += 1
    year = on.year
    return {
        "raised": sum(by_level.values()),
        "url": link("warnings", year=year),
        "by_level": [
            {
                "level": int(level),
                "label": str(level.label),
                "n": by_level.get(int(level), 0),
                "url": link("warnings", year=year, level=int(level)),
            }
            for level in (Level.FIRST, Level.SECOND, Level.EXHAUSTED)
        ],  # fmt: skip
        "ended": [
            {
                "key": key,
                "label": str(ENDING_LABELS[key]),
                "n": ended[key],
                "url": link("warnings", year=year, ended=key),
            }
            for key in ENDINGS
        ],  # fmt: skip
    }


ENDING_LABELS = {
    "topped_up": gettext_lazy("及时充值解除"),
    "cut_off": gettext_lazy("已停供"),
    "open": gettext_lazy("仍在预警"),
    "other": gettext_lazy("其他方式解除"),
}


def ending(w: dict) -> str:
    """How one warning ended (a dict with cleared_at, cleared_by_id and cut)."""
    if w["cleared_by_id"] is not None:
        return "topped_up"
    if w["cut"]:
        return "cut_off"
    return "open" if w["cleared_at"] is None else "other"


def cutoffs(zone, on: datetime.date) -> dict:
    start = datetime.date(on.year, 1, 1)
    rows = CutOff.objects.filter(zone=zone, at__date__gte=start, at__date__lte=on)
    counts = rows.aggregate(n=Count("pk"), surprise=Count("pk", filter=Q(surprise=True)))
    return {
        "n": counts["n"],
        "surprise": counts["surprise"],
        "url": link("cutoffs", year=on.year),
        "surprise_url": link("cutoffs", year=on.year, surprise="true"),
    }


def consumption(zone, on: datetime.date) -> list[dict]:
    """For each kind with readings: the usage by industry section and month (its unit)."""
    months = month_starts(on)
    rows = (
        Reading.objects.filter(zone=zone, day__gte=months[0], day__lte=on)
        .annotate(month=TruncMonth("day"))
        .values("account__kind", "account__enterprise__industry__section", "month")
        .annotate(usage=Sum("usage"))
        .order_by()
    )
    table = defaultdict(lambda: defaultdict(lambda: defaultdict(Decimal)))
    for r in rows:
        month = r["month"].date() if hasattr(r["month"], "date") else r["month"]
        section = r["account__enterprise__industry__section"] or ""
        table[r["account__kind"]][section][month] += r["usage"] or 0
    names = dict(
        Industry.objects.filter(level=Industry.Level.SECTION).values_list("section", "name")
    )
    out = []
    for kind in Kind:
        if kind.value not in table:
            continue
        sections = []
        for section, by_month in sorted(table[kind.value].items()):
            values = [by_month.get(m, Decimal(0)).quantize(Decimal(1)) for m in months]
            sections.append({
                "section": section, "label": names.get(section, _("未分类")) if section
                else _("未分类"), "values": values, "total": sum(values),
                "url": link("accounts", kind=kind.value, section=section),
            })  # fmt: skip
        sections.sort(key=lambda s: -s["total"])
        out.append({"kind": kind.value, "label": str(kind.label), "unit": UNIT[kind],
                    "months": [f"{m:%Y-%m}" for m in months], "rows": sections})  # fmt: skip
    return out


def electricity(zone, on: datetime.date) -> list[dict]:
    """Metered against reported electricity (kWh) by reporting month over the twelve months to
    `on`, over the enterprises that both reported and have electricity meters that month."""
    from gaoxin.statistics.models import ReturnValue  # uses = statistics (apps.py)

    months = month_starts(on)
    periods = [m.year * 100 + m.month for m in months if m.month != 1]  # January: in 1–2月
    reported = defaultdict(Decimal)  # (enterprise, period) → kWh
    for r in (
        ReturnValue.objects.filter(
            zone=zone, indicator__code="industrial_electricity", period__in=periods
        )
        .values("enterprise_id", "period")
        .annotate(v=Sum("month_value"))
        .order_by()
    ):
        if r["v"] is not None:
            reported[(r["enterprise_id"], r["period"])] += r["v"] * KWH_PER_WAN
    first = datetime.date(months[0].year, 1, 1) if months[0].month == 2 else months[0]
    metered = defaultdict(Decimal)
    for r in (
        Reading.objects.filter(
            zone=zone, account__kind=Kind.ELECTRICITY, day__gte=first, day__lte=on
        )
        .annotate(month=TruncMonth("day"))
        .values("account__enterprise_id", "month")
        .annotate(usage=Sum("usage"))
        .order_by()
    ):
        month = r["month"].date() if hasattr(r["month"], "date") else r["month"]
        period = month.year * 100 + max(month.month, 2)  # January counts in the 1–2月 return
        metered[(r["account__enterprise_id"], period)] += r["usage"] or 0
    out = []
    for period in periods:
        both = [e for (e, p) in reported if p == period and (e, p) in metered]
        rep = sum((reported[(e, period)] for e in both), Decimal(0))
        met = sum((metered[(e, period)] for e in both), Decimal(0))
        label = f"{period // 100}-{period % 100:02d}"
        if not both:
            continue  # nobody reported that month (yet): nothing to hold the meters against
        diff = ((met - rep) / rep * 100).quantize(Decimal("0.1")) if rep else None
        diff = abs(diff) if diff is not None and diff == 0 else diff  # never "-0.0"
        out.append({"period": label, "enterprises": len(both),
                    "metered": met.quantize(Decimal(1)), "reported": rep.quantize(Decimal(1)),
                    "diff_percent": diff,
                    "url": link("findings", kind="mismatch", period=label)})  # fmt: skip
    return out


def cockpit(zone, on: datetime.date) -> dict:
    return {
        "on": on,
        "year": on.year,
        "bands": bands(zone),
        "accounts": open_accounts(zone).count(),
        "accounts_url": link("accounts"),
        "warnings": warning_endings(zone, on),
        "cutoffs": cutoffs(zone, on),
        "consumption": consumption(zone, on),
        "electricity": electricity(zone, on),
    }
