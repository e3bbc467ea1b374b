"""Qualification at risk: the rolling R&D ratio from accepted returns against its band, the
entered high-tech income share against 60%, missed annual reports; and the award warning."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from gaoxin.innovation import risk
from gaoxin.innovation.models import AnnualReport
from tests.support.innovation import certify, entered
from tests.support.returns import put_values

pytestmark = pytest.mark.django_db
D = datetime.date
W = Decimal
ON = D(2020, 6, 15)


def rolling_returns(enterprise, rd_may_2020):
    """Twelve months to May 2020: revenue 500 + 1000 − 400 = 1100 (the 5% band), R&D
    `rd_may_2020` + 50 − 20."""
    put_values(enterprise, 201905, {"revenue": 400, "rd_spending": 20})
    put_values(enterprise, 201912, {"revenue": 1000, "rd_spending": 50})
    put_values(enterprise, 202005, {"revenue": 500, "rd_spending": rd_may_2020})


@pytest.mark.parametrize(
    ("rd", "expected"),
    [
        ("30.5", None),  # 60.5 ÷ 1100 = 5.5%: clear of the margin
        ("30.49", ("5.49", False)),  # 5.499%: within 0.5 points
        ("25", ("5.00", False)),  # 5% exactly: at the threshold, still a warning
        ("24.99", ("4.99", True)),  # just under: below
    ],
)
def test_rolling_rd_ratio_against_its_band(world, rd, expected):
    certify(world.a1)
    rolling_returns(world.a1, rd)
    found = [r for r in risk.at_risk(world.a1, ON) if r.kind == "rd_ratio"]
    if expected is None:
        assert found == []
        return
    (r,) = found
    assert (r.threshold, r.below) == (W(5), expected[1])
    assert r.value.quantize(W("0.01"), rounding="ROUND_DOWN") == W(expected[0]).quantize(W("0.01"))
    assert "近12个月(截至2020年5月)" in r.message


def test_rd_message_names_the_ratio_and_the_threshold(world):
    certify(world.a1)
    rolling_returns(world.a1, "10")  # 40 ÷ 1100 = 3.63%
    (r,) = risk.at_risk(world.a1, ON)
    assert (
        r.message == "研发费用占销售收入比例 3.63%(近12个月(截至2020年5月)),低于 5.00% 的认定条件"
    )


def test_without_the_same_month_last_year_the_december_years_count(world):
    certify(world.a1)
    put_values(world.a1, 201812, {"revenue": 30000, "rd_spending": 900})
    put_values(world.a1, 201912, {"revenue": 30000, "rd_spending": 880})
    put_values(world.a1, 202005, {"revenue": 100, "rd_spending": 1})
    (r,) = risk.at_risk(world.a1, ON)
    # 1780 ÷ 60000 = 2.97% against the 3% band of 6亿 over the two years
    assert (r.kind, r.threshold, r.below) == ("rd_ratio", W(3), True)
    assert "2018–2019年" in r.message


@pytest.mark.parametrize(
    ("hightech", "expected"), [("650", None), ("649.9", False), ("600", False), ("599.9", True)]
)
def test_hightech_share_against_sixty_with_a_five_point_margin(world, hightech, expected):
    certify(world.a1)
    entered(world.a1, 2020, hightech_income=W(hightech), total_income=W(1000))
    found = risk.at_risk(world.a1, ON)
    if expected is None:
        assert found == []
        return
    (r,) = found
    assert (r.kind, r.threshold, r.below) == ("hightech_share", W(60), expected)
    assert r.value == W(hightech) / 10


def test_the_share_uses_the_latest_year_entered_and_the_returns_revenue_when_no_total(world):
    certify(world.a1)
    entered(world.a1, 2019, hightech_income=W(100), total_income=W(1000))  # older: 10%
    entered(world.a1, 2020, hightech_income=W(620))
    put_values(world.a1, 201912, {"revenue": 1000})
    (r,) = risk.at_risk(world.a1, ON)
    assert (
        r.message == "高新技术产品(服务)收入占总收入比例 62.00%(2020 年度填报),接近 60% 的认定条件"
    )


def test_missed_annual_reports(world):
    cert = certify(world.a1, issued_on=D(2018, 11, 1))
    AnnualReport.objects.create(zone=world.zone_a, certification=cert, year=2018,
                                due_on=D(2019, 5, 31))  # fmt: skip
    (r,) = risk.at_risk(world.a1, ON)
    assert (r.kind, r.value, r.below) == ("annual_report", W(1), False)
    AnnualReport.objects.create(zone=world.zone_a, certification=cert, year=2019,
                                due_on=D(2020, 5, 31))  # fmt: skip
    (r,) = risk.at_risk(world.a1, ON)
    assert (r.value, r.below) == (W(2), True)
    assert r.message == "已有 2 个年度(2018、2019)的高企年报逾期未报,证书将被提请取消"
    AnnualReport.objects.filter(year=2019).update(filed_on=D(2020, 5, 1))
    assert [r.value for r in risk.at_risk(world.a1, ON)] == [W(1)]


def test_only_valid_certificates_are_watched(world):
    entered(world.a1, 2020, hightech_income=W(100), total_income=W(1000))
    assert risk.at_risk(world.a1, ON) == []  # never certified
    certify(world.a1, issued_on=D(2016, 11, 1), number="GR201636000001")  # expired Oct 2019
    assert risk.at_risk(world.a1, ON) == []
    assert len(risk.at_risk(world.a1, D(2019, 6, 1))) == 1


def test_zone_at_risk_in_few_queries(world, django_assert_max_num_queries):
    for e, number in ((world.a1, "GR201836000001"), (world.a2, "GR201836000002"),
                      (world.b1, "GR201836000003")):  # fmt: skip
        certify(e, number=number)
        entered(e, 2020, hightech_income=W(610), total_income=W(1000))
    rolling_returns(world.a2, "10")
    with django_assert_max_num_queries(4):
        found = risk.zone_at_risk(world.zone_a, ON)
    assert {e: [r.kind for r in rs] for e, rs in found.items()} == {
        world.a1.pk: ["hightech_share"], world.a2.pk: ["rd_ratio", "hightech_share"],
    }  # fmt: skip


# --- the award warning -------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2020, 6, 15, 12, 0), tick=False)
def test_award_warning_names_both_shares(world):
    certify(world.a1)
    entered(world.a1, 2020, hightech_income=W(620), total_income=W(1000))
    assert risk.award_warning(world.a1, W(50)) == (
        "甲一电子科技有限公司 为高新技术企业,其高新技术产品(服务)收入占总收入比例为 62.00%"
        "(2020 年度填报);本次奖补 50 万元计入总收入后将为 59.04%。该比例低于 60% 将不符合"
        "高新技术企业认定条件,请提醒企业规范核算。"
    )


@time_machine.travel(datetime.datetime(2020, 6, 15, 12, 0), tick=False)
def test_award_warning_when_the_award_itself_pushes_under_sixty(world):
    certify(world.a1)
    entered(world.a1, 2020, hightech_income=W(800), total_income=W(1000))
    assert risk.award_warning(world.a1, W(300)) is None  # 800 ÷ 1300 = 61.5%
    assert "将为 59.25%" in risk.award_warning(world.a1, W(350))  # 800 ÷ 1350
    assert risk.award_warning(world.a1, "abc") is None


@time_machine.travel(datetime.datetime(2020, 6, 15, 12, 0), tick=False)
def test_no_award_warning_without_a_valid_certificate(world):
    entered(world.a1, 2020, hightech_income=W(620), total_income=W(1000))
    assert risk.award_warning(world.a1, W(50)) is None
