"""Utilities' daily job (`gaoxin daily`): per zone with accounts, the two-part tariff's monthly
capacity or demand charge of the month (once an account and month: the charge's unique key is
the memory), the forecasts recomputed in bulk (a day passed is a day less of supply, even
without a reading), the warnings raised and cleared, the cut-offs not yet judged, and the
findings of the day (sharp drops, metered against reported electricity). Safe to run twice a
day: every step remembers what it did (open warnings, notified cut-offs, findings by episode
and period, the month's charge)."""

import calendar
import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gaoxin.core import audit, clock
from gaoxin.core.models import AuditRecord, Zone

from . import forecast, tariffs
from .models import Account, Charge, ChargeKind, Structure
from .services import findings, warnings

ACTOR = "system"
CHARGE_MESSAGE = gettext_noop("两部制基本电费(%(month)s):%(n)s 户,共 %(total)s 元")


def _now_on(today: datetime.date) -> datetime.datetime:
    now = clock.now()
    if timezone.localdate(now) == today:
        return now
    naive = datetime.datetime.combine(today, datetime.time(23, 59))
    return timezone.make_aware(naive, timezone.get_default_timezone())


@transaction.atomic
def monthly_charges(zone, today: datetime.date, now=None) -> int:
    """The capacity or demand charge of the month of `today` for each open two-part account of
    `zone` without one (prorated by days for an account opened within the month), each lowering
    the balance; one audit record for the zone's charges. Returns how many were written."""
    now = now or _now_on(today)
    month = today.replace(day=1)
    month_days = calendar.monthrange(month.year, month.month)[1]
    accounts = list(
        Account.objects.filter(zone=zone, tariff__structure=Structure.TWO_PART, opened_on__lte=today)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=month))
        .exclude(pk__in=Charge.objects.filter(
            zone=zone, day=month, kind__in=(ChargeKind.CAPACITY, ChargeKind.DEMAND)
        ).values("account_id"))
        .order_by("pk")
    )  # fmt: skip
    if not accounts:
        return 0
    versions = tariffs.Versions({a.tariff_id for a in accounts})
    made = []
    for account in accounts:
        start = max(month, account.opened_on)
        version = versions.on(account.tariff_id, start)
        charge = tariffs.monthly_charge(version, account) if version else None
        if charge is None:
            continue
        kind, amount = charge
        days = month_days - (start - month).days
        if days < month_days:
            amount = tariffs.money(amount * days / month_days)
        reason = _("%(m)s %(k)s") % {"m": f"{month:%Y-%m}", "k": ChargeKind(kind).label}
        if days < month_days:
            reason += _("(按 %(d)s/%(n)s 天计)") % {"d": days, "n": month_days}
        made.append(
            Charge(
                zone_id=account.zone_id, account=account, day=month, kind=kind, amount=amount,
                tariff_version=version, reason=reason,
            )
        )  # fmt: skip
    Charge.objects.bulk_create(made)
    for charge in made:
        Account.objects.filter(pk=charge.account_id).update(
            balance=F("balance") - charge.amount, balance_at=now
        )
    if made:
        total = sum((c.amount for c in made), Decimal(0))
        audit.record(
            ACTOR, AuditRecord.Action.CREATE, zone=zone,
            after={"month": f"{month:%Y-%m}", "charges": len(made), "total": str(total)},
            message=_(CHARGE_MESSAGE) % {"month": f"{month:%Y-%m}", "n": len(made), "total": total},
            repr_=_("两部制基本电费"),
        )  # fmt: skip
    return len(made)


def run_zone(zone, today: datetime.date, now=None) -> dict:
    now = now or _now_on(today)
    counts = {"charges": monthly_charges(zone, today, now)}
    with transaction.atomic():
        counts["accounts"] = forecast.recompute(zone=zone, now=now)
        counts.update(warnings.refresh(zone=zone, now=now))
        counts.update(warnings.handle_cutoffs(zone=zone, now=now))
    counts.update(findings.detect(zone, today))
    return counts


KEYS = ("accounts", "raised", "cleared", "matters", "resolved", "cutoffs", "surprises", "drops",
        "mismatches", "charges")  # fmt: skip


def daily(today: datetime.date | None = None) -> str:
    today = today or clock.today()
    total = dict.fromkeys(KEYS, 0)
    zones = Zone.objects.filter(pk__in=Account.objects.values("zone_id")).order_by("pk")
    for zone in zones:
        for key, n in run_zone(zone, today).items():
            total[key] += n
    return (
        _(
            "水电气:预测更新 %(accounts)s 户;新预警 %(raised)s 条,解除 %(cleared)s 条;"
            "新建保障事项 %(matters)s 件,自动办结 %(resolved)s 件;停供 %(cutoffs)s 起"
            "(意外停供 %(surprises)s 起);用量骤降 %(drops)s 条,报表用电不符 %(mismatches)s 条;"
            "两部制基本电费 %(charges)s 笔。"
        )
        % total
    )
