"""Warnings end to end through the ledger's batches (services.ingest calls after_ledger): an
account topped up, then read day by day down through the first and second levels (each notified
once, the second a matter in 水电气保障), a top-up that lifts it clears both and resolves the
matter; a level jumped to at once; cut-offs judged as surprises or not."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from gaoxin.core.models import Notification
from gaoxin.matters.models import Category, Kind, Matter, Priority, Status
from gaoxin.utilities.models import Account, CutOff, Level, Warning
from gaoxin.utilities.services import post_cutoffs, post_readings, post_topups
from gaoxin.utilities.services import warnings as w
from tests.support import utilities as u

pytestmark = pytest.mark.django_db


def day(n: int) -> datetime.date:
    return u.START + datetime.timedelta(n)


def read(world, acc, first: int, last: int):
    """Days `first`…`last` read at 23:00 (100 kWh a day, 80 元), posted at `last` 23:30."""
    rows = u.reading_rows(acc, days=last - first + 1, start=day(first),
                          first_index=Decimal(1000 + 100 * first), baseline=first == 0)  # fmt: skip
    with time_machine.travel(u.local(day(last), 23, 30), tick=False):
        post_readings(world.zone_admin, world.zone_a, rows)
    acc.refresh_from_db()


def top_up(world, acc, amount, n: int, hour=10, tx=None):
    row = {"meter_no": acc.meter_no, "kind": acc.kind, "paid_at": u.local(day(n), hour),
           "amount": Decimal(amount), "transaction_id": tx or f"TX{n}-{amount}"}  # fmt: skip
    with time_machine.travel(u.local(day(n), hour, 5), tick=False):
        post_topups(world.zone_admin, world.zone_a, [row])
    acc.refresh_from_db()


def cut(world, acc, n: int, hour=9):
    row = {"meter_no": acc.meter_no, "kind": acc.kind, "at": u.local(day(n), hour),
           "reason": "欠费"}  # fmt: skip
    with time_machine.travel(u.local(day(n), hour, 5), tick=False):
        post_cutoffs(world.zone_admin, world.zone_a, [row])
    return CutOff.objects.get(account=acc)


def told(kind=w.KIND_WARNING):
    return sorted(
        (n.user.username, n.text)
        for n in Notification.objects.filter(kind=kind).select_related("user")
    )


def test_a_topup_down_through_both_levels_to_the_matter_and_a_topup_that_closes_it(world):
    acc = u.account(world.a1)
    top_up(world, acc, "1000", 0, hour=8)
    read(world, acc, 0, 4)  # 600 元 left: 7.5 days from 23:00, 8.4 … at 23:30 less a tick
    assert (acc.balance, acc.level, acc.days_left) == (
        Decimal("600.00"),
        Level.NONE,
        Decimal("7.4"),
    )
    assert not Warning.objects.exists()

    read(world, acc, 5, 5)  # 520 元: 6.5 days, less half an hour
    assert (acc.level, acc.days_left) == (Level.FIRST, Decimal("6.4"))
    first = Warning.objects.get()
    assert (first.level, first.balance, first.days_left, first.notified) == (
        Level.FIRST, Decimal("520.00"), Decimal("6.4"), 2
    )  # fmt: skip
    assert [name for name, _t in told()] == ["enterprise", "zone_admin"]
    assert "一级预警" in told()[0][1] and "甲一电子科技有限公司" in told()[0][1]

    read(world, acc, 6, 8)  # still the first level: nothing new
    assert acc.level == Level.FIRST and Warning.objects.count() == 1 and len(told()) == 2

    read(world, acc, 9, 9)  # 200 元: 2.5 days
    assert (acc.level, acc.days_left) == (Level.SECOND, Decimal("2.4"))
    second = Warning.objects.get(level=Level.SECOND)
    assert second.notified == 2 and len(told()) == 4
    matter = second.matter
    assert (matter.kind, matter.category.name, matter.enterprise, matter.status) == (
        Kind.HELP, "水电气保障", world.a1, Status.OPEN
    )  # fmt: skip
    assert "二级预警" in matter.description
    read(world, acc, 10, 10)  # 120 元: 1.5 days, the second level still: nothing new
    assert Warning.objects.count() == 2 and len(told()) == 4 and Matter.objects.count() == 1

    top_up(world, acc, "2000", 11)  # 2120 元 at 10:00: 26.5 days from 23:00, 11 h gone
    assert (acc.balance, acc.level, acc.days_left) == (
        Decimal("2120.00"),
        Level.NONE,
        Decimal("26.0"),
    )
    topup = acc_topup(acc, "2000")
    for warning in Warning.objects.all():
        assert warning.cleared_by == topup and warning.cleared_at == u.local(day(11), 10, 5)
    matter.refresh_from_db()
    assert matter.status == Status.RESOLVED
    assert "充值 2000" in matter.resolution and "自动办结" in matter.resolution
    assert len(told()) == 4  # the clearing itself notifies nobody (the matter's services may)

    read(world, acc, 11, 30)  # a new episode: the first level again, a new warning
    assert acc.level == Level.FIRST
    assert Warning.objects.filter(level=Level.FIRST).count() == 2
    assert Warning.objects.filter(cleared_at__isnull=True).count() == 1


def acc_topup(acc, amount):
    from gaoxin.utilities.models import TopUp

    return TopUp.objects.get(account=acc, amount=Decimal(amount))


def test_a_topup_that_leaves_it_inside_the_first_level_clears_nothing(world):
    acc = u.account(world.a1)
    top_up(world, acc, "1000", 0, hour=8)
    read(world, acc, 0, 9)  # the second level
    top_up(world, acc, "200", 10)  # 400 元: 5 days less 11 h
    assert acc.level == Level.FIRST
    assert Warning.objects.filter(cleared_at__isnull=True).count() == 2
    assert Matter.objects.get().status == Status.OPEN


def test_levels_passed_at_once_are_recorded_and_notified_once(world):
    acc = u.account(world.a1)
    top_up(world, acc, "500", 0, hour=8)
    read(world, acc, 0, 3)  # 180 元: 2.25 days at once
    assert acc.level == Level.SECOND
    levels = dict(Warning.objects.values_list("level", "notified"))
    assert levels == {Level.FIRST: 0, Level.SECOND: 2}
    assert len(told()) == 2 and "二级预警" in told()[0][1]
    assert Matter.objects.count() == 1
    read(world, acc, 4, 6)  # used up: the third level, notified; still one matter
    assert acc.level == Level.EXHAUSTED
    assert Warning.objects.get(level=Level.EXHAUSTED).notified == 2
    assert sum("余额已用尽" in text for _n, text in told()) == 2
    assert Matter.objects.count() == 1


def test_the_category_is_found_or_made_once(world):
    for enterprise in (world.a1, world.a2):
        acc = u.account(enterprise)
        top_up(world, acc, "300", 0, hour=8, tx=f"T-{enterprise.pk}")
        read(world, acc, 0, 1)
    assert (
        Category.objects.filter(zone=world.zone_a, name="水电气保障", kind=Kind.HELP).count() == 1
    )
    assert Matter.objects.count() == 2


def test_a_cutoff_without_both_warnings_is_a_surprise_and_a_red_matter(world):
    acc = u.account(world.a1)
    top_up(world, acc, "1000", 0, hour=8)
    read(world, acc, 0, 5)  # only the first level
    stop = cut(world, acc, 6)
    assert stop.surprise is True
    assert (stop.matter.priority, stop.matter.category.name) == (Priority.HIGH, "水电气保障")
    assert "意外停供" in stop.matter.title
    assert [n for n, _t in told(w.KIND_CUTOFF)] == ["enterprise", "zone_admin"]
    w.handle_cutoffs(zone=world.zone_a)  # judged once
    assert len(told(w.KIND_CUTOFF)) == 2 and Matter.objects.count() == 1


def test_a_cutoff_after_both_warnings_is_no_surprise(world):
    acc = u.account(world.a1)
    top_up(world, acc, "1000", 0, hour=8)
    read(world, acc, 0, 12)  # both levels, then used up
    matters = Matter.objects.count()
    stop = cut(world, acc, 13)
    assert stop.surprise is False and stop.matter is None
    assert Matter.objects.count() == matters
    assert "因欠费停供" in told(w.KIND_CUTOFF)[0][1]


def test_a_protected_supply_cut_is_always_a_surprise(world):
    acc = u.account(world.a1, protected=True, protected_reason="连续生产",
                    protected_from=day(0))  # fmt: skip
    top_up(world, acc, "1000", 0, hour=8)
    read(world, acc, 0, 12)
    assert cut(world, acc, 13).surprise is True


def test_after_ledger_without_accounts_does_nothing(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        w.after_ledger([])
    assert Account.objects.count() == 0
