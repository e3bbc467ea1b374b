"""The pre-assessment from real figures: accepted December returns made through the statistics
services, the patent ledger, a certification's field and the entered inputs; each number says
where it came from."""

import datetime
from decimal import Decimal

import pytest

from gaoxin.innovation.assessment import FAIL, PASS, UNKNOWN, assess, tech_sme
from gaoxin.innovation.models import Patent, PatentKind, PatentStatus
from tests.support.innovation import FULL_INPUT, certify, entered, year_returns

pytestmark = pytest.mark.django_db
D = datetime.date
W = Decimal
ON = D(2019, 6, 1)


def figure(criterion, label):
    return next(f for f in criterion.figures if f.label == label)


def invention(enterprise, number="201710601862.3"):
    return Patent.objects.create(
        zone=enterprise.zone, enterprise=enterprise, number=number, kind=PatentKind.INVENTION,
        title="一种电路板", applied_on=D(2017, 3, 1), granted_on=D(2018, 5, 1),
        status=PatentStatus.GRANTED,
    )  # fmt: skip


def established(enterprise, on):
    enterprise.established_on = on
    enterprise.save(update_fields=["established_on"])
    return enterprise


def test_a_qualifying_enterprise_passes_every_criterion(world, django_assert_max_num_queries):
    a1 = established(world.a1, D(2010, 3, 1))
    year_returns(world, a1, {2016: (1000, 60, 100), 2017: (1200, 70, 110), 2018: (1500, 80, 120)})
    invention(a1)
    certify(a1, issued_on=D(2015, 11, 1), number="GR201536000123")
    entered(a1, 2019, net_assets_1=W(100), net_assets_2=W(100), net_assets_3=W(170),
            **FULL_INPUT)  # fmt: skip

    with django_assert_max_num_queries(5):
        result = assess(a1, 2019, on=ON)

    assert {c.key: c.status for c in result.criteria} == {
        "registered": PASS, "core_ip": PASS, "field": PASS, "st_staff": PASS, "rd_ratio": PASS,
        "rd_in_china": PASS, "hightech_share": PASS, "innovation": PASS, "no_incident": PASS,
    }  # fmt: skip
    assert result.status == PASS
    rd = result.criterion("rd_ratio")
    assert figure(rd, "销售收入合计(万元)").value == W(3700)
    assert figure(rd, "研发费用合计(万元)").value == W(210)
    assert figure(rd, "研发费用合计(万元)").source == "returns"
    assert figure(rd, "研发费用合计(万元)").detail == "2016年12月、2017年12月、2018年12月"
    assert figure(rd, "研发费用占比").value == "5.68%"
    staff = result.criterion("st_staff")
    # staff not entered: the returns' employees of the latest year
    assert figure(staff, "职工总数(月报从业人员期末人数)").value == 120
    assert figure(staff, "科技人员数").detail == "王五 填报(2019 年度)"
    assert figure(result.criterion("field"), "技术领域").value == "电子信息"
    # IP 8+8+7+1 (own R&D) +0, conversion 25 (avg 5), management 20, growth: assets
    # ½(1 + 1.7) − 1 = 35% → 9, sales ½(1.2 + 1.25) − 1 = 22.5% → 5
    assert [(p.key, p.low, p.high) for p in result.parts] == [
        ("ip", 24, 30), ("conversion", 25, 30), ("management", 20, 20), ("growth", 14, 16),
    ]  # fmt: skip
    assert (result.score_low, result.score_high) == (83, 96)
    sales = result.part("growth").items[1]
    assert [(f.value, f.source, f.detail) for f in sales.figures[:3]] == [
        (W(1000), "returns", "2016年12月"), (W(1200), "returns", "2017年12月"),
        (W(1500), "returns", "2018年12月"),
    ]  # fmt: skip
    assert result.as_dict()["criteria"][4]["figures"][0]["value"] == "3700.0000"


@pytest.mark.parametrize(
    ("revenue", "rd", "status"),
    [
        (5000, "250", PASS),  # the 5000万 edge is the 5% band
        (5000, "249.9", FAIL),
        ("5000.1", "200.004", PASS),  # just above: 4%
        ("5000.1", "200", FAIL),
        (20000, "800", PASS),  # the 2亿 edge is the 4% band
        (20000, "799.9", FAIL),
        ("20000.1", "600.003", PASS),  # just above: 3%
        ("20000.1", "600", FAIL),
    ],
)
def test_each_revenue_band_from_one_year_of_returns(world, revenue, rd, status):
    # registered in 2018: one accounting year (2018) counts for an application in 2019
    a1 = established(world.a1, D(2018, 1, 2))
    year_returns(world, a1, {2018: (revenue, rd, 100)})
    rd_ratio = assess(a1, 2019, on=ON).criterion("rd_ratio")
    assert rd_ratio.status == status
    assert rd_ratio.note == "按 1 个会计年度计算"
    assert figure(rd_ratio, "研发费用合计(万元)").detail == "2018年12月"


def test_fewer_than_three_years_of_returns(world):
    a1 = established(world.a1, D(2017, 3, 1))
    # a 2016 return would not count: the enterprise did not exist yet
    year_returns(world, a1, {2017: (1000, 40, 50), 2018: (2000, 110, 60)})
    entered(a1, 2019, net_assets_1=None, net_assets_2=W(100), net_assets_3=W(200))
    result = assess(a1, 2019, on=ON)
    rd = result.criterion("rd_ratio")
    assert (rd.status, rd.note) == (PASS, "按 2 个会计年度计算")  # 150 ÷ 3000 = 5%
    assert figure(rd, "研发费用占比").value == "5.00%"
    # growth needs three year-ends: 0 points, known (the enterprise is too young)
    growth = result.part("growth")
    assert [(i.key, i.low, i.high, i.known) for i in growth.items] == [
        ("net_assets", 0, 0, True), ("sales", 0, 0, True),
    ]  # fmt: skip


def test_a_firm_registered_under_a_year_fails(world):
    a1 = established(world.a1, D(2018, 6, 2))
    result = assess(a1, 2019, on=ON)
    assert result.criterion("registered").status == FAIL
    assert result.status == FAIL
    assert figure(result.criterion("registered"), "成立日期").source == "registry"
    assert (
        established(a1, D(2018, 6, 1))
        and assess(a1, 2019, on=ON).criterion("registered").status == PASS
    )


@pytest.mark.parametrize(("employees", "status"), [(120, PASS), (121, FAIL)])
def test_st_staff_share_against_the_returns_employees(world, employees, status):
    a1 = established(world.a1, D(2010, 1, 1))
    year_returns(world, a1, {2018: (1000, 50, employees)})
    entered(a1, 2019, st_staff=12)
    assert assess(a1, 2019, on=ON).criterion("st_staff").status == status


def test_total_income_defaults_to_the_returns_revenue_and_says_so(world):
    a1 = established(world.a1, D(2010, 1, 1))
    year_returns(world, a1, {2018: (1000, 50, 100)})
    entered(a1, 2019, hightech_income=W(600))
    share = assess(a1, 2019, on=ON).criterion("hightech_share")
    income = share.figures[1]
    assert (income.label, income.value, income.source, income.detail) == (
        "总收入(未填,以月报营业收入代替,万元)", W(1000), "returns", "2018年12月")  # fmt: skip
    assert share.status == PASS  # 600 ÷ 1000 = 60%
    # a subsidy booked as income: total income entered above the revenue dilutes the share
    entered_total = assess_with_total(world, a1, W("1000.1"))
    assert entered_total.status == FAIL


def assess_with_total(world, a1, total):
    from gaoxin.innovation.models import AssessmentInput

    AssessmentInput.objects.filter(enterprise=a1, year=2019).update(total_income=total)
    return assess(a1, 2019, on=ON).criterion("hightech_share")


def test_sales_growth_bands_from_the_returns(world):
    a1 = established(world.a1, D(2010, 1, 1))
    # y1 = y2 = 1000, y3 = 1700: growth 35% exactly → 9–10
    year_returns(world, a1, {2016: (1000, 50, 10), 2017: (1000, 50, 10), 2018: (1700, 90, 10)})
    sales = assess(a1, 2019, on=ON).part("growth").items[1]
    assert (sales.low, sales.high, sales.figures[-1].value) == (9, 10, "35.00%")


def test_nothing_known_is_unknown_not_fail(world):
    a1 = established(world.a1, D(2010, 1, 1))
    result = assess(a1, 2019, on=ON)
    assert result.status == UNKNOWN
    assert {c.key for c in result.criteria if c.status == UNKNOWN} == {
        "core_ip", "field", "st_staff", "rd_ratio", "rd_in_china", "hightech_share",
        "innovation", "no_incident",
    }  # fmt: skip


def test_tech_sme_from_the_same_figures(world):
    a1 = established(world.a1, D(2010, 1, 1))
    year_returns(world, a1, {2018: (1000, 60, 100)})
    invention(a1)
    entered(a1, 2019, st_staff=30)
    result = tech_sme(a1, 2019, on=ON)
    assert result.parts == {"staff": 20, "rd": 50, "ip": 30}
    assert (result.score, result.status) == (100, UNKNOWN)  # total assets are not kept
    assert result.reasons == ["未掌握:资产总额"]


@pytest.mark.parametrize(("platform_points", "low", "status"), [(0, 70, FAIL), (1, 71, PASS)])
def test_seventy_points_fail_and_seventy_one_pass(world, platform_points, low, status):
    a1 = established(world.a1, D(2010, 3, 1))
    # sales growth ½(1 + 1.7) − 1 = 35% → 9; net assets flat → 0
    year_returns(world, a1, {2016: (1000, 60, 100), 2017: (1000, 60, 100), 2018: (1700, 90, 100)})
    invention(a1)  # IP 8 + 8 + 7 + 1 = 24; conversions avg 5 → 25; management 6 + 6 + x + 0
    certify(a1, issued_on=D(2015, 11, 1), number="GR201536000123")  # the field
    entered(a1, 2019, **{**FULL_INPUT, "conversion_platform": platform_points,
                         "talent_training": 0, "net_assets_1": W(100), "net_assets_2": W(100),
                         "net_assets_3": W(100)})  # fmt: skip
    result = assess(a1, 2019, on=ON)
    assert result.score_low == low
    assert result.criterion("innovation").status == status
    assert result.status == status
