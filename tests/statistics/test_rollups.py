"""Rollups: sums of accepted values by zone, period, indicator and breakdown, with the same-set
(同口径) sums growth is computed from, rebuilt set-based by `rollups.refresh`."""

from decimal import Decimal

import pytest

from gaoxin.enterprises.models import Enterprise
from gaoxin.statistics import rollups
from gaoxin.statistics.models import ReturnValue, Rollup
from tests.factories import EnterpriseFactory
from tests.support.returns import indicator, put_values

D = Decimal


def rollup(zone, code, period, dimension="all", key="") -> Rollup:
    return Rollup.objects.get(
        zone=zone, indicator=indicator(code), period=period, dimension=dimension, key=key
    )


def row(r: Rollup) -> tuple:
    return (
        r.enterprises,
        r.value,
        r.month_value,
        r.same_value,
        r.base_value,
        r.same_month,
        r.base_month,
    )


@pytest.fixture
def book(world):
    """a1 (3974 显示器件, C/39, large, tag 电子信息), a2 (1711 纺织, C/17, small, below scale) in
    2018 and 2019; a3 (3974, no scale) reports only in 2019; b1 in zone B must not count."""
    a1, a2 = world.a1, world.a2
    Enterprise.objects.filter(pk=a1.pk).update(scale="large", above_scale=True)
    Enterprise.objects.filter(pk=a2.pk).update(scale="small", above_scale=False)
    a3 = EnterpriseFactory(zone=world.zone_a, name="甲三光电有限公司", above_scale=True)
    put_values(a1, 201811, {"output_value": 90}, {"output_value": 9})
    put_values(a1, 201812, {"output_value": 100, "employees": 50}, {"output_value": 10})
    put_values(a2, 201812, {"output_value": 50}, {"output_value": 5})
    put_values(a1, 201911, {"output_value": 108}, {"output_value": 11})
    put_values(a1, 201912, {"output_value": 120, "employees": 55}, {"output_value": 12})
    put_values(a2, 201912, {"output_value": "40.5"}, {"output_value": 4})
    put_values(a3, 201912, {"output_value": 30}, {"output_value": 3})
    put_values(world.b1, 201912, {"output_value": 1000}, {"output_value": 100})
    put_values(world.b1, 201812, {"output_value": 900}, {"output_value": 90})
    world.a3 = a3
    return world


def test_affected_periods():
    # P, P+100 (its base), the next reporting month (its month value) and that month's base.
    assert rollups.affected([201911]) == {201911, 202011, 201912, 202012}
    assert rollups.affected([201912]) == {201912, 202012}
    assert rollups.affected([201902]) == {201902, 202002, 201903, 202003}
    assert rollups.affected([]) == set()


@pytest.mark.django_db
def test_refresh_all_dimension_with_same_set_growth(book):
    rollups.refresh(book.zone_a.pk, [201812, 201912])
    # 2019: a1 120 + a2 40.5 + a3 30; the same set (a1, a2) 160.5 against 150 last year:
    # a3 reports only this year and is left out of both sides.
    assert row(rollup(book.zone_a, "output_value", 201912)) == (
        3, D("190.5"), D("19"), D("160.5"), D("150"), D("16"), D("15"),
    )  # fmt: skip
    # 2018: nothing a year earlier, so no same-set sums.
    assert row(rollup(book.zone_a, "output_value", 201812)) == (
        2, D("150"), D("15"), None, None, None, None,
    )  # fmt: skip
    # Employees (not cumulative, no month value): a1 alone, 55 against 50.
    assert row(rollup(book.zone_a, "employees", 201912)) == (
        1, D("55"), None, D("55"), D("50"), None, None,
    )  # fmt: skip
    # Zone B untouched by the zone A refresh.
    assert not Rollup.objects.filter(zone=book.zone_b).exists()


@pytest.mark.django_db
def test_refresh_breakdowns(book):
    rollups.refresh(book.zone_a.pk, [201912])
    got = {
        (r.dimension, r.key): (r.enterprises, r.value, r.same_value, r.base_value)
        for r in Rollup.objects.filter(
            zone=book.zone_a, period=201912, indicator=indicator("output_value")
        )
    }
    assert got == {
        ("all", ""): (3, D("190.5"), D("160.5"), D("150")),
        ("section", "C"): (3, D("190.5"), D("160.5"), D("150")),
        ("division", "39"): (2, D("150"), D("120"), D("100")),
        ("division", "17"): (1, D("40.5"), D("40.5"), D("50")),
        ("scale", "large"): (1, D("120"), D("120"), D("100")),
        ("scale", "small"): (1, D("40.5"), D("40.5"), D("50")),
        ("above_scale", "1"): (2, D("150"), D("120"), D("100")),
        ("above_scale", "0"): (1, D("40.5"), D("40.5"), D("50")),
        ("tag", str(book.tag_a.pk)): (1, D("120"), D("120"), D("100")),
    }


@pytest.mark.django_db
def test_refresh_replaces_the_periods_rows_only(book):
    rollups.refresh(book.zone_a.pk, [201911, 201912])
    before = Rollup.objects.filter(zone=book.zone_a, period=201911).count()
    # The value changes (a revision) and the period is refreshed again: rows are replaced.
    ReturnValue.objects.filter(
        enterprise=book.a1, period=201912, indicator=indicator("output_value")
    ).update(value=D("130"))
    rollups.refresh(book.zone_a.pk, [201912])
    assert rollup(book.zone_a, "output_value", 201912).value == D("200.5")
    assert Rollup.objects.filter(zone=book.zone_a, period=201911).count() == before
    assert (
        Rollup.objects.filter(
            zone=book.zone_a, period=201912, dimension="all", indicator=indicator("output_value")
        ).count()
        == 1
    )
    # A period whose values are all gone loses its rows.
    ReturnValue.objects.filter(zone=book.zone_a, period=201911).delete()
    rollups.refresh(book.zone_a.pk, [201911])
    assert not Rollup.objects.filter(zone=book.zone_a, period=201911).exists()


@pytest.mark.django_db
def test_refresh_all_rebuilds_every_affected_period(book):
    assert rollups.refresh_all(book.zone_a.pk) == 6  # 201811/12, 201911/12, 202011/12
    assert set(Rollup.objects.filter(zone=book.zone_a).values_list("period", flat=True)) == {
        201811,
        201812,
        201911,
        201912,
    }
    rollups.refresh(book.zone_a.pk, [])  # nothing to do


@pytest.mark.django_db
def test_the_same_set_is_the_zones(book):
    # a3 reported to zone B last year, then moved to zone A: new to zone A's set.
    put_values(book.a3, 201812, {"output_value": 25}, {"output_value": 2}, zone=book.zone_b)
    rollups.refresh(book.zone_a.pk, [201912])
    r = rollup(book.zone_a, "output_value", 201912)
    assert (r.same_value, r.base_value) == (D("160.5"), D("150"))
