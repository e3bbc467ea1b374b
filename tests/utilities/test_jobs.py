"""The daily job: the month's two-part charge once, the forecasts moved on by the day, the
warnings and findings of the day; run twice a day, the second run changes nothing."""

import datetime
from decimal import Decimal

import pytest

from gaoxin.core.models import AuditRecord, Notification
from gaoxin.matters.models import Matter
from gaoxin.utilities import jobs
from gaoxin.utilities.models import Account, Charge, Finding, Level, Structure, Warning
from tests.support import utilities as u

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = u.START + datetime.timedelta(40)  # 2026-10-11


def state():
    return (
        list(Account.objects.order_by("pk").values_list("balance", "days_left", "level")),
        Warning.objects.count(), Notification.objects.count(), Matter.objects.count(),
        Charge.objects.count(), Finding.objects.count(),
    )  # fmt: skip


def test_daily_twice_changes_nothing_the_second_time(world):
    low = u.account(world.a1, balance=Decimal("450"))
    u.readings(low, days=40, pattern=u.WORKWEEK, update_balance=False)  # 6.8 days, one gone
    big = u.account(world.a2, structure=Structure.TWO_PART, capacity_kva=Decimal("400"),
                    balance=Decimal("50000"))  # fmt: skip
    used = u.usages(40, pattern=u.WORKWEEK)
    u.readings(big, days=40, pattern=used[:37] + [x * Decimal("0.2") for x in used[37:]])

    line = jobs.daily(TODAY)
    low.refresh_from_db()
    big.refresh_from_db()
    assert low.level == Level.FIRST and Warning.objects.filter(account=low).count() == 1
    charge = Charge.objects.get()
    assert (charge.account, charge.day, charge.kind, charge.amount) == (
        big, D(2026, 10, 1), "capacity", Decimal("10000.00")
    )  # fmt: skip
    assert Finding.objects.get().account == big
    assert line == (
        "水电气:预测更新 2 户;新预警 1 条,解除 0 条;新建保障事项 0 件,自动办结 0 件;"
        "停供 0 起(意外停供 0 起);用量骤降 1 条,报表用电不符 0 条;两部制基本电费 1 笔。"
    )
    assert AuditRecord.objects.filter(message__startswith="两部制基本电费(2026-10)").count() == 1
    before = state()
    again = jobs.daily(TODAY)
    assert state() == before
    assert again == (
        "水电气:预测更新 2 户;新预警 0 条,解除 0 条;新建保障事项 0 件,自动办结 0 件;"
        "停供 0 起(意外停供 0 起);用量骤降 0 条,报表用电不符 0 条;两部制基本电费 0 笔。"
    )


def test_a_day_without_readings_is_a_day_less(world):
    acc = u.account(world.a1, balance=Decimal("3000"))
    u.readings(acc, days=28, pattern=u.WORKWEEK, update_balance=False)
    jobs.daily(u.START + datetime.timedelta(28))
    acc.refresh_from_db()
    first = acc.days_left
    jobs.daily(u.START + datetime.timedelta(30))
    acc.refresh_from_db()
    assert acc.days_left == first - 2


def test_an_account_opened_in_the_month_pays_its_days(world):
    acc = u.account(world.a1, structure=Structure.TWO_PART, capacity_kva=Decimal("310"),
                    opened_on=D(2026, 10, 21))  # fmt: skip
    assert jobs.monthly_charges(world.zone_a, D(2026, 10, 25)) == 1
    charge = Charge.objects.get()
    assert charge.amount == Decimal("2750.00")  # 25 × 310 × 11 / 31
    assert "11/31" in charge.reason
    acc.refresh_from_db()
    assert acc.balance == Decimal("-2750.00")
    assert jobs.monthly_charges(world.zone_a, D(2026, 10, 26)) == 0
    assert jobs.monthly_charges(world.zone_a, D(2026, 11, 1)) == 1
    assert Charge.objects.get(day=D(2026, 11, 1)).amount == Decimal("7750.00")


def test_no_accounts_no_work(world):
    assert jobs.daily(TODAY).startswith("水电气:预测更新 0 户")
