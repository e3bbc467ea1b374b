"""The demo's economic statistics (经济运行): every above-scale enterprise's monthly returns from
the 1–2月 return of 2018 to the present reporting period (October 2026), the zone's official
figures, deadlines, reminders, and a present period with work to do.

History. Each enterprise reports from its 入规 month on (its values are year to date from
January, as a newly above-scale enterprise reports them) until it stops operating. Its figures
follow its size and industry (output; revenue ≈ output; profit, tax, R&D and exports as shares
of it; electricity in 万千瓦时 by the industry's intensity; employees from output per worker),
grow year by year, dip at the Spring Festival (the 1–2月 return) and in the 2020 epidemic.
Historical returns are accepted and written in bulk as the services would leave them (the
return, its submission and acceptance snapshots in ReturnRevision, the values through
`publish.publish_many`), then the zone's rollups are rebuilt once (`rollups.refresh_all`).

Calibration. The main zone's 2019 figures equal DOMAIN.md's published ones (figures.py,
"economic statistics"), measured by `statistics.engine.figures(zone, 2019-12)` after the build:
tax and electricity totals exactly, and their growth and R&D spending's on the same set of
enterprises (those that reported December of both years). The values are drawn, then scaled: the
same set's 2019-on values so that the total holds given the 39 newcomers' own, its 2018 values so
that the growth holds; rounded to 0.1, the remainder goes onto one enterprise's December. Value
added and the high-tech share are official figures, stored as published (`services.save_official`).

The present (2026-10, due on 10 November; the demo's "today" is INVESTMENT_AS_OF). Most returns
are accepted; some enterprises have not started theirs, one was sent back, a dozen clean ones
wait for review, the enterprise account's own is a draft, and five carry the planted errors of
PLANTED, submitted through `services.submit` so the checks find them the normal way. Every
enterprise yet to report has been reminded (`services.remind`), those with no return twice.

The other zones get uncalibrated returns from the 1–2月 return of last year on, all accepted.
"""

import datetime
import json
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils import timezone

from gaoxin.core.bulk import insert
from gaoxin.core.periods import Period
from gaoxin.enterprises.models import Contact, Scale, Status
from gaoxin.statistics import engine, publish, rollups, services
from gaoxin.statistics.importers.writing import RETURN_FIELDS, REVISION_FIELDS
from gaoxin.statistics.models import (
    Finding,
    OfficialSource,
    Return,
    ReturnRevision,
    ReturnStatus,
)

from . import figures
from .chains import BIOMEDICINE, CROSS_BORDER, ELECTRONICS, MATERIALS, SMART_MANUFACTURING, TEXTILES
from .investment import CalibrationError

FIRST = Period.of(figures.STATISTICS_FIRST_PERIOD)
PRESENT = Period.of(figures.STATISTICS_PRESENT_PERIOD)
# The other zones' returns start later: enough for a year's growth, at a fraction of the rows.
OTHER_ZONES_FIRST = Period(PRESENT.year - 1, 2)
TENTH = Decimal("0.1")
CUMULATIVE = (
    "output_value", "revenue", "profit", "industrial_tax", "industrial_electricity",
    "rd_spending", "exports", "fixed_asset_investment",
)  # fmt: skip
CODES = (*CUMULATIVE[:5], "employees", *CUMULATIVE[5:])

# The planted errors of the present period: (enterprise, the rule that must catch it). Flagship
# enterprises of the main zone, so that the names are the same for every seed.
PLANTED = (
    ("江西仁济药业有限公司", "cumulative-revenue"),  # the month's revenue typed as 1–10月
    ("赣江恒信纺织服饰有限公司", "unit-slip-output"),  # output typed in 元, not 万元
    ("江西聚材高分子材料有限公司", "ratio-electricity-output"),  # electricity off the scale
    ("江西智衡机器人科技有限公司", "swing-month-output"),  # October's output +80%, unexplained
    ("九江晶彩电子玻璃股份有限公司", "required-employees"),  # employees left empty
)
# What engine.figures(main zone, 2019-12) must say: code → (value, yoy %, source).
EXPECTED = {
    "industrial_value_added": (
        figures.INDUSTRIAL_VALUE_ADDED_2019, figures.INDUSTRIAL_VALUE_ADDED_GROWTH_2019, "official",
    ),
    "industrial_tax": (
        figures.INDUSTRIAL_TAX_2019, figures.INDUSTRIAL_TAX_GROWTH_2019, "computed",
    ),
    "industrial_electricity": (
        figures.INDUSTRIAL_ELECTRICITY_2019, figures.INDUSTRIAL_ELECTRICITY_GROWTH_2019, "computed",
    ),
    "rd_spending": (None, figures.RD_SPENDING_GROWTH_2019, "computed"),
    "hightech_share": (figures.HIGH_TECH_VALUE_ADDED_SHARE_2019, None, "official"),
}  # fmt: skip
COMPUTED = ("industrial_tax", "industrial_electricity", "rd_spending")
# code → (2019 total or None, same-set growth %) the generator scales to.
TARGETS = {
    "industrial_tax": (figures.INDUSTRIAL_TAX_2019, figures.INDUSTRIAL_TAX_GROWTH_2019),
    "industrial_electricity": (
        figures.INDUSTRIAL_ELECTRICITY_2019,
        figures.INDUSTRIAL_ELECTRICITY_GROWTH_2019,
    ),
    "rd_spending": (None, figures.RD_SPENDING_GROWTH_2019),
}

# ---- the shape of the figures ------------------------------------------------------------------

# Share of a year's output by month: the Spring Festival falls in January–February, the year
# ends with a rush.
SEASON = (0, .068, .056, .083, .082, .084, .088, .083, .084, .089, .086, .092, .105)  # fmt: skip
EPIDEMIC_2020 = {1: 0.8, 2: 0.35, 3: 0.8, 4: 0.95}
# The zone's output growth by year (each enterprise adds its own).
GROWTH = {2019: .12, 2020: .02, 2021: .16, 2022: .07, 2023: .04, 2024: .08, 2025: .06,
          2026: .07}  # fmt: skip
# Median yearly output in 2019 by scale class (万元); newcomers to 规上 are smaller.
OUTPUT_2019 = {Scale.LARGE: 120000, Scale.MEDIUM: 22000, Scale.SMALL: 6000, Scale.MICRO: 3000}
# Electricity per 万元 of output (万千瓦时) and output per worker (万元) by chain.
INTENSITY = {ELECTRONICS: .007, TEXTILES: .014, MATERIALS: .025, SMART_MANUFACTURING: .005,
             BIOMEDICINE: .009, CROSS_BORDER: .004}  # fmt: skip
PRODUCTIVITY = {ELECTRONICS: 130, TEXTILES: 45, MATERIALS: 180, SMART_MANUFACTURING: 110,
                BIOMEDICINE: 120, CROSS_BORDER: 150}  # fmt: skip
SCALE_PRODUCTIVITY = {Scale.LARGE: 1.3, Scale.MEDIUM: 1.0, Scale.SMALL: 0.8, Scale.MICRO: 0.7}
EXPORT_ODDS = {ELECTRONICS: (0.6, 0.45), TEXTILES: (0.5, 0.35)}  # (odds, highest share)
RETURNED_REASON = "出口交货值与海关数据不一致,请核实后重新报送"
SECOND_REMINDER = "已超过报送截止日期,请今日内完成 2026 年 10 月统计报表的填报与报送。"


@dataclass
class Reporter:
    enterprise: object
    chain: str
    first: Period
    last: Period
    months: dict = field(default_factory=dict)  # code → {year: [None, m1 … m12]} (floats, Decimals)

    def periods(self):
        year, month = self.first.year, self.first.month
        while (year, month) <= (self.last.year, self.last.month):
            yield Period(year, month)
            year, month = (year + 1, 2) if month == 12 else (year, month + 1)

    def reports(self, key: int) -> bool:
        return self.first.key <= key <= self.last.key

    def data(self, period: Period) -> dict:
        """The return's figures as typed: year to date for cumulative indicators."""
        out = {}
        for code in CODES:
            series = self.months[code][period.year]
            if code == "employees":
                out[code] = series[period.month]
            else:
                out[code] = sum(series[1 : period.month + 1], Decimal(0))
        return out


@dataclass
class StatisticsSummary:
    zone: object
    returns: int = 0
    values: int = 0
    periods: int = 0
    by_status: dict = field(default_factory=dict)  # present period: status → count
    missing: int = 0
    findings: int = 0
    officials: int = 0
    reminders: int = 0
    deadlines: int = 0
    planted: list = field(default_factory=list)  # [(enterprise name, uscc, rule code)]
    measured: dict = field(default_factory=dict)

    def as_audit(self) -> dict:
        """For the zone's one demo audit record (build.py)."""
        return {"月度报表": self.returns, "报表数值": self.values, "官方数据": self.officials}

    def line(self) -> str:
        status = "、".join(f"{ReturnStatus(s).label}{n}" for s, n in self.by_status.items() if n)
        return (
            f"  {self.zone.name}:月度报表 {self.returns} 份({self.periods} 个报告期),"
            f"报表数值 {self.values} 条;{PRESENT.label()}:{status or '无'},"
            f"未报 {self.missing} 家,审核发现 {self.findings} 项,官方数据 {self.officials} 条"
        )


# ---- drawing the figures -----------------------------------------------------------------------


def _lognormal(rng, sigma: float) -> float:
    return math.exp(rng.gauss(0, sigma))


def _tenth(value: float) -> Decimal:
    return Decimal(round(value * 10)).scaleb(-1)


def _span(enterprise, start: Period = FIRST) -> tuple[Period, Period] | None:
    """The first and last period the enterprise owes a return, None when it never does."""
    since = enterprise.above_scale_since
    if not enterprise.above_scale or since is None:
        return None
    first = max(start, Period(since.year, max(since.month, 2)))
    last = PRESENT
    if enterprise.status != Status.OPERATING and enterprise.status_since:
        stopped = enterprise.status_since
        last = Period(stopped.year, stopped.month).previous_month()
        last = min(last, PRESENT)
    if last < first:
        return None
    return first, last


def _draw(rng, reporter: Reporter) -> None:
    """Float month values of every year the reporter reports, January included."""
    e, chain = reporter.enterprise, reporter.chain
    years = range(reporter.first.year, reporter.last.year + 1)
    newcomer = e.above_scale_since.year >= 2019
    level = {
        2019: OUTPUT_2019.get(e.scale, 6000) * _lognormal(rng, 0.45) * (0.8 if newcomer else 1)
    }
    level[2019] = max(level[2019], 2600)
    for year in range(2018, 2017, -1):
        level[year] = level[year + 1] / (1 + GROWTH[year + 1] + rng.gauss(0, 0.06))
    for year in range(2020, PRESENT.year + 1):
        change = min(0.35, max(-0.2, GROWTH[year] + rng.gauss(0, 0.06)))
        level[year] = level[year - 1] * (1 + change)
    revenue_rate = rng.uniform(0.9, 1.02)
    margin = min(0.15, max(0.01, rng.gauss(0.06, 0.025)))
    tax_rate = 0.008 * _lognormal(rng, 0.35)
    intensity = min(0.15, max(0.003, INTENSITY.get(chain, 0.01) * _lognormal(rng, 0.3)))
    productivity = (
        PRODUCTIVITY.get(chain, 90) * SCALE_PRODUCTIVITY.get(e.scale, 1) * _lognormal(rng, 0.25)
    )
    rd_rate = (0.03 if e.high_tech else 0.008) * _lognormal(rng, 0.3)
    odds, top = EXPORT_ODDS.get(chain, (0.25, 0.2))
    export_share = rng.uniform(0.03, top) if rng.random() < odds else 0.0
    series = {code: {} for code in CODES}
    for year in years:
        weights = [0.0] + [
            SEASON[m] * rng.gauss(1, 0.035) * (EPIDEMIC_2020.get(m, 1) if year == 2020 else 1)
            for m in range(1, 13)
        ]
        total = sum(weights)
        year_margin = max(0.005, margin + rng.gauss(0, 0.01) - (0.02 if year == 2020 else 0))
        workers = level[year] / (productivity * 1.05 ** (year - 2019))
        # Fixed-asset investment: upkeep every year, now and then a new line.
        fai = level[year] * (
            rng.uniform(0.015, 0.05) + (rng.uniform(0.03, 0.1) if rng.random() < 0.25 else 0)
        )
        fai_weights = [0.0] + [rng.random() ** 3 for _m in range(12)]
        fai_total = sum(fai_weights) or 1
        rows = {code: [None] * 13 for code in CODES}
        for m in range(1, 13):
            output = level[year] * weights[m] / total
            revenue = output * revenue_rate * rng.gauss(1, 0.02)
            rows["output_value"][m] = output
            rows["revenue"][m] = revenue
            rows["profit"][m] = revenue * year_margin * max(0.3, rng.gauss(1, 0.15))
            rows["industrial_tax"][m] = revenue * tax_rate * max(0.3, rng.gauss(1, 0.1))
            rows["industrial_electricity"][m] = output * intensity * rng.gauss(1, 0.04)
            rows["employees"][m] = workers * (0.96 if m == 2 else 1) * rng.gauss(1, 0.01)
            rows["rd_spending"][m] = (
                revenue * rd_rate * max(0.3, rng.gauss(1, 0.15)) * (1.4 if m == 12 else 1)
            )
            rows["exports"][m] = output * export_share * max(0.0, rng.gauss(1, 0.1))
            rows["fixed_asset_investment"][m] = fai * fai_weights[m] / fai_total
        for code in CODES:
            series[code][year] = rows[code]
    reporter.months = series


def _sum(reporters, code: str, year: int) -> float | Decimal:
    return sum(sum(r.months[code][year][1:]) for r in reporters)


def _scale(reporters, code: str, factor: float, years) -> None:
    for r in reporters:
        for year in years:
            if year in r.months[code]:
                r.months[code][year] = [None] + [v * factor for v in r.months[code][year][1:]]


def _round(reporters) -> None:
    for r in reporters:
        for code in CODES:
            for year, row in r.months[code].items():
                if code == "employees":
                    r.months[code][year] = [None] + [Decimal(max(20, round(v))) for v in row[1:]]
                else:
                    r.months[code][year] = [None] + [_tenth(v) for v in row[1:]]


def _fix(reporters, code: str, year: int, target: Decimal) -> None:
    """Put the remainder between the target and the rounded sum onto the largest December."""
    biggest = max(reporters, key=lambda r: r.months[code][year][12])
    remainder = target - _sum(reporters, code, year)
    biggest.months[code][year][12] += remainder
    if biggest.months[code][year][12] <= 0:
        raise CalibrationError(f"{code} {year}: remainder {remainder} does not fit")


def calibrate(reporters: list[Reporter]) -> None:
    """Scale, round and fix so that the 2019 figures come out exactly (module docstring)."""
    same = [r for r in reporters if r.reports(201812) and r.reports(201912)]
    new = [r for r in reporters if r.reports(201912) and not r.reports(201812)]
    later = range(2019, PRESENT.year + 1)
    for code, (total, pct) in TARGETS.items():
        rate = 1 + float(pct) / 100
        if total is None:
            _scale(same, code, _sum(same, code, 2018) * rate / _sum(same, code, 2019), later)
            continue
        target19 = float(total) - _sum(new, code, 2019)
        _scale(same, code, target19 / _sum(same, code, 2019), later)
        _scale(same, code, target19 / rate / _sum(same, code, 2018), (2018,))
    _round(reporters)
    for code, (total, pct) in TARGETS.items():
        rate = 1 + pct / 100
        if total is None:
            target19 = (_sum(same, code, 2018) * rate).quantize(TENTH, ROUND_HALF_UP)
        else:
            target19 = total - _sum(new, code, 2019)
            _fix(same, code, 2018, (target19 / rate).quantize(TENTH, ROUND_HALF_UP))
        _fix(same, code, 2019, target19)
        if engine.growth(_sum(same, code, 2019), _sum(same, code, 2018)) != pct:
            raise CalibrationError(f"{code}: same-set growth misses {pct}%")


# ---- writing -----------------------------------------------------------------------------------


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def _plain(data: dict) -> dict:
    return {code: None if v is None else format(v, "f") for code, v in data.items()}


class ZoneStatistics:
    """One zone's statistics; `officers` by department name as in build.py, `account` the
    enterprise demo user (the main zone's) or None."""

    def __init__(self, zone, rng, *, registry, officers, account=None, calibrated=False):
        self.zone, self.rng, self.calibrated = zone, rng, calibrated
        self.officer = officers.get("经济发展局") or officers.get(None)
        self.account, own = account or (None, None)
        self.first = FIRST if calibrated else OTHER_ZONES_FIRST
        self.reporters = []
        for enterprise, chain in registry:
            span = _span(enterprise, self.first)
            if span:
                self.reporters.append(Reporter(enterprise, chain, *span))
        self.own = next((r for r in self.reporters if r.enterprise.pk == own), None)
        self.summary = StatisticsSummary(zone)

    def build(self) -> StatisticsSummary:
        for reporter in self.reporters:
            _draw(self.rng, reporter)
        if self.calibrated:
            calibrate(self.reporters)
        else:
            _round(self.reporters)
        present = self._present_roles() if self.calibrated else {}
        self._deadlines()
        self._write_history(present)
        rollups.refresh_all(self.zone.pk)
        if self.calibrated:
            check_calibration(self.zone, COMPUTED)
            self._write_present(present)
            self._write_officials()
            self.summary.measured = check_calibration(self.zone)
        self._count()
        return self.summary

    # -- the present period's roles ------------------------------------------------------------

    def _present_roles(self) -> dict:
        """{enterprise id: role} for the present period; enterprises not named are accepted."""
        by_name = {r.enterprise.name: r for r in self.reporters}
        roles = {}
        for name, rule in PLANTED:
            reporter = by_name.get(name)
            if reporter is None or not reporter.reports(PRESENT.key):
                raise CalibrationError(f"planted error on {name}: not a reporter of {PRESENT}")
            roles[reporter.enterprise.pk] = ("planted", rule)
        if self.own is not None:
            roles[self.own.enterprise.pk] = ("draft", None)
        pool = [
            r
            for r in self.reporters
            if r.reports(PRESENT.key) and r.enterprise.pk not in roles and r.reports(202510)
        ]
        counts = (
            ("missing", figures.PRESENT_NOT_STARTED),
            ("submitted", figures.PRESENT_SUBMITTED_CLEAN),
            ("returned", figures.PRESENT_RETURNED),
        )
        chosen = self.rng.sample(pool, sum(n for _role, n in counts))
        for role, n in counts:
            for reporter in chosen[:n]:
                roles[reporter.enterprise.pk] = (role, None)
            chosen = chosen[n:]
        return roles

    # -- history: bulk, as the services leave it -----------------------------------------------

    def _deadlines(self) -> None:
        self.deadlines = dict(figures.STATISTICS_DEADLINES) if self.calibrated else {}
        for period, due in self.deadlines.items():
            services.set_deadline(self.officer, self.zone, period, due)
        self.summary.deadlines = len(self.deadlines)

    def _due(self, period: Period) -> datetime.date:
        return self.deadlines.get(period.key) or services.default_due_on(period.key)

    def _write_history(self, present: dict) -> None:
        """Every accepted return, with its submission and acceptance snapshots, then its values
        (`publish.publish_many`); rows as the services leave them, inserted as plain tuples."""
        rng, zone, ops = self.rng, self.zone, connection.ops
        names = self._reporters_names()
        account_pk = self.own.enterprise.pk if self.own else None
        account_id = self.account.pk if self.account else None
        officer = self.officer
        rows, snapshots = [], []
        for reporter in self.reporters:
            e = reporter.enterprise
            submitter = (account_id, self.account.username) if e.pk == account_pk else None
            for period in reporter.periods():
                if period == PRESENT and e.pk in present:
                    continue
                due = self._due(period)
                submitted = _aware(
                    due - datetime.timedelta(days=rng.randint(0, 5)),
                    rng.randint(8, 17),
                    rng.randint(0, 59),
                )
                reviewed = submitted + datetime.timedelta(
                    days=rng.randint(1, 3), hours=rng.randint(0, 3)
                )
                at, done = (
                    ops.adapt_datetimefield_value(submitted),
                    ops.adapt_datetimefield_value(reviewed),
                )
                data = json.dumps(_plain(reporter.data(period)))
                rows.append(
                    (zone.pk, e.pk, period.key, ReturnStatus.ACCEPTED, data, "{}",
                     ops.adapt_datefield_value(due), at, submitter and submitter[0], done,
                     officer.pk, "", 0, 4, at, done)
                )  # fmt: skip
                who = submitter or (None, names.get(e.pk, ""))
                snapshots.append((e.pk, period.key, data, at, done, who))
        insert(Return, RETURN_FIELDS, rows)
        pks = {
            (enterprise, period): pk
            for enterprise, period, pk in Return.objects.filter(zone=zone).values_list(
                "enterprise_id", "period", "pk"
            )
        }
        revisions = []
        for enterprise, period, data, at, done, (actor_id, actor_name) in snapshots:
            pk = pks[(enterprise, period)]
            revisions.append(
                (zone.pk, pk, 0, ReturnStatus.SUBMITTED, data, "", actor_id, actor_name, at)
            )
            revisions.append(
                (zone.pk, pk, 0, ReturnStatus.ACCEPTED, data, "", officer.pk, officer.username,
                 done)
            )  # fmt: skip
        insert(ReturnRevision, REVISION_FIELDS, revisions)
        returns = [
            Return(pk=pks[(row[1], row[2])], zone_id=zone.pk, enterprise_id=row[1],
                   period=row[2], data=json.loads(row[4]))
            for row in rows
        ]  # fmt: skip
        self.summary.values = publish.publish_many(zone, returns, refresh=False)
        self.summary.returns = len(returns)
        self.summary.periods = len({r.period for r in returns})

    def _reporters_names(self) -> dict:
        """Who files each enterprise's returns: its 统计员, else its primary contact."""
        names = {}
        contacts = Contact.objects.filter(
            zone=self.zone, enterprise_id__in=[r.enterprise.pk for r in self.reporters]
        ).order_by("enterprise_id", "-is_primary", "id")
        for c in contacts:
            if c.title == "统计员" or c.enterprise_id not in names:
                names[c.enterprise_id] = c.name
        return names

    # -- the present period: through the services ----------------------------------------------

    def _write_present(self, present: dict) -> None:
        officer = self.officer
        by_pk = {r.enterprise.pk: r for r in self.reporters}
        for pk, (role, rule) in sorted(present.items()):
            reporter = by_pk[pk]
            e = reporter.enterprise
            data = reporter.data(PRESENT)
            if role == "missing":
                continue
            if role == "draft":
                user = self.account
                ret = services.return_for(user, e, PRESENT.key, create=True)
                partial = {c: data[c] for c in ("output_value", "revenue", "employees")}
                services.save_draft(user, ret, data=partial, version=ret.version)
                continue
            if role == "planted":
                data = plant(reporter, rule, data)
                self.summary.planted.append((e.name, e.uscc, rule))
            ret = services.return_for(officer, e, PRESENT.key, create=True)
            ret = services.save_draft(officer, ret, data=data, version=ret.version)
            ret = services.submit(officer, ret, version=ret.version)
            if role == "returned":
                services.send_back(officer, ret, reason=RETURNED_REASON, version=ret.version)
        self.summary.reminders = services.remind(officer, self.zone, PRESENT.key)
        not_started = [pk for pk, (role, _r) in present.items() if role == "missing"]
        self.summary.reminders += services.remind(
            officer, self.zone, PRESENT.key, enterprise_ids=not_started, message=SECOND_REMINDER
        )

    def _write_officials(self) -> None:
        officer, zone = self.officer, self.zone
        statistics, tax = OfficialSource.STATISTICS, OfficialSource.TAX
        rows = []
        for period, (value, pct) in figures.VALUE_ADDED.items():
            rows.append(("industrial_value_added", period, value, pct, statistics))
        for period, share in figures.HIGH_TECH_SHARE.items():
            rows.append(("hightech_share", period, share, None, statistics))
            added = Decimal(figures.VALUE_ADDED[period][0]) * Decimal(share) / 100
            rows.append(
                ("hightech_value_added", period, added.quantize(TENTH, ROUND_HALF_UP), None,
                 statistics)
            )  # fmt: skip
        for period, (value, pct) in figures.OFFICIAL_TAX.items():
            rows.append(("official_tax", period, value, pct, tax))
        for period, (value, pct) in figures.GDP.items():
            rows.append(("gdp", period, value, pct, statistics))
        for period, value in figures.RD_INTENSITY.items():
            rows.append(("rd_intensity", period, value, None, statistics))
        for code, period, value, pct, source in rows:
            services.save_official(
                officer, zone, indicator=code, period=period, value=value, yoy_pct=pct,
                source=source, source_note=_source_note(code, period),
            )  # fmt: skip
        self.summary.officials = len(rows)

    def _count(self) -> None:
        key = PRESENT.key
        statuses = Return.objects.filter(zone=self.zone, period=key).values_list(
            "status", flat=True
        )
        counts = {s: 0 for s in ReturnStatus.values}
        for status in statuses:
            counts[status] += 1
        self.summary.by_status = counts
        self.summary.missing = services.missing_reporters(self.zone, key).count()
        self.summary.findings = Finding.objects.filter(zone=self.zone, period=key).count()


def _source_note(code: str, period: int) -> str:
    label = Period.of(period).ytd_label()
    if code == "official_tax":
        return f"县税务局提供,{label}"
    return f"县统计局月报,{label}"


def plant(reporter: Reporter, rule: str, data: dict) -> dict:
    """The present return's figures with the planted error of `rule`."""
    data = dict(data)
    september = reporter.data(PRESENT.previous_reporting())
    months = reporter.months
    if rule == "cumulative-revenue":  # October's own revenue typed as the 1–10月 value
        data["revenue"] = months["revenue"][PRESENT.year][PRESENT.month]
    elif rule == "unit-slip-output":  # typed in 元
        data["output_value"] = data["output_value"] * 10000
    elif rule == "ratio-electricity-output":  # 2.5 万千瓦时 per 万元 of output: far too much
        data["industrial_electricity"] = (data["output_value"] * Decimal("2.5")).quantize(TENTH)
    elif rule == "swing-month-output":  # a big order: October's output and revenue +80%
        for code in ("output_value", "revenue"):
            month = data[code] - september[code]
            data[code] = september[code] + (month * Decimal("1.8")).quantize(TENTH)
    elif rule == "required-employees":
        data["employees"] = None
    else:
        raise ValueError(rule)
    return data


# ---- measuring -----------------------------------------------------------------------------------


def measured(zone) -> dict:
    """The calibrated 2019 figures as the engine computes them: code → (value, yoy %, source)."""
    out = {}
    for figure in engine.figures(zone, Period(2019, 12)):
        if figure.code in EXPECTED:
            value = None if EXPECTED[figure.code][0] is None else figure.value
            out[figure.code] = (value, figure.yoy_pct, figure.source)
    return out


def check_calibration(zone, codes=tuple(EXPECTED)) -> dict:
    """Raise CalibrationError unless the engine's 2019 figures of `codes` are the published ones
    (a value of None in EXPECTED: only the growth is published)."""
    found = measured(zone)
    for code in codes:
        if found.get(code) != EXPECTED[code]:
            raise CalibrationError(
                f"{zone.code} {code} 2019: {found.get(code)} != {EXPECTED[code]}"
            )
    return found


def build_zone(zone, rng, *, registry, officers, accounts=(), calibrated=False):
    """Write one zone's statistics; the main zone's calibrated to DOMAIN.md's 2019 figures.
    `registry` [(enterprise, chain)], `officers` {department name: user}, `accounts` the demo's
    (user, membership) pairs: an enterprise account of the zone gets its draft."""
    account = next(
        ((u, m.enterprise_id) for u, m in accounts if m.enterprise_id and m.zone_id == zone.pk),
        None,
    )
    return ZoneStatistics(
        zone, rng, registry=registry, officers=officers, account=account, calibrated=calibrated
    ).build()
