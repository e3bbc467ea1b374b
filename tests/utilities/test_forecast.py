"""The forecast: the last 7 days' level × the 28-day weekday pattern × the tariff in force (plus a
two-part tariff's monthly charge spread over the days); days of supply left from the last
reading less the time since; the levels at the zone's settings; the bulk recompute."""

import datetime
from decimal import Decimal

import pytest

from gaoxin.utilities import forecast
from gaoxin.utilities.models import Account, Level, Structure, ZoneUtilitySettings
from tests.support import utilities as u

pytestmark = pytest.mark.django_db
D = datetime.date
LAST = u.START + datetime.timedelta(27)  # 2026-09-28, a Monday: the 28th day of readings
NEXT_NOON = u.local(LAST + datetime.timedelta(1), 11)  # Tuesday 11:00, 12 h after the last


def workweek_account(enterprise, balance, **kwargs):
    """28 days at 100 kWh on weekdays, 40 on Saturdays, 30 on Sundays, at 0.80 元/kWh: 80 元
    a weekday, 32 on Saturday, 24 on Sunday; the balance set to `balance` afterwards."""
    acc = u.account(enterprise, **kwargs)
    u.readings(acc, days=28, pattern=u.WORKWEEK, update_balance=False)
    Account.objects.filter(pk=acc.pk).update(balance=Decimal(balance))
    acc.refresh_from_db()
    return acc


def test_weekday_pattern_and_days_left(world):
    acc = workweek_account(world.a1, "300")
    f = forecast.forecast_of(acc, NEXT_NOON)
    assert [round(c, 6) for c in f.costs] == [80, 80, 80, 80, 80, 32, 24]
    assert f.daily_cost == Decimal("65.14")  # (5 × 80 + 32 + 24) / 7
    # Tue, Wed, Thu 240 元, Friday's 60 of 80: 3.75 days from Monday 23:00, 0.5 of them gone
    assert f.days_left == Decimal("3.2")  # 3.25 floored to the tenth
    assert f.level == Level.FIRST


def test_the_plain_mean_would_miss_the_weekend(world):
    series = {u.START + datetime.timedelta(n): float(v * Decimal("0.8"))
              for n, v in enumerate(u.usages(28, pattern=u.WORKWEEK))}  # fmt: skip
    costs = forecast.weekday_costs(series, LAST)
    saturday = LAST + datetime.timedelta(5)
    assert round(costs[saturday.weekday()], 6) == 32
    assert forecast.days_of_supply(80 * 5 + 32 + 24, costs, LAST + datetime.timedelta(1)) == 7
    assert forecast.days_of_supply(0, costs, LAST) == 0
    assert forecast.days_of_supply(100, [0.0] * 7, LAST) is None


def test_short_or_sparse_history_is_flat(world):
    series = {LAST - datetime.timedelta(n): 70.0 for n in range(0, 28, 3)}  # every third day
    assert forecast.weekday_factors(series, LAST) == [1.0] * 7
    young = {LAST - datetime.timedelta(1): 40.0, LAST: 60.0}
    assert forecast.weekday_costs(young, LAST) == [50.0] * 7
    assert forecast.weekday_costs({}, LAST) is None


def test_levels_follow_the_zone_settings(world):
    ZoneUtilitySettings.objects.create(zone=world.zone_a, first_level_days=10, second_level_days=4)
    acc = workweek_account(world.a1, "300")
    assert forecast.forecast_of(acc, NEXT_NOON).level == Level.SECOND  # 3.2 ≤ 4
    s = forecast.Settings()
    assert forecast.level_of(Decimal("7.0"), Decimal("1"), s) == Level.FIRST
    assert forecast.level_of(Decimal("7.1"), Decimal("1"), s) == Level.NONE
    assert forecast.level_of(Decimal("3.0"), Decimal("1"), s) == Level.SECOND
    assert forecast.level_of(Decimal("0.0"), Decimal("1"), s) == Level.EXHAUSTED
    assert forecast.level_of(None, Decimal("0"), s) == Level.EXHAUSTED
    assert forecast.level_of(None, Decimal("5"), s) == Level.NONE


def test_a_new_price_scales_the_forecast(world):
    acc = workweek_account(world.a1, "600")
    u.version(acc.tariff, {"price": "1.60"}, valid_from=LAST + datetime.timedelta(1))
    f = forecast.forecast_of(acc, NEXT_NOON)
    assert [round(c, 6) for c in f.costs] == [160, 160, 160, 160, 160, 64, 48]
    assert f.days_left == Decimal("3.2")


def test_two_part_monthly_charge_is_spread_over_the_days(world):
    acc = workweek_account(world.a1, "10000", structure=Structure.TWO_PART,
                           capacity_kva=Decimal("400"))  # fmt: skip
    f = forecast.forecast_of(acc, NEXT_NOON)
    fixed = 25 * 400 * 12 / 365  # 328.77 元 a day
    assert round(f.costs[0], 6) == round(100 * 0.62 + fixed, 6)
    assert f.daily_cost == Decimal(str(round((5 * 62 + 24.8 + 18.6) / 7 + fixed, 2)))


def test_no_readings_no_forecast_and_stale_readings_none_either(world):
    fresh = u.account(world.a1, balance=Decimal("50"))
    f = forecast.forecast_of(fresh, NEXT_NOON)
    assert (f.daily_cost, f.days_left, f.level) == (None, None, Level.NONE)
    owing = u.account(world.a2, balance=Decimal("-5"))
    assert forecast.forecast_of(owing, NEXT_NOON).level == Level.EXHAUSTED
    old = workweek_account(world.a1, "300")
    later = u.local(LAST + datetime.timedelta(40), 9)
    assert forecast.forecast_of(old, later).days_left is None


def test_time_since_the_last_reading_is_spent(world):
    acc = workweek_account(world.a1, "300")
    two_days_on = u.local(LAST + datetime.timedelta(3), 11)  # 2.5 days after the last reading
    assert forecast.forecast_of(acc, two_days_on).days_left == Decimal("1.2")
    week_on = u.local(LAST + datetime.timedelta(6), 11)
    f = forecast.forecast_of(acc, week_on)
    assert (f.days_left, f.level) == (Decimal("0.0"), Level.EXHAUSTED)


def test_recompute_writes_in_bulk_without_bumping_versions(world, django_assert_max_num_queries):
    accounts = [workweek_account(e, "300") for e in (world.a1, world.a2, world.a1)]
    other = workweek_account(world.b1, "5000")
    with django_assert_max_num_queries(6):
        assert forecast.recompute(zone=world.zone_a, now=NEXT_NOON) == 3
    for acc in accounts:
        acc.refresh_from_db()
        assert (acc.days_left, acc.level, acc.daily_cost) == (
            Decimal("3.2"),
            Level.FIRST,
            Decimal("65.14"),
        )
        assert acc.forecast_at == NEXT_NOON
        assert acc.version == 1
    other.refresh_from_db()
    assert other.forecast_at is None
    assert forecast.recompute(account_ids=[other.pk], now=NEXT_NOON) == 1
    other.refresh_from_db()
    assert other.level == Level.NONE and other.days_left == Decimal("76.3")


def test_closed_accounts_are_left_alone(world):
    acc = workweek_account(world.a1, "300", closed_on=D(2026, 9, 20))
    assert forecast.recompute(zone=world.zone_a, now=NEXT_NOON) == 0
    acc.refresh_from_db()
    assert acc.forecast_at is None


def test_daily_costs_and_projection(world):
    acc = workweek_account(world.a1, "300")
    costs = forecast.daily_costs(acc, days=10, on=LAST + datetime.timedelta(1))
    assert len(costs) == 10
    assert costs[-1] == (LAST + datetime.timedelta(1), Decimal("0.00"))
    assert costs[-2] == (LAST, Decimal("80.00"))
    assert costs[-3] == (LAST - datetime.timedelta(1), Decimal("24.00"))  # Sunday
    line = forecast.project(acc, days=5, now=NEXT_NOON)
    assert [d for d, _b in line] == [LAST + datetime.timedelta(n) for n in range(1, 7)]
    start = Decimal("300") - Decimal("0.5") * Decimal("65.142857")
    assert line[0][1] == start.quantize(Decimal("0.01"))
    assert line[1][1] == (start - 80).quantize(Decimal("0.01"))  # Wednesday
    assert forecast.project(u.account(world.a2), now=NEXT_NOON) == []


def test_estimate_moves_far_accounts_and_leaves_the_rest_to_recompute(
    world, django_assert_num_queries
):
    far = workweek_account(world.a1, "3000")
    near = workweek_account(world.a2, "700")
    new = workweek_account(world.a1, "3000")
    forecast.recompute(account_ids=[far.pk, near.pk], now=NEXT_NOON)  # `new` has no forecast
    Account.objects.filter(pk__in=[far.pk, near.pk, new.pk]).update(balance_at=u.local(LAST, 23))
    Account.objects.filter(pk=far.pk).update(balance=Decimal("2606.00"))  # 40 days at 65.15
    later = u.local(LAST + datetime.timedelta(1), 23)  # a day after the last reading
    with django_assert_num_queries(3):  # the accounts, the settings, one executemany
        assert sorted(forecast.estimate([far.pk, near.pk, new.pk], later)) == sorted(
            [near.pk, new.pk]
        )
    far.refresh_from_db()
    assert far.days_left == Decimal("39.0")  # 2606 / 65.14 − 1
    assert far.daily_cost == Decimal("65.14") and far.level == Level.NONE
    assert forecast.estimate([far.pk], later + datetime.timedelta(days=2)) == [far.pk]  # stale


def test_estimate_skips_accounts_still_without_recent_readings(world):
    acc = workweek_account(world.a1, "300")
    much_later = u.local(LAST + datetime.timedelta(60), 9)
    forecast.recompute(account_ids=[acc.pk], now=much_later)
    acc.refresh_from_db()
    assert (acc.daily_cost, acc.days_left, acc.forecast_at) == (None, None, much_later)
    assert forecast.estimate([acc.pk], much_later) == []  # nothing recent: nothing to do
    u.readings(acc, days=3, start=LAST + datetime.timedelta(58), first_index=Decimal("9000"),
               update_balance=False)  # fmt: skip
    assert forecast.estimate([acc.pk], much_later) == [acc.pk]  # recent readings: recompute
