"""Qualification at risk (资格风险): a certified high-tech enterprise whose R&D ratio or high-tech
income share falls toward or below its threshold, or whose annual reports are missing — before a
review takes the certificate (and three years of tax relief) away.

    at_risk(enterprise, on) -> list[Risk]
    zone_at_risk(zone, on) -> {enterprise id: [Risk, ...]}     four queries for the whole zone
    award_warning(enterprise, amount_wan) -> str | None        registered with matters.award_checks

- R&D ratio: the rolling last 12 months of accepted returns (this year's cumulative value + last
  December's − the same month last year's), else the latest (up to three) December years; against
  the band of that revenue (≤ 5000万 5%, ≤ 2亿 4%, above 3%). Below: under it; warning: within
  0.5 points above it.
- High-tech income share: the latest year entered (AssessmentInput) high-tech income ÷ total
  income (the returns' revenue of the year before when total income is not entered). Below: under
  60%; warning: within 5 points above it.
- Annual reports: each past due and not filed; two missed put the certificate up for cancellation.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from gaoxin.core.clock import today
from gaoxin.statistics.models import ReturnValue

from .assessment.scoring import HIGHTECH_SHARE_MIN, percent, rd_threshold
from .models import AnnualReport, AssessmentInput, Certification
from .models.records import valid_on

RD_MARGIN = Decimal("0.5")  # percentage points
SHARE_MARGIN = Decimal(5)
MISSED_REPORTS_LIMIT = 2
TWO = Decimal("0.01")


@dataclass
class Risk:
    kind: str  # "rd_ratio" | "hightech_share" | "annual_report"
    value: Decimal | None
    threshold: Decimal
    below: bool  # False: within the warning margin
    message: str


def pct(value: Decimal) -> str:
    """Two decimals, cut (not rounded) so a ratio just under a line never reads as on it."""
    return f"{value.quantize(TWO, rounding=ROUND_DOWN)}%"


# --- the R&D ratio --------------------------------------------------------------------------------


def _label(period: int) -> str:
    return f"{period // 100}年{period % 100}月"


def rolling(series: dict[str, dict[int, Decimal]], on: datetime.date):
    """(revenue, rd, what) over the last 12 months of accepted returns up to `on`, else over the
    latest (up to three) December years; None without figures."""
    revenue, rd = series.get("revenue", {}), series.get("rd_spending", {})
    last = on.year * 100 + on.month
    both = sorted((p for p in revenue if p in rd and p <= last), reverse=True)
    if both:
        p = both[0]
        if p % 100 == 12:
            return revenue[p], rd[p], _("%(y)s年") % {"y": p // 100}
        december, same = (p // 100 - 1) * 100 + 12, p - 100
        if all(k in revenue and k in rd for k in (december, same)):
            twelve = (
                revenue[p] + revenue[december] - revenue[same],
                rd[p] + rd[december] - rd[same],
            )
            what = _("近12个月(截至%(p)s)") % {"p": _label(p)}
            return (*twelve, what)
    years = [p for p in both if p % 100 == 12][:3]
    if not years:
        return None
    what = _("%(a)s–%(b)s年") % {"a": years[-1] // 100, "b": years[0] // 100}
    return sum(revenue[p] for p in years), sum(rd[p] for p in years), what


def rd_risk(series, on) -> Risk | None:
    found = rolling(series, on)
    if found is None:
        return None
    revenue, rd, what = found
    ratio = percent(rd, revenue)
    if ratio is None:
        return None
    threshold = rd_threshold(revenue)
    if ratio >= threshold + RD_MARGIN:
        return None
    below = ratio < threshold
    text = (
        _("研发费用占销售收入比例 %(r)s(%(what)s),低于 %(t)s 的认定条件")
        if below
        else _("研发费用占销售收入比例 %(r)s(%(what)s),接近 %(t)s 的认定条件")
    )
    message = text % {"r": pct(ratio), "what": what, "t": pct(threshold)}
    return Risk("rd_ratio", ratio, threshold, below, message)


# --- the high-tech income share ---------------------------------------------------------------


@dataclass
class Share:
    year: int
    hightech: Decimal
    total: Decimal
    total_entered: bool

    @property
    def value(self) -> Decimal | None:
        return percent(self.hightech, self.total)


def latest_shares(enterprise_ids, revenue_by=None) -> dict[int, Share]:
    """enterprise id → the latest year's entered high-tech income and total income (the returns'
    December revenue of the year before when total income is not entered). Two queries, one
    without `revenue_by` ({enterprise id: {period: revenue}} already read)."""
    rows = (
        AssessmentInput.objects.filter(
            enterprise_id__in=list(enterprise_ids), hightech_income__isnull=False
        )
        .order_by("enterprise_id", "-year")
        .values_list("enterprise_id", "year", "hightech_income", "total_income")
    )
    latest = {}
    for enterprise_id, year, hightech, total in rows:
        latest.setdefault(enterprise_id, (year, hightech, total))
    if revenue_by is None:
        wanted = {e: (y - 1) * 100 + 12 for e, (y, _h, t) in latest.items() if t is None}
        revenue_by = {}
        if wanted:
            for e, period, value in ReturnValue.objects.filter(
                enterprise_id__in=list(wanted), period__in=set(wanted.values()),
                indicator__code="revenue",
            ).values_list("enterprise_id", "period", "value"):  # fmt: skip
                revenue_by.setdefault(e, {})[period] = value
    out = {}
    for enterprise_id, (year, hightech, total) in latest.items():
        entered = total is not None
        if not entered:
            total = revenue_by.get(enterprise_id, {}).get((year - 1) * 100 + 12)
        if total is not None and total > 0:
            out[enterprise_id] = Share(year, hightech, total, entered)
    return out


def share_risk(share: Share | None) -> Risk | None:
    if share is None:
        return None
    value = share.value
    if value >= HIGHTECH_SHARE_MIN + SHARE_MARGIN:
        return None
    below = value < HIGHTECH_SHARE_MIN
    text = (
        _("高新技术产品(服务)收入占总收入比例 %(v)s(%(y)s 年度填报),低于 60%% 的认定条件")
        if below
        else _("高新技术产品(服务)收入占总收入比例 %(v)s(%(y)s 年度填报),接近 60%% 的认定条件")
    )
    return Risk("hightech_share", value, HIGHTECH_SHARE_MIN, below, text % {
        "v": pct(value), "y": share.year})  # fmt: skip


# --- annual reports -----------------------------------------------------------------------------


def report_risk(missed: list[int]) -> Risk | None:
    if not missed:
        return None
    count = len(missed)
    below = count >= MISSED_REPORTS_LIMIT
    years = "、".join(str(y) for y in sorted(missed))
    text = (
        _("已有 %(n)s 个年度(%(years)s)的高企年报逾期未报,证书将被提请取消")
        if below
        else _("%(years)s 年度高企年报逾期未报,连续两年未报将被取消资格")
    )
    return Risk(
        "annual_report", Decimal(count), Decimal(MISSED_REPORTS_LIMIT), below,
        text % {"n": count, "years": years},
    )  # fmt: skip


# --- together -------------------------------------------------------------------------------------


def _risks(certs: list[tuple[int, int]], on: datetime.date) -> dict[int, list[Risk]]:
    """certs: (certification id, enterprise id) of valid certificates; three queries."""
    if not certs:
        return {}
    enterprise_ids = {e for _c, e in certs}
    series: dict[int, dict[str, dict[int, Decimal]]] = {}
    rows = ReturnValue.objects.filter(
        enterprise_id__in=list(enterprise_ids),
        period__gte=(on.year - 4) * 100 + 1,
        period__lte=on.year * 100 + on.month,
        indicator__code__in=("revenue", "rd_spending"),
    ).values_list("enterprise_id", "indicator__code", "period", "value")
    for enterprise_id, code, period, value in rows:
        series.setdefault(enterprise_id, {}).setdefault(code, {})[period] = value
    revenue_by = {e: s.get("revenue", {}) for e, s in series.items()}
    shares = latest_shares(enterprise_ids, revenue_by)
    missed: dict[int, list[int]] = {}
    for enterprise_id, year in AnnualReport.objects.filter(
        certification_id__in=[c for c, _e in certs], due_on__lt=on, filed_on__isnull=True
    ).values_list("certification__enterprise_id", "year"):
        missed.setdefault(enterprise_id, []).append(year)
    out = {}
    for enterprise_id in sorted(enterprise_ids):
        found = [
            rd_risk(series.get(enterprise_id, {}), on),
            share_risk(shares.get(enterprise_id)),
            report_risk(missed.get(enterprise_id, [])),
        ]
        found = [r for r in found if r is not None]
        if found:
            out[enterprise_id] = found
    return out


def zone_at_risk(zone, on: datetime.date) -> dict[int, list[Risk]]:
    """The zone's certified enterprises at risk on `on`: enterprise id → its risks (4 queries)."""
    certs = Certification.objects.filter(valid_on(on), zone_id=getattr(zone, "pk", zone)).filter(
        enterprise__is_deleted=False
    )
    return _risks(list(certs.values_list("pk", "enterprise_id")), on)


def at_risk(enterprise, on: datetime.date) -> list[Risk]:
    """The risks of `enterprise` on `on` ([] when it holds no valid certificate or is safe)."""
    certs = Certification.objects.filter(valid_on(on), enterprise_id=enterprise.pk)
    return _risks(list(certs.values_list("pk", "enterprise_id")), on).get(enterprise.pk, [])


def award_warning(enterprise, amount_wan) -> str | None:
    """For an award about to be booked as income by a certified enterprise: a warning when its
    high-tech income share is within 5 points of 60% or would fall below 60% with the award
    added to total income; None otherwise."""
    try:
        amount = Decimal(str(amount_wan))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount < 0:
        return None
    if not Certification.objects.filter(valid_on(today()), enterprise_id=enterprise.pk).exists():
        return None
    share = latest_shares([enterprise.pk]).get(enterprise.pk)
    if share is None:
        return None
    before = share.value
    after = percent(share.hightech, share.total + amount)
    if before >= HIGHTECH_SHARE_MIN + SHARE_MARGIN and after >= HIGHTECH_SHARE_MIN:
        return None
    return _(
        "%(name)s 为高新技术企业,其高新技术产品(服务)收入占总收入比例为 %(before)s(%(y)s 年度"
        "填报);本次奖补 %(amount)s 万元计入总收入后将为 %(after)s。该比例低于 60%% 将不符合"
        "高新技术企业认定条件,请提醒企业规范核算。"
    ) % {
        "name": enterprise.name, "before": pct(before), "y": share.year,
        "amount": f"{amount.normalize():f}", "after": pct(after),
    }  # fmt: skip
