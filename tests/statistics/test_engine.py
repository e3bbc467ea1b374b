"""The computation engine: figures (computed from rollups, official as published), trends,
breakdowns, top enterprises, contributions to growth and the month/cumulative helpers."""

from decimal import Decimal

import pytest

from gaoxin.statistics import engine, rollups
from gaoxin.statistics.models import Return
from tests.support.returns import indicator, put_values

D = Decimal


def by_code(figures):
    return {f.code: f for f in figures}


@pytest.mark.django_db
def test_figures_ytd(figures_book, django_assert_num_queries):
    with django_assert_num_queries(3):
        got = by_code(engine.figures(figures_book.zone_a, 201912))
    out = got["output_value"]
    # 190 this year; same set (a1, a2) 160 against 150: +6.7%.
    assert (out.value, out.yoy_pct, out.enterprises) == (D("190"), D("6.7"), 3)
    assert (out.source, out.source_label, out.cumulative, out.unit) == (
        "computed", "平台计算", True, "万元",
    )  # fmt: skip
    assert (got["employees"].value, got["employees"].yoy_pct) == (D("55"), D("10.0"))
    # R&D ÷ revenue: 12 ÷ 190 = 6.32%; same set (8+1)/(110+50) against (5+1)/(90+60):
    # 5.625% against 4%, a relative change of +40.6%.
    ratio = got["rd_revenue_ratio"]
    assert (ratio.value, ratio.yoy_pct, ratio.unit) == (D("6.32"), D("40.6"), "%")
    # No accepted values for exports: listed, without a value.
    assert (got["exports"].value, got["exports"].yoy_pct) == (None, None)
    assert got["export_ratio"].value is None
    # Official figures as published, with their authority; no figure published → not listed.
    va = got["industrial_value_added"]
    assert (va.value, va.yoy_pct, va.source, va.source_label) == (
        D("760000"), D("10.4"), "official", "官方数据·统计局",
    )  # fmt: skip
    assert (got["official_tax"].yoy_pct, got["official_tax"].source_label) == (
        D("14.9"), "官方数据·税务局",
    )  # fmt: skip
    assert "hightech_share" not in got


@pytest.mark.django_db
def test_figures_month(figures_book):
    got = by_code(engine.figures(figures_book.zone_a, "2019-12", mode="month"))
    # December's own values: 12 + 4 + 3 = 19; same set 16 against 15: +6.7%.
    assert (got["output_value"].value, got["output_value"].yoy_pct) == (D("19"), D("6.7"))
    # Not cumulative: the same in both modes.
    assert got["employees"].value == D("55")
    # Official figures stay as published.
    assert got["industrial_value_added"].value == D("760000")
    with pytest.raises(ValueError):
        engine.figures(figures_book.zone_a, 201912, mode="week")


@pytest.mark.django_db
def test_figures_of_an_empty_period_and_other_zone(figures_book):
    got = by_code(engine.figures(figures_book.zone_a, 202001))
    assert got["output_value"].value is None
    assert "industrial_value_added" not in got
    assert by_code(engine.figures(figures_book.zone_b, 201912))["output_value"].value is None
    rollups.refresh(figures_book.zone_b.pk, [201912])  # zone B's rollups are its own
    b = by_code(engine.figures(figures_book.zone_b, 201912))
    assert (b["output_value"].value, b["output_value"].yoy_pct) == (D("1000"), None)


@pytest.mark.django_db
def test_trend(figures_book, django_assert_num_queries):
    out = indicator("output_value")
    with django_assert_num_queries(1):
        points = engine.trend(figures_book.zone_a, out, 201912, months=3)
    assert [(p.period, p.label, p.value, p.yoy_pct) for p in points] == [
        (201910, "2019年10月", None, None),
        (201911, "2019年11月", D("108"), D("20.0")),
        (201912, "2019年12月", D("190"), D("6.7")),
    ]
    month = engine.trend(figures_book.zone_a, out, 201912, months=2, mode="month")
    assert [p.value for p in month] == [D("11"), D("19")]
    va = engine.trend(figures_book.zone_a, indicator("industrial_value_added"), 201912, months=2)
    assert [(p.value, p.yoy_pct) for p in va] == [(None, None), (D("760000"), D("10.4"))]
    # Across the new year the 1–2月 return follows December (no January).
    assert [p.period for p in engine.trend(figures_book.zone_a, out, 202003, months=3)] == [
        201912,
        202002,
        202003,
    ]


@pytest.mark.django_db
def test_breakdown(figures_book, django_assert_num_queries):
    out = indicator("output_value")
    with django_assert_num_queries(3):
        rows = engine.breakdown(figures_book.zone_a, out, 201912, "division")
    assert rows == [
        {
            "key": "39",
            "label": "39 计算机、通信和其他电子设备制造业",
            "value": D("150"),
            "share": D("78.9"),
            "yoy_pct": D("20.0"),
            "enterprises": 2,
        },
        {
            "key": "17",
            "label": "17 纺织业",
            "value": D("40"),
            "share": D("21.1"),
            "yoy_pct": D("-20.0"),
            "enterprises": 1,
        },
    ]
    sections = engine.breakdown(figures_book.zone_a, out, 201912, "section")
    assert [(r["label"], r["value"], r["share"]) for r in sections] == [
        ("C 制造业", D("190"), D("100.0"))
    ]
    scale = engine.breakdown(figures_book.zone_a, out, 201912, "scale", mode="month")
    assert [(r["label"], r["value"]) for r in scale] == [("大型", D("12")), ("小型", D("4"))]
    tags = engine.breakdown(figures_book.zone_a, out, 201912, "tag")
    assert [(r["key"], r["label"], r["value"]) for r in tags] == [
        (str(figures_book.tag_a.pk), "电子信息", D("120"))
    ]
    ratio = engine.breakdown(figures_book.zone_a, indicator("rd_revenue_ratio"), 201912, "division")
    assert [(r["key"], r["value"], r["share"]) for r in ratio] == [
        ("39", D("7.86"), None),  # (8+3) ÷ (110+30)
        ("17", D("2.00"), None),
    ]
    with pytest.raises(ValueError):
        engine.breakdown(figures_book.zone_a, out, 201912, "colour")


@pytest.mark.django_db
def test_top(figures_book, django_assert_num_queries):
    out = indicator("output_value")
    with django_assert_num_queries(2):
        rows = engine.top(figures_book.zone_a, out, 201912, n=2)
    assert rows == [
        {
            "enterprise_id": figures_book.a1.pk,
            "name": "甲一电子科技有限公司",
            "ret_id": Return.objects.get(enterprise=figures_book.a1, period=201912).pk,
            "value": D("120"),
            "share": D("63.2"),
            "yoy_pct": D("20.0"),
        },
        {
            "enterprise_id": figures_book.a2.pk,
            "name": "甲二纺织有限公司",
            "ret_id": Return.objects.get(enterprise=figures_book.a2, period=201912).pk,
            "value": D("40"),
            "share": D("21.1"),
            "yoy_pct": D("-20.0"),
        },
    ]
    month = engine.top(figures_book.zone_a, out, 201912, n=5, mode="month")
    assert [(r["value"], r["yoy_pct"]) for r in month] == [
        (D("12"), D("20.0")),
        (D("4"), D("-20.0")),
        (D("3"), None),
    ]
    with pytest.raises(ValueError):
        engine.top(figures_book.zone_a, indicator("rd_revenue_ratio"), 201912)


@pytest.mark.django_db
def test_contributions(figures_book, django_assert_num_queries):
    out = indicator("output_value")
    with django_assert_num_queries(2):
        rows = engine.contributions(figures_book.zone_a, out, 201912)
    # Base (same set) 150: a1 +20 → +13.33 points, a2 −10 → −6.67 points; a3 has no base.
    assert [(r["enterprise_id"], r["change"], r["contribution_pp"]) for r in rows] == [
        (figures_book.a1.pk, D("20"), D("13.33")),
        (figures_book.a2.pk, D("-10"), D("-6.67")),
    ]
    # The points add up to the zone's growth (+6.7%).
    assert sum(r["contribution_pp"] for r in rows) == D("6.66")


def test_month_values_and_cumulate():
    cumulative = {201902: D("10"), 201903: D("25"), 201904: None, 201905: D("50"), 202002: D("7")}
    months = engine.month_values(cumulative)
    assert months == {201902: D("10"), 201903: D("15"), 201904: None, 201905: None, 202002: D("7")}
    assert engine.cumulate({201902: D("10"), 201903: D("15"), 201904: D("5")}) == {
        201902: D("10"),
        201903: D("25"),
        201904: D("30"),
    }
    assert engine.cumulate({201902: D("10"), 201903: None, 201904: D("5"), 202002: D("1")}) == {
        201902: D("10"),
        201903: None,
        201904: None,
        202002: D("1"),
    }


def test_growth_and_ratio_helpers():
    assert engine.growth(D("105"), D("100")) == D("5.0")
    assert engine.growth(D("100.05"), D("100")) == D("0.1")  # 0.05 rounds half up
    assert engine.growth(D("1"), D("0")) is None
    assert engine.growth(None, D("1")) is None
    assert engine.ratio(D("1"), D("0")) is None
    assert engine.source_label("power") == "官方数据·供电公司"


@pytest.mark.django_db
def test_latest_period(figures_book):
    assert engine.latest_period(figures_book.zone_a) == 201912
    assert engine.latest_period(figures_book.zone_c) is None


@pytest.mark.django_db
def test_annual_figures_provider(figures_book, django_assert_num_queries):
    from gaoxin.investment import delivery
    from gaoxin.statistics import providers

    put_values(
        figures_book.a2, 201911, {"output_value": 36, "industrial_tax": "2.5", "employees": 30}
    )
    with django_assert_num_queries(1):
        a1 = providers.annual_figures(figures_book.a1, 2019)
    # December's cumulative values; no tax reported → None (the delivery line awaits it).
    assert a1 == {"output": D("120"), "tax": None, "jobs": 55}
    # Tax and jobs only up to November: the latest month of the year each.
    assert providers.annual_figures(figures_book.a2, 2019) == {
        "output": D("40"),
        "tax": D("2.5"),
        "jobs": 30,
    }
    assert providers.annual_figures(figures_book.a3, 2018) is None
    providers.register()
    providers.register()  # registering twice is harmless
    assert delivery._providers.count(providers.annual_figures) == 1
    assert delivery.enterprise_figures(figures_book.a1, 2018) == {
        "output": D("100"),
        "tax": None,
        "jobs": 50,
    }
