"""Figures with Chinese magnitude units (万, 亿, 千) in English: converted to the English magnitude
(thousand / million / billion; kWh → MWh → GWh), never the unit word translated next to the
number ("3 100 GWh" for 3亿千瓦时). Chinese stays exactly as it was."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from gaoxin.core import units
from gaoxin.core.money import format_wan


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize(
    ("value", "unit", "places", "text"),
    [
        (3, "亿千瓦时", None, "300 GWh"),
        (30000, "万千瓦时", 1, "300 GWh"),
        (50, "万千瓦时", 1, "500 MWh"),
        (12, "千瓦时", None, "12 kWh"),
        ("0.5", "万千瓦时", 1, "5 MWh"),
        (76, "亿元", None, "7.6 billion yuan"),
        (760000, "万元", 1, "7.6 billion yuan"),
        (24400, "万元", 1, "244 million yuan"),
        ("1.2", "万元", None, "12 thousand yuan"),
        (1950, "万元", 1, "19.5 million yuan"),
        (1198000, "万元", 1, "11.98 billion yuan"),
        ("0.05", "万元", 1, "500 yuan"),
        (-3000, "万元", 1, "-30 million yuan"),
        (0, "万元", 1, "0 yuan"),
        (5, "千元", None, "5 thousand yuan"),
        ("1.2", "万吨", None, "12,000 t"),
        (150, "万吨", None, "1.5 million t"),
        (3, "亿吨", None, "300 million t"),
        (55, "人", 0, "55 people"),
        ("1.5", "万人", 0, "15,000 people"),
        (33, "家", 0, "33 enterprises"),
        ("24.2", "%", 1, "24.2%"),
        ("0.8", "百分点", 1, "0.8 percentage points"),
        (2, "万千瓦", None, "20 MW"),
        (5, "万辆", None, "50,000 辆"),  # an unknown unit keeps its word, the 万 multiplied out
        (12, "", 0, "12"),
        (None, "万元", 1, "—"),
    ],
)
def test_english_figures_are_in_the_english_magnitude(english, value, unit, places, text):
    assert units.figure(value, unit, places) == text


@pytest.mark.parametrize(
    ("value", "unit", "places", "text"),
    [
        (30000, "万千瓦时", 1, "3 亿千瓦时"),
        (500, "万千瓦时", 1, "500 万千瓦时"),
        (760000, "万元", 1, "76.00 亿元"),
        (24400, "万元", 1, "2.44 亿元"),
        ("1.2", "万元", 1, "1.2 万元"),
        (1950, "万元", 1, "1,950 万元"),
        ("1.2", "万吨", None, "1.2 万吨"),
        (55, "人", 0, "55 人"),
        ("24.2", "%", 1, "24.2 %"),
        (None, "万元", 1, "—"),
    ],
)
def test_chinese_figures_stay_as_they_were(chinese, value, unit, places, text):
    assert units.figure(value, unit, places) == text


def test_compact_false_keeps_the_stored_unit_in_chinese_only():
    with translation.override("zh-hans"):
        assert units.figure(760000, "万元", 1, compact=False) == "760,000 万元"
        assert units.figure(30000, "万千瓦时", 1, compact=False) == "30,000 万千瓦时"
    with translation.override("en"):
        assert units.figure(760000, "万元", 1, compact=False) == "7.6 billion yuan"


@pytest.mark.parametrize(
    ("unit", "split"),
    [
        ("万千瓦时", (10**4, "千瓦时")),
        ("亿千瓦时", (10**8, "千瓦时")),
        ("千瓦时", (1, "千瓦时")),  # kWh is a base unit, not 千 × 瓦时
        ("千瓦", (1, "千瓦")),
        ("万元", (10**4, "元")),
        ("千元", (10**3, "元")),
        ("万亿元", (10**12, "元")),
        ("万美元", (10**4, "美元")),
        ("万吨", (10**4, "吨")),
        ("万人次", (10**4, "人次")),
        ("万辆", (10**4, "辆")),
        ("%", (1, "%")),
        ("", (1, "")),
    ],
)
def test_split_finds_the_magnitude_and_the_base_unit(unit, split):
    assert units.split(unit) == split


def test_money_helper_and_template_filter_speak_english(english):
    assert format_wan(760000) == "7.6 billion yuan"
    assert format_wan(Decimal("1.2")) == "12 thousand yuan"
    assert format_wan(None) == "—"
    html = Template("{% load gaoxin %}{{ v|wan }}").render(Context({"v": Decimal("24400")}))
    assert html == "244 million yuan"


def test_money_helper_in_chinese_is_unchanged(chinese):
    assert format_wan(760000) == "76.00 亿元"
    assert format_wan(Decimal("1950")) == "1,950 万元"
    assert format_wan(760000, unit=False) == "76.00"
    assert format_wan(1950, unit=False) == "1,950"
    html = Template("{% load gaoxin %}{{ v|wan }}").render(Context({"v": Decimal("24400")}))
    assert html == "2.44 亿元"


@pytest.mark.parametrize(
    ("values", "unit", "divisor", "name"),
    [
        ([30000, 28000, None], "万千瓦时", Decimal(100), "GWh"),
        ([50, 20], "万千瓦时", Decimal("0.1"), "MWh"),
        ([760000, 10], "万元", Decimal(10**5), "billion yuan"),
        ([1950, 300], "万元", Decimal(100), "million yuan"),
        ([Decimal("0.2")], "万元", Decimal("0.1"), "thousand yuan"),
        ([Decimal("0.02")], "万元", Decimal("0.0001"), "yuan"),
        ([], "万元", Decimal("0.0001"), "yuan"),
        ([55], "人", Decimal(1), "people"),
    ],
)
def test_charts_in_english_use_the_step_the_largest_value_reaches(
    english, values, unit, divisor, name
):
    assert units.chart_unit(values, unit) == (divisor, name)


def test_charts_in_chinese_are_as_stored():
    with translation.override("zh-hans"):
        assert units.chart_unit([30000], "万千瓦时") == (Decimal(1), None)
        assert units.chart_values([30000, None], Decimal(1)) == [30000.0, None]
    with translation.override("en"):
        divisor, _name = units.chart_unit([30000], "万千瓦时")
        assert units.chart_values([30000, None, 15000], divisor) == [300.0, None, 150.0]


@pytest.mark.parametrize(
    ("unit", "label"),
    [
        ("万元", "10,000 yuan"),
        ("亿元", "100 million yuan"),
        ("千元", "1,000 yuan"),
        ("万千瓦时", "10,000 kWh"),
        ("亿千瓦时", "100 million kWh"),
        ("万吨", "10,000 t"),
        ("人", "people"),
        ("%", "%"),
        ("万辆", "10,000 辆"),
        ("", ""),
    ],
)
def test_unit_labels_in_english_name_the_magnitude_in_digits(english, unit, label):
    assert units.unit_label(unit) == label
    html = Template("{% load gaoxin %}{{ u|unit }}").render(Context({"u": unit}))
    assert html == label


def test_unit_labels_in_chinese_are_as_they_are(chinese):
    assert units.unit_label("万元") == "万元"
    assert (
        Template("{% load gaoxin %}{{ u|unit }}").render(Context({"u": "万千瓦时"})) == "万千瓦时"
    )
