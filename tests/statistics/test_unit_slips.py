"""Unit slips (元 typed for 万元, 千瓦时 for 万千瓦时) on every indicator whose unit can slip, judged
against the enterprise's own history and its peers; one slip is one finding."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from gaoxin.statistics import catalogue, services
from gaoxin.statistics.checks import Problem, evaluate
from gaoxin.statistics.models import Finding, Indicator, Rule
from gaoxin.statistics.services import configuration
from tests.factories import EnterpriseFactory
from tests.support.returns import put_values

pytestmark = pytest.mark.django_db

D = Decimal
# Last month's (2019-03) accepted figures of a1; nothing any rule finds fault with.
MARCH = {
    "output_value": D("1350"),
    "revenue": D("1300"),
    "profit": D("90"),
    "industrial_tax": D("60"),
    "industrial_electricity": D("60"),
    "employees": D("100"),
    "rd_spending": D("30"),
    "exports": D("120"),
    "fixed_asset_investment": D("120"),
}
# April's figures as they should be typed (cumulative, a little above March).
APRIL = {code: value * D("1.1") for code, value in MARCH.items()}
APRIL["employees"] = D("100")


def check(enterprise, period, row, zone=None):
    return evaluate(zone or enterprise.zone, [("k", enterprise, period, row)])["k"]


def codes(problems) -> list[str]:
    return sorted(p.rule_code for p in problems)


# --- every indicator whose unit can slip ----------------------------------------------------------


def test_every_return_indicator_with_a_scaled_unit_has_a_slip_rule(world):
    indicators = catalogue.indicators_for(world.zone_a, source="return")
    scaled = {i.code for i in indicators if catalogue.slips(i.unit)}
    assert scaled == set(MARCH) - {"employees"}  # 人 does not slip
    ruled = {r.indicator.code for r in catalogue.rules_for(world.zone_a) if r.kind == "unit_slip"}
    assert ruled == scaled
    assert not catalogue.slips("人") and not catalogue.slips("%") and not catalogue.slips("千瓦时")
    assert catalogue.slips("万吨") and catalogue.slips("亿元") and catalogue.slips("千元")


@pytest.mark.parametrize(
    ("code", "rule", "message"),
    [
        (
            "fixed_asset_investment",
            "unit-slip-investment",
            "固定资产投资 1,320,000 万元是上月累计 120 万元的 11,000 倍,疑似按元填报:"
            "按万元应为 132 万元",
        ),
        (
            "industrial_tax",
            "unit-slip-tax",
            "税金总额 660,000 万元是上月累计 60 万元的 11,000 倍,疑似按元填报:按万元应为 66 万元",
        ),
        (
            "rd_spending",
            "unit-slip-rd",
            "研发费用 330,000 万元是上月累计 30 万元的 11,000 倍,疑似按元填报:按万元应为 33 万元",
        ),
        (
            "exports",
            "unit-slip-exports",
            "出口交货值 1,320,000 万元是上月累计 120 万元的 11,000 倍,疑似按元填报:"
            "按万元应为 132 万元",
        ),
        (
            "profit",
            "unit-slip-profit",
            "利润总额 990,000 万元是上月累计 90 万元的 11,000 倍,疑似按元填报:按万元应为 99 万元",
        ),
    ],
)
def test_a_figure_typed_in_yuan_is_caught(world, code, rule, message):
    put_values(world.a1, 201903, MARCH)
    assert check(world.a1, 201904, APRIL) == []
    row = dict(APRIL, **{code: APRIL[code] * 10000})
    assert check(world.a1, 201904, row) == [Problem(rule, "unit_slip", code, "error", message)]


def test_fixed_asset_investment_in_yuan_is_caught_by_the_live_check(client, world):
    """The issue's case: +3,267,988% passed as 未发现问题."""
    put_values(world.a1, 201910, MARCH)
    world.a1.above_scale = True
    world.a1.save()
    client.force_login(world.enterprise)
    typed = {f"v_{k}": str(v) for k, v in APRIL.items()}
    typed["v_fixed_asset_investment"] = "3921706"  # 392.1706 万元 typed in 元
    html = client.post(reverse("statistics:check", args=["2019-11"]), typed).content.decode()
    assert 'id="check-clean"' not in html
    assert 'data-rule="unit-slip-investment" data-severity="error"' in html
    assert "疑似按元填报:按万元应为 392.1706 万元" in html


def test_slips_judged_against_last_year_too_and_too_small(world):
    put_values(world.a1, 201804, {"output_value": D("1250"), "rd_spending": D("25")})
    row = dict(APRIL, output_value=D("0.1485"))  # typed in 亿元
    assert [p.message for p in check(world.a1, 201904, row) if p.kind == "unit_slip"] == [
        "工业总产值 0.1485 万元仅为去年同期 1,250 万元的 8,418 分之一,疑似按亿元填报:"
        "按万元应为 1,485 万元"
    ]


@pytest.mark.parametrize("code", ["profit", "industrial_tax", "rd_spending", "exports",
                                  "fixed_asset_investment"])  # fmt: skip
def test_figures_often_near_nothing_are_checked_for_being_too_large_only(world, code):
    """A break-even month's profit, a quarter's tax not yet paid: far below last year is not a
    unit slip for these ("down": false); far above still is."""
    put_values(world.a1, 201804, MARCH)  # last April
    assert check(world.a1, 201904, dict(APRIL, **{code: D("0.01")})) == []
    big = dict(APRIL, **{code: APRIL[code] * 10000})
    assert [p.indicator_code for p in check(world.a1, 201904, big)] == [code]


# --- one slip, one finding ---------------------------------------------------------------------


def history_and_peers(world):
    """a1's March (with its month values) and last April, and six peers (same division and
    scale) for April."""
    put_values(world.a1, 201903, MARCH, months={k: v / 10 for k, v in MARCH.items()})
    put_values(world.a1, 201804, {k: v * D("0.9") for k, v in MARCH.items()})
    for _ in range(6):
        peer = EnterpriseFactory(zone=world.zone_a, industry_id="3974", scale="")
        put_values(peer, 201904, APRIL)


def test_one_slipped_value_is_one_finding_not_six(world):
    history_and_peers(world)
    row = dict(APRIL, output_value=APRIL["output_value"] * 10000)
    assert codes(check(world.a1, 201904, row)) == ["unit-slip-output"]
    # Without the unit-slip rule the same value trips every rule on the output value: the
    # folding is what makes it one.
    standard = Rule.objects.get(zone=None, code="unit-slip-output")
    Rule.objects.create(
        zone=world.zone_a, code=standard.code, name=standard.name, kind=standard.kind,
        indicator=standard.indicator, params=standard.params, severity=standard.severity,
        is_active=False,
    )  # fmt: skip
    assert codes(check(world.a1, 201904, row)) == [
        "peer-output-per-worker",
        "ratio-electricity-output",
        "ratio-output-revenue",
        "swing-month-output",
        "swing-year-output",
    ]


def test_a_slip_folds_only_the_rules_on_its_own_value(world):
    history_and_peers(world)
    # Output typed in 元, and revenue separately far above last year (a real swing of its own).
    row = dict(APRIL, output_value=APRIL["output_value"] * 10000, revenue=APRIL["revenue"] * 3)
    found = codes(check(world.a1, 201904, row))
    assert "unit-slip-output" in found and "swing-year-revenue" in found
    # ratio-output-revenue looks at the slipped output: folded into the slip.
    assert "ratio-output-revenue" not in found and "swing-month-output" not in found


def test_a_submitted_slip_is_one_finding(world):
    history_and_peers(world)
    row = dict(APRIL, fixed_asset_investment=APRIL["fixed_asset_investment"] * 10000)
    ret = services.return_for(world.staff, world.a1, "2019-04", create=True)  # 代填
    ret = services.save_draft(world.staff, ret, data=row, version=ret.version)
    ret = services.submit(world.staff, ret, version=ret.version)
    assert list(Finding.objects.filter(ret=ret).values_list("rule_code", "severity")) == [
        ("unit-slip-investment", "error")
    ]


# --- peers ---------------------------------------------------------------------------------------


def peers(world, count, **values):
    for _ in range(count):
        peer = EnterpriseFactory(zone=world.zone_a, industry_id="3974", scale="")
        put_values(peer, 201904, {**APRIL, **values})


def test_without_history_the_peers_judge(world):
    peers(world, 5)
    newcomer = EnterpriseFactory(zone=world.zone_a, industry_id="3911", scale="")
    row = dict(APRIL, exports=D("1452000"))  # 145.2 万元 typed in 元
    problems = [p for p in check(newcomer, 201904, row) if p.kind == "unit_slip"]
    assert [p.message for p in problems] == [
        "出口交货值 1,452,000 万元是同行业(39 大类)同规模 5 家企业中位数 132 万元的 11,000 倍,"
        "疑似按元填报:按万元应为 145.2 万元"
    ]
    # A figure among its peers, or too few peers to judge by: nothing.
    assert check(newcomer, 201904, dict(APRIL, exports=D("1452"))) == []
    lonely = EnterpriseFactory(zone=world.zone_a, industry_id="1711", scale="")
    assert [p for p in check(lonely, 201904, row) if p.kind == "unit_slip"] == []


def test_a_history_once_accepted_in_yuan_does_not_block_the_right_figure(world):
    """A figure typed in 元 that was accepted (before the rule) is an odd history: the peers tell
    that the history is the slip, not this month's right figure."""
    put_values(world.a1, 201903, {"output_value": D("13500000")})
    put_values(world.a1, 201804, {"output_value": D("12000000")})
    row = dict(APRIL, output_value=D("1485"))
    alone = [p.rule_code for p in check(world.a1, 201904, row) if p.kind == "unit_slip"]
    assert alone == ["unit-slip-output"]  # no peers: the history decides
    peers(world, 5)
    assert [p for p in check(world.a1, 201904, row) if p.kind == "unit_slip"] == []
    # The peers do not excuse a real slip: 10,000 × the history and far above the peers.
    slipped = dict(APRIL, output_value=D("135000000000"))
    assert [p.rule_code for p in check(world.a1, 201904, slipped) if p.kind == "unit_slip"] == [
        "unit-slip-output"
    ]


# --- a zone's own indicators --------------------------------------------------------------------


def test_a_zone_indicator_in_wan_dun_gets_its_slip_rule(world):
    energy = configuration.save_indicator(
        world.staff, world.zone_a, code="energy", name="综合能源消费量", unit="万吨标准煤",
        source="return", aggregation="sum", frequency="monthly", cumulative=True,
        decimal_places=2,
    )  # fmt: skip
    rule = Rule.objects.get(zone=world.zone_a, indicator=energy)
    assert (rule.code, rule.kind, rule.params, rule.severity) == (
        "unit-slip-energy", "unit_slip", {"factor": 1000}, "error",
    )  # fmt: skip
    put_values_zone(world.a1, energy, 201903, D("12.5"))
    problems = check(world.a1, 201904, dict(APRIL, energy=D("137500")))
    assert [p.message for p in problems] == [
        "综合能源消费量 137,500 万吨标准煤是上月累计 12.5 万吨标准煤的 11,000 倍,疑似按吨标准煤"
        "填报:按万吨标准煤应为 13.75 万吨标准煤"
    ]
    # Saving it again adds nothing; a zone that switched it off keeps it off.
    configuration.save_rule(world.staff, world.zone_a, code="unit-slip-energy", is_active=False,
                            version=rule.version)  # fmt: skip
    configuration.save_indicator(
        world.staff, world.zone_a, indicator=energy, name="能源消费量", version=energy.version
    )
    assert Rule.objects.filter(indicator=energy).count() == 1
    assert check(world.a1, 201904, dict(APRIL, energy=D("137500"))) == []


def test_thousand_units_and_units_that_do_not_slip(world):
    common = {"source": "return", "aggregation": "sum", "frequency": "monthly", "cumulative": True}
    patents = configuration.save_indicator(
        world.staff, world.zone_a, code="patents", name="专利申请数", unit="件", **common
    )
    assert not Rule.objects.filter(indicator=patents).exists()
    sales = configuration.save_indicator(
        world.staff, world.zone_a, code="sales", name="销售额", unit="千元", **common
    )
    assert Rule.objects.get(indicator=sales).params == {"factor": 100}  # 元 for 千元: 1,000 ×
    put_values_zone(world.a1, sales, 201903, D("800"))
    problems = check(world.a1, 201904, dict(APRIL, sales=D("880000")))
    assert [p.message for p in problems] == [
        "销售额 880,000 千元是上月累计 800 千元的 1,100 倍,疑似按元填报:按千元应为 880 千元"
    ]


def put_values_zone(enterprise, indicator, period, value):
    """An accepted figure of a zone's own indicator."""
    from gaoxin.statistics.models import Return, ReturnValue

    ret = Return.objects.create(
        zone=enterprise.zone, enterprise=enterprise, period=period, status="accepted",
        data={indicator.code: str(value)},
    )  # fmt: skip
    ReturnValue.objects.create(
        zone=enterprise.zone, enterprise=enterprise, indicator=indicator, period=period,
        value=value, month_value=None, ret=ret,
    )  # fmt: skip


def test_the_migration_gives_an_existing_installation_its_slip_rules(world):
    added = ["unit-slip-profit", "unit-slip-tax", "unit-slip-rd", "unit-slip-exports",
             "unit-slip-investment"]  # fmt: skip
    Rule.objects.filter(zone=None, code__in=added).delete()
    energy = Indicator.objects.create(
        zone=world.zone_a, code="energy", name="能源消费量", unit="万吨标准煤", source="return"
    )
    patents = Indicator.objects.create(
        zone=world.zone_a, code="patents", name="专利申请数", unit="件", source="return"
    )
    migration = importlib.import_module("gaoxin.statistics.migrations.0005_unit_slip_rules")
    migration.add(apps, None)
    assert set(Rule.objects.filter(zone=None, code__in=added).values_list("code", flat=True)) == {
        *added
    }
    assert Rule.objects.filter(indicator=energy, kind="unit_slip").count() == 1
    assert not Rule.objects.filter(indicator=patents).exists()
    migration.add(apps, None)  # run twice: nothing more
    assert Rule.objects.filter(kind="unit_slip").count() == 9


def test_a_zone_changing_a_slip_factor_keeps_the_rules_other_params(world):
    rule = configuration.save_rule(
        world.staff, world.zone_a, code="unit-slip-tax", params={"factor": 500},
        version=Rule.objects.get(zone=None, code="unit-slip-tax").version,
    )  # fmt: skip
    assert rule.params == {"factor": 500, "down": False}
