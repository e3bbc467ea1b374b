"""Utilities' demo step: the main zone's 水电气 to today.

- The power, water and gas companies and their tariffs through the services (single, time-of-
  use and two-part electricity with a new agency price half a year ago; flat water and gas); the
  power company's partner account `power` (core.roles.PARTNER, the demo password).
- An electricity account for every above-scale enterprise (two-part from 315 kVA, a few on
  time-of-use with period registers), water for most, gas for some (the chain decides), written
  in bulk as the services leave them (one audit record).
- A year of daily readings to yesterday 23:00 (series.py: the returns' electricity, weekly and
  seasonal patterns, the Spring Festival dip) and the top-ups a prepaid enterprise makes, through
  the ingest service in two batches (source DEMO), then each month's two-part charge (jobs.py)
  and the warnings of today (services.warnings.after_ledger) and findings (services.findings).
- Planted: accounts inside each warning level (the `enterprise` account's enterprise among the
  second level), one 保电 account, one enterprise whose consumption fell sharply last week, one
  whose latest accepted return's electricity is 35 % under its meters.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from gaoxin.core import clock
from gaoxin.core.models import Membership, Role, User
from gaoxin.enterprises.models import Enterprise

from .. import forecast, jobs, tariffs
from ..models import Account, Kind, Level, Register, Source, Structure, TopUp, Warning
from ..services import findings, post_readings, post_topups
from ..services.accounts import add_company, add_tariff, add_version
from ..services.warnings import People
from . import series as s

DAY = datetime.timedelta(days=1)
PARTNER_USERNAME, PARTNER_NAME = "power", "赣江供电公司接口"
COMPANIES = {
    Kind.ELECTRICITY: "国网赣江高新区供电公司",
    Kind.WATER: "赣江高新区自来水有限公司",
    Kind.GAS: "赣江高新区燃气有限公司",
}
TOU_HOURS = {"peak": [[8, 11], [18, 21]], "flat": [[7, 8], [11, 18], [21, 23]],
             "valley": [[23, 7]], "critical": [[19, 21]]}  # fmt: skip
TOU_SHARES = {Register.PEAK: 0.36, Register.FLAT: 0.39, Register.VALLEY: 0.25}
KVA_SIZES = (100, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150,
             4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000)  # fmt: skip
TWO_PART_FROM = 315  # kVA: compulsory from 315 (DOMAIN.md)
TOU_ACCOUNTS = 6
# Days of supply left planted (the first: the `enterprise` account's electricity), and the
# balances of the used-up ones.
FIRST_DAYS = (5.5, 4.2, 6.3)
SECOND_DAYS = (2.1, 1.6, 2.6)
EXHAUSTED_BALANCES = (-186.4, -42.7)
PROTECTED_NAME = "江西仁济药业有限公司"
DROP_SHARE, DROP_DAYS = 0.22, 6  # last week at 22 % of its pattern
MISMATCH_FACTOR = 1.35  # the meters 35 % over the return
LATE_SHARE = 0.15  # accounts that top up only once warned (their past first-level warnings)
FIRST_LEVEL = 7  # days: the zone's first level (the defaults)


@dataclass
class UtilitiesSummary:
    zone: object = None
    accounts: dict = field(default_factory=dict)  # kind → count
    readings: int = 0
    topups: int = 0
    charges: int = 0
    past_warnings: int = 0  # first-level warnings of the year, each cleared by a top-up
    levels: dict = field(default_factory=dict)  # level → [account ids]
    protected: object = None  # the 保电 account
    drop: object = None  # the enterprise whose consumption fell last week
    mismatch: tuple = ()  # (enterprise, "yyyy-mm")
    partner: object = None
    findings: dict = field(default_factory=dict)

    def headline(self) -> str:
        return f"{sum(self.accounts.values())} 个水电气账户"

    def lines(self) -> list[str]:
        a, lv = self.accounts, self.levels
        return [
            f"  {self.zone.name}:水电气账户 电 {a.get(Kind.ELECTRICITY, 0)} / 水 "
            f"{a.get(Kind.WATER, 0)} / 气 {a.get(Kind.GAS, 0)} 个,读数 {self.readings} 条,"
            f"充值 {self.topups} 笔;一级预警 {len(lv.get(Level.FIRST, []))} 户、二级预警 "
            f"{len(lv.get(Level.SECOND, []))} 户、余额耗尽 {len(lv.get(Level.EXHAUSTED, []))} 户"
            f"(一年来充值解除的预警 {self.past_warnings} 条);"
            f"用量骤降 {self.findings.get('drops', 0)} 条、报表用电不符 "
            f"{self.findings.get('mismatches', 0)} 条"
        ]

    def audit(self, zone) -> dict:
        if zone != self.zone:
            return {}
        return {"水电气账户": sum(self.accounts.values()), "读数": self.readings,
                "充值": self.topups}  # fmt: skip


def build(demo) -> UtilitiesSummary:
    summary = Story(demo).build()
    for line in summary.lines():
        demo.progress(line)
    return summary


@dataclass
class Meter:
    """One account being drawn: its daily usage, cost and top-ups."""

    account: Account
    chain: str
    usage: dict  # day → kWh or m³
    registers: tuple = (Register.TOTAL,)
    cost: dict = field(default_factory=dict)  # day → 元
    charges: dict = field(default_factory=dict)  # month's first day → 元
    topups: list = field(default_factory=list)  # [(day, 元)]
    episodes: list = field(default_factory=list)  # [(day, balance, days left, top-up index)]
    target: float | None = None  # planted: the days of supply (or the balance) to end on
    level: int = Level.NONE  # planted: the level that makes


class Story:
    def __init__(self, demo):
        self.demo = demo
        self.zone = demo.zones[demo.main.code]
        self.now = clock.now()
        self.today = timezone.localdate(self.now)
        self.last = self.today - DAY  # the last day read (at 23:00)
        self.start = self.today - datetime.timedelta(days=365)
        self.admin = demo.officers(self.zone).get(None)
        chains = dict((e.pk, chain) for e, chain in demo.registries[demo.main.code])
        self.enterprises = [
            (e, chains.get(e.pk, ""))
            for e in Enterprise.objects.filter(zone=self.zone, above_scale=True, is_deleted=False)
            .order_by("pk")
        ]  # fmt: skip
        self.own = next(
            (m.enterprise_id for _u, m in demo.accounts
             if m.enterprise_id and m.zone_id == self.zone.pk), None,
        )  # fmt: skip
        self.summary = UtilitiesSummary(zone=self.zone)

    def months(self):
        """The first days of the months from the first reading to today: their charges."""
        month = self.start if self.start.day == 1 else (self.start + DAY * 31).replace(day=1)
        while month <= self.today:
            yield month
            month = (month + datetime.timedelta(days=32)).replace(day=1)

    # --- set-up through the services ----------------------------------------------------------

    def partner(self) -> User:
        user = User.objects.filter(username=PARTNER_USERNAME).first()
        if user is None:
            known = next((u.password for u, _m in self.demo.accounts if u.password), None)
            user = User(username=PARTNER_USERNAME, full_name=PARTNER_NAME, password=known or "")
            if not known:
                user.set_password(self.demo.password)
            user.save()
        if not Membership.objects.filter(user=user, role=Role.PARTNER, zone=self.zone).exists():
            membership = Membership(user=user, role=Role.PARTNER, zone=self.zone)
            membership.clean()
            membership.save()
            self.demo.accounts.append((user, membership))
        return user

    def tariffs(self) -> dict:
        a, z = self.admin, self.zone
        first = self.start.replace(day=1)
        later = (first + datetime.timedelta(days=190)).replace(day=1)  # a new agency price
        made = {
            Structure.SINGLE: add_tariff(
                a, z, name="一般工商业单一制电价", kind=Kind.ELECTRICITY,
                structure=Structure.SINGLE, valid_from=first, rates={"price": "0.6512"},
                note="江西省代理购电价格",
            ),
            Structure.TIME_OF_USE: add_tariff(
                a, z, name="一般工商业分时电价", kind=Kind.ELECTRICITY,
                structure=Structure.TIME_OF_USE, valid_from=first, rates={
                    "prices": {"critical": "1.2354", "peak": "1.0295", "flat": "0.6512",
                               "valley": "0.3034"},
                    "hours": TOU_HOURS, "critical_months": [1, 7, 8, 12]},
                note="江西省分时电价政策",
            ),
            Structure.TWO_PART: add_tariff(
                a, z, name="大工业两部制电价", kind=Kind.ELECTRICITY,
                structure=Structure.TWO_PART, valid_from=first,
                rates={"price": "0.5861", "capacity_price": "25"}, note="按受电容量计收基本电费",
            ),
            Kind.WATER: add_tariff(
                a, z, name="非居民用水", kind=Kind.WATER, structure=Structure.FLAT,
                valid_from=first, rates={"price": "3.45"},
            ),
            Kind.GAS: add_tariff(
                a, z, name="工业用天然气", kind=Kind.GAS, structure=Structure.FLAT,
                valid_from=first, rates={"price": "3.62"},
            ),
        }  # fmt: skip
        if later <= self.last:
            add_version(a, made[Structure.SINGLE], valid_from=later, rates={"price": "0.6687"},
                        note=f"{later:%Y年%m月}代理购电价格")  # fmt: skip
            add_version(a, made[Structure.TWO_PART], valid_from=later,
                        rates={"price": "0.6018", "capacity_price": "25"},
                        note=f"{later:%Y年%m月}代理购电价格")  # fmt: skip
        return made

    # --- the accounts and their days --------------------------------------------------------------

    def returns(self) -> dict:
        from gaoxin.statistics.models import ReturnValue

        out: dict = {}
        rows = ReturnValue.objects.filter(
            zone=self.zone, indicator__code="industrial_electricity", month_value__isnull=False,
            period__gte=(self.start.year - 1) * 100 + 1,
        ).values_list("enterprise_id", "period", "month_value")  # fmt: skip
        for enterprise_id, period, value in rows:
            out.setdefault(enterprise_id, {})[period] = value
        return out

    def meters(self, companies, tariff) -> list[Meter]:
        returns = self.returns()
        opened = self.start - datetime.timedelta(days=30)
        made, numbers = [], {Kind.ELECTRICITY: 0, Kind.WATER: 0, Kind.GAS: 0}
        tou_left = TOU_ACCOUNTS

        def account(enterprise, kind, tariff_, **extra):
            numbers[kind] += 1
            prefix = {Kind.ELECTRICITY: "36042501", Kind.WATER: "SW0425", Kind.GAS: "RQ0425"}
            return Account(
                zone=self.zone, enterprise=enterprise, kind=kind,
                meter_no=f"{prefix[kind]}{numbers[kind]:05d}", company=companies[kind],
                tariff=tariff_, opened_on=min(opened, max(enterprise.established_on or opened,
                                                          datetime.date(2012, 1, 1))),
                **extra,
            )  # fmt: skip

        for enterprise, chain in self.enterprises:
            erng = self.demo.rng(
                self.zone.code, "utilities", enterprise.uscc
            )  # not the pk: sequences differ
            p = s.profile(chain, returns.get(enterprise.pk, {}), erng, erng.uniform(2500, 15000))
            kwh = s.electricity(p, self.start, self.last)
            kva = next((k for k in KVA_SIZES if k >= p.level / 24 / 0.45), KVA_SIZES[-1])
            registers = (Register.TOTAL,)
            if kva >= TWO_PART_FROM:
                structure = Structure.TWO_PART
            elif tou_left and kva >= 160:
                structure, registers = Structure.TIME_OF_USE, tuple(TOU_SHARES)
                tou_left -= 1
            else:
                structure = Structure.SINGLE
            elec = account(enterprise, Kind.ELECTRICITY, tariff[structure],
                           capacity_kva=Decimal(kva))  # fmt: skip
            made.append(Meter(elec, chain, kwh, registers))
            if erng.random() < 0.7:
                ratio = s.WATER.get(chain, 0.015)
                made.append(Meter(account(enterprise, Kind.WATER, tariff[Kind.WATER]), chain,
                                  s.follow(kwh, ratio, erng)))  # fmt: skip
            if erng.random() < (0.45 if chain in s.GAS else 0.05):
                ratio = s.GAS.get(chain, 0.01)
                made.append(Meter(account(enterprise, Kind.GAS, tariff[Kind.GAS]), chain,
                                  s.follow(kwh, ratio, erng, weekend=0.95)))  # fmt: skip
        return made

    # --- planting ---------------------------------------------------------------------------------

    def plant(self, meters: list[Meter]) -> None:
        """The stories: levels, 保电, a drop, a mismatch."""
        rng = self.demo.rng(self.zone.code, "utilities", "plant")
        electricity = [m for m in meters if m.account.kind == Kind.ELECTRICITY]
        own = [m for m in electricity if m.account.enterprise_id == self.own]
        protected = next(
            (m for m in electricity if m.account.enterprise.name == PROTECTED_NAME), electricity[0]
        )
        a = protected.account
        a.protected, a.protected_reason = True, "无菌制剂车间连续生产,停电将致整批报废"
        a.protected_from = self.start
        self.summary.protected = a
        taken = {protected.account.enterprise_id, self.own}
        pool = [m for m in meters if m.account.enterprise_id not in taken]
        rng.shuffle(pool)
        # the drop and the mismatch: whole enterprises of their own
        drop = next(m for m in pool if m.account.kind == Kind.ELECTRICITY)
        taken.add(drop.account.enterprise_id)
        for m in meters:
            if m.account.enterprise_id == drop.account.enterprise_id:
                for n in range(1, DROP_DAYS + 1):
                    day = self.last - datetime.timedelta(days=n - 1)
                    m.usage[day] *= DROP_SHARE
        self.summary.drop = drop.account.enterprise
        self.mismatch(electricity, taken)
        levels = [(Level.SECOND, SECOND_DAYS[0], None)] if own else []
        levels += [(Level.FIRST, d, None) for d in FIRST_DAYS]
        levels += [(Level.SECOND, d, None) for d in SECOND_DAYS[1:]]
        levels += [(Level.EXHAUSTED, None, b) for b in EXHAUSTED_BALANCES]
        chosen = own[:1] + [m for m in pool if m.account.enterprise_id not in taken]
        used = set()
        for (level, days, balance), m in zip(levels, self._distinct(chosen, used), strict=False):
            m.target, m.level = (balance if balance is not None else days), level

    def _distinct(self, meters, used):
        for m in meters:
            if m.account.enterprise_id not in used:
                used.add(m.account.enterprise_id)
                yield m

    def mismatch(self, electricity, taken) -> None:
        """The latest fully metered month with an accepted return, one enterprise 35 % over."""
        from gaoxin.statistics.models import ReturnValue

        latest = self.last.replace(day=1) - DAY  # the last whole month's last day
        first_whole = (self.start + DAY * 31).replace(day=1)
        rows = ReturnValue.objects.filter(
            zone=self.zone, indicator__code="industrial_electricity", month_value__gt=0,
            period__gte=first_whole.year * 100 + first_whole.month,
            period__lte=latest.year * 100 + latest.month,
        ).values_list("enterprise_id", "period")  # fmt: skip
        best = {}
        for enterprise_id, period in rows:
            if period % 100 == 2:
                continue  # the 1–2月 return spans two months
            best[enterprise_id] = max(best.get(enterprise_id, 0), period)
        candidates = [m for m in electricity if m.account.enterprise_id not in taken
                      and m.account.enterprise_id in best]  # fmt: skip
        if not candidates:
            return
        period = max(best[m.account.enterprise_id] for m in candidates)
        m = next(m for m in candidates if best[m.account.enterprise_id] == period)
        month = datetime.date(period // 100, period % 100, 1)
        for day in s.month_days(month):
            m.usage[day] *= MISMATCH_FACTOR
        taken.add(m.account.enterprise_id)
        self.summary.mismatch = (m.account.enterprise, f"{month:%Y-%m}")

    # --- money --------------------------------------------------------------------------------

    def price(self, meters: list[Meter]) -> None:
        """Each day's cost in 元 (unit prices as floats: within a few cents a year of what the
        ingest charges to the cent) and each month's two-part charge, for the top-ups."""
        versions = tariffs.Versions({m.account.tariff_id for m in meters})
        units: dict = {}
        for m in meters:
            a = m.account
            structure = a.tariff.structure
            for day, used in m.usage.items():
                version = versions.on(a.tariff_id, day)
                key = (version.pk, day.month)
                if key not in units:
                    pricer = tariffs.pricer(structure, version)
                    units[key] = {
                        r: float(pricer.unit_price(r, day)) for r in (*TOU_SHARES, "total")
                    }
                unit = units[key]
                m.cost[day] = sum(used * TOU_SHARES.get(r, 1) * unit[r] for r in m.registers)
            if structure == Structure.TWO_PART:
                for month in self.months():
                    charge = tariffs.monthly_charge(versions.on(a.tariff_id, month), a)
                    m.charges[month] = float(charge[1]) if charge else 0.0

    def topups(self, m: Meter) -> None:
        """A prepaid enterprise's top-ups: 25–40 days' worth at the start, then 20–45 days'
        worth whenever fewer than 8–14 days are left; planted accounts end on their target."""
        rng = self.demo.rng(self.zone.code, "utilities", "topup", m.account.meter_no)
        mean = sum(m.cost.values()) / max(1, len(m.cost)) + sum(m.charges.values()) / 365
        step = 1000 if mean > 300 else 100

        def amount(days):
            return max(step, math.ceil(mean * days / step) * step)

        balance = 0.0
        m.topups = [(self.start, amount(rng.uniform(25, 40)))]
        balance += m.topups[0][1]
        late = m.target is None and rng.random() < LATE_SHARE
        low = rng.uniform(4.5, 6.5) if late else rng.uniform(8, 14)
        warned = None  # (day, balance) when a late payer's balance fell to the first level

        def top_up(day, paid):
            nonlocal warned
            m.topups.append((day, paid))
            if warned is not None and day > warned[0]:
                m.episodes.append((*warned, len(m.topups) - 1))
            warned = None
            return paid

        day = self.start
        while day <= self.last:
            balance -= m.cost.get(day, 0) + m.charges.get(day, 0)
            if late and warned is None and mean * 3.2 < balance <= mean * FIRST_LEVEL:
                warned = (day, balance, balance / mean)
            if balance < mean * low and day < self.last:
                balance += top_up(day + DAY, amount(rng.uniform(20, 45)))
            day += DAY
        if m.target is None:
            if balance < mean * 15:
                top_up(self.last, amount(30))
            return
        target = self.target_balance(m)
        self.end_on(m, balance, target)

    def target_balance(self, m: Meter) -> float:
        if m.level == Level.EXHAUSTED:
            return m.target
        series = {d: c for d, c in m.cost.items()}
        costs = forecast.weekday_costs(series, self.last)
        fixed = forecast.fixed_daily(
            tariffs.Versions([m.account.tariff_id]).on(m.account.tariff_id, self.today), m.account
        )
        costs = [c + fixed for c in costs]
        last_at = timezone.make_aware(
            datetime.datetime.combine(self.last, datetime.time(23)), timezone.get_default_timezone()
        )
        days = m.target + max(0.0, (self.now - last_at).total_seconds() / 86400)
        balance, day = 0.0, self.last + DAY
        while days > 0:
            cost = costs[day.weekday()]
            balance += cost * min(1.0, days)
            days -= 1
            day += DAY
        return balance

    def end_on(self, m: Meter, balance: float, target: float) -> None:
        """Move the last top-ups so the balance ends on `target`: those of the last 10 days go,
        the latest older one takes the difference (or goes too, when it would turn negative)."""
        delta = target - balance
        while m.topups:
            day, paid = m.topups[-1]
            if day > self.last - datetime.timedelta(days=10) or paid + delta <= 0:
                m.topups.pop()
                delta += paid
                continue
            m.topups[-1] = (day, round(paid + delta, 2))
            return
        m.topups.append((self.start, round(delta, 2)))

    # --- writing ------------------------------------------------------------------------------------

    def rows(self, meters: list[Meter]):
        readings, payments = [], []
        tz = timezone.get_default_timezone()

        def at(day, hour, minute=0):
            return timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(hour, minute)), tz
            )

        evenings = {}
        for m in meters:
            a = m.account
            rng = self.demo.rng(self.zone.code, "utilities", "index", a.meter_no)
            for r in m.registers:
                index = Decimal(rng.randint(1000, 90000))
                base = {"meter_no": a.meter_no, "kind": a.kind, "register": r}
                readings.append({**base, "read_at": at(self.start, 0), "index": index})
                share = TOU_SHARES.get(r, 1)
                for day in sorted(m.usage):
                    index += Decimal(f"{m.usage[day] * share:.3f}")
                    if day not in evenings:
                        evenings[day] = at(day, 23)
                    readings.append({**base, "read_at": evenings[day], "index": index})
            for n, (day, paid) in enumerate(m.topups, start=1):
                payments.append({
                    "meter_no": a.meter_no, "kind": a.kind, "paid_at": at(day, 10, n % 50),
                    "amount": Decimal(f"{paid:.2f}"), "channel": "网上国网" if a.kind == Kind.ELECTRICITY else "营业厅",
                    "transaction_id": self.transaction_id(a, day, n),
                })  # fmt: skip
        return readings, payments

    def past_warnings(self, meters: list[Meter]) -> None:
        """The late payers' first-level warnings of the year, each cleared by the top-up that
        followed it, as the services leave them (raised after the evening's reading, notified to
        the enterprise and its officers, cleared as the top-up came in)."""
        tz = timezone.get_default_timezone()
        late = [m for m in meters if m.episodes]
        paid = {
            (t.account_id, t.transaction_id): t
            for t in TopUp.objects.filter(account__in=[m.account for m in late])
        }
        people = People()
        rows = []
        for m in late:
            a = m.account
            told = len(people.enterprise_users(a.enterprise_id)) + len(
                people.officers(self.zone.pk, a.enterprise_id)
            )
            for day, balance, days, n in m.episodes:
                topup = paid[(a.pk, self.transaction_id(a, m.topups[n][0], n + 1))]
                rows.append(Warning(
                    zone=self.zone, account=a, level=Level.FIRST, notified=told,
                    raised_at=timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(23, 30)), tz),
                    days_left=Decimal(f"{days:.1f}"), balance=Decimal(f"{balance:.2f}"),
                    cleared_at=topup.paid_at + datetime.timedelta(minutes=5), cleared_by=topup,
                ))  # fmt: skip
        Warning.objects.bulk_create(rows, batch_size=500)
        self.summary.past_warnings = len(rows)

    def transaction_id(self, account, day, n) -> str:
        return f"{account.meter_no}-{day:%Y%m%d}-{n:03d}"

    def build(self) -> UtilitiesSummary:
        partner = self.partner()
        self.summary.partner = partner
        companies = {
            kind: add_company(self.admin, self.zone, name=name, kind=kind,
                              users=[partner] if kind == Kind.ELECTRICITY else [])
            for kind, name in COMPANIES.items()
        }  # fmt: skip
        tariff = self.tariffs()
        meters = self.meters(companies, tariff)
        self.plant(meters)
        Account.objects.bulk_create([m.account for m in meters], batch_size=500)
        # Audited in the demo's one record of the zone (`audit` below), as every step is.
        self.price(meters)
        for m in meters:
            self.topups(m)
        readings, payments = self.rows(meters)
        post_topups(self.admin, self.zone, payments, source=Source.DEMO)
        self.past_warnings(meters)
        for month in self.months():
            self.summary.charges += jobs.monthly_charges(self.zone, month, self.now)
        # the readings last: their batch refreshes the forecasts and raises today's warnings
        post_readings(self.admin, self.zone, readings, source=Source.DEMO)
        self.summary.findings = findings.detect(self.zone, self.today)
        for kind in Kind.values:
            self.summary.accounts[kind] = sum(m.account.kind == kind for m in meters)
        self.summary.readings, self.summary.topups = len(readings), len(payments)
        self.summary.levels = {
            level: list(Account.objects.filter(zone=self.zone, level=level).order_by("pk"))
            for level in (Level.FIRST, Level.SECOND, Level.EXHAUSTED)
        }
        return self.summary
