"""The ledger's front door for batches: readings, top-ups and cut-offs, pushed by a utility
company's partner account (API), imported from a metering system's export (file) or entered by
an officer. One batch is all or nothing, in one transaction:

- every row is validated, and every error names its row (1-based position in the batch), field,
  value and reason (RowError); any error rejects the whole batch (BatchRejected): nothing is
  written;
- a meter unknown in the zone and a meter the actor may not feed answer the same message;
- a row identical to one already stored (a re-sent batch) is skipped and counted in
  `batch.repeated`; the same key with other values is an error (a correction is its own entry,
  services.corrections);
- readings are priced by the tariff version in force on their day (tariffs.py), balances are
  moved, one audit record names the batch and its counts, and then H4's
  `warnings.after_ledger(account_ids, now)` refreshes the forecasts, levels and warnings of the
  accounts written to, in the same transaction.

Readings: a register's first reading is its baseline (usage 0, no charge); a later reading's
usage is its index less the register's previous index. A new reading must be later than every
stored reading of its register (a late reading is a correction) and its index never goes back.
Which registers are charged: an account whose tariff prices time-of-use periods and whose meter
reports period registers pays by the periods, its total register recorded at 0 元; else it pays
by the total register (or, reporting no total, by the periods at its single price). The index
is kept to 3 decimals, money to 2 (half up).

Bulk throughout (1,000,000 readings in batches of 10,000): one query loads the batch's accounts
by meter with the latest reading of each register (an index seek each), one the stored readings
at the batch's times when a row is not later than them (a re-send), one the month's volume of
tiered accounts; the rows go in by one executemany, the balances by another."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Exists, OuterRef, Subquery, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import tariffs
from ..models import Batch, CutOff, Kind, Reading, Register, Source, Structure, Tariff, TopUp
from .batches import (
    BatchRejected,
    RowError,
    accounts_of,
    after_ledger,
    finish,
    insert,
    move_balances,
    no_cycle_collection,
    start,
    zone_id,
)

MAX_INDEX = Decimal("1000000000000")  # 10¹² kWh or m³: a meter's index beyond is a typo
MAX_TOPUP = Decimal("100000000")  # 1 亿元 a top-up
# A transformer carries up to about 120% of its rating for hours: more energy than its capacity
# at that load over the time since the last reading is a typo in the index (an extra digit).
OVERLOAD = Decimal("1.2")
HOUR = Decimal(3600)
VOLUME_STEP, MONEY_STEP = Decimal("0.001"), Decimal("0.01")
ZERO, NO_MONEY = Decimal(0), Decimal("0.00")
PERIODS = frozenset(tariffs.PERIODS)
REGISTERS = frozenset(Register.values)
PERIOD_STRUCTURES = (Structure.TIME_OF_USE, Structure.TWO_PART)
INDEX, TOPUP_AMOUNT = gettext_lazy("示数"), gettext_lazy("充值金额")
TRANSACTION_REQUIRED = gettext_lazy("请填写交易号")
ENTRY = ("zone", "source", "batch", "created_at", "account")
READING_COLUMNS = (*ENTRY, "read_at", "day", "register", "index", "usage", "amount",
                   "tariff_version")  # fmt: skip
TOPUP_COLUMNS = (*ENTRY, "paid_at", "amount", "transaction_id", "channel")
CUTOFF_COLUMNS = (*ENTRY, "at", "reason", "restored_at", "surprise")


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _when(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


# --- readings -------------------------------------------------------------------------------


def _latest_readings(registers) -> dict:
    """Annotations of an account: its latest stored reading of each of `registers` (time and
    index, an index seek each) and whether it has stored total or period readings."""
    out = {}
    for register in sorted(registers):
        newest = Reading.objects.filter(account_id=OuterRef("pk"), register=register)
        newest = newest.order_by("-read_at")
        out[f"at_{register}"] = Subquery(newest.values("read_at")[:1])
        out[f"index_{register}"] = Subquery(newest.values("index")[:1])
    mine = Reading.objects.filter(account_id=OuterRef("pk"))
    if Register.TOTAL not in registers:  # else: at_total says it
        out["has_total"] = Exists(mine.filter(register=Register.TOTAL))
    # Stored periods matter to a tariff with period prices (else a total is always there).
    out["has_periods"] = Case(
        When(
            tariff__structure__in=PERIOD_STRUCTURES,
            then=Exists(mine.filter(register__in=sorted(PERIODS))),
        ),
        default=Value(False),
    )
    return out


def _stored_at(zone, accounts, first, last) -> dict:
    """{(account, register, read_at): index} of the stored readings of `accounts` from `first`
    to `last` (a re-sent batch's), through the zone's readings of those days."""
    tz = timezone.get_default_timezone()
    rows = (
        Reading.objects.filter(
            zone_id=zone_id(zone),
            day__gte=first.astimezone(tz).date(),
            day__lte=last.astimezone(tz).date(),
            read_at__gte=first,
            read_at__lte=last,
        )
        .order_by()
        .values_list("account_id", "register", "read_at", "index")
    )
    return {(a, r, at): index for a, r, at, index in rows if a in accounts}


def _month_volumes(account_ids, first_day) -> dict:
    """{(account, (year, month)): stored usage} of tiered accounts from `first_day`'s month."""
    volumes = defaultdict(Decimal)
    ids = sorted(account_ids)
    for i in range(0, len(ids), 2000):
        for a, day, used in (
            Reading.objects.filter(account_id__in=ids[i : i + 2000], day__gte=first_day.replace(day=1))
            .order_by()
            .values_list("account_id", "day")
            .annotate(used=Sum("usage"))
            .values_list("account_id", "day", "used")
        ):  # fmt: skip
            volumes[(a, (day.year, day.month))] += used or ZERO
    return volumes


def _billed(period_prices: bool, registers: set) -> frozenset:
    """The registers an account pays by (see the module's docstring)."""
    periods = registers & PERIODS
    if periods and (period_prices or Register.TOTAL not in registers):
        return PERIODS
    return frozenset({Register.TOTAL})


def _parse_readings(check, batch_rows, accounts):
    """(n, account, register, read_at, day, index) of each good row."""
    tz = timezone.get_default_timezone()
    days = {}
    parsed = []
    for n, (row, acc) in enumerate(zip(batch_rows, accounts, strict=True), start=1):
        register = row.get("register") or Register.TOTAL
        if register not in REGISTERS:
            check.error(
                n, "register", register, _("时段应为 total、critical、peak、flat 或 valley")
            )
            register = None
        at = check.time(n, row, "read_at")
        index = check.number(n, row, "index", high=MAX_INDEX, places=3, label=INDEX)
        if acc is None or register is None or at is None or index is None:
            continue
        day = days.get(at)
        if day is None:
            day = days[at] = at.astimezone(tz).date()
        if day < acc.opened_on or (acc.closed_on and day > acc.closed_on):
            check.error(n, "read_at", row.get("read_at"), _("抄表日期不在账户的开户至销户期间"))
            continue
        if index.as_tuple().exponent < -3:
            index = index.quantize(VOLUME_STEP)
        parsed.append((n, acc, register, at, day, index))
    return parsed


def _fresh_readings(check, zone, parsed, registers):
    """The rows not stored yet, each with its usage, and the count of repeats: a row of a key
    already stored (or earlier in the batch) is a repeat when its index is the same, else an
    error; a new row must be later than its register's stored readings, its index no less.
    The rows are taken a register at a time, in time order (as they usually come: sorted only
    when they are not)."""
    groups = {}
    for p in parsed:
        key = (p[1].pk, p[2])
        group = groups.get(key)
        if group is None:
            groups[key] = [p]
        else:
            group.append(p)
    seen_registers = defaultdict(set)
    for acc in {p[1].pk: p[1] for p in parsed}.values():
        seen_registers[acc.pk].update(
            ([Register.TOTAL] if acc.extra.get("has_total", acc.extra.get("at_total")) else [])
            + (list(PERIODS) if acc.extra["has_periods"] else [])
        )
    old = []  # rows not later than their register's latest stored reading: a re-send?
    for (_pk, register), group in groups.items():
        if any(group[i][3] >= group[i + 1][3] for i in range(len(group) - 1)):
            group.sort(key=lambda p: p[3])  # stable: of two rows at a time, the first first
        last_at = group[0][1].extra[f"at_{register}"]
        if last_at is not None:
            for p in group:
                if p[3] > last_at:
                    break
                old.append(p)
    stored = {}
    if old:
        first, last = min(p[3] for p in old), max(p[3] for p in old)
        stored = _stored_at(zone, {p[1].pk for p in old}, first, last)
    out, repeated = [], 0
    for (pk, register), group in groups.items():
        acc = group[0][1]
        last_at, before = acc.extra[f"at_{register}"], acc.extra[f"index_{register}"]
        seen_at, seen_n, seen_index = None, None, None
        previous_at = last_at
        for n, _acc, _register, at, day, index in group:
            if at == seen_at:  # the same key earlier in the batch
                if index == seen_index:
                    repeated += 1
                else:
                    check.error(n, "index", index, _("与第%(n)s行的表号、时段、时间相同但示数不同") % {"n": seen_n})  # fmt: skip
                continue
            seen_at, seen_n, seen_index = at, n, index
            if last_at is not None and at <= last_at:
                found = stored.get((pk, register, at))
                if found is None:
                    check.error(n, "read_at", at.isoformat(), _("早于该表已入账的最新读数(%(t)s);补录请走更正流程") % {"t": _when(last_at)})  # fmt: skip
                elif found != index:
                    check.error(n, "index", index, _("已入账的读数与本次不同;更正请走更正流程"))
                else:
                    repeated += 1
                continue
            if before is not None and index < before:
                check.error(n, "index", index, _("示数小于上一次读数(%(p)s);示数不能倒退") % {"p": _plain(before)})  # fmt: skip
                continue
            usage = ZERO if before is None else index - before
            ceiling = _ceiling(acc, previous_at, at)
            if ceiling is not None and usage > ceiling:
                check.error(n, "index", index, _("两次抄表间用电 %(u)s 千瓦时,超过受电容量 %(c)s kVA 在这 %(h)s 小时内的上限(%(m)s 千瓦时);请核对示数") % {"u": _plain(usage), "c": _plain(acc.capacity_kva), "h": _plain(round(Decimal((at - previous_at).total_seconds()) / HOUR, 1)), "m": _plain(ceiling)})  # fmt: skip
                continue
            out.append((n, acc, register, at, day, index, usage))
            before, previous_at = index, at
        seen_registers[pk].add(register)
    return out, repeated, seen_registers


def _ceiling(acc, previous_at, at) -> Decimal | None:
    """The most energy (kWh) an electricity meter of known capacity can have passed between two
    readings; None when there is no bound to check (no capacity, water, gas, a first reading)."""
    if acc.kind != Kind.ELECTRICITY or not acc.capacity_kva or previous_at is None:
        return None
    hours = Decimal((at - previous_at).total_seconds()) / HOUR
    return (acc.capacity_kva * OVERLOAD * hours).quantize(VOLUME_STEP)


def _price_readings(check, fresh, seen_registers):
    """(account, read_at, day, register, index, usage, amount, version) of each new reading,
    the balance's delta and latest reading time of each account."""
    versions = tariffs.Versions({p[1].tariff_id for p in fresh})
    tiered = {p[1].pk for p in fresh if p[1].structure == Structure.TIERED}
    volumes = _month_volumes(tiered, min(p[4] for p in fresh)) if tiered else {}
    version_on, pricers, billed_of = {}, {}, {}
    made, deltas, latest_at = [], defaultdict(Decimal), {}
    for n, acc, register, at, day, index, usage in fresh:
        version = version_on.get((acc.tariff_id, day), False)
        if version is False:
            version = version_on[(acc.tariff_id, day)] = versions.on(acc.tariff_id, day)
        if version is None:
            check.error(n, "read_at", at.isoformat(), _("%(d)s没有适用的价格版本(价格方案:%(t)s)") % {"d": day, "t": Tariff.objects.get(pk=acc.tariff_id).name})  # fmt: skip
            continue
        pricer = pricers.get(version.pk)
        if pricer is None:
            pricer = pricers[version.pk] = tariffs.Pricer(acc.structure, version.rates)
        billed = billed_of.get(acc.pk)
        if billed is None:
            billed = billed_of[acc.pk] = _billed(bool(pricer.prices), seen_registers[acc.pk])
        amount = NO_MONEY
        if usage and register in billed:
            if pricer.tiers:
                month = (acc.pk, (day.year, day.month))
                amount = pricer.amount(usage, register, day, volumes.get(month, ZERO))
                volumes[month] = volumes.get(month, ZERO) + usage
            else:
                amount = pricer.amount(usage, register, day)
        made.append((acc.pk, at, day, register, index, usage, amount, version.pk))
        deltas[acc.pk] -= amount
        if acc.pk not in latest_at or at > latest_at[acc.pk]:
            latest_at[acc.pk] = at
    return made, deltas, latest_at


def post_readings(actor, zone, rows, *, source=Source.API) -> Batch:
    """Meter readings {"meter_no", "kind", "read_at", "register" ("total"), "index"}: a batch,
    all or nothing (BatchRejected with every row's errors)."""
    now = timezone.now()
    with no_cycle_collection(), transaction.atomic():
        batch_rows, accounts_qs, company, check = start(actor, zone, rows, source, now)
        registers = {row.get("register") or Register.TOTAL for row in batch_rows} & REGISTERS
        accounts = accounts_of(check, accounts_qs, batch_rows, _latest_readings(registers))
        parsed = _parse_readings(check, batch_rows, accounts)
        fresh, repeated, seen_registers = _fresh_readings(check, zone, parsed, registers)
        made, deltas, latest_at = _price_readings(check, fresh, seen_registers)
        if check.errors:
            raise BatchRejected(check.errors)
        counts = (len(batch_rows), len(made), repeated)
        batch = finish(actor, zone, Batch.What.READINGS, company, source, counts, deltas, now)
        head = (zone_id(zone), source, batch.pk, now)
        insert(Reading, READING_COLUMNS, [head + row for row in made])
        move_balances(deltas, latest_at, {p[1].pk: p[1] for p in fresh})
        after_ledger(deltas, now)
    return batch


# --- top-ups --------------------------------------------------------------------------------


def post_topups(actor, zone, rows, *, source=Source.API) -> Batch:
    """Top-ups {"meter_no", "kind", "paid_at", "amount", "transaction_id", "channel"}: a batch,
    all or nothing; a transaction id already stored for the account with the same time, amount
    and channel is a repeat."""
    now = timezone.now()
    with transaction.atomic():
        batch_rows, accounts_qs, company, check = start(actor, zone, rows, source, now)
        accounts = accounts_of(check, accounts_qs, batch_rows)
        parsed = []
        for n, (row, acc) in enumerate(zip(batch_rows, accounts, strict=True), start=1):
            at = check.time(n, row, "paid_at")
            amount = check.number(n, row, "amount", high=MAX_TOPUP, places=2, label=TOPUP_AMOUNT)
            if amount is not None and amount == 0:
                check.error(n, "amount", row.get("amount"), _("充值金额必须大于0"))
                amount = None
            tid = check.text(n, row, "transaction_id", required=TRANSACTION_REQUIRED)
            channel = check.text(n, row, "channel")
            if None in (acc, at, amount, tid, channel):
                continue
            parsed.append((n, acc, at, amount.quantize(MONEY_STEP), tid, channel))
        stored = {}
        tids = sorted({p[4] for p in parsed})
        for i in range(0, len(tids), 2000):
            for a, tid, at, amount, channel in TopUp.objects.filter(
                transaction_id__in=tids[i : i + 2000], zone_id=zone_id(zone)
            ).values_list("account_id", "transaction_id", "paid_at", "amount", "channel"):
                stored[(a, tid)] = (at, amount, channel)
        made, seen, repeated = [], {}, 0
        deltas, latest_at = defaultdict(Decimal), {}
        for n, acc, at, amount, tid, channel in parsed:
            key, value = (acc.pk, tid), (at, amount, channel)
            if key in seen:
                if seen[key][1] == value:
                    repeated += 1
                else:
                    check.error(n, "transaction_id", tid, _("与第%(n)s行的交易号相同但内容不同") % {"n": seen[key][0]})  # fmt: skip
                continue
            seen[key] = (n, value)
            if key in stored:
                if stored[key] == value:
                    repeated += 1
                else:
                    check.error(n, "transaction_id", tid, _("该交易号已入账且内容与本次不同;更正请走更正流程"))  # fmt: skip
                continue
            made.append((acc.pk, at, amount, tid, channel))
            deltas[acc.pk] += amount
            if acc.pk not in latest_at or at > latest_at[acc.pk]:
                latest_at[acc.pk] = at
        if check.errors:
            raise BatchRejected(check.errors)
        counts = (len(batch_rows), len(made), repeated)
        batch = finish(actor, zone, Batch.What.TOPUPS, company, source, counts, deltas, now)
        head = (zone_id(zone), source, batch.pk, now)
        insert(TopUp, TOPUP_COLUMNS, [head + row for row in made])
        move_balances(deltas, latest_at, {p[1].pk: p[1] for p in parsed})
        after_ledger(deltas, now)
    return batch


# --- cut-offs -------------------------------------------------------------------------------


def post_cutoffs(actor, zone, rows, *, source=Source.API) -> Batch:
    """Stops of supply {"meter_no", "kind", "at", "reason", "restored_at"}: a batch, all or
    nothing. A stop stored at the same time is a repeat when its values are the same; one
    stored without `restored_at` is completed by a row that brings it (the supply came back);
    any other difference is an error. Whether a stop was a surprise is H4's (after_ledger)."""
    now = timezone.now()
    with transaction.atomic():
        batch_rows, accounts_qs, company, check = start(actor, zone, rows, source, now)
        accounts = accounts_of(check, accounts_qs, batch_rows)
        parsed = []
        for n, (row, acc) in enumerate(zip(batch_rows, accounts, strict=True), start=1):
            at = check.time(n, row, "at")
            reason = check.text(n, row, "reason")
            restored = check.time(n, row, "restored_at", required=False)
            if restored is not None and at is not None and restored < at:
                check.error(n, "restored_at", row.get("restored_at"), _("恢复时间早于停供时间"))
                continue
            bad_restored = row.get("restored_at") not in (None, "") and restored is None
            if acc is None or at is None or reason is None or bad_restored:
                continue
            parsed.append((n, acc, at, reason, restored))
        stored = {}
        if parsed:
            ids = {p[1].pk for p in parsed}
            first, last = min(p[2] for p in parsed), max(p[2] for p in parsed)
            for pk, a, at, reason, restored in CutOff.objects.filter(
                zone_id=zone_id(zone), at__gte=first, at__lte=last
            ).values_list("pk", "account_id", "at", "reason", "restored_at"):
                if a in ids:
                    stored[(a, at)] = (pk, reason, restored)
        made, restore, seen, repeated, touched = [], {}, {}, 0, set()
        for n, acc, at, reason, restored in parsed:
            key, value = (acc.pk, at), (reason, restored)
            if key in seen:
                if seen[key][1] == value:
                    repeated += 1
                else:
                    check.error(n, "at", at.isoformat(), _("与第%(n)s行的表号、停供时间相同但内容不同") % {"n": seen[key][0]})  # fmt: skip
                continue
            seen[key] = (n, value)
            if key in stored:
                pk, s_reason, s_restored = stored[key]
                if (s_reason, s_restored) == value:
                    repeated += 1
                elif s_restored is None and restored is not None and reason in ("", s_reason):
                    restore[pk] = restored
                    touched.add(acc.pk)
                else:
                    check.error(n, "at", at.isoformat(), _("该停供记录已入账且内容与本次不同;更正请走更正流程"))  # fmt: skip
                continue
            made.append((acc.pk, at, reason, restored, False))
            touched.add(acc.pk)
        if check.errors:
            raise BatchRejected(check.errors)
        counts = (len(batch_rows), len(made) + len(restore), repeated)
        batch = finish(actor, zone, Batch.What.CUTOFFS, company, source, counts, touched, now)
        head = (zone_id(zone), source, batch.pk, now)
        insert(CutOff, CUTOFF_COLUMNS, [head + row for row in made])
        for pk, restored in restore.items():
            CutOff.objects.filter(pk=pk).update(restored_at=restored)
        after_ledger(touched, now)
    return batch


__all__ = [
    "MAX_INDEX", "MAX_TOPUP", "BatchRejected", "RowError", "post_cutoffs", "post_readings",
    "post_topups",
]  # fmt: skip
