"""Consumption as the zone's earliest signal, found for the economic officers (经济发展局, else
the zone's staff and administrators) by the daily job, each notified to them once:

- a sharp drop (`drops`): an account's usage on each of its last `drop_days` days of readings
  fell by `drop_percent` or more against its own weekday pattern (each weekday's mean over the 28
  days before), and so did their sum: a possible stoppage, to visit. Once an episode: a drop
  already found since the low days began is not found again; after the usage recovers, a new
  drop is a new finding.
- a mismatch (`mismatches`): an enterprise's metered electricity in a month (its electricity
  accounts' readings, kWh, every day of the month read) against the accepted monthly return's
  industrial electricity (`statistics.models.ReturnValue`, 万千瓦时: × 10,000 kWh; the 1–2月
  return against January and February together) differing by more than `mismatch_percent`.
  Once an enterprise and period.

An officer marks a finding visited or dismissed with a note (`mark`), audited.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Sum
from django.db.models.functions import TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import audit, clock
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Membership, Role
from gaoxin.core.models.access import CHANGE, VIEW
from gaoxin.core.notifications import notify, register_kind

from ..forecast import settings_of
from ..models import Account, Finding, FindingStatus, Kind, Reading
from .warnings import TEXT_MAX

KIND_FINDING = register_kind("utilities.finding", gettext_lazy("用量发现"), tone="info").code
ECONOMIC_DEPARTMENT = "经济发展局"
BASE_DAYS = 28  # the days before the low ones that give the account's weekday pattern
CURRENT_DAYS = 2  # an account whose last reading is older says nothing about now
TEN_THOUSAND = Decimal(10000)  # 1 万千瓦时 = 10,000 kWh
MONTHS_BACK = 13  # the returns compared, back from today
MAX_PERCENT = Decimal("99999.9")
TENTH = Decimal("0.1")


def economic_officers(zone) -> list:
    members = Membership.objects.filter(
        zone=zone, role__in=(Role.ZONE_STAFF, Role.ZONE_ADMIN), user__is_active=True
    ).select_related("user", "department")
    own = [m.user for m in members if m.department_id and m.department.name == ECONOMIC_DEPARTMENT]
    return own or [m.user for m in members.order_by("role", "pk")]


def finding_url(finding) -> str:
    for name, args in (("utilities:finding", [finding.pk]), ("utilities:findings", [])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""


def _percent(observed, expected) -> Decimal:
    change = (Decimal(observed) - Decimal(expected)) / Decimal(expected) * 100
    return max(-MAX_PERCENT, min(MAX_PERCENT, change.quantize(TENTH)))


def _tell(zone, finding, text) -> None:
    text = text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"
    notify(economic_officers(zone), text, kind=KIND_FINDING, target=finding,
           url=finding_url(finding))  # fmt: skip


def detect(zone, today: datetime.date | None = None) -> dict:
    today = today or clock.today()
    return {"drops": drops(zone, today), "mismatches": mismatches(zone, today)}


# --- sharp drops ---------------------------------------------------------------------------------


def drop_of(series: dict, today, percent: int, days: int):
    """(expected, observed, first low day) when the account's last `days` days of readings are
    each and together `percent` % or more below its weekday pattern; else None."""
    if not series:
        return None
    last = max(series)
    if last < today - datetime.timedelta(CURRENT_DAYS):
        return None
    window = [last - datetime.timedelta(n) for n in range(days)]
    if any(d not in series for d in window):
        return None
    base_end = last - datetime.timedelta(days)
    base = [base_end - datetime.timedelta(n) for n in range(BASE_DAYS)]
    sums, counts = [0.0] * 7, [0] * 7
    for d in base:
        if d in series:
            sums[d.weekday()] += series[d]
            counts[d.weekday()] += 1
    if sum(counts) < BASE_DAYS * 3 // 4 or not all(counts):
        return None
    means = [s / c for s, c in zip(sums, counts, strict=True)]
    keep = 1 - percent / 100

    def low(d):
        return series.get(d) is not None and series[d] <= keep * means[d.weekday()]

    expected = sum(means[d.weekday()] for d in window)
    observed = sum(series[d] for d in window)
    if expected <= 0 or observed > keep * expected or not all(low(d) for d in window):
        return None
    start = window[-1]
    while start - datetime.timedelta(1) in series and low(start - datetime.timedelta(1)):
        start -= datetime.timedelta(1)
    return expected, observed, start


def drops(zone, today: datetime.date) -> int:
    """Find the sharp drops of the zone's accounts (one aggregate query of the daily usage)."""
    settings = settings_of([zone.pk])[zone.pk]
    start = today - datetime.timedelta(BASE_DAYS + settings.drop_days + CURRENT_DAYS)
    series = defaultdict(dict)
    rows = (
        Reading.objects.filter(zone=zone, day__gte=start, day__lte=today)
        .values_list("account_id", "day")
        .annotate(usage=Sum("usage"))
        .order_by()
    )
    for account_id, day, usage in rows:
        series[account_id][day] = float(usage or 0)
    found = {}
    for account_id, days in series.items():
        drop = drop_of(days, today, settings.drop_percent, settings.drop_days)
        if drop:
            found[account_id] = drop
    if not found:
        return 0
    earlier = dict(
        Finding.objects.filter(kind=Finding.Kind.DROP, account_id__in=list(found))
        .values_list("account_id")
        .annotate(last=Max("detected_on"))
        .order_by()
    )
    made = 0
    accounts = Account.objects.filter(pk__in=list(found)).select_related("enterprise")
    for account in accounts.order_by("pk"):
        expected, observed, low_since = found[account.pk]
        if earlier.get(account.pk) and earlier[account.pk] >= low_since:
            continue  # the same episode
        with transaction.atomic():
            finding = Finding.objects.create(
                zone=zone, kind=Finding.Kind.DROP, account=account,
                enterprise=account.enterprise, detected_on=today,
                expected=Decimal(f"{expected:.3f}"), observed=Decimal(f"{observed:.3f}"),
                change_percent=_percent(f"{observed:.3f}", f"{expected:.3f}"),
            )  # fmt: skip
            _tell(zone, finding, drop_text(account, finding, low_since))
        made += 1
    return made


def drop_text(account, finding, since) -> str:
    return _(
        "%(e)s的%(k)s用量自 %(s)s 起骤降 %(p)s%%(近期 %(o)s,按其往常的周内规律应为 %(x)s),"
        "可能停产或减产,建议走访核实。"
    ) % {
        "e": account.enterprise.name, "k": account.get_kind_display(), "s": since.isoformat(),
        "p": -finding.change_percent, "o": finding.observed.normalize(),
        "x": finding.expected.normalize(),
    }  # fmt: skip


# --- metered against reported electricity -------------------------------------------------------


def _months(period: int) -> list[datetime.date]:
    """The months a return's month value covers: its month, with January for the 1–2月 one."""
    year, month = divmod(period, 100)
    first = 1 if month == 2 else month
    return [datetime.date(year, m, 1) for m in range(first, month + 1)]


def _month_end(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(4)).replace(day=1) - datetime.timedelta(1)


def metered(zone, since: datetime.date) -> dict:
    """{(enterprise id, month): (kWh, every account read every day)} of the zone's electricity
    accounts since `since` (one aggregate query by account and month)."""
    rows = (
        Reading.objects.filter(zone=zone, account__kind=Kind.ELECTRICITY, day__gte=since)
        .annotate(month=TruncMonth("day"))
        .values_list("account_id", "account__enterprise_id", "month")
        .annotate(usage=Sum("usage"), first=Min("day"), last=Max("day"))
        .order_by()
    )
    out: dict = {}
    for _account, enterprise_id, month, usage, first, last in rows:
        month = month.date() if isinstance(month, datetime.datetime) else month
        covered = first <= month and last >= _month_end(month)
        kwh, all_covered = out.get((enterprise_id, month), (Decimal(0), True))
        out[(enterprise_id, month)] = (kwh + (usage or 0), all_covered and covered)
    return out


def mismatches(zone, today: datetime.date) -> int:
    from gaoxin.statistics.models import ReturnValue

    settings = settings_of([zone.pk])[zone.pk]
    first = (today.replace(day=1) - datetime.timedelta(MONTHS_BACK * 31)).replace(day=1)
    meters = metered(zone, first.replace(month=1) if first.month == 2 else first)
    if not meters:
        return 0
    reported = ReturnValue.objects.filter(
        zone=zone, indicator__code="industrial_electricity", month_value__isnull=False,
        period__gte=first.year * 100 + first.month,
    ).values_list("enterprise_id", "period", "month_value")  # fmt: skip
    done = set(
        Finding.objects.filter(zone=zone, kind=Finding.Kind.MISMATCH).values_list(
            "enterprise_id", "period"
        )
    )
    meters_of = defaultdict(list)
    for enterprise_id, pk in Account.objects.filter(zone=zone, kind=Kind.ELECTRICITY).values_list(
        "enterprise_id", "pk"
    ):
        meters_of[enterprise_id].append(pk)
    made = 0
    for enterprise_id, period, month_value in sorted(reported, key=lambda r: (r[1], r[0])):
        label = f"{period // 100}-{period % 100:02d}"
        if (enterprise_id, label) in done or month_value <= 0:
            continue
        parts = [meters.get((enterprise_id, m)) for m in _months(period)]
        if any(p is None or not p[1] for p in parts):
            continue  # not every day of it metered
        kwh = sum(p[0] for p in parts)
        expected = (month_value * TEN_THOUSAND).quantize(Decimal("0.001"))
        change = _percent(kwh, expected)
        if abs(change) <= settings.mismatch_percent:
            continue
        with transaction.atomic():
            finding = Finding.objects.create(
                zone=zone, kind=Finding.Kind.MISMATCH, enterprise_id=enterprise_id,
                account_id=ids[0] if len(ids := meters_of[enterprise_id]) == 1 else None,
                detected_on=today, period=label, expected=expected, observed=kwh,
                change_percent=change,
            )  # fmt: skip
            _tell(zone, finding, mismatch_text(finding))
        done.add((enterprise_id, label))
        made += 1
    return made


def mismatch_text(finding) -> str:
    return _(
        "%(e)s %(p)s 报表工业用电量 %(r)s 万千瓦时,电表计量 %(m)s 万千瓦时,相差 %(c)s%%,"
        "请核实报表数据。"
    ) % {
        "e": finding.enterprise.name, "p": finding.period,
        "r": (finding.expected / TEN_THOUSAND).quantize(Decimal("0.01")),
        "m": (finding.observed / TEN_THOUSAND).quantize(Decimal("0.01")),
        "c": finding.change_percent,
    }  # fmt: skip


# --- an officer's answer -------------------------------------------------------------------------

NOTE_MAX = 200


def mark(actor, finding, *, status, note="") -> Finding:
    """An open finding marked visited (走访核实) or dismissed (排除) with a note, by an officer
    who may change the zone's findings; audited. Not visible: DoesNotExist (404); visible but
    not changeable: Forbidden (403); already marked: a ValidationError."""
    if status not in (FindingStatus.VISITED, FindingStatus.DISMISSED):
        raise ValidationError({"status": _("请选择核实结果:已走访或已排除")})
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("核实说明不能超过 %(max)s 个字(现为 %(n)s 个字)") % {
                "max": NOTE_MAX, "n": len(note)}}
        )  # fmt: skip
    pk = getattr(finding, "pk", finding)
    with transaction.atomic():
        if not Finding.objects.restrict(actor, VIEW).filter(pk=pk).exists():
            raise Finding.DoesNotExist(_("未找到该发现"))
        row = Finding.objects.restrict(actor, CHANGE).select_for_update().filter(pk=pk).first()
        if row is None:
            raise Forbidden(_("无权核实用量发现"))
        if row.status != FindingStatus.OPEN:
            raise ValidationError({"status": _("该发现已核实过")})
        before = audit.snapshot(row)
        row.status, row.note = status, note
        row.save(update_fields=["status", "note"])
        audit.record(
            actor, AuditRecord.Action.UPDATE, row, before=before, after=audit.snapshot(row),
            message=_("用量发现核实:%(s)s") % {"s": row.get_status_display()},
        )  # fmt: skip
    return row
