"""Each reporter's monthly figures, drawn from a seeded random.Random: from its 入规 month (or
the first period) until it stops operating, following its size and industry, growing year by
year, dipping at the Spring Festival and in the 2020 epidemic; for the main zone then scaled,
rounded and fixed so that the 2019 figures come out exactly (`calibrate`)."""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from gaoxin.core.periods import Period
from gaoxin.enterprises.models import Scale, Status

from .. import engine
from . import figures
from .calibration import TARGETS, CalibrationError

# The province plan's chains, by name (demo.chains).
ELECTRONICS = "电子信息"
TEXTILES = "纺织服装"
MATERIALS = "新材料"
CROSS_BORDER = "跨境电商"
SMART_MANUFACTURING = "智能制造"
BIOMEDICINE = "生物医药"

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


# ---- drawing the figures -----------------------------------------------------------------------


def _lognormal(rng, sigma: float) -> float:
    return math.exp(rng.gauss(0, sigma))


def _tenth(value: float) -> Decimal:
    return Decimal(round(value * 10)).scaleb(-1)


def span(enterprise, start: Period = FIRST) -> tuple[Period, Period] | None:
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


def draw(rng, reporter: Reporter) -> None:
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


def round_months(reporters) -> None:
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
    round_months(reporters)
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
