"""Batches of readings, top-ups and cut-offs: all or nothing with row-precise errors, re-sends
recognised, readings priced by the version in force, balances moved, one audit record a batch,
the warnings refreshed; corrections as new entries; the balance recomputed from the ledger."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Zone
from gaoxin.utilities.models import Account, Batch, Charge, CutOff, Reading, Structure, TopUp
from gaoxin.utilities.services import (
    BatchRejected,
    correct,
    ledger_balance,
    post_cutoffs,
    post_readings,
    post_topups,
)
from tests.support import utilities as u

D = datetime.date
NOW = u.local(D(2026, 10, 15), 12)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def refresh():
    with mock.patch("gaoxin.utilities.services.warnings.after_ledger") as called:
        yield called


def reading(acc, day, hour, index, register="total"):
    return {"meter_no": acc.meter_no, "kind": acc.kind, "read_at": u.local(day, hour),
            "register": register, "index": Decimal(index)}  # fmt: skip


def rejected(call, *args, **kwargs) -> list[tuple]:
    with pytest.raises(BatchRejected) as caught:
        call(*args, **kwargs)
    return [(e.row, e.field, e.value, e.message) for e in caught.value.errors]


def fresh(acc) -> Account:
    return Account.objects.get(pk=acc.pk)


# --- readings -------------------------------------------------------------------------------


def test_readings_are_priced_and_move_the_balance(world, refresh):
    acc = u.account(world.a1, balance=Decimal("500"))
    rows = u.reading_rows(acc, days=3, daily=Decimal("100.5"))
    batch = post_readings(world.zone_admin, world.zone_a, rows)
    assert (batch.what, batch.rows, batch.written, batch.repeated) == ("readings", 4, 4, 0)
    assert (batch.source, batch.actor, batch.company) == ("api", world.zone_admin, None)
    got = Reading.objects.filter(account=acc).order_by("read_at")
    assert [(r.day, r.usage, r.amount) for r in got] == [
        (D(2026, 9, 1), Decimal("0"), Decimal("0")),
        (D(2026, 9, 1), Decimal("100.5"), Decimal("80.40")),
        (D(2026, 9, 2), Decimal("100.5"), Decimal("80.40")),
        (D(2026, 9, 3), Decimal("100.5"), Decimal("80.40")),
    ]
    assert {r.batch_id for r in got} == {batch.pk}
    assert {r.tariff_version_id for r in got} == {acc.tariff.versions.get().pk}
    after = fresh(acc)
    assert after.balance == Decimal("258.80")
    assert after.balance_at == u.local(D(2026, 9, 3), 23)
    assert after.version == 1  # the ledger never bumps the account's edit version
    refresh.assert_called_once_with([acc.pk], NOW)


def test_one_audit_record_names_the_batch(world, refresh):
    acc = u.account(world.a1)
    before = AuditRecord.objects.count()
    batch = post_readings(world.zone_admin, world.zone_a, u.reading_rows(acc, days=27))
    assert AuditRecord.objects.count() == before + 1
    record = AuditRecord.objects.latest("pk")
    assert (record.action, record.object_id, record.actor) == (
        "import",
        str(batch.pk),
        world.zone_admin,
    )
    assert record.message == f"读数批次 #{batch.pk}:共28行,入账28行,重复已跳过0行"
    assert record.after == {"what": "readings", "rows": 28, "written": 28, "repeated": 0,
                            "accounts": 1, "source": "api"}  # fmt: skip


def test_a_resent_batch_writes_nothing_and_counts_the_repeats(world, refresh):
    acc = u.account(world.a1)
    rows = u.reading_rows(acc, days=5)
    post_readings(world.zone_admin, world.zone_a, rows)
    balance = fresh(acc).balance
    again = post_readings(world.zone_admin, world.zone_a, rows)
    assert (again.rows, again.written, again.repeated) == (6, 0, 6)
    assert Reading.objects.filter(account=acc).count() == 6
    assert fresh(acc).balance == balance == Decimal("-400.00")
    assert Batch.objects.count() == 2
    refresh.assert_called_once()  # nothing written the second time: nothing to refresh
    # Part re-sent, part new: the new rows priced from the stored index.
    more = u.reading_rows(acc, days=7)[4:]
    batch = post_readings(world.zone_admin, world.zone_a, more)
    assert (batch.written, batch.repeated) == (2, 2)
    assert fresh(acc).balance == Decimal("-560.00")


def test_the_same_key_with_another_index_is_refused(world, refresh):
    acc = u.account(world.a1)
    post_readings(world.zone_admin, world.zone_a, u.reading_rows(acc, days=2))
    rows = u.reading_rows(acc, days=3)
    rows[1]["index"] = Decimal("1099")
    assert rejected(post_readings, world.zone_admin, world.zone_a, rows) == [
        (2, "index", "1099", "已入账的读数与本次不同;更正请走更正流程"),
    ]
    assert Reading.objects.filter(account=acc).count() == 3
    assert Batch.objects.count() == 1


def test_every_bad_row_is_named_and_nothing_is_written(world, refresh):
    acc = u.account(world.a1)
    other = u.account(world.b1)  # zone B: not a meter of zone A
    water = u.account(world.a2, "water")
    day = D(2026, 10, 1)
    rows = [
        reading(acc, day, 1, "100"),
        {**reading(acc, day, 2, "101"), "meter_no": "NOPE"},
        reading(other, day, 3, "1"),
        {**reading(acc, day, 4, "102"), "kind": "steam"},
        {**reading(acc, day, 5, "103"), "read_at": NOW + datetime.timedelta(hours=1)},
        {**reading(acc, day, 6, "104"), "index": "1e30"},
        {**reading(acc, day, 7, "105"), "index": "-1"},
        {**reading(acc, day, 8, "106"), "index": "abc"},
        {**reading(acc, day, 9, "107"), "index": None},
        {**reading(acc, day, 10, "108"), "read_at": "yesterday"},
        {**reading(acc, day, 11, "109"), "register": "night"},
        reading(acc, day, 12, "99"),
        {**reading(water, day, 13, "5"), "kind": "gas"},
        {**reading(acc, day, 14, "110"), "meter_no": ""},
        {**reading(acc, day, 15, "111"), "read_at": u.local(D(1999, 12, 31), 1)},
        {**reading(acc, day, 16, "112.0001")},
    ]
    assert rejected(post_readings, world.zone_admin, world.zone_a, rows) == [
        (2, "meter_no", "NOPE", "表号不存在或无权报送该表的数据"),
        (3, "meter_no", other.meter_no, "表号不存在或无权报送该表的数据"),
        (4, "kind", "steam", "类别应为 electricity(电)、water(水)或 gas(气)"),
        (5, "read_at", "2026-10-15 13:00:00+08:00", "时间晚于当前时间"),
        (6, "index", "1e30", "示数超出合理范围,请核对"),
        (7, "index", "-1", "示数不能为负数"),
        (8, "index", "abc", "示数应为数字"),
        (9, "index", "", "请填写示数"),
        (10, "read_at", "yesterday", "时间格式应为 YYYY-MM-DD HH:MM:SS"),
        (11, "register", "night", "时段应为 total、critical、peak、flat 或 valley"),
        (12, "index", "99", "示数小于上一次读数(100);示数不能倒退"),
        (13, "meter_no", water.meter_no, "表号不存在或无权报送该表的数据"),
        (14, "meter_no", "", "请填写表号"),
        (15, "read_at", "1999-12-31 01:00:00+08:00", "时间早于2000年,请核对"),
        (16, "index", "112.0001", "示数最多保留3位小数"),
    ]
    assert Reading.objects.count() == 0
    assert Batch.objects.count() == 0
    refresh.assert_not_called()


def test_strings_and_naive_times_are_read(world, refresh):
    acc = u.account(world.a1)
    rows = [{"meter_no": f" {acc.meter_no} ", "kind": "electricity",
             "read_at": "2026-10-01T08:00:00", "index": "12.5"},
            {"meter_no": acc.meter_no, "kind": "electricity",
             "read_at": datetime.datetime(2026, 10, 2, 8), "index": 20}]  # fmt: skip
    post_readings(world.zone_admin, world.zone_a, rows)
    got = Reading.objects.order_by("read_at")
    assert [(r.read_at, r.index, r.usage) for r in got] == [
        (u.local(D(2026, 10, 1), 8), Decimal("12.5"), Decimal("0")),
        (u.local(D(2026, 10, 2), 8), Decimal("20"), Decimal("7.5")),
    ]


def test_duplicates_inside_a_batch(world, refresh):
    acc = u.account(world.a1)
    day = D(2026, 10, 1)
    same = [reading(acc, day, 1, "100"), reading(acc, day, 2, "110"), reading(acc, day, 2, "110")]
    batch = post_readings(world.zone_admin, world.zone_a, same)
    assert (batch.rows, batch.written, batch.repeated) == (3, 2, 1)
    clash = [reading(acc, day, 3, "120"), reading(acc, day, 3, "121")]
    assert rejected(post_readings, world.zone_admin, world.zone_a, clash) == [
        (2, "index", "121", "与第1行的表号、时段、时间相同但示数不同"),
    ]


def test_a_late_reading_is_a_correction(world, refresh):
    acc = u.account(world.a1)
    post_readings(world.zone_admin, world.zone_a, u.reading_rows(acc, days=3))
    late = [reading(acc, D(2026, 9, 2), 12, "1150")]
    assert rejected(post_readings, world.zone_admin, world.zone_a, late) == [
        (1, "read_at", "2026-09-02T12:00:00+08:00",
         "早于该表已入账的最新读数(2026-09-03 23:00);补录请走更正流程"),
    ]  # fmt: skip


def test_readings_outside_the_account_or_its_prices(world, refresh):
    acc = u.account(world.a1, opened_on=D(2026, 3, 1), closed_on=D(2026, 9, 30))
    early = u.account(world.a2, tariff_=u.tariff(world.zone_a, valid_from=D(2026, 6, 1)))
    rows = [reading(acc, D(2026, 2, 28), 23, "1"), reading(acc, D(2026, 10, 1), 1, "2"),
            reading(early, D(2026, 5, 31), 23, "3")]  # fmt: skip
    assert rejected(post_readings, world.zone_admin, world.zone_a, rows) == [
        (1, "read_at", "2026-02-28 23:00:00+08:00", "抄表日期不在账户的开户至销户期间"),
        (2, "read_at", "2026-10-01 01:00:00+08:00", "抄表日期不在账户的开户至销户期间"),
        (3, "read_at", "2026-05-31T23:00:00+08:00",
         f"2026-05-31没有适用的价格版本(价格方案:{early.tariff.name})"),
    ]  # fmt: skip


def test_each_day_is_priced_by_the_version_in_force(world, refresh):
    acc = u.account(world.a1)
    u.version(acc.tariff, {"price": "0.90"}, valid_from=D(2026, 9, 3))
    post_readings(world.zone_admin, world.zone_a, u.reading_rows(acc, days=4))
    got = Reading.objects.filter(account=acc).order_by("read_at")
    assert [(r.day, r.amount, r.tariff_version.rates["price"]) for r in got][1:] == [
        (D(2026, 9, 1), Decimal("80.00"), "0.80"),
        (D(2026, 9, 2), Decimal("80.00"), "0.80"),
        (D(2026, 9, 3), Decimal("90.00"), "0.90"),
        (D(2026, 9, 4), Decimal("90.00"), "0.90"),
    ]
    assert ledger_balance(acc) == fresh(acc).balance == Decimal("-340.00")


def test_time_of_use_registers_pay_by_period_and_the_total_costs_nothing(world, refresh):
    acc = u.account(world.a1, structure=Structure.TIME_OF_USE)
    day, may = D(2026, 9, 1), D(2026, 9, 2)
    rows = [reading(acc, day, 0, "1000"), reading(acc, may, 0, "1100")]
    for register, start, end in (("peak", 10, 40), ("flat", 20, 60), ("valley", 30, 50)):
        rows += [reading(acc, day, 0, start, register), reading(acc, may, 0, end, register)]
    post_readings(world.zone_admin, world.zone_a, rows)
    amounts = {r.register: r.amount for r in Reading.objects.filter(read_at=u.local(may, 0))}
    assert amounts == {"total": Decimal("0.00"), "peak": Decimal("36.00"),
                       "flat": Decimal("28.00"), "valley": Decimal("6.00")}  # fmt: skip
    # A meter reporting only its total on a time-of-use tariff pays the flat price.
    only_total = u.account(world.a2, structure=Structure.TIME_OF_USE)
    post_readings(world.zone_admin, world.zone_a, [reading(only_total, day, 0, "0"),
                                                  reading(only_total, may, 0, "100")])  # fmt: skip
    assert fresh(only_total).balance == Decimal("-70.00")


def test_tiered_water_prices_by_the_month_so_far(world, refresh):
    acc = u.account(world.a1, "water", structure=Structure.TIERED)  # 2000 m³ at 4.10, then 5.20
    first = [reading(acc, D(2026, 9, 1), 0, "0"), reading(acc, D(2026, 9, 10), 0, "1500")]
    post_readings(world.zone_admin, world.zone_a, first)
    assert fresh(acc).balance == Decimal("-6150.00")
    post_readings(world.zone_admin, world.zone_a, [reading(acc, D(2026, 9, 20), 0, "2500")])
    # 500 m³ at 4.10 up to 2000, 500 at 5.20
    assert fresh(acc).balance == Decimal("-6150.00") - Decimal("2050") - Decimal("2600")
    post_readings(world.zone_admin, world.zone_a, [reading(acc, D(2026, 10, 1), 0, "2600")])
    assert Reading.objects.get(day=D(2026, 10, 1)).amount == Decimal("410.00")  # a new month
    assert ledger_balance(acc) == fresh(acc).balance


# --- who may feed what ------------------------------------------------------------------------


def test_a_partner_feeds_its_own_company_only(world, refresh):
    acc = u.account(world.a1)
    gas = u.account(world.a2, "gas")
    partner = u.partner(acc.company)
    batch = post_readings(partner, world.zone_a, [reading(acc, D(2026, 10, 1), 1, "5")])
    assert (batch.company, batch.actor) == (acc.company, partner)
    assert rejected(
        post_readings, partner, world.zone_a, [reading(gas, D(2026, 10, 1), 1, "5")]
    ) == [
        (1, "meter_no", gas.meter_no, "表号不存在或无权报送该表的数据"),
    ]
    with pytest.raises(Zone.DoesNotExist):
        post_readings(partner, world.zone_b, [reading(acc, D(2026, 10, 1), 2, "6")])


@pytest.mark.parametrize("who", ["leader", "enterprise", "province"])
def test_readers_may_not_feed(world, who, refresh):
    acc = u.account(world.a1)
    with pytest.raises(Forbidden):
        post_readings(world.users[who], world.zone_a, [reading(acc, D(2026, 10, 1), 1, "5")])
    with pytest.raises(Zone.DoesNotExist):
        post_readings(world.users[who], world.zone_c, [reading(acc, D(2026, 10, 1), 1, "5")])


def test_staff_feed_their_zone(world, refresh):
    acc = u.account(world.a1)
    batch = post_readings(world.staff, world.zone_a, [reading(acc, D(2026, 10, 1), 1, "5")], source="entered")  # fmt: skip
    assert (batch.written, batch.source) == (1, "entered")
    assert Reading.objects.get().source == "entered"


# --- top-ups --------------------------------------------------------------------------------


def topup(acc, tid, amount, hour=9, **extra):
    return {"meter_no": acc.meter_no, "kind": acc.kind, "paid_at": u.local(D(2026, 10, 1), hour),
            "amount": Decimal(amount), "transaction_id": tid, **extra}  # fmt: skip


def test_topups_raise_the_balance_once(world, refresh):
    acc = u.account(world.a1, balance=Decimal("10"))
    rows = [topup(acc, "T1", "500"), topup(acc, "T2", "250.50", 10, channel="微信")]
    batch = post_topups(world.zone_admin, world.zone_a, rows)
    assert (batch.what, batch.written, batch.repeated) == ("topups", 2, 0)
    assert fresh(acc).balance == Decimal("760.50")
    assert fresh(acc).balance_at == u.local(D(2026, 10, 1), 10)
    assert TopUp.objects.get(transaction_id="T2").channel == "微信"
    again = post_topups(world.zone_admin, world.zone_a, rows)
    assert (again.written, again.repeated) == (0, 2)
    assert fresh(acc).balance == Decimal("760.50")
    refresh.assert_called_once_with([acc.pk], NOW)


def test_bad_topups_are_named(world, refresh):
    acc = u.account(world.a1)
    post_topups(world.zone_admin, world.zone_a, [topup(acc, "T1", "500")])
    rows = [
        topup(acc, "T1", "501"),
        topup(acc, "T2", "0"),
        topup(acc, "T3", "1e30"),
        topup(acc, "T4", "10.001"),
        topup(acc, "", "10"),
        topup(acc, "T5", "10"),
        topup(acc, "T5", "11"),
        topup(acc, "T6", "10", channel="x" * 21),
    ]
    assert rejected(post_topups, world.zone_admin, world.zone_a, rows) == [
        (1, "transaction_id", "T1", "该交易号已入账且内容与本次不同;更正请走更正流程"),
        (2, "amount", "0", "充值金额必须大于0"),
        (3, "amount", "1E+30", "充值金额超出合理范围,请核对"),
        (4, "amount", "10.001", "充值金额最多保留2位小数"),
        (5, "transaction_id", "", "请填写交易号"),
        (7, "transaction_id", "T5", "与第6行的交易号相同但内容不同"),
        (8, "channel", "x" * 21, "不能超过20个字符"),
    ]
    assert TopUp.objects.count() == 1


# --- cut-offs -------------------------------------------------------------------------------


def cutoff(acc, hour, **extra):
    return {"meter_no": acc.meter_no, "kind": acc.kind, "at": u.local(D(2026, 10, 1), hour),
            **extra}  # fmt: skip


def test_cutoffs_are_recorded_and_completed_by_their_restoration(world, refresh):
    acc = u.account(world.a1)
    batch = post_cutoffs(world.zone_admin, world.zone_a, [cutoff(acc, 8, reason="欠费")])
    assert (batch.what, batch.written) == ("cutoffs", 1)
    stop = CutOff.objects.get()
    assert (stop.reason, stop.restored_at, stop.surprise, stop.batch) == (
        "欠费",
        None,
        False,
        batch,
    )
    again = post_cutoffs(world.zone_admin, world.zone_a, [cutoff(acc, 8, reason="欠费")])
    assert (again.written, again.repeated) == (0, 1)
    back = u.local(D(2026, 10, 1), 15)
    done = post_cutoffs(world.zone_admin, world.zone_a, [cutoff(acc, 8, restored_at=back)])
    assert (done.written, done.repeated) == (1, 0)
    assert CutOff.objects.get().restored_at == back
    assert rejected(post_cutoffs, world.zone_admin, world.zone_a, [cutoff(acc, 8, reason="检修", restored_at=back)]) == [
        (1, "at", "2026-10-01T08:00:00+08:00", "该停供记录已入账且内容与本次不同;更正请走更正流程"),
    ]  # fmt: skip
    assert refresh.call_count == 2


def test_bad_cutoffs_are_named(world, refresh):
    acc = u.account(world.a1)
    rows = [cutoff(acc, 8, restored_at=u.local(D(2026, 10, 1), 7)), {**cutoff(acc, 9), "at": None},
            cutoff(acc, 10, restored_at="soon")]  # fmt: skip
    assert rejected(post_cutoffs, world.zone_admin, world.zone_a, rows) == [
        (1, "restored_at", "2026-10-01 07:00:00+08:00", "恢复时间早于停供时间"),
        (2, "at", "", "请填写时间"),
        (3, "restored_at", "soon", "时间格式应为 YYYY-MM-DD HH:MM:SS"),
    ]


# --- corrections and the ledger's balance -----------------------------------------------------


def test_a_correction_is_a_new_entry(world, refresh):
    acc = u.account(world.a1)
    post_topups(world.zone_admin, world.zone_a, [topup(acc, "T1", "500")])
    post_readings(world.zone_admin, world.zone_a, u.reading_rows(acc, days=2))
    wrong = Reading.objects.filter(account=acc).order_by("read_at").last()
    charge = correct(
        world.staff, acc, amount="-80.00", reason="表计故障,多计100度", reading=wrong.pk
    )
    assert (charge.kind, charge.amount, charge.corrects_reading, charge.actor) == (
        "correction",
        Decimal("-80.00"),
        wrong,
        world.staff,
    )
    assert charge.day == D(2026, 10, 15)
    assert Reading.objects.get(pk=wrong.pk).amount == Decimal("80.00")  # never overwritten
    assert fresh(acc).balance == Decimal("420.00") == ledger_balance(acc)
    record = AuditRecord.objects.latest("pk")
    assert (record.action, record.object_id) == ("create", str(charge.pk))
    assert refresh.call_args == mock.call([acc.pk], NOW)


def test_bad_corrections(world, refresh):
    acc = u.account(world.a1)
    other = u.account(world.a2)
    u.topup(other, "100", transaction_id="X")
    theirs = TopUp.objects.get(account=other)
    cases = [({"amount": "0", "reason": "x"}, {"amount": ["更正金额不能为0"]}),
             ({"amount": "1.234", "reason": "x"}, {"amount": ["更正金额最多保留两位小数"]}),
             ({"amount": "1e30", "reason": "x"}, {"amount": ["更正金额超出合理范围,请核对"]}),
             ({"amount": "5", "reason": " "}, {"reason": ["请填写更正原因"]}),
             ({"amount": "5", "reason": "x", "topup": theirs.pk}, {"topup": ["更正的记录不属于该账户"]})]  # fmt: skip
    from django.core.exceptions import ValidationError

    for kwargs, expected in cases:
        with pytest.raises(ValidationError) as caught:
            correct(world.zone_admin, acc, **kwargs)
        assert caught.value.message_dict == expected
    assert Charge.objects.count() == 0


def test_who_may_correct(world, refresh):
    acc = u.account(world.a1)
    with pytest.raises(Forbidden):
        correct(world.enterprise, acc, amount="5", reason="x")  # sees its own, may not correct
    with pytest.raises(Forbidden):
        correct(u.partner(acc.company), acc, amount="5", reason="x")
    with pytest.raises(Account.DoesNotExist):
        correct(world.enterprise, u.account(world.a2), amount="5", reason="x")
    assert Charge.objects.count() == 0


def test_the_ledger_balance_matches_after_mixed_batches(world, refresh):
    acc = u.account(world.a1)
    post_topups(world.zone_admin, world.zone_a, [topup(acc, "T1", "1000")])
    post_readings(world.zone_admin, world.zone_a, u.reading_rows(acc, days=10, pattern=u.WORKWEEK))
    correct(world.zone_admin, acc, amount="12.34", reason="补收")
    assert ledger_balance(acc) == fresh(acc).balance
    assert fresh(acc).balance == Decimal("291.66")  # 1000 − 870 kWh × 0.80 − 12.34
    assert timezone.is_aware(fresh(acc).balance_at)


def test_the_batch_refreshes_the_forecast_in_its_transaction(world):
    acc = u.account(world.a1)
    post_topups(world.zone_admin, world.zone_a, [topup(acc, "T1", "2000")])
    post_readings(world.zone_admin, world.zone_a, u.reading_rows(acc, days=28))
    after = fresh(acc)
    assert after.balance == Decimal("2000") - Decimal("28") * Decimal("80")
    assert after.forecast_at == NOW
    assert after.level == 3  # the balance is gone


def test_balance_at_never_goes_back(world, refresh):
    acc = u.account(world.a1)
    post_readings(world.zone_admin, world.zone_a, u.reading_rows(acc, days=3))
    post_topups(world.zone_admin, world.zone_a, [topup(acc, "T1", "100")])  # 2026-10-01 09:00
    assert fresh(acc).balance_at == u.local(D(2026, 10, 1), 9)
    early = {**topup(acc, "T0", "50"), "paid_at": u.local(D(2026, 8, 30), 9)}
    post_topups(world.zone_admin, world.zone_a, [early])
    assert (fresh(acc).balance, fresh(acc).balance_at) == (
        Decimal("-90.00"),
        u.local(D(2026, 10, 1), 9),
    )


def test_a_row_that_is_not_a_set_of_fields(world, refresh):
    acc = u.account(world.a1)
    rows = [reading(acc, D(2026, 10, 1), 1, "5"), ["M1", "electricity"], None]
    assert rejected(post_readings, world.zone_admin, world.zone_a, rows) == [
        (2, "", "['M1', 'electricity']", "每行应为一组字段(表号、类别……)"),
        (3, "", "", "每行应为一组字段(表号、类别……)"),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_batches_at_once_for_the_same_meters(world):
    """PostgreSQL: the second batch waits for the first's locks, then reads the ledger as the
    first left it (its rows repeats, the rest priced from the first's last index)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's IMMEDIATE transactions serialise batches at BEGIN")
    acc = u.account(world.a1)
    rows = u.reading_rows(acc, days=20)
    results, go = [], threading.Barrier(2)

    def send(part):
        try:
            go.wait()
            results.append(post_readings(world.zone_admin, world.zone_a, part))
        finally:
            connections.close_all()

    with mock.patch("gaoxin.utilities.services.warnings.after_ledger"):
        threads = [threading.Thread(target=send, args=(p,)) for p in (rows[:15], rows)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted((b.written, b.repeated) for b in results) in (
        [(6, 15), (15, 0)],
        [(0, 15), (21, 0)],
    )
    assert Reading.objects.filter(account=acc).count() == 21
    assert fresh(acc).balance == ledger_balance(acc) == Decimal("-1600.00")


def test_a_day_use_beyond_the_meter_capacity_is_refused_as_a_typo(world, refresh):
    # 315 kVA at 120% for 24 h: at most 9,072 kWh a day. An extra digit in the index is refused;
    # the same meter's real day passes, and so do a water meter and a meter without capacity.
    acc = u.account(world.a1, capacity_kva=Decimal("315"))
    plain = u.account(world.a2)
    water = u.account(world.a1, u.Kind.WATER)
    day = D(2026, 10, 1)
    first = [reading(a, day, 8, "1000") for a in (acc, plain, water)]
    post_readings(world.zone_admin, world.zone_a, first)
    rows = [reading(acc, D(2026, 10, 2), 8, "100000"), reading(plain, D(2026, 10, 2), 8, "1e6"),
            reading(water, D(2026, 10, 2), 8, "1e6")]  # fmt: skip
    assert rejected(post_readings, world.zone_admin, world.zone_a, rows) == [
        (
            1,
            "index",
            "100000",
            "两次抄表间用电 99000 千瓦时,超过受电容量 315 kVA 在这 24 小时内的上限(9072 千瓦时);请核对示数",
        )  # fmt: skip
    ]
    assert Reading.objects.count() == 3
    rows[0] = reading(acc, D(2026, 10, 2), 8, "10072")  # exactly the ceiling
    post_readings(world.zone_admin, world.zone_a, rows)
    assert Reading.objects.filter(account=acc).latest("read_at").usage == Decimal("9072")
