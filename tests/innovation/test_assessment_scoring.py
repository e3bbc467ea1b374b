"""The high-tech criteria and the innovation score as pure functions: every boundary of
DOMAIN.md "High-tech enterprise criteria in detail" (the figures from returns are in
test_assessment_returns.py)."""

import datetime
from decimal import Decimal

import pytest

from gaoxin.innovation.assessment import scoring, techsme
from gaoxin.innovation.assessment.scoring import FAIL, PASS, UNKNOWN, Figure, Item, Part

D = datetime.date
W = Decimal


# --- R&D ratio by revenue band --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("revenue", "threshold"),
    [("5000", 5), ("4999.9999", 5), ("5000.0001", 4), ("20000", 4), ("20000.0001", 3), ("1", 5)],
)
def test_band_edges_belong_to_the_lower_band(revenue, threshold):
    assert scoring.rd_threshold(W(revenue)) == W(threshold)


@pytest.mark.parametrize(
    ("revenue", "rd", "status"),
    [
        ("5000", "250", PASS),  # 5% in the ≤ 5000万 band
        ("5000", "249.99", FAIL),
        ("20000", "800", PASS),  # 4% in the ≤ 2亿 band
        ("20000", "799.99", FAIL),
        ("30000", "900", PASS),  # 3% above 2亿
        ("30000", "899.99", FAIL),
    ],
)
def test_rd_ratio_at_and_just_below_each_band(revenue, rd, status):
    result = scoring.rd_ratio([(2018, W(revenue), W(rd))])
    assert result.status == status
    assert result.note == "按 1 个会计年度计算"


def test_rd_ratio_sums_the_years_and_takes_the_band_of_the_latest():
    # 2016–2017 small, 2018 above 5000万: the 4% band over the three years' sums
    years = [(2016, W(3000), W(120)), (2017, W(4000), W(160)), (2018, W(6000), W(240))]
    result = scoring.rd_ratio(years)
    assert result.status == PASS
    values = {f.label: f for f in result.figures}
    assert values["销售收入合计(万元)"].value == W(13000)
    assert values["研发费用合计(万元)"].value == W(520)
    assert values["研发费用合计(万元)"].source == "returns"
    assert values["研发费用合计(万元)"].detail == "2016年12月、2017年12月、2018年12月"
    assert values["研发费用占比"].value == "4.00%"
    assert values["应达比例"].value == "4%"
    assert result.note == ""


def test_rd_ratio_without_returns_is_unknown():
    assert scoring.rd_ratio([]).status == UNKNOWN


# --- the shares -----------------------------------------------------------------------------------


def staff(value):
    return Figure("职工总数", value, "entered")


@pytest.mark.parametrize(
    ("st", "total", "status"),
    [(10, 100, PASS), (10, 101, FAIL), (9, 90, PASS), (None, 100, UNKNOWN), (5, None, UNKNOWN)],
)
def test_st_staff_ten_percent(st, total, status):
    assert scoring.st_staff(st, total, "王五", staff(total)).status == status


@pytest.mark.parametrize(
    ("share", "status"), [("60", PASS), ("59.99", FAIL), ("100", PASS), (None, UNKNOWN)]
)
def test_rd_in_china_sixty_percent(share, status):
    assert scoring.rd_in_china(None if share is None else W(share), "王五").status == status


@pytest.mark.parametrize(
    ("hightech", "total", "status"),
    [
        ("600", "1000", PASS),
        ("599.99", "1000", FAIL),
        (None, "1000", UNKNOWN),
        ("1", None, UNKNOWN),
    ],
)
def test_hightech_share_of_total_income(hightech, total, status):
    income = Figure("总收入(万元)", None if total is None else W(total), "entered")
    result = scoring.hightech_share(None if hightech is None else W(hightech), income, "王五")
    assert result.status == status


# --- registered, the flags, the whole ---------------------------------------------------------


@pytest.mark.parametrize(
    ("established", "applying", "status"),
    [
        (D(2018, 6, 1), D(2019, 6, 1), PASS),  # one full year
        (D(2018, 6, 1), D(2019, 5, 31), FAIL),  # a day short
        (D(2016, 2, 29), D(2017, 2, 28), PASS),
        (D(2016, 2, 29), D(2017, 2, 27), FAIL),
        (None, D(2019, 6, 1), UNKNOWN),
    ],
)
def test_registered_a_year_before_applying(established, applying, status):
    assert scoring.registered(established, applying).status == status


def test_core_ip_entered_wins_over_the_ledger():
    assert scoring.core_ip(None, 2, "").status == PASS
    assert scoring.core_ip(None, 0, "").status == UNKNOWN
    assert scoring.core_ip(False, 2, "王五").status == FAIL
    assert scoring.core_ip(True, 0, "王五").status == PASS


def test_overall_fail_beats_unknown_beats_pass():
    def c(status):
        return scoring.Criterion("x", "x", status, "")

    assert scoring.overall([c(PASS), c(PASS)]) == PASS
    assert scoring.overall([c(PASS), c(UNKNOWN)]) == UNKNOWN
    assert scoring.overall([c(UNKNOWN), c(FAIL)]) == FAIL


# --- the innovation score ---------------------------------------------------------------------


def part(low, high=None, known=True, most=100):
    high = low if high is None else high
    return Part("p", "部分", most, [Item("i", "项", low, high, most, known=known)])


@pytest.mark.parametrize(
    ("parts", "status"),
    [
        ([part(40), part(31)], PASS),  # 71 on the lower ends
        ([part(40), part(30, 31)], FAIL),  # 70 on the lower end: a band's top does not count
        ([part(40), part(30, 40, known=False)], UNKNOWN),  # a missing entry could lift it
        ([part(40), part(20, 30, known=False)], FAIL),  # not even at the top
    ],
)
def test_innovation_above_seventy(parts, status):
    assert scoring.innovation(parts).status == status


@pytest.mark.parametrize(
    ("one", "two", "band"),
    [(1, 0, (7, 8)), (0, 5, (5, 6)), (0, 4, (3, 4)), (0, 3, (3, 4)), (0, 2, (1, 2)),
     (0, 1, (1, 2)), (0, 0, (0, 0))],
)  # fmt: skip
def test_ip_quantity_bands(one, two, band):
    assert scoring.ip_quantity(one, two) == band


def test_ip_part_caps_at_thirty():
    ip = scoring.ip_part(advancement=8, support=8, class_one=1, class_two=0, own_rd=True,
                         standard=True, who="王五")  # fmt: skip
    assert (ip.low, ip.high) == (26, 30)  # 8+8+7+1+2 … 8+8+8+6+2 = 32 capped
    transfer = scoring.ip_part(advancement=0, support=0, class_one=0, class_two=1, own_rd=False,
                               standard=False, who="王五")  # fmt: skip
    assert [(i.key, i.low, i.high) for i in transfer.items] == [
        ("ip_advancement", 0, 0), ("ip_support", 0, 0), ("ip_quantity", 1, 2),
        ("ip_acquired", 1, 3), ("ip_standard", 0, 0),
    ]  # fmt: skip
    none = scoring.ip_part(advancement=None, support=3, class_one=0, class_two=0, own_rd=None,
                           standard=None, who="")  # fmt: skip
    assert (none.low, none.high, none.known) == (3, 13, False)


@pytest.mark.parametrize(
    ("counts", "band"),
    [([5, 5, 5], (25, 30)), ([5, 5, 4], (19, 24)), ([4, 4, 4], (19, 24)), ([4, 4, 3], (13, 18)),
     ([3, 3, 3], (13, 18)), ([2, 2, 2], (7, 12)), ([2, 2, 1], (1, 6)), ([1, 1, 1], (1, 6)),
     ([1, 1, 0], (0, 0)), ([0, 0, 0], (0, 0))],
)  # fmt: skip
def test_conversion_bands_by_the_three_year_average(counts, band):
    result = scoring.conversion_part(counts, "王五")
    assert (result.low, result.high) == band


def test_conversion_missing_a_year_is_unknown():
    result = scoring.conversion_part([5, None, 5], "王五")
    assert (result.low, result.high, result.known) == (0, 30, False)


# y1 = y2 = 100, y3 = 100 + 2g gives growth g exactly: ½(1 + (1 + 2g/100)) − 1
@pytest.mark.parametrize(
    ("y3", "band"),
    [("170", (9, 10)), ("169.98", (7, 8)), ("150", (7, 8)), ("149.98", (5, 6)), ("130", (5, 6)),
     ("129.98", (3, 4)), ("110", (3, 4)), ("109.98", (1, 2)), ("100.02", (1, 2)), ("100", (0, 0)),
     ("90", (0, 0))],
)  # fmt: skip
def test_growth_band_edges(y3, band):
    item = scoring.growth_item(
        "sales", "销售收入增长率", [W(100), W(100), W(y3)], [], missing=False
    )
    assert (item.low, item.high) == band


@pytest.mark.parametrize(
    "values", [[W(0), W(100), W(200)], [W(100), W(-1), W(200)], [None, W(100), W(200)]]
)
def test_growth_without_a_positive_base_or_three_years_scores_nothing(values):
    item = scoring.growth_item("sales", "销售收入增长率", values, [], missing=False)
    assert (item.low, item.high, item.known) == (0, 0, True)
    assert item.note == "不足三年或基数不为正,计 0 分"


def test_growth_rate_formula():
    assert scoring.growth_rate([W(100), W(200), W(300)]) == W(75)  # ½(2 + 1.5) − 1


# --- 科技型中小企业 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("st", "points"),
    [(30, 20), (29, 16), (25, 16), (20, 12), (15, 8), (10, 4), (9, 0)],
)
def test_tech_sme_staff_share_bands(st, points):
    result = techsme.score_tech_sme(staff=100, st_staff=st, revenue=W(1000), rd=W(0))
    assert result.parts["staff"] == points


@pytest.mark.parametrize(
    ("rd", "points"), [("60", 50), ("59", 40), ("50", 40), ("40", 30), ("30", 20), ("20", 10),
                       ("19", 0)]
)  # fmt: skip
def test_tech_sme_rd_by_sales(rd, points):
    result = techsme.score_tech_sme(staff=100, st_staff=30, revenue=W(1000), rd=W(rd))
    assert result.parts["rd"] == points


def test_tech_sme_takes_the_better_rd_measure_and_judges():
    result = techsme.score_tech_sme(staff=100, st_staff=30, revenue=W(1000), rd=W(20),
                                    costs=W(60), assets=W(500), class_one=0, class_two=1)  # fmt: skip
    assert result.parts == {"staff": 20, "rd": 50, "ip": 6}  # costs: 33% beats sales 2%
    assert (result.score, result.status) == (76, PASS)
    assert techsme.score_tech_sme(staff=100, st_staff=9, revenue=W(1000), rd=W(100),
                                  costs=W(100), assets=W(500)).status == FAIL  # fmt: skip
    too_big = techsme.score_tech_sme(staff=501, st_staff=300, revenue=W(1000), rd=W(100),
                                     assets=W(500))  # fmt: skip
    assert (too_big.status, too_big.reasons) == (FAIL, ["职工总数超过 500 人"])
    direct = techsme.score_tech_sme(staff=100, st_staff=1, revenue=W(1000), rd=W(0),
                                    assets=W(100), direct=True)  # fmt: skip
    assert (direct.status, direct.direct) == (PASS, True)


@pytest.mark.parametrize(("two", "points"), [(4, 24), (3, 18), (2, 12), (1, 6), (0, 0), (9, 24)])
def test_tech_sme_ip_points(two, points):
    assert techsme.ip_points(0, two) == points
    assert techsme.ip_points(1, two) == 30
