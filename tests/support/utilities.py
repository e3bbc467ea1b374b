"""Utilities on top of the world (tests/support/world.py): a utility company with its partner
account, a tariff with a version, a prepaid account of a world enterprise, and readings for N
days with a weekly pattern. Helpers only (no fixtures): tests import them.

    from tests.support import utilities as u
    acc = u.account(world.a1)                       # electricity, single tariff 0.80 元/kWh
    u.readings(acc, days=28, daily=Decimal("100"))  # straight into the ledger (no services)
    batch = u.post(acc, days=28)                    # through services.ingest.post_readings

Times are local (Asia/Shanghai): a day's reading is taken at 23:00; the first reading of an
account is its baseline (usage 0) at 00:00 of the first day."""

import datetime
from decimal import Decimal
from itertools import count

from django.utils import timezone

from gaoxin.core.roles import PARTNER
from gaoxin.utilities import tariffs as tariffs_
from gaoxin.utilities.models import (
    Account,
    Kind,
    Reading,
    Register,
    Structure,
    Tariff,
    TariffVersion,
    TopUp,
    UtilityCompany,
)
from tests.factories import member

D = datetime.date
START = D(2026, 9, 1)  # a Tuesday: the first day of the helpers' readings
VALID_FROM = D(2026, 1, 1)

RATES = {
    Structure.SINGLE: {"price": "0.80"},
    Structure.FLAT: {"price": "4.10"},
    Structure.TIME_OF_USE: {
        "prices": {"critical": "1.50", "peak": "1.20", "flat": "0.70", "valley": "0.30"},
        "hours": {
            "peak": [[8, 11], [18, 21]],
            "flat": [[7, 8], [11, 18], [21, 23]],
            "valley": [[23, 7]],
            "critical": [[19, 21]],
        },
        "critical_months": [1, 7, 8, 12],
    },
    Structure.TWO_PART: {"price": "0.62", "capacity_price": "25"},
    Structure.TIERED: {"tiers": [["2000", "4.10"], [None, "5.20"]]},
}
DEFAULT_STRUCTURE = {
    Kind.ELECTRICITY: Structure.SINGLE,
    Kind.WATER: Structure.FLAT,
    Kind.GAS: Structure.FLAT,
}
KIND_NAMES = {Kind.ELECTRICITY: "供电公司", Kind.WATER: "自来水公司", Kind.GAS: "燃气公司"}
WEEKDAYS = (1, 1, 1, 1, 1, 1, 1)  # Monday first: the factor of each weekday's usage
WORKWEEK = (1, 1, 1, 1, 1, Decimal("0.4"), Decimal("0.3"))  # a factory resting at weekends

_meters = count(1)


def local(day: D, hour: int = 23, minute: int = 0) -> datetime.datetime:
    """An aware datetime at `hour` of `day` in the zone's time (Asia/Shanghai)."""
    naive = datetime.datetime.combine(day, datetime.time(hour, minute))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def company(zone, kind=Kind.ELECTRICITY, name=None) -> UtilityCompany:
    """The zone's company of `kind` (found or made: one per kind and zone unless `name`)."""
    name = name or f"{zone.short_name or zone.code}{KIND_NAMES[kind]}"
    found, _ = UtilityCompany.objects.get_or_create(zone=zone, name=name, defaults={"kind": kind})
    return found


def partner(company_, username=None):
    """A partner user (core.roles.PARTNER in the company's zone) feeding `company_`."""
    user = member(PARTNER, username=username, zone=company_.zone)
    company_.users.add(user)
    return user


def tariff(zone, kind=Kind.ELECTRICITY, structure=None, rates=None, *, valid_from=VALID_FROM,
           name=None) -> Tariff:  # fmt: skip
    """A tariff with one version from `valid_from` (rates validated by tariffs.validate_rates;
    the defaults are RATES[structure])."""
    structure = structure or DEFAULT_STRUCTURE[kind]
    name = name or f"{Kind(kind).label}·{Structure(structure).label}·{next(_meters)}"
    made = Tariff.objects.create(zone=zone, name=name, kind=kind, structure=structure)
    version(made, rates or RATES[structure], valid_from=valid_from)
    return made


def version(tariff_, rates, *, valid_from, note="") -> TariffVersion:
    """A further version of `tariff_` (its rates validated)."""
    return TariffVersion.objects.create(
        zone_id=tariff_.zone_id,
        tariff=tariff_,
        valid_from=valid_from,
        rates=tariffs_.validate_rates(tariff_.structure, rates),
        note=note,
    )


def account(enterprise, kind=Kind.ELECTRICITY, *, meter_no=None, company_=None, tariff_=None,
            structure=None, balance=Decimal("0"), opened_on=VALID_FROM, **fields) -> Account:  # fmt: skip
    """A prepaid account of `enterprise` (its zone's company of `kind`, a fresh tariff of
    `structure` unless `tariff_`), written straight; `balance` as given (no ledger entries)."""
    zone = enterprise.zone
    return Account.objects.create(
        zone=zone,
        enterprise=enterprise,
        kind=kind,
        meter_no=meter_no or f"M{next(_meters):08d}",
        company=company_ or company(zone, kind),
        tariff=tariff_ or tariff(zone, kind, structure),
        balance=balance,
        opened_on=opened_on,
        **fields,
    )


def usages(days: int, daily=Decimal("100"), pattern=WEEKDAYS, start=START) -> list[Decimal]:
    """The usage of each of `days` days from `start`: `daily` × the weekday's factor."""
    out = []
    for n in range(days):
        day = start + datetime.timedelta(days=n)
        out.append((Decimal(daily) * Decimal(pattern[day.weekday()])).quantize(Decimal("0.001")))
    return out


def reading_rows(account_, days=28, daily=Decimal("100"), pattern=WEEKDAYS, *, start=START,
                 register=Register.TOTAL, first_index=Decimal("1000"), baseline=True,
                 hour=23) -> list[dict]:  # fmt: skip
    """The rows (as post_readings takes them) of a baseline reading at 00:00 of `start` (unless
    `baseline=False`) then one reading a day at `hour` for `days` days, the index growing by
    `usages(...)`; `pattern` may also be a list of the days' usages."""
    if isinstance(pattern, list):
        used = [Decimal(u) for u in pattern]
    else:
        used = usages(days, daily, pattern, start)
    base = {"meter_no": account_.meter_no, "kind": account_.kind, "register": register}
    rows = []
    index = Decimal(first_index)
    if baseline:
        rows.append({**base, "read_at": local(start, 0), "index": index})
    for n, used_ in enumerate(used):
        index += used_
        day = start + datetime.timedelta(days=n)
        rows.append({**base, "read_at": local(day, hour), "index": index})
    return rows


def readings(account_, days=28, daily=Decimal("100"), pattern=WEEKDAYS, *, start=START,
             register=Register.TOTAL, first_index=Decimal("1000"),
             update_balance=True) -> list[Reading]:  # fmt: skip
    """The readings of `reading_rows(...)` written straight (bulk, no services, no warnings),
    each priced by the tariff version in force on its day (tariffs.py; tiered by the month's
    volume); the account's balance lowered by their cost when `update_balance`. The first
    reading (the baseline) costs nothing."""
    rows = reading_rows(account_, days, daily, pattern, start=start, register=register,
                        first_index=first_index)  # fmt: skip
    versions = tariffs_.Versions([account_.tariff_id])
    structure = account_.tariff.structure
    made, previous, month_volume = [], None, {}
    for row in rows:
        day = timezone.localdate(row["read_at"])
        usage = Decimal(0) if previous is None else row["index"] - previous
        previous = row["index"]
        version_ = versions.on(account_.tariff_id, day)
        month = (day.year, day.month)
        before = month_volume.get(month, Decimal(0))
        month_volume[month] = before + usage
        amount = (
            tariffs_.pricer(structure, version_).amount(usage, register, day, before)
            if version_
            else Decimal("0.00")
        )
        made.append(
            Reading(
                zone_id=account_.zone_id, account=account_, read_at=row["read_at"], day=day,
                register=register, index=row["index"], usage=usage, amount=amount,
                tariff_version=version_, source="demo",
            )
        )  # fmt: skip
    Reading.objects.bulk_create(made)
    if update_balance:
        account_.balance -= sum((r.amount for r in made), Decimal(0))
        account_.balance_at = made[-1].read_at
        Account.objects.filter(pk=account_.pk).update(
            balance=account_.balance, balance_at=account_.balance_at
        )
    return made


def topup(account_, amount, *, paid_at=None, transaction_id=None, update_balance=True) -> TopUp:
    """A top-up written straight (no services); the balance raised when `update_balance`."""
    paid_at = paid_at or local(START, 9)
    made = TopUp.objects.create(
        zone_id=account_.zone_id, account=account_, paid_at=paid_at, amount=Decimal(amount),
        transaction_id=transaction_id or f"T{next(_meters):010d}", source="demo",
    )  # fmt: skip
    if update_balance:
        account_.balance += Decimal(amount)
        Account.objects.filter(pk=account_.pk).update(balance=account_.balance)
    return made


def post(account_, days=28, daily=Decimal("100"), pattern=WEEKDAYS, *, actor=None, **kwargs):
    """The readings of `reading_rows(...)` through services.ingest.post_readings (priced, the
    balance updated, audited, warnings refreshed) as `actor` (default: a zone admin)."""
    from gaoxin.utilities.services.ingest import post_readings

    actor = actor or member("zone_admin", zone=account_.zone)
    rows = reading_rows(account_, days, daily, pattern, **kwargs)
    return post_readings(actor, account_.zone, rows)
