"""The demo's daily consumption, drawn without the database (the forecast bench draws the same):
a month's total shared out over its days by the weekday pattern of the enterprise's kind of
work, the Spring Festival and the national holidays, and a little noise.

Electricity follows the enterprise's accepted monthly returns: a month with a return is metered
at exactly its industrial electricity (万千瓦时 × 10,000 kWh; the 1–2月 return over January and
February together), so the meters agree with the returns; a month without one is drawn from the
enterprise's level and the season. Water and gas follow electricity by the chain's intensity."""

import calendar
import datetime
import random
from dataclasses import dataclass

D = datetime.date
DAY = datetime.timedelta(days=1)

# Monday first. Continuous processes barely rest; assembly lines slow at weekends; offices stop.
CONTINUOUS = (1.0, 1.0, 1.0, 1.0, 1.0, 0.97, 0.95)
WORKSHOP = (1.0, 1.02, 1.02, 1.0, 0.98, 0.72, 0.52)
OFFICE = (1.0, 1.0, 1.0, 1.0, 0.97, 0.45, 0.35)
WEEK = {"新材料": CONTINUOUS, "生物医药": CONTINUOUS, "跨境电商": OFFICE}
# Electricity by month (cooling in summer), for the months without a return.
SEASON = (1.0, 0.78, 1.0, 0.98, 1.0, 1.06, 1.15, 1.18, 1.07, 1.0, 0.98, 1.02)
# 春节 (the dip runs from a week before to a week after); May Day and National Day weeks.
SPRING_FESTIVAL = {2025: D(2025, 1, 29), 2026: D(2026, 2, 17), 2027: D(2027, 2, 6),
                   2028: D(2028, 1, 26), 2029: D(2029, 2, 13), 2030: D(2030, 2, 3)}  # fmt: skip
# m³ of water and of gas a kWh, by chain (dyeing and pharmaceuticals use much water).
WATER = {"纺织服装": 0.09, "生物医药": 0.06, "新材料": 0.03}
GAS = {"新材料": 0.05, "生物医药": 0.04, "纺织服装": 0.03}
NOISE = 0.05


def holiday(day: D) -> float:
    """The share of a normal day's consumption on `day`."""
    festival = SPRING_FESTIVAL.get(day.year)
    if festival is not None and -8 <= (day - festival).days <= 8:
        return 0.2 if -1 <= (day - festival).days <= 6 else 0.6
    if (day.month, day.day) in {(5, 1), (5, 2), (5, 3)} or (day.month == 10 and day.day <= 7):
        return 0.65
    return 1.0


def month_first(day: D) -> D:
    return day.replace(day=1)


def month_days(month: D) -> list[D]:
    n = calendar.monthrange(month.year, month.month)[1]
    return [month.replace(day=d) for d in range(1, n + 1)]


@dataclass
class Profile:
    """What an enterprise's days are drawn from: its weekday pattern, its level (kWh a day
    before the season) and its months' electricity from the returns ({month first day: kWh},
    the 1–2月 return's under January, for January and February)."""

    week: tuple
    level: float
    reported: dict
    rng: random.Random


def profile(chain: str, returns: dict, rng: random.Random, fallback: float) -> Profile:
    """`returns`: {period yyyymm: month value in 万千瓦时} of the accepted returns."""
    reported = {}
    for period, value in returns.items():
        year, month = divmod(period, 100)
        if value is None or value <= 0:
            continue
        reported[D(year, 1 if month == 2 else month, 1)] = float(value) * 10000
    levels = []
    for month, kwh in reported.items():
        days = month_days(month) + (month_days(month.replace(month=2)) if month.month == 1 else [])
        season = SEASON[month.month - 1] if month.month != 1 else (31 + 28 * 0.78) / 59
        levels.append(kwh / len(days) / season)
    level = sum(levels) / len(levels) if levels else fallback
    return Profile(WEEK.get(chain, WORKSHOP), level, reported, rng)


def electricity(p: Profile, start: D, end: D, *, scale=None) -> dict:
    """{day: kWh} from `start` to `end`: each month's total (the return's, else level × season ×
    days) shared out by weight; `scale` {month first day: factor} bends chosen months."""
    out = {}
    month = month_first(start)
    if month.month == 2 and month.replace(month=1) in p.reported:
        month = month.replace(month=1)  # the 1–2月 return covers January too
    while month <= end:
        span = month_days(month)
        total = p.reported.get(month)
        if month.month == 1 and total is not None:
            span += month_days(month.replace(month=2))
        elif total is None:
            total = p.level * SEASON[month.month - 1] * len(span)
        weights = {d: weight(p, d) for d in span}
        whole = sum(weights.values())
        factor = (scale or {}).get(month, 1.0)
        for d in span:
            if start <= d <= end:
                out[d] = total * weights[d] / whole * factor
        month = span[-1] + DAY
    return out


def weight(p: Profile, day: D) -> float:
    return p.week[day.weekday()] * holiday(day) * max(0.5, p.rng.gauss(1, NOISE))


def follow(series: dict, ratio: float, rng: random.Random, weekend=0.9) -> dict:
    """Water or gas following electricity: `ratio` a kWh, the weekend dip softened."""
    out = {}
    for day, kwh in series.items():
        soft = weekend if day.weekday() >= 5 else 1.0
        out[day] = kwh * ratio * soft * max(0.5, rng.gauss(1, NOISE))
    return out
