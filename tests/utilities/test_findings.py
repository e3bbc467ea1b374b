"""Consumption as a signal: a sharp drop against the account's own weekday pattern (once an
episode) and metered electricity against the accepted returns' (万千瓦时), each a finding
notified to the economic officers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gaoxin.core.models import Notification
from gaoxin.utilities.models import Finding, Kind, ZoneUtilitySettings
from gaoxin.utilities.services import findings
from tests.support import utilities as u
from tests.support.returns import put_values

pytestmark = pytest.mark.django_db
D = datetime.date


def day(n: int) -> D:
    return u.START + datetime.timedelta(n)


def pattern(normal: int, low: int, share=Decimal("0.3")) -> list:
    """`normal` days of the working week (100, weekends 40 and 30), then `low` days at `share`."""
    used = u.usages(normal + low, pattern=u.WORKWEEK)
    return used[:normal] + [(x * share).quantize(Decimal("0.001")) for x in used[normal:]]


def told():
    return [
        (n.user.username, n.text) for n in Notification.objects.filter(kind=findings.KIND_FINDING)
    ]


def test_a_sharp_drop_is_found_once_an_episode(world):
    acc = u.account(world.a1)
    u.readings(acc, days=40, pattern=pattern(37, 3))
    today = day(40)
    assert findings.drops(world.zone_a, today) == 1
    f = Finding.objects.get()
    assert (f.kind, f.account, f.enterprise, f.detected_on, f.period) == (
        Finding.Kind.DROP, acc, world.a1, today, ""
    )  # fmt: skip
    # days 37–39 are Thursday, Friday, Saturday: expected 100 + 100 + 40, observed 30 %
    assert (f.expected, f.observed, f.change_percent) == (
        Decimal("240.000"), Decimal("72.000"), Decimal("-70.0")
    )  # fmt: skip
    assert [name for name, _t in told()] == ["staff"]  # the 经济发展局's officer
    assert "骤降 70.0%" in told()[0][1] and "走访" in told()[0][1]
    assert findings.drops(world.zone_a, today) == 0  # found once
    u.readings(
        acc,
        days=1,
        pattern=[Decimal("30")],
        start=day(40),
        first_index=Decimal("5000"),
        update_balance=False,
    )  # fmt: skip  (Sunday, still low: the same episode)
    assert findings.drops(world.zone_a, day(41)) == 0
    assert Finding.objects.count() == 1


def test_a_new_drop_after_recovery_is_a_new_episode(world):
    acc = u.account(world.a1)
    used = pattern(37, 3) + u.usages(7, pattern=u.WORKWEEK, start=day(40))
    u.readings(acc, days=47, pattern=used)
    assert findings.drops(world.zone_a, day(47)) == 0  # recovered
    Finding.objects.create(
        zone=world.zone_a, kind=Finding.Kind.DROP, account=acc, enterprise=world.a1,
        detected_on=day(40), expected=1, observed=0, change_percent=-70,
    )  # fmt: skip
    later = u.usages(3, pattern=u.WORKWEEK, start=day(47))
    u.readings(acc, days=3, pattern=[(x * Decimal("0.2")).quantize(Decimal("0.001")) for x in later],
               start=day(47), first_index=Decimal("9000"), update_balance=False)  # fmt: skip
    assert findings.drops(world.zone_a, day(50)) == 1
    assert Finding.objects.count() == 2


def test_weekends_and_short_dips_are_no_drop(world):
    u.readings(u.account(world.a1), days=40, pattern=u.WORKWEEK)  # quiet Sundays are its pattern
    u.readings(u.account(world.a2), days=40, pattern=pattern(38, 2))  # two low days of three
    u.readings(u.account(world.b1), days=40, pattern=pattern(37, 3, Decimal("0.6")))  # −40 %
    assert findings.drops(world.zone_a, day(40)) == 0
    assert findings.drops(world.zone_b, day(40)) == 0
    ZoneUtilitySettings.objects.create(zone=world.zone_a, drop_days=2)
    assert findings.drops(world.zone_a, day(40)) == 1
    assert Finding.objects.get().enterprise == world.a2


def test_stale_meters_say_nothing_about_now(world):
    u.readings(u.account(world.a1), days=40, pattern=pattern(37, 3))
    assert findings.drops(world.zone_a, day(45)) == 0


def test_metered_electricity_against_the_return(world):
    acc = u.account(world.a1)
    u.readings(acc, days=61, daily=Decimal("1000"))  # every day of September and October
    u.readings(u.account(world.a1, Kind.WATER), days=61, daily=Decimal("5000"))  # not electricity
    put_values(world.a1, 202609, {"industrial_electricity": "9"}, {"industrial_electricity": "3.2"})
    put_values(world.a1, 202610, {"industrial_electricity": "11"}, {"industrial_electricity": "2"})
    put_values(world.a2, 202610, {"industrial_electricity": "5"}, {"industrial_electricity": "1"})
    today = D(2026, 11, 20)
    assert findings.mismatches(world.zone_a, today) == 1
    f = Finding.objects.get()
    assert (f.kind, f.enterprise, f.account, f.period, f.detected_on) == (
        Finding.Kind.MISMATCH, world.a1, acc, "2026-10", today
    )  # fmt: skip
    assert (f.expected, f.observed, f.change_percent) == (
        Decimal("20000.000"), Decimal("31000.000"), Decimal("55.0")
    )  # fmt: skip
    # September: 30,000 kWh against 3.2 万千瓦时, −6.3 %: within 15 %
    assert told() == [("staff", "甲一电子科技有限公司 2026-10 报表工业用电量 2.00 万千瓦时,电表计量 "
                                "3.10 万千瓦时,相差 55.0%,请核实报表数据。")]  # fmt: skip
    assert findings.mismatches(world.zone_a, today) == 0  # once an enterprise and period


def test_a_month_not_read_every_day_is_not_compared(world):
    acc = u.account(world.a1)
    u.readings(acc, days=45, daily=Decimal("1000"))  # September and half October
    put_values(world.a1, 202610, {"industrial_electricity": "11"}, {"industrial_electricity": "9"})
    ZoneUtilitySettings.objects.create(zone=world.zone_a, mismatch_percent=1)
    assert findings.mismatches(world.zone_a, D(2026, 11, 20)) == 0


def test_two_meters_add_up_and_the_finding_names_no_single_account(world):
    for _n in range(2):
        u.readings(u.account(world.a1), days=61, daily=Decimal("500"))
    put_values(world.a1, 202610, {"industrial_electricity": "11"}, {"industrial_electricity": "5"})
    assert findings.mismatches(world.zone_a, D(2026, 11, 20)) == 1
    f = Finding.objects.get()
    assert (f.account, f.observed, f.change_percent) == (
        None,
        Decimal("31000.000"),
        Decimal("-38.0"),
    )


def test_the_jan_feb_return_covers_both_months():
    assert findings._months(202602) == [D(2026, 1, 1), D(2026, 2, 1)]
    assert findings._months(202610) == [D(2026, 10, 1)]
    assert findings._month_end(D(2026, 2, 1)) == D(2026, 2, 28)


def _finding(world):
    return Finding.objects.create(
        zone=world.zone_a, kind=Finding.Kind.DROP, enterprise=world.a1, detected_on=D(2026, 10, 1),
        expected=100, observed=20, change_percent=-80,
    )  # fmt: skip


def test_an_officer_marks_a_finding_once(world):
    from gaoxin.core.models import AuditRecord

    f = findings.mark(world.staff, _finding(world), status="visited", note="已走访:设备检修")
    assert (f.status, f.note) == ("visited", "已走访:设备检修")
    assert AuditRecord.objects.filter(message="用量发现核实:已走访").count() == 1
    with pytest.raises(ValidationError) as caught:
        findings.mark(world.staff, f, status="dismissed")
    assert caught.value.message_dict == {"status": ["该发现已核实过"]}


def test_marking_refuses_what_it_must(world):
    from gaoxin.core.errors import Forbidden

    f = _finding(world)
    with pytest.raises(ValidationError) as caught:
        findings.mark(world.staff, f, status="open")
    assert caught.value.message_dict == {"status": ["请选择核实结果:已走访或已排除"]}
    with pytest.raises(ValidationError) as caught:
        findings.mark(world.staff, f, status="visited", note="长" * 201)
    assert caught.value.message_dict == {"note": ["核实说明不能超过 200 个字(现为 201 个字)"]}
    with pytest.raises(Finding.DoesNotExist):
        findings.mark(world.enterprise, f, status="visited")  # not visible to an enterprise
    with pytest.raises(Forbidden):
        findings.mark(world.leader, f, status="visited")  # leaders read
    f.refresh_from_db()
    assert f.status == "open"
