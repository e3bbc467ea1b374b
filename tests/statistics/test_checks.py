"""The declarative checks (statistics.checks): every rule kind, good and bad, over a batch."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaoxin.statistics import catalogue
from gaoxin.statistics.checks import Problem, evaluate, explanation_needed
from gaoxin.statistics.models import Indicator, Return, ReturnValue, Rule
from tests.factories import EnterpriseFactory

D = Decimal

# A return that passes every standard rule (no history, no peers).
CLEAN = {
    "output_value": D("1000"),
    "revenue": D("1000"),
    "profit": D("80"),
    "industrial_tax": D("50"),
    "industrial_electricity": D("50"),
    "employees": D("100"),
    "rd_spending": D("30"),
    "exports": D("100"),
    "fixed_asset_investment": D("10"),
}


def data(**changes):
    row = dict(CLEAN)
    row.update({k: (None if v is None else D(str(v))) for k, v in changes.items()})
    return row


def accept(enterprise, period, **values):
    """An accepted return with its ReturnValue rows (month values from the previous month's)."""
    ret = Return.objects.create(
        zone=enterprise.zone,
        enterprise=enterprise,
        period=period,
        status="accepted",
        data={k: str(v) for k, v in values.items()},
    )
    for code, value in values.items():
        indicator = Indicator.objects.get(zone=None, code=code)
        value = D(str(value))
        month_value = value
        if indicator.cumulative and period % 100 > 2:
            before = ReturnValue.objects.filter(
                enterprise=enterprise, indicator=indicator, period=period - 1
            ).first()
            month_value = value - before.value if before else None
        ReturnValue.objects.create(
            zone=enterprise.zone,
            enterprise=enterprise,
            indicator=indicator,
            period=period,
            value=value,
            month_value=month_value,
            ret=ret,
        )
    return ret


def check(zone, enterprise, period, row):
    return evaluate(zone, [("k", enterprise, period, row)])["k"]


def by_rule(problems):
    return {p.rule_code: p for p in problems}


# ---- basics ------------------------------------------------------------------------------------


def test_clean_return_has_no_problems_and_every_key_is_answered(world):
    items = [("x", world.a1, 201905, data()), ("y", world.a2.pk, 201905, data())]
    assert evaluate(world.zone_a, items) == {"x": [], "y": []}
    assert evaluate(world.zone_a, []) == {}


def test_problem_is_frozen_and_warnings_need_explanations():
    warning = Problem("swing-year-output", "swing_year", "output_value", "warning", "…")
    error = Problem("range-tax", "range", "industrial_tax", "error", "…")
    assert explanation_needed(warning) is True
    assert explanation_needed(error) is False
    with pytest.raises(AttributeError):
        warning.message = "x"


# ---- required and range ----------------------------------------------------------------------


def test_required(world):
    row = data(output_value=None)
    del row["revenue"]
    problems = by_rule(check(world.zone_a, world.a1, 201905, row))
    assert set(problems) == {"required-output", "required-revenue"}
    assert problems["required-output"] == Problem(
        "required-output",
        "required",
        "output_value",
        "error",
        "工业总产值未填写:此项必填(单位:万元)",
    )


def test_range(world):
    problems = check(
        world.zone_a, world.a1, 201905, data(industrial_tax=-5, employees=250000, profit=-30)
    )
    assert [(p.rule_code, p.severity, p.message) for p in problems] == [
        ("range-tax", "error", "税金总额 -5 万元小于下限:应不小于 0 万元"),
        ("range-employees", "error", "从业人员期末人数 250,000 人超出范围:应在 0–200,000 人之间"),
    ]
    assert check(world.zone_a, world.a1, 201905, data(employees=0, industrial_tax=0)) == []


# ---- cumulative values going down ----------------------------------------------------------------


def test_cumulative_value_lower_than_last_month_is_an_error(world):
    accept(world.a1, 201903, output_value=1350, revenue=1000)
    problems = by_rule(check(world.zone_a, world.a1, 201904, data(output_value=1200)))
    assert problems["cumulative-output"] == Problem(
        "cumulative-output",
        "not_decreasing",
        "output_value",
        "error",
        "累计工业总产值 1,200 万元少于上月累计 1,350 万元:累计值不应减少",
    )
    assert "cumulative-revenue" not in problems  # 1000 → 1000 is fine
    assert "cumulative-output" not in by_rule(
        check(world.zone_a, world.a1, 201904, data(output_value=1400))
    )


def test_first_return_of_the_year_has_no_previous_month(world):
    accept(world.a1, 201812, output_value=9000, industrial_electricity=500)
    problems = by_rule(check(world.zone_a, world.a1, 201902, data()))
    assert "cumulative-output" not in problems
    assert "swing-month-output" not in problems
    assert "swing-month-electricity" not in problems


def test_other_enterprises_history_does_not_count(world):
    accept(world.a2, 201903, output_value=5000)
    assert check(world.zone_a, world.a1, 201904, data(output_value=1200)) == []


def test_batch_of_months_is_checked_against_itself(world):
    items = [
        ("feb", world.a1, 201902, data(output_value=600)),
        ("mar", world.a1, 201903, data(output_value=1350)),
        ("apr", world.a1, 201904, data(output_value=1200)),
        ("a2-apr", world.a2, 201904, data(output_value=1200)),
    ]
    result = evaluate(world.zone_a, items)
    assert "cumulative-output" not in by_rule(result["mar"])
    assert by_rule(result["apr"])["cumulative-output"].message == (
        "累计工业总产值 1,200 万元少于上月累计 1,350 万元:累计值不应减少"
    )
    assert result["a2-apr"] == []


def test_batch_item_replaces_the_accepted_value(world):
    accept(world.a1, 201903, output_value=5000)
    items = [
        ("mar", world.a1, 201903, data(output_value=1100)),
        ("apr", world.a1, 201904, data(output_value=1200)),
    ]
    result = evaluate(world.zone_a, items)
    assert "cumulative-output" not in by_rule(result["apr"])


# ---- swings -----------------------------------------------------------------------------------


def test_swing_against_last_month(world):
    accept(world.a1, 201902, output_value=2000, industrial_electricity=100)
    accept(world.a1, 201903, output_value=3000, industrial_electricity=150)  # month 1000 / 50
    problems = by_rule(
        check(world.zone_a, world.a1, 201904, data(output_value=6000, industrial_electricity=190))
    )
    assert problems["swing-month-output"] == Problem(
        "swing-month-output",
        "swing_month",
        "output_value",
        "warning",
        "当月工业总产值 3,000 万元比上月 1,000 万元增长 200.0%,超过 ±50% 的波动范围:"
        "请核实或说明原因",
    )
    assert "swing-month-electricity" not in problems  # 40 against 50: −20 %
    problems = by_rule(
        check(world.zone_a, world.a1, 201904, data(output_value=3400, industrial_electricity=200))
    )
    assert problems["swing-month-output"].message == (
        "当月工业总产值 400 万元比上月 1,000 万元下降 60.0%,超过 ±50% 的波动范围:请核实或说明原因"
    )
    assert "swing-month-electricity" not in problems  # exactly 50 against 50


def test_march_compares_with_half_the_first_return(world):
    accept(world.a1, 201902, output_value=2000)  # two months: 1,000 a month
    assert "swing-month-output" not in by_rule(
        check(world.zone_a, world.a1, 201903, data(output_value=3100))
    )
    message = by_rule(check(world.zone_a, world.a1, 201903, data(output_value=4000)))[
        "swing-month-output"
    ].message
    assert message.startswith("当月工业总产值 2,000 万元比1–2月月均 1,000 万元增长 100.0%")


def test_swing_month_in_a_batch(world):
    items = [
        ("feb", world.a1, 201902, data(output_value=2000)),
        ("mar", world.a1, 201903, data(output_value=3000)),
        ("apr", world.a1, 201904, data(output_value=3200)),
    ]
    result = evaluate(world.zone_a, items)
    assert "swing-month-output" not in by_rule(result["mar"])
    assert by_rule(result["apr"])["swing-month-output"].message.startswith(
        "当月工业总产值 200 万元比上月 1,000 万元下降 80.0%"
    )


def test_swing_month_in_a_batch_after_accepted_months(world):
    accept(world.a1, 201902, output_value=2000)
    accept(world.a1, 201903, output_value=3000)
    items = [
        ("apr", world.a1, 201904, data(output_value=4000)),  # 1,000 against the accepted 1,000
        ("may", world.a1, 201905, data(output_value=9000)),  # 5,000 against April's 1,000
    ]
    result = evaluate(world.zone_a, items)
    assert "swing-month-output" not in by_rule(result["apr"])
    assert by_rule(result["may"])["swing-month-output"].message.startswith(
        "当月工业总产值 5,000 万元比上月 1,000 万元增长 400.0%"
    )


def test_swing_against_same_period_last_year(world):
    accept(world.a1, 201812, output_value=1000, revenue=1000)
    problems = by_rule(check(world.zone_a, world.a1, 201912, data(output_value=2000)))
    assert problems["swing-year-output"] == Problem(
        "swing-year-output",
        "swing_year",
        "output_value",
        "warning",
        "累计工业总产值 2,000 万元比去年同期 1,000 万元增长 100.0%,超过 ±50% 的波动范围:"
        "请核实或说明原因",
    )
    assert "swing-year-revenue" not in problems
    assert check(world.zone_a, world.a1, 201912, data(output_value=1400)) == []
    problems = by_rule(check(world.zone_a, world.a1, 201912, data(revenue=400, output_value=1000)))
    assert problems["swing-year-revenue"].message.startswith(
        "累计营业收入 400 万元比去年同期 1,000 万元下降 60.0%"
    )


# ---- cross-checks -------------------------------------------------------------------------------


def test_ratio(world):
    problems = by_rule(check(world.zone_a, world.a1, 201905, data(industrial_electricity=5000)))
    assert problems["ratio-electricity-output"] == Problem(
        "ratio-electricity-output",
        "ratio",
        "industrial_electricity",
        "warning",
        "工业用电量与工业总产值之比为 5(5,000 万千瓦时 ÷ 1,000 万元),超出合理范围 0.002–2:"
        "请核对这两项数据",
    )
    problems = by_rule(check(world.zone_a, world.a1, 201905, data(industrial_tax=400)))
    assert problems["ratio-tax-revenue"].message == (
        "税金总额与营业收入之比为 0.4(400 万元 ÷ 1,000 万元),高于合理上限 0.3:请核对这两项数据"
    )
    # the other figure missing or zero: nothing to compare with
    row = data(revenue=0, industrial_tax=400, output_value=None)
    assert set(by_rule(check(world.zone_a, world.a1, 201905, row))) == {"required-output"}


# ---- peers --------------------------------------------------------------------------------------


def peers(world, count, *, industry="3974", scale="small", per_worker=10):
    made = []
    for _ in range(count):
        enterprise = EnterpriseFactory(zone=world.zone_a, industry_id=industry, scale=scale)
        accept(enterprise, 201905, output_value=per_worker * 100, employees=100)
        made.append(enterprise)
    return made


def test_peer_outlier(world):
    peers(world, 5)
    peers(world, 3, industry="1711")  # another division
    peers(world, 3, scale="large")  # another scale
    subject = EnterpriseFactory(zone=world.zone_a, industry_id="3911", scale="small")
    row = data(output_value=20000, revenue=20000, industrial_tax=100, employees=100)
    problems = by_rule(check(world.zone_a, subject, 201905, row))
    assert problems["peer-output-per-worker"] == Problem(
        "peer-output-per-worker",
        "peer_outlier",
        "output_value",
        "warning",
        "工业总产值与从业人员期末人数之比 200 万元/人是同行业(39 大类)同规模 5 家企业中位数 "
        "10 万元/人的 20 倍(超过 10 倍):请核对工业总产值和从业人员期末人数",
    )
    row = data(output_value=50, revenue=50, industrial_tax=1, industrial_electricity=1)
    message = by_rule(check(world.zone_a, subject, 201905, row))["peer-output-per-worker"].message
    assert message.startswith(
        "工业总产值与从业人员期末人数之比 0.5 万元/人仅为同行业(39 大类)同规模 5 家企业中位数 "
        "10 万元/人的 20 分之一"
    )
    assert check(world.zone_a, subject, 201905, data(output_value=1500, revenue=1500)) == []


def test_peer_outlier_needs_enough_peers(world):
    peers(world, 4)
    subject = EnterpriseFactory(zone=world.zone_a, industry_id="3974", scale="small")
    row = data(output_value=20000, revenue=20000, industrial_tax=100)
    assert "peer-output-per-worker" not in by_rule(check(world.zone_a, subject, 201905, row))
    # the batch's own items are peers too
    other = EnterpriseFactory(zone=world.zone_a, industry_id="3974", scale="small")
    items = [("s", subject, 201905, row), ("o", other, 201905, data())]
    assert "peer-output-per-worker" in by_rule(evaluate(world.zone_a, items)["s"])


def test_peer_median_leaves_the_enterprise_out(world):
    made = peers(world, 6)
    # made[0]'s accepted figure of the period is replaced by the item; the 5 others are its peers
    row = data(output_value=20000, revenue=20000, industrial_tax=100)
    problems = by_rule(check(world.zone_a, made[0], 201905, row))
    assert "同规模 5 家企业中位数 10 万元/人" in problems["peer-output-per-worker"].message


# ---- unit slips ---------------------------------------------------------------------------------


def test_unit_slip_typed_in_yuan(world):
    accept(world.a1, 201903, output_value=1350, revenue=1300, industrial_electricity=60)
    row = data(output_value=12_000_000, revenue=1500, industrial_electricity=600_000)
    problems = by_rule(check(world.zone_a, world.a1, 201904, row))
    assert problems["unit-slip-output"] == Problem(
        "unit-slip-output",
        "unit_slip",
        "output_value",
        "error",
        "工业总产值 12,000,000 万元是上月累计 1,350 万元的 8,889 倍,疑似按元填报:"
        "按万元应为 1,200 万元",
    )
    assert problems["unit-slip-electricity"].message == (
        "工业用电量 600,000 万千瓦时是上月累计 60 万千瓦时的 10,000 倍,疑似按千瓦时填报:"
        "按万千瓦时应为 60 万千瓦时"
    )
    assert "unit-slip-revenue" not in problems


def test_unit_slip_against_last_year_and_too_small(world):
    accept(world.a1, 201802, output_value=1000, revenue=1000)
    row = data(output_value="0.11", revenue=1100)
    problems = by_rule(check(world.zone_a, world.a1, 201902, row))
    assert problems["unit-slip-output"].message == (
        "工业总产值 0.11 万元仅为去年同期 1,000 万元的 9,091 分之一,疑似按亿元填报:"
        "按万元应为 1,100 万元"
    )
    assert "unit-slip-revenue" not in problems
    # no history at all: nothing to compare with
    assert "unit-slip-output" not in by_rule(check(world.zone_a, world.a2, 201902, row))


def test_unit_slip_needs_every_reference_to_agree(world):
    # last month's figure was the slip (accepted by mistake): this month's right figure passes
    accept(world.a1, 201804, output_value=1000)
    accept(world.a1, 201903, output_value=12_000_000)
    assert "unit-slip-output" not in by_rule(
        check(world.zone_a, world.a1, 201904, data(output_value=1500))
    )
    # in a batch, March is the slip and April is right
    accept(world.a2, 201803, output_value=900)
    accept(world.a2, 201804, output_value=1200)
    items = [
        ("mar", world.a2, 201903, data(output_value=9_500_000)),
        ("apr", world.a2, 201904, data(output_value=1300)),
    ]
    result = evaluate(world.zone_a, items)
    assert "unit-slip-output" in by_rule(result["mar"])
    assert "unit-slip-output" not in by_rule(result["apr"])


# ---- zone overrides -----------------------------------------------------------------------------


def zone_rule(zone, code, **fields):
    standard = Rule.objects.get(zone=None, code=code)
    values = {
        "name": standard.name,
        "kind": standard.kind,
        "indicator": standard.indicator,
        "other": standard.other,
        "params": standard.params,
        "severity": standard.severity,
        "position": standard.position,
        **fields,
    }
    return Rule.objects.create(zone=zone, code=code, **values)


def test_zone_rule_replaces_or_switches_off_the_standard_one(world):
    accept(world.a1, 201812, output_value=1000, revenue=1000)
    row = data(output_value=2000, revenue=2000, industrial_tax=50)
    zone_rule(world.zone_a, "swing-year-output", params={"pct": 150})
    zone_rule(world.zone_a, "swing-year-revenue", severity="error", params={"pct": 20})
    zone_rule(world.zone_a, "ratio-output-revenue", is_active=False)
    codes = [r.code for r in catalogue.rules_for(world.zone_a)]
    assert len(codes) == len(set(codes)) == len(catalogue.STANDARD_RULES) - 1
    assert "ratio-output-revenue" not in codes

    problems = by_rule(check(world.zone_a, world.a1, 201912, row))
    assert "swing-year-output" not in problems
    assert problems["swing-year-revenue"].severity == "error"
    assert "超过 ±20% 的波动范围" in problems["swing-year-revenue"].message
    # zone B keeps the standard rules
    accept(world.b1, 201812, output_value=1000, revenue=1000)
    problems = by_rule(check(world.zone_b, world.b1, 201912, row))
    assert problems["swing-year-output"].severity == "warning"
    assert problems["swing-year-revenue"].severity == "warning"


def test_a_rule_with_a_bad_threshold_is_left_out(world):
    accept(world.a1, 201812, output_value=1000, revenue=1000)
    zone_rule(world.zone_a, "swing-year-output", params={"pct": "abc"})
    zone_rule(world.zone_a, "swing-year-revenue", params={"pct": 0})
    zone_rule(world.zone_a, "unit-slip-output", params={"factor": None})
    zone_rule(world.zone_a, "range-tax", params={"min": "x", "max": 40})
    row = data(output_value=20_000_000, revenue=1001)
    problems = by_rule(check(world.zone_a, world.a1, 201912, row))
    assert "swing-year-output" not in problems
    assert "unit-slip-output" not in problems
    assert problems["swing-year-revenue"].message.startswith(
        "累计营业收入 1,001 万元比去年同期 1,000 万元增长 0.1%,超过 ±0% 的波动范围"
    )
    assert problems["range-tax"].message == "税金总额 50 万元超过上限:应不大于 40 万元"


def test_zone_own_rule_on_a_zone_indicator(world):
    mine = Indicator.objects.create(
        zone=world.zone_a, code="patents", name="专利申请数", unit="件", source="return"
    )
    Rule.objects.create(
        zone=world.zone_a, code="range-patents", name="专利", kind="range", indicator=mine,
        params={"max": 100}, severity="warning",
    )  # fmt: skip
    problems = by_rule(check(world.zone_a, world.a1, 201905, data(patents=120)))
    assert problems["range-patents"].message == "专利申请数 120 件超过上限:应不大于 100 件"
    assert check(world.zone_b, world.b1, 201905, data(patents=120)) == []


# ---- queries -------------------------------------------------------------------------------------


def test_query_count_does_not_grow_with_the_batch(world):
    made = peers(world, 6)
    for enterprise in made:
        accept(enterprise, 201906, output_value=1500, employees=100)

    def items(count):
        rows = []
        for i, enterprise in enumerate(made[:count]):
            for period in (201906, 201907):
                rows.append(((i, period), enterprise, period, data(output_value=2000 + period)))
        return rows

    with CaptureQueriesContext(connection) as one:
        evaluate(world.zone_a, items(1))
    with CaptureQueriesContext(connection) as many:
        result = evaluate(world.zone_a, items(6))
    # rules, indicators, history values, history month values, peers' enterprises, peers' values,
    # and the peers' values the unit-slip checks read once (201906 has no history of its own)
    assert len(one) == len(many) == 7
    assert len(result) == 12
    rules = catalogue.rules_for(world.zone_a)
    with CaptureQueriesContext(connection) as given:
        evaluate(world.zone_a, items(6), rules=rules)
    assert len(given) == 6


def test_large_batches_filter_in_python(world, monkeypatch):
    from gaoxin.statistics.checks import history

    monkeypatch.setattr(history, "ENTERPRISE_FILTER_LIMIT", 0)
    monkeypatch.setattr(history, "PERIOD_FILTER_LIMIT", 0)
    accept(world.a1, 201903, output_value=1350)
    accept(world.a2, 201903, output_value=100)
    accept(world.a1, 201810, output_value=99_999_999)  # inside the range read, not a reference
    result = evaluate(
        world.zone_a,
        [("a1", world.a1, 201904, data(output_value=1200)), ("b", world.b1, 201904, data())],
    )
    assert "cumulative-output" in by_rule(result["a1"])
    assert result["b"] == []


def test_zone_rules_on_a_point_in_time_indicator(world):
    employees = Indicator.objects.get(zone=None, code="employees")
    for code, kind, params, severity in (
        ("employees-down", "not_decreasing", {}, "warning"),
        ("employees-swing", "swing_month", {"pct": 50}, "warning"),
        ("employees-slip", "unit_slip", {"factor": 1000}, "error"),
    ):
        Rule.objects.create(
            zone=world.zone_a, code=code, name=code, kind=kind, indicator=employees,
            params=params, severity=severity,
        )  # fmt: skip
    accept(world.a1, 201902, employees=100)
    problems = by_rule(check(world.zone_a, world.a1.pk, 201903, data(employees=40)))
    assert problems["employees-down"].message == (
        "从业人员期末人数 40 人少于上月 100 人:此项不应减少"
    )
    assert problems["employees-swing"].message.startswith(
        "从业人员期末人数 40 人比上月 100 人下降 60.0%"  # not halved: not cumulative
    )
    problems = by_rule(check(world.zone_a, world.a1.pk, 201903, data(employees=1_000_000)))
    assert problems["employees-slip"].message == (
        "从业人员期末人数 1,000,000 人是上月 100 人的 10,000 倍,疑似单位错误(相差约万倍):"
        "若多填了万倍,应为 100 人"
    )
    assert set(by_rule(check(world.zone_a, world.a1.pk, 201903, data(employees=100)))) == set()


def test_ratio_with_a_lower_bound_only(world):
    zone_rule(world.zone_a, "ratio-output-revenue", params={"min": "0.5"})
    problems = by_rule(check(world.zone_a, world.a1, 201905, data(output_value=400)))
    assert problems["ratio-output-revenue"].message == (
        "工业总产值与营业收入之比为 0.4(400 万元 ÷ 1,000 万元),低于合理下限 0.5:请核对这两项数据"
    )
    assert "ratio-output-revenue" not in by_rule(
        check(world.zone_a, world.a1, 201905, data(output_value=50000, revenue=1000))
    )


def test_big_batches_pause_the_garbage_collector_and_restore_it(world, monkeypatch):
    import gc

    from gaoxin.statistics.checks import run

    monkeypatch.setattr(run, "GC_PAUSE_FROM", 1)
    seen = []
    real = run._evaluate

    def spy(*args):
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(run, "_evaluate", spy)
    assert evaluate(world.zone_a, [("k", world.a1, 201905, data())]) == {"k": []}
    assert seen == [False]
    assert gc.isenabled()
    with pytest.raises(AttributeError):
        evaluate(world.zone_a, [("k", world.a1, 201905, None)])
    assert gc.isenabled()
