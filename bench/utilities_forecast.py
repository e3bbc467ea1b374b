"""Benchmark: how well the utilities' forecast (forecast.py) predicts daily cost, against the
plain 7-day mean and two other candidates, on the demo's history; and how fast it recomputes a
zone of 5,000 accounts.

1. Error. The demo is built into a temporary SQLite database (`gaoxin demo`: a year of daily
   readings of every main-zone account, priced through the ingest service), each account's daily
   cost is read back (one aggregate query), and from every day with 35 days of history before it
   each method forecasts each of the next 7 days. Printed side by side: the mean absolute
   percentage error (days that cost nothing are left out: the percentage is undefined), over all
   forecasts and over the accounts that rest at weekends, and the mean error of the week's total
   (what the days of supply left depend on):
     - plain 7-day mean (the baseline the issue names);
     - the same weekday last week;
     - the 28-day mean;
     - forecast.py: the last 7 days' mean × the weekday's factor over 28 days.
2. Speed. 5,000 accounts × 35 days of daily readings written straight into a zone of their own,
   then forecast.recompute(zone) timed (median of 5), with Django's bulk_update of the same
   fields timed beside it (the write it replaced).

Reproduce:  .venv/bin/python bench/utilities_forecast.py [--accounts 5000] [--skip-demo]
"""

import argparse
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from common import setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DAY = datetime.timedelta(days=1)
HISTORY, HORIZON = 35, 7


def methods():
    from gaoxin.utilities.forecast import weekday_costs

    def mean(series, t, n):
        return sum(series.get(t - DAY * k, 0) for k in range(n)) / n

    def mean7(series, t):
        return [mean(series, t, 7)] * 7

    def last_week(series, t):
        out = [0.0] * 7
        for k in range(7):
            day = t - DAY * k
            out[day.weekday()] = series.get(day, 0)
        return out

    def mean28(series, t):
        return [mean(series, t, 28)] * 7

    def chosen(series, t):
        return weekday_costs(series, t)

    return {
        "plain 7-day mean (baseline)": mean7,
        "same weekday last week": last_week,
        "28-day mean": mean28,
        "7-day level × 28-day weekday pattern": chosen,
    }


def history() -> dict:
    from django.db.models import Sum

    from gaoxin.utilities.models import Reading

    out = defaultdict(dict)
    rows = Reading.objects.values_list("account_id", "day").annotate(c=Sum("amount")).order_by()
    for account, day, cost in rows:
        out[account][day] = float(cost)
    return out


def errors(series_by_account: dict) -> dict:
    """{method: (MAPE all, MAPE on ordinary days, MAPE resting at weekends, mean abs % error of
    the week's total, n)}. Ordinary: the day and the 35 before it no holiday (series.holiday)."""
    from gaoxin.utilities.demo.series import holiday

    found, ordinary = {}, {}
    for name, method in methods().items():
        ape, ape_rest, ape_ordinary, week = [], [], [], []
        for series in series_by_account.values():
            days = sorted(series)
            resting = _rests(series)
            for t in days[HISTORY:-HORIZON]:
                costs = method({d: series[d] for d in series if d <= t}, t)
                total_f = total_a = 0.0
                for h in range(1, HORIZON + 1):
                    day = t + DAY * h
                    actual, guess = series.get(day, 0), costs[day.weekday()]
                    total_f += guess
                    total_a += actual
                    if actual > 0:
                        e = abs(guess - actual) / actual
                        ape.append(e)
                        if resting:
                            ape_rest.append(e)
                        if day not in ordinary:
                            ordinary[day] = all(
                                holiday(day - DAY * k) == 1 for k in range(HISTORY + 1)
                            )
                        if ordinary[day]:
                            ape_ordinary.append(e)
                if total_a > 0:
                    week.append(abs(total_f - total_a) / total_a)
        found[name] = (
            100 * statistics.fmean(ape),
            100 * statistics.fmean(ape_ordinary) if ape_ordinary else float("nan"),
            100 * statistics.fmean(ape_rest) if ape_rest else float("nan"),
            100 * statistics.fmean(week),
            len(ape),
        )
    return found


def _rests(series) -> bool:
    """Whether weekends cost under 80 % of weekdays (the accounts a weekday pattern is for)."""
    week = [d for d in series if d.weekday() < 5]
    end = [d for d in series if d.weekday() >= 5]
    if not week or not end:
        return False
    return statistics.fmean(series[d] for d in end) < 0.8 * statistics.fmean(
        series[d] for d in week
    )


def run_errors() -> tuple[dict, int]:
    from django.core.management import call_command

    from gaoxin.demo.build import build_demo

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build_demo()
    print(f"demo built in {time.perf_counter() - started:.0f} s")
    series = history()
    # the planted accounts' last days are stories, not patterns; the first day is a baseline
    return errors(series), len(series)


def run_speed(accounts: int) -> dict:
    from django.core.management import call_command
    from django.utils import timezone

    from gaoxin.core.codes import make_uscc
    from gaoxin.core.models import Zone
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.utilities import forecast
    from gaoxin.utilities.models import Account, Reading, Tariff, TariffVersion, UtilityCompany

    call_command("migrate", verbosity=0)
    zone = Zone.objects.create(code="FBENCH", name="预测基准园区", level="national",
                               division_id="360121")  # fmt: skip
    company = UtilityCompany.objects.create(zone=zone, name="基准供电", kind="electricity")
    tariff = Tariff.objects.create(zone=zone, name="单一", kind="electricity", structure="single")
    version = TariffVersion.objects.create(zone=zone, tariff=tariff,
                                           valid_from=datetime.date(2020, 1, 1),
                                           rates={"price": "0.80"})  # fmt: skip
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(zone=zone, name=f"基准企业{n}", uscc=make_uscc("9", "1", "360121", f"FB{n:06d}"),
                   industry_id="3974")
        for n in range(accounts)
    )  # fmt: skip
    made = Account.objects.bulk_create(
        Account(zone=zone, enterprise=e, kind="electricity", meter_no=f"FB{n:06d}",
                company=company, tariff=tariff, opened_on=datetime.date(2020, 1, 1),
                balance=Decimal(1000 + n))
        for n, e in enumerate(enterprises)
    )  # fmt: skip
    today = timezone.localdate()
    tz = timezone.get_default_timezone()
    rows = []
    for n, account in enumerate(made):
        for k in range(HISTORY, 0, -1):
            day = today - DAY * k
            usage = Decimal(100 + (n % 50) * (0.5 if day.weekday() >= 5 else 1))
            rows.append(Reading(
                zone=zone, account=account, day=day, register="total", index=Decimal(k),
                read_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(23)), tz),
                usage=usage, amount=(usage * Decimal("0.80")).quantize(Decimal("0.01")),
                tariff_version=version, source="demo",
            ))  # fmt: skip
    Reading.objects.bulk_create(rows, batch_size=5000)
    times, baseline = [], []
    for _n in range(5):
        started = time.perf_counter()
        forecast.recompute(zone=zone)
        times.append(time.perf_counter() - started)
        accounts_ = list(Account.objects.filter(zone=zone))
        started = time.perf_counter()
        Account.objects.bulk_update(accounts_, list(forecast.FORECAST_FIELDS), batch_size=1000)
        baseline.append(time.perf_counter() - started)
    return {"median": statistics.median(times), "fastest": min(times), "rows": len(rows),
            "bulk_update": statistics.median(baseline)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="gaoxin-bench-forecast-"))
    setup_django(var)
    code = 0
    if not args.skip_demo:
        found, n = run_errors()
        print(f"\nforecast error on the demo's history ({n} accounts; each day with {HISTORY} "
              f"days before it, the next {HORIZON} days):")  # fmt: skip
        print(f"{'method':40}{'MAPE':>8}{'ordinary':>10}{'resting':>10}{'week':>8}"
              f"{'forecasts':>11}")  # fmt: skip
        for name, (mape, ordinary, rest, week, count) in found.items():
            print(f"{name:40}{mape:>7.1f}%{ordinary:>9.1f}%{rest:>9.1f}%{week:>7.1f}%"
                  f"{count:>11,}")  # fmt: skip
        print("  MAPE: of the daily cost, every forecast; ordinary: no holiday on the day nor in "
              "the 35 days before it; resting: accounts whose weekends cost < 80 % of their "
              "weekdays; week: the error of the 7 days' total")  # fmt: skip
    speed = run_speed(args.accounts)
    print(f"\nrecompute {args.accounts:,} accounts ({speed['rows']:,} readings in the window): "
          f"median {speed['median']:.2f} s, fastest {speed['fastest']:.2f} s (target ≤ 2 s); "
          f"Django's bulk_update of the same fields alone: {speed['bulk_update']:.2f} s")  # fmt: skip
    code = 0 if speed["median"] <= 2 else 1
    print("\nreproduce: .venv/bin/python bench/utilities_forecast.py")
    from django.db import connection

    connection.close()
    shutil.rmtree(var, ignore_errors=True)
    os.environ.pop("GAOXIN_VAR", None)
    return code


if __name__ == "__main__":
    sys.exit(main())
