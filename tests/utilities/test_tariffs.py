"""Tariffs: the rates of each structure validated with Chinese messages, the version in force on
a day, and the price of a reading's usage in 元 (Decimal, two decimals, half up)."""

import copy
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gaoxin.utilities import tariffs
from gaoxin.utilities.models import Account, Reading, Structure
from tests.support import utilities as u

D = datetime.date
TOU = u.RATES[Structure.TIME_OF_USE]


def messages(structure, rates) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        tariffs.validate_rates(structure, rates)
    return caught.value.message_dict["rates"]


def tou(**changes):
    rates = copy.deepcopy(TOU)
    for key, value in changes.items():
        if key in ("critical", "peak", "flat", "valley"):
            rates["prices"][key] = value
        else:
            rates[key] = value
    return rates


# --- validation ---------------------------------------------------------------------------


def test_single_and_flat_prices_are_normalised():
    assert tariffs.validate_rates("single", {"price": "0.6512"}) == {"price": "0.6512"}
    assert tariffs.validate_rates("flat", {"price": 4}) == {"price": "4"}


@pytest.mark.parametrize(
    ("price", "message"),
    [
        (None, "价格不是有效的价格:None"),
        ("abc", "价格不是有效的价格:abc"),
        ("0", "价格必须大于0"),
        ("-1", "价格必须大于0"),
        ("1e30", "价格超过1000元,请核对"),
        ("NaN", "价格必须大于0"),
        ("0.1234567", "价格最多6位小数"),
    ],
)
def test_a_bad_single_price_says_why(price, message):
    assert messages("single", {"price": price}) == [message]


def test_rates_must_be_an_object_and_the_structure_known():
    with pytest.raises(ValidationError) as caught:
        tariffs.validate_rates("single", ["0.8"])
    assert caught.value.message_dict == {"rates": ["价格须为对象(JSON)"]}
    assert messages("weekly", {"price": "1"}) == ["未知的计价方式:weekly"]


def test_time_of_use_rates_pass_and_keep_their_hours():
    rates = tariffs.validate_rates("tou", TOU)
    assert rates["prices"] == {"critical": "1.50", "peak": "1.20", "flat": "0.70", "valley": "0.30"}
    assert rates["hours"]["valley"] == [[23, 7]]
    assert rates["critical_months"] == [1, 7, 8, 12]


def test_peak_must_be_three_times_valley():
    assert messages("tou", tou(valley="0.41")) == [
        "峰谷价差不足:峰段价格须不低于谷段的3倍(现为2.93倍)"
    ]
    assert tariffs.validate_rates("tou", tou(valley="0.40"))["prices"]["valley"] == "0.40"


def test_critical_peak_must_be_one_point_two_times_peak():
    assert messages("tou", tou(critical="1.43")) == ["尖峰价格须不低于峰段的1.2倍(至少1.44元)"]
    assert tariffs.validate_rates("tou", tou(critical="1.44"))["prices"]["critical"] == "1.44"


def test_flat_lies_between_valley_and_peak():
    assert messages("tou", tou(flat="1.30")) == ["平段价格须高于谷段、低于峰段"]


def test_hours_must_cover_the_day_without_overlap():
    gap = {**TOU["hours"], "flat": [[7, 8], [11, 18]]}  # 21–23 undefined
    assert messages("tou", tou(hours=gap)) == ["峰、平、谷时段未覆盖全天0—24时(如21时起未定义)"]
    overlap = {**TOU["hours"], "flat": [[7, 8], [10, 18], [21, 23]]}
    assert messages("tou", tou(hours=overlap)) == ["峰、平、谷时段有重叠"]
    half = {**TOU["hours"], "flat": [[7, 8], [11, 18], [21, 23.5]], "valley": [[23.5, 7]]}
    assert tariffs.validate_rates("tou", tou(hours=half))["hours"]["valley"] == [[23.5, 7]]


def test_bad_hours_say_which_period():
    assert messages("tou", tou(hours={**TOU["hours"], "peak": [[8, 25]]})) == [
        "峰段的时刻必须是0到24之间的整点或半点:25"
    ]
    assert messages("tou", tou(hours={**TOU["hours"], "peak": [[8, 8]]})) == [
        "峰段的时段开始与结束相同"
    ]
    assert messages("tou", tou(hours={**TOU["hours"], "critical": [[12, 13]]})) == [
        "尖峰时间须在峰段时间之内"
    ]
    no_valley = {k: v for k, v in TOU["hours"].items() if k != "valley"}
    assert messages("tou", tou(hours=no_valley)) == ["缺少谷段的时间"]


def test_critical_needs_its_months_and_missing_prices_are_named():
    assert messages("tou", tou(critical_months=[])) == ["有尖峰价格时须给出执行尖峰的月份"]
    assert messages("tou", tou(critical_months=[13])) == ["尖峰月份须为1到12:13"]
    rates = copy.deepcopy(TOU)
    del rates["prices"]["flat"]
    assert messages("tou", rates) == ["缺少平段价格"]
    assert messages("tou", {"hours": TOU["hours"]}) == [
        "分时电价须给出各时段价格(尖峰、峰、平、谷)"
    ]


def test_a_time_of_use_tariff_without_critical_peak():
    rates = copy.deepcopy(TOU)
    del rates["prices"]["critical"], rates["hours"]["critical"], rates["critical_months"]
    assert set(tariffs.validate_rates("tou", rates)["prices"]) == {"peak", "flat", "valley"}


def test_two_part_rates_need_one_monthly_charge():
    assert tariffs.validate_rates("two_part", {"price": "0.62", "capacity_price": "25"}) == {
        "price": "0.62",
        "capacity_price": "25",
    }
    assert messages("two_part", {"price": "0.62"}) == [
        "两部制电价须给出容量电价(元/kVA·月)或需量电价(元/kW·月)之一"
    ]
    both = {"price": "0.62", "capacity_price": "25", "demand_price": "38"}
    assert messages("two_part", both) == [
        "两部制电价须给出容量电价(元/kVA·月)或需量电价(元/kW·月)之一"
    ]
    with_tou = {**TOU, "demand_price": "38"}
    assert tariffs.validate_rates("two_part", with_tou)["demand_price"] == "38"


def test_tiers_ascend_and_the_last_is_open():
    assert tariffs.validate_rates("tiered", {"tiers": [["2000", "4.10"], [None, "5.20"]]}) == {
        "tiers": [["2000", "4.10"], [None, "5.20"]]
    }
    assert messages("tiered", {"tiers": [["2000", "4.10"], ["1000", "5.20"], [None, "6"]]}) == [
        "第2档的月用量上限须大于上一档且为有效数值"
    ]
    assert messages("tiered", {"tiers": [["2000", "5.20"], [None, "4.10"]]}) == [
        "第2档价格低于上一档:阶梯价须逐档递增"
    ]
    assert messages("tiered", {"tiers": [["2000", "4.10"], ["3000", "5.20"]]}) == [
        "最后一档不设上限(填null)"
    ]
    assert messages("tiered", {"tiers": [[None, "4.10"], [None, "5.20"]]}) == [
        "只有最后一档可以不设上限"
    ]
    assert messages("tiered", {}) == ["阶梯价须给出各档:[[月用量上限, 价格], …, [null, 价格]]"]


# --- pricing ------------------------------------------------------------------------------


def test_single_price_rounds_half_up_to_the_fen():
    assert tariffs.price("single", {"price": "0.6512"}, Decimal("100.005")) == Decimal("65.12")
    assert tariffs.price("single", {"price": "0.5"}, Decimal("0.01")) == Decimal("0.01")  # 0.005
    assert tariffs.price("single", {"price": "0.5"}, Decimal("0")) == Decimal("0")


def test_time_of_use_prices_each_register():
    rates = tariffs.validate_rates("tou", TOU)
    august, may = D(2026, 8, 3), D(2026, 5, 4)
    price = lambda register, day: tariffs.price("tou", rates, 10, register=register, day=day)  # noqa: E731
    assert price("peak", may) == Decimal("12.00")
    assert price("valley", may) == Decimal("3.00")
    assert price("flat", may) == Decimal("7.00")
    assert price("critical", august) == Decimal("15.00")
    assert price("critical", may) == Decimal("12.00")  # no critical peak in May: the peak price
    assert price("total", may) == Decimal("7.00")  # a total on time-of-use: the flat price


def test_two_part_energy_part_and_monthly_charge(world):
    rates = {"price": "0.62", "capacity_price": "25"}
    assert tariffs.price("two_part", rates, Decimal("1000")) == Decimal("620.00")
    acc = u.account(world.a1, structure=Structure.TWO_PART, capacity_kva=Decimal("400"))
    version = tariffs.version_on(acc.tariff, D(2026, 9, 1))
    assert tariffs.monthly_charge(version, acc) == ("capacity", Decimal("10000.00"))
    acc.capacity_kva = None
    assert tariffs.monthly_charge(version, acc) is None


def test_tiered_splits_usage_over_the_tiers_by_the_month_before():
    rates = {"tiers": [["2000", "4.10"], ["3000", "5.20"], [None, "6.30"]]}
    assert tariffs.price("tiered", rates, 500, month_before=1000) == Decimal("2050.00")
    # 1800 → 2300 crosses the first limit: 200 × 4.10 + 300 × 5.20
    assert tariffs.price("tiered", rates, 500, month_before=1800) == Decimal("2380.00")
    # 2500 → 4000: 500 × 5.20 + 1000 × 6.30
    assert tariffs.price("tiered", rates, 1500, month_before=2500) == Decimal("8900.00")
    assert tariffs.price("tiered", rates, 10, month_before=5000) == Decimal("63.00")


def test_period_at_reads_the_hours():
    rates = tariffs.validate_rates("tou", TOU)
    at = lambda month, hour: u.local(D(2026, month, 3), hour)  # noqa: E731
    assert tariffs.period_at(rates, at(5, 9)) == "peak"
    assert tariffs.period_at(rates, at(5, 2)) == "valley"
    assert tariffs.period_at(rates, at(5, 23)) == "valley"
    assert tariffs.period_at(rates, at(5, 12)) == "flat"
    assert tariffs.period_at(rates, at(8, 20)) == "critical"
    assert tariffs.period_at(rates, at(5, 20)) == "peak"
    assert tariffs.period_at({"price": "1"}, at(5, 20)) == "total"


# --- versions -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_version_in_force_is_the_latest_begun(world):
    tariff = u.tariff(world.zone_a, valid_from=D(2026, 1, 1))
    u.version(tariff, {"price": "0.85"}, valid_from=D(2026, 7, 1))
    assert tariffs.version_on(tariff, D(2025, 12, 31)) is None
    assert tariffs.version_on(tariff, D(2026, 6, 30)).rates == {"price": "0.80"}
    assert tariffs.version_on(tariff, D(2026, 7, 1)).rates == {"price": "0.85"}
    versions = tariffs.Versions([tariff.pk])
    assert versions.on(tariff.pk, D(2026, 6, 30)).rates == {"price": "0.80"}
    assert versions.on(tariff.pk, D(2026, 7, 1)).rates == {"price": "0.85"}
    assert versions.on(tariff.pk, D(2025, 1, 1)) is None
    assert versions.on(tariff.pk + 1, D(2026, 7, 1)) is None


@pytest.mark.django_db
def test_support_helpers_write_priced_readings(world):
    acc = u.account(world.a1, balance=Decimal("1000"))
    made = u.readings(acc, days=7, daily=Decimal("100"))
    assert len(made) == 8
    assert [r.usage for r in made] == [Decimal(0)] + [Decimal("100.000")] * 7
    assert [r.amount for r in made][1:] == [Decimal("80.00")] * 7
    assert Account.objects.get(pk=acc.pk).balance == Decimal("440.00")
    assert Reading.objects.filter(account=acc).count() == 8
    partner = u.partner(acc.company)
    assert list(Account.objects.restrict(partner)) == [acc]
